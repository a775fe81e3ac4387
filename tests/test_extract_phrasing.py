"""Phrasing families of real wire copy that the news extractor generalises to, in sentences of our own:
anchored dates ("the same day", "the following year"), named groups ("the three countries"), anaphora
("broke them off", "the mission", "recognising it"), more trigger phrasings, modality cues, and the
traps next to them ("summoned" is no recall, "Moroccan sovereignty" is no recognition of a state)."""

from __future__ import annotations

from datetime import date

import pytest

from comity.extract import extract

PUB = date(2024, 2, 15)  # a Thursday


def rows(text: str, published: date | None = PUB) -> list[str]:
    return sorted(
        f"{a.type.value} {a.a} {a.b} {a.date} {a.modality.value}" for a in extract(text, published=published)
    )


PHRASINGS = [
    # anchored dates: the story's date, not the publication date
    (
        "Peru cut diplomatic ties with Mexico on Monday. Bolivia and Chile called their ambassadors home "
        "from Mexico the same day.",
        [
            "recall_ambassador BOL MEX 2024-02-12 asserted",
            "recall_ambassador CHL MEX 2024-02-12 asserted",
            "sever MEX PER 2024-02-12 asserted",
        ],
    ),
    (
        "The boycott ended in March 2019. Jordan and Egypt restored relations with Libya that same month.",
        ["restore EGY LBY 2019-03 asserted", "restore JOR LBY 2019-03 asserted"],
    ),
    (
        "Fiji expelled the Tongan envoy in 2011 and suspended diplomatic relations with Tonga the "
        "following year.",
        ["expel_diplomats FJI TON 2011 asserted", "suspend FJI TON 2012 asserted"],
    ),
    (
        "Gabon and Benin agreed on Monday to re-establish diplomatic relations from Sept. 3.",
        ["restore BEN GAB 2024-09-03 planned"],
    ),
    # the date of the story told just before
    (
        "Kenya broke off relations with Eritrea in May 2009, accusing it of arming rebels. Kenya expelled "
        "Eritrean diplomats and closed its border.",
        ["expel_diplomats KEN ERI 2009-05 asserted", "sever ERI KEN 2009-05 asserted"],
    ),
    # named groups of states
    (
        "Portugal, Greece and Austria recognised Kosovo in January. Serbia recalled its "
        "ambassadors to the three countries on Friday.",
        [
            "recognize AUT XKX 2024-01 asserted",
            "recognize GRC XKX 2024-01 asserted",
            "recognize PRT XKX 2024-01 asserted",
            "recall_ambassador SRB AUT 2024-02-09 asserted",
            "recall_ambassador SRB GRC 2024-02-09 asserted",
            "recall_ambassador SRB PRT 2024-02-09 asserted",
        ],
    ),
    (
        "Nigeria on Tuesday ordered diplomats from four West African countries to leave. The order "
        "covers Ghana, Togo, Benin and Senegal.",
        [
            "expel_diplomats NGA BEN 2024-02-13 asserted",
            "expel_diplomats NGA GHA 2024-02-13 asserted",
            "expel_diplomats NGA SEN 2024-02-13 asserted",
            "expel_diplomats NGA TGO 2024-02-13 asserted",
        ],
    ),
    # anaphora
    (
        "Tonga first established relations with Taipei in 1972. It broke them off in 1998 to recognise "
        "Beijing.",
        [
            "establish TON TWN 1972 asserted",
            "recognize TON CHN 1998 asserted",
            "sever TON TWN 1998 asserted",
        ],
    ),
    (
        "Fiji was among the first states to back Kosovo's independence, recognising it in 2012.",
        ["recognize FJI XKX 2012 asserted"],
    ),
    (
        "Malawi said on Tuesday it will no longer recognise Kosovo as an independent state.",
        ["withdraw_recognition MWI XKX 2024-02-13 asserted"],
    ),
    (
        "Burundi has derecognised the self-declared Sahrawi Arab Democratic Republic.",
        ["withdraw_recognition BDI ESH 2024-02-15 asserted"],
    ),
    (
        "The Netherlands said on Monday it was shutting its diplomatic mission in Caracas.",
        ["embassy_close NLD VEN 2024-02-12 asserted"],
    ),
    (
        "Chile ordered all staff of the Bolivian embassy in Santiago to leave and to close the mission "
        "within a week.",
        ["embassy_close BOL CHL 2024-02-15 asserted", "expel_diplomats CHL BOL 2024-02-15 asserted"],
    ),
    (
        "Denmark will close its embassies in Mali and Niger. The two embassies will close next year.",
        ["embassy_close DNK MLI 2025 planned", "embassy_close DNK NER 2025 planned"],
    ),
    # more phrasings
    (
        "Oman said it would resume work at its embassy in the Libyan capital.",
        ["embassy_open OMN LBY None planned"],
    ),
    (
        "Canada upgraded its consulate general in Dili to a full embassy on Monday.",
        ["embassy_open CAN TLS 2024-02-12 asserted"],
    ),
    (
        "Eritrea declared independence on Monday. Italy, Spain and Egypt recognised the new state the "
        "same day.",
        [
            "recognize EGY ERI 2024-02-12 asserted",
            "recognize ESP ERI 2024-02-12 asserted",
            "recognize ITA ERI 2024-02-12 asserted",
        ],
    ),
    (
        "Latvia downgraded relations with Belarus last month, sharply reducing the number of Belarusian "
        "diplomats allowed to stay in Riga.",
        ["downgrade BLR LVA 2024-01 asserted", "expel_diplomats LVA BLR 2024-01 asserted"],
    ),
    (
        "Israel and Sudan normalised ties on Monday, the first Arab state to forge relations with Israel "
        "in years.",
        ["establish ISR SDN 2024-02-12 asserted"],
    ),
    (
        "Peru and Chile broke off relations in 1990, and ties were not restored until 1995.",
        ["restore CHL PER 1995 asserted", "sever CHL PER 1990 asserted"],
    ),
    (
        "Malta is the fifth state to open an embassy in Ramallah, after Cyprus and Greece, which "
        "established relations with Palestine in 1988 and 1989.",
        [
            "embassy_open MLT PSE None asserted",
            "establish CYP PSE 1988 asserted",
            "establish GRC PSE 1989 asserted",
        ],
    ),
    (
        "Taiwan said on Friday it was ending ties with Palau after the Pacific island nation decided to "
        "switch diplomatic recognition from Taipei to Beijing.",
        [
            "recognize PLW CHN 2024-02-09 asserted",
            "sever PLW TWN 2024-02-09 asserted",
            "withdraw_recognition PLW TWN 2024-02-09 asserted",
        ],
    ),
]


@pytest.mark.parametrize(("text", "want"), PHRASINGS, ids=[t[:40] for t, _ in PHRASINGS])
def test_phrasings(text, want):
    assert rows(text) == sorted(want)


MODALITY = [
    ("Cairo would welcome a restoration of relations with Tehran.", ["restore EGY IRN None speculative"]),
    ("Tunis welcomes restoring ties with Damascus", ["restore SYR TUN None speculative"]),
    ("Morocco expects ties with Algeria to be re-established soon.", ["restore DZA MAR None speculative"]),
    (
        "Lebanon is getting closer to a deal that would see it establish relations with Malta.",
        ["establish LBN MLT None speculative"],
    ),
    (
        "The Thai minister backed the political process of establishing diplomatic relations with Bhutan.",
        ["establish BTN THA None speculative"],
    ),
    (
        "The candidate promised to cut diplomatic ties with Israel if elected.",
        [],
    ),
    (
        "Bolivia's opposition leader promised that Bolivia would cut diplomatic ties with Israel if he wins.",
        ["sever BOL ISR None speculative"],
    ),
    (
        "Argentina will not break off relations with China or Brazil.",
        ["sever ARG BRA None negated", "sever ARG CHN None negated"],
    ),
    (
        "Turkey's parliament voted in favour of a motion calling for the Danish embassy in Ankara to be closed and "
        "for diplomatic relations with Denmark to be suspended.",
        ["embassy_close DNK TUR None planned", "suspend DNK TUR None planned"],
    ),
    (
        # a hypothesis, not an act (nor a refusal)
        "Greens in Oslo said that closing the Israeli embassy would hurt Norway's role as a mediator.",
        ["embassy_close ISR NOR None speculative"],
    ),
    ("Austria has tried to stay neutral, declining to recognise Kosovo.", ["recognize AUT XKX None negated"]),
]


@pytest.mark.parametrize(("text", "want"), MODALITY, ids=[t[:40] for t, _ in MODALITY])
def test_modality_cues(text, want):
    assert rows(text) == sorted(want)


NOT_EVENTS = [
    # summoning is no recall, and importance or sovereignty claims are no recognition of a state
    "Spain summoned the Moroccan ambassador on Monday over the remarks.",
    "Japan recognized the importance of its partnership with India.",
    "Israel recognises Moroccan sovereignty over the disputed territory.",
    "The United States recognised Moroccan sovereignty over Western Sahara in December.",
    "Serbia has declined to recognise the Russian-backed separatist republics.",
    "Georgia and Armenia have maintained relations since 1992.",
    "Several Arab states have already restored relations with Damascus.",
    "More than 140 countries already recognise a Palestinian state.",
    "More than 300 Russian diplomats have been expelled by European governments since February.",
    "Such contacts would not affect Paraguay's recognition of Taiwan.",
    "A UN mission in Haiti will close next year.",
    "Peru closed its trade mission in Quito.",
]


@pytest.mark.parametrize("text", NOT_EVENTS, ids=[t[:40] for t in NOT_EVENTS])
def test_not_events(text):
    assert rows(text) == []


def test_headline_reporter_is_no_second_object():
    got = rows("Malawi withdraws recognition of Kosovo, Belgrade says\n\nBELGRADE - Serbia said so.")
    assert got == ["withdraw_recognition MWI XKX 2024-02-15 asserted"]


def test_each_side_keeps_its_own_day():
    text = (
        "Germany expels Chad's ambassador\n\nBERLIN - Germany has expelled Chad's ambassador in response to "
        "N'Djamena's move. Chad declared the German ambassador persona non grata last Friday."
    )
    assert rows(text, published=date(2023, 4, 12)) == [
        "expel_diplomats DEU TCD 2023-04-12 asserted",
        "expel_diplomats TCD DEU 2023-04-07 asserted",
    ]


# -- elliptical changes, coordinated actors, denials and dates (news wire phrasings) -------------------

ELLIPSIS = [
    # "followed suit", "did the same", "took the same step", "followed in <date>": the change just before,
    # by the new state, with its own date
    (
        "Ghana expelled two Ivorian diplomats on Monday, and Togo followed suit.",
        [
            "expel_diplomats GHA CIV 2024-02-12 asserted",
            "expel_diplomats TGO CIV 2024-02-12 asserted",
        ],
    ),
    (
        "Uruguay recognised Palestine in 2011. Paraguay and Peru did the same in 2012.",
        [
            "recognize PER PSE 2012 asserted",
            "recognize PRY PSE 2012 asserted",
            "recognize URY PSE 2011 asserted",
        ],
    ),
    (
        "Senegal cut diplomatic ties with Gambia in 1990, and Guinea took the same step in 1991.",
        ["sever GIN GMB 1991 asserted", "sever GMB SEN 1990 asserted"],
    ),
    (
        "Norway established relations with Namibia in 1990 and Denmark followed in 1992.",
        ["establish DNK NAM 1992 asserted", "establish NAM NOR 1990 asserted"],
    ),
    # the state that underwent the change and does the same acts on the one that made it
    (
        "Latvia expelled three Belarusian diplomats in May 2021. Belarus did the same a day later.",
        [
            "expel_diplomats BLR LVA 2021-05 asserted",
            "expel_diplomats LVA BLR 2021-05 asserted",
        ],
    ),
    # "recognition by A ... and by B <date>": of the state recognised just before
    (
        "Chile recognised Palestine on Tuesday. The move follows recognition by Peru last month and by "
        "Bolivia on January 9.",
        [
            "recognize BOL PSE 2024-01-09 asserted",
            "recognize CHL PSE 2024-02-13 asserted",
            "recognize PER PSE 2024-01 asserted",
        ],
    ),
    # a modal "same" keeps its own modality
    (
        "Malta recognised Palestine on Monday, and Cyprus said it was considering doing the same.",
        ["recognize CYP PSE None speculative", "recognize MLT PSE 2024-02-12 asserted"],
    ),
]


@pytest.mark.parametrize("text,expected", ELLIPSIS, ids=[t[:40] for t, _ in ELLIPSIS])
def test_elliptical_changes(text, expected):
    assert rows(text) == expected


ELLIPSIS_NOT_EVENTS = [
    # no change right before it, or no state doing the same
    "Ghana's football federation followed suit after the ruling.",
    "Kenya raised tariffs on Ugandan sugar. Tanzania did the same in March.",
    "Officials from several ministries did the same on Friday.",
    # the change is far back: not the one meant
    "Peru expelled the Bolivian ambassador in 2019.\n\nFarmers protested for weeks.\n\nPrices rose in "
    "April.\n\nThe army held exercises.\n\nEcuador did the same in May.",
]


@pytest.mark.parametrize("text", ELLIPSIS_NOT_EVENTS, ids=[t[:40] for t in ELLIPSIS_NOT_EVENTS])
def test_elliptical_not_events(text):
    assert [r for r in rows(text) if "BOL" not in r.split()[1:3] or "ECU" in r] == []


def test_same_spelled_out_is_not_the_change_before():
    # the clause after it says what the step was: not a second recognition
    got = rows(
        "Nauru recognised Kosovo in 2008. Tonga took the same step in 2012, becoming the first to do so."
    )
    assert "recognize TON XKX 2012 asserted" in got
    got = rows("Nauru recognised Kosovo in 2008. Tonga took the same step in 2012, revoking its recognition.")
    assert not any(r.startswith("recognize TON") for r in got)


COORDINATED = [
    # coordinated actors of one clause do not make the partner of another clause's subject
    (
        "Nicaragua expelled a bishop in February. Ecuador and Peru recalled their ambassadors on March 3, the "
        "same day Panama severed diplomatic relations. Nicaragua's government has faced growing isolation.",
        [
            "recall_ambassador ECU NIC 2023-03-03 asserted",
            "recall_ambassador PER NIC 2023-03-03 asserted",
            "sever NIC PAN 2023-03-03 asserted",
        ],
    ),
    # "pulled its ambassador out of <capital>"
    (
        "Canada, which pulled its ambassador out of Bamako on Sunday, said it would run its Malian "
        "operations from Senegal.",
        ["recall_ambassador CAN MLI 2024-02-11 asserted"],
    ),
]


@pytest.mark.parametrize("text,expected", COORDINATED, ids=[t[:40] for t, _ in COORDINATED])
def test_coordinated_parties(text, expected):
    assert rows(text) == expected


DENIALS_AND_DATES = [
    ("Chile did not plan to open an embassy in Tirana.", ["embassy_open CHL ALB None negated"]),
    (
        'Kuwait\'s emir said that breaking off relations with Iraq was "not possible".',
        ["sever IRQ KWT None negated"],
    ),
    (
        'Ties ended two years of "no contact, no trade", and Cuba and Angola established diplomatic '
        "relations at the end of May 2023.",
        ["establish AGO CUB 2023-05 asserted"],
    ),
    (
        "Last December Honduras restored relations with Cuba.",
        ["restore CUB HND 2023-12 asserted"],
    ),
    (
        "Qatar recalled its ambassador from Chad in June 2017. Chad closed the Qatari embassy at the time.",
        ["embassy_close QAT TCD 2017-06 asserted", "recall_ambassador QAT TCD 2017-06 asserted"],
    ),
]


@pytest.mark.parametrize("text,expected", DENIALS_AND_DATES, ids=[t[:40] for t, _ in DENIALS_AND_DATES])
def test_denials_and_dates(text, expected):
    assert rows(text) == expected


NON_STATE_PARTNERS = [
    "The national football federation said on Monday it had cut ties with its kit supplier.",
    "Many countries that broke with Israel after the 1973 war have since restored ties.",
]


@pytest.mark.parametrize("text", NON_STATE_PARTNERS, ids=[t[:40] for t in NON_STATE_PARTNERS])
def test_non_state_partners(text):
    assert [r for r in rows(text) if r.endswith("asserted")] == []


# Dates the article gives a change in passing (PUB is Thursday 15 February 2024).
ARTICLE_DATES = [
    # "N months after doing X": X counted back from the date of the clause it hangs on
    (
        "Guyana and Suriname restored diplomatic relations on Tuesday, four months after Paramaribo cut "
        "ties with Georgetown.",
        ["restore GUY SUR 2024-02-13 asserted", "sever GUY SUR 2023-10 asserted"],
    ),
    (
        "In August, Peru ordered the Chilean embassy closed, three months after recalling its ambassador "
        "from Santiago.",
        ["embassy_close CHL PER 2023-08 asserted", "recall_ambassador PER CHL 2023-05 asserted"],
    ),
    # ... but it does not date the change it follows, and a dateline is no story date to count from
    ("Nauru cut ties with Taiwan two days after the election.", ["sever NRU TWN None asserted"]),
    (
        "SUVA, Feb 15 (Pacific Wire) - Samoa said it was cutting ties with Tonga, two days after Fiji "
        "broke off relations with Tonga.",
        ["sever FJI TON None asserted", "sever TON WSM 2024-02-15 asserted"],
    ),
    # a sentence that opens with its date ("In 1994,", "In May 2018, after ..., X did")
    (
        "In 1994, Malawi recognised Taiwan, breaking off ties with Beijing.",
        ["recognize MWI TWN 1994 asserted", "sever CHN MWI 1994 asserted"],
    ),
    (
        "In May 2018, after protests turned violent, Peru recalled its ambassador from Bolivia.",
        ["recall_ambassador PER BOL 2018-05 asserted"],
    ),
    ("In March, Peru expelled the Bolivian ambassador.", ["expel_diplomats PER BOL 2023-03 asserted"]),
    # "as an independent state" is no clause between the change and its day
    (
        "Lesotho recognised Kosovo as an independent state on Monday.",
        ["recognize LSO XKX 2024-02-12 asserted"],
    ),
    # a deadline is not the day of the order
    (
        "Peru on Monday ordered Bolivia's ambassador to leave the country by Feb. 20.",
        ["expel_diplomats PER BOL 2024-02-12 asserted"],
    ),
    # "later that month", "at the time", "at the start of the month"
    (
        "Gabon broke off relations with Taiwan in March 2005 and established ties with Beijing later that month.",
        ["establish CHN GAB 2005-03 asserted", "sever GAB TWN 2005-03 asserted"],
    ),
    (
        "Fiji recalled its envoy from Tonga in May 2011. Samoa severed relations with Tonga at the time.",
        ["recall_ambassador FJI TON 2011-05 asserted", "sever TON WSM 2011-05 asserted"],
    ),
    ("Peru cut ties with Bolivia at the start of the month.", ["sever BOL PER 2024-02 asserted"]),
    # a line on a map is not a date
    (
        "Peru recognised Palestine as a state within the borders of 4 June 1967.",
        ["recognize PER PSE None asserted"],
    ),
    # normalising without a break told: first relations; with one, restored relations
    ("Oman agreed to normalise ties with Israel.", ["establish ISR OMN None planned"]),
    (
        "Oman cut ties with Israel in 2000. Oman agreed on Monday to normalise ties with Israel.",
        ["restore ISR OMN None planned", "sever ISR OMN 2000 asserted"],
    ),
    # ambassadors back is an upgrade; relations back is a restoration
    ("Kuwait restored ambassador-level ties with Iran on Monday.", ["upgrade IRN KWT 2024-02-12 asserted"]),
    ("Kuwait restored diplomatic ties with Iran on Monday.", ["restore IRN KWT 2024-02-12 asserted"]),
    # recognising a state's papers is not recognising the state
    ("Serbia recognises Kosovo's passports and number plates.", []),
    # "agreed with <anyone> to": an agreement, the change still to come
    (
        "Chile agreed with the new government in Lima to restore diplomatic relations with Peru.",
        ["restore CHL PER None planned"],
    ),
    (
        "Chile agreed with Peru on Monday and restored diplomatic relations.",
        ["restore CHL PER 2024-02-12 asserted"],
    ),
]


@pytest.mark.parametrize("text,expected", ARTICLE_DATES, ids=[t[:40] for t, _ in ARTICLE_DATES])
def test_article_dates(text, expected):
    assert rows(text) == expected


# Relative clauses, orders to leave, parentheses, questions and refusals, as wire copy writes them.
CLAUSES = [
    (
        "Colombia and Venezuela on Tuesday restored the diplomatic relations that Caracas had severed in "
        "February 2019.",
        ["restore COL VEN 2024-02-13 asserted", "sever COL VEN 2019-02 asserted"],
    ),
    (
        "Georgia's relations with Nicaragua, which Tbilisi broke off in September 2008, remain frozen.",
        ["sever GEO NIC 2008-09 asserted"],
    ),
    (
        "Uzbekistan hosted a reception for the 30th anniversary of its relations with Israel, which were "
        "established on 21 February 1992.",
        ["establish ISR UZB 1992-02-21 asserted"],
    ),
    (
        "Estonia on Tuesday ordered 21 Russian embassy employees out of the country.",
        ["expel_diplomats EST RUS 2024-02-13 asserted"],
    ),
    (
        "Niger's junta ordered French Ambassador Jean Moreau out in August 2023.",
        ["expel_diplomats NER FRA 2023-08 asserted"],
    ),
    (
        "Lithuania declared a Belarusian embassy employee persona non grata on Monday.",
        ["expel_diplomats LTU BLR 2024-02-12 asserted"],
    ),
    (
        "Morocco said in May 2018 it pulled its ambassador from Tehran.",
        ["recall_ambassador MAR IRN 2018-05 asserted"],
    ),
    (
        "The Government of the Republic of Chile, in the exercise of its sovereign powers and in keeping with "
        "the principles that guide its foreign policy, has decided to suspend diplomatic relations with Peru.",
        ["suspend CHL PER 2024-02-15 asserted"],
    ),
    (
        "Poland said on Monday it would downgrade its relations with Minsk from March 1 and told the "
        "Belarusian ambassador to leave.",
        ["downgrade BLR POL 2024-03-01 planned", "expel_diplomats POL BLR 2024-02-12 asserted"],
    ),
    (
        "Some analysts say a deal could open the way for the Holy See to establish relations with Vietnam.",
        ["establish VAT VNM None speculative"],
    ),
    ("Will Bolivia cut ties with Israel?", ["sever BOL ISR None speculative"]),
    ("Who has recalled envoys from Israel? A growing number of governments.", []),
    ("Belgrade will never recognise Kosovo, the president said.", ["recognize SRB XKX None negated"]),
    (
        "Kosovo declared independence in 2008. Diplomats fear that Guinea-Bissau could revoke its recognition.",
        ["withdraw_recognition GNB XKX None speculative"],
    ),
    (
        "Serbia has spent years lobbying countries to withdraw their recognition of Kosovo.",
        [],
    ),
    (
        "Oman and Israel established diplomatic relations on Tuesday, officials said. Iran condemned the "
        "step. The two countries agreed to open embassies in each other's capitals.",
        [
            "embassy_open ISR OMN None planned",
            "embassy_open OMN ISR None planned",
            "establish ISR OMN 2024-02-13 asserted",
        ],
    ),
]


@pytest.mark.parametrize("text,want", CLAUSES)
def test_clauses_and_orders(text, want):
    assert rows(text) == sorted(want)


# Lists, pairs and references as wire copy strings them together, in sentences of our own.
LISTS_AND_REFERENCES = [
    (
        "Egypt broke off diplomatic relations with Qatar on Monday. Jordan, Libya and Mauritania also cut "
        "ties later in the day.",
        [
            "sever EGY QAT 2024-02-12 asserted",
            "sever JOR QAT 2024-02-12 asserted",
            "sever LBY QAT 2024-02-12 asserted",
            "sever MRT QAT 2024-02-12 asserted",
        ],
    ),
    (
        "Cairo, Amman and Rabat summoned back their ambassadors from Tripoli in March 2011.",
        [
            "recall_ambassador EGY LBY 2011-03 asserted",
            "recall_ambassador JOR LBY 2011-03 asserted",
            "recall_ambassador MAR LBY 2011-03 asserted",
        ],
    ),
    (
        "Ecuador and Colombia have quarrelled before. In March 2008 they recalled their ambassadors.",
        ["recall_ambassador COL ECU 2008-03 asserted", "recall_ambassador ECU COL 2008-03 asserted"],
    ),
    (
        "Portugal recognised Palestine in May last year.",
        ["recognize PRT PSE 2023-05 asserted"],
    ),
    (
        "Mongolia is sending home four Chinese diplomats. Latvia will not expel any Chinese diplomats.",
        ["expel_diplomats LVA CHN None negated", "expel_diplomats MNG CHN 2024-02-15 asserted"],
    ),
    (
        "Belize formalised diplomatic ties with Kosovo on Tuesday.",
        ["establish BLZ XKX 2024-02-13 asserted"],
    ),
    (
        "Taiwan's allies are few. Tuvalu is one of them. The two established ties in 1979.",
        ["establish TUV TWN 1979 asserted"],
    ),
    (
        "Japan on Monday recognised Tuvalu and Nauru as sovereign and independent states and established "
        "diplomatic relations with both.",
        [
            "establish JPN NRU 2024-02-12 asserted",
            "establish JPN TUV 2024-02-12 asserted",
            "recognize JPN NRU 2024-02-12 asserted",
            "recognize JPN TUV 2024-02-12 asserted",
        ],
    ),
    (
        "Chad broke off relations with Libya in May 1995, days after a border clash, and ordered the Libyan "
        "ambassador to leave.",
        ["expel_diplomats TCD LBY 1995-05 asserted", "sever LBY TCD 1995-05 asserted"],
    ),
    (
        "Saudi Arabia severed relations with Iran in January 2016. Bahrain, which followed Riyadh in "
        "cutting relations, expelled Iranian diplomats.",
        [
            "expel_diplomats BHR IRN None asserted",
            "sever BHR IRN None asserted",
            "sever IRN SAU 2016-01 asserted",
        ],
    ),
    (
        "Mali and Burkina Faso will announce recognition at the same session, diplomats said. Palestine "
        "welcomed the news. Chile is still weighing recognition.",
        [
            "recognize BFA PSE None planned",
            "recognize CHL PSE None speculative",
            "recognize MLI PSE None planned",
        ],
    ),
    ("Jordan and Qatar restored ambassadors on Wednesday.", ["upgrade JOR QAT 2024-02-14 asserted"]),
    ("Oman's embassy in Sanaa never closed.", []),
    (
        "Mexico broke off relations with Nicaragua in 1982. Its new government re-established them in "
        "September last year.",
        ["restore MEX NIC 2023-09 asserted", "sever MEX NIC 1982 asserted"],
    ),
    (
        "Since establishing diplomatic relations on March 5, 1993, Chile and Armenia have signed 12 treaties.",
        ["establish ARM CHL 1993-03-05 asserted"],
    ),
    ("Kosovo, which Nigeria has declined to recognise, protested.", ["recognize NGA XKX None negated"]),
    (
        "The Central African Republic and Palau derecognised Kosovo last year.",
        [
            "withdraw_recognition CAF XKX 2023 asserted",
            "withdraw_recognition PLW XKX 2023 asserted",
        ],
    ),
]


# leaders stand for their states; recognising a leader is no recognition of a state
LISTS_AND_REFERENCES += [
    (
        "Ortega broke off ties with the government of Guillermo Lasso in June 2023.",
        ["sever ECU NIC 2023-06 asserted"],
    ),
    ("Milei has refused to recognise Maduro as Venezuela's president.", []),
]


@pytest.mark.parametrize("text,want", LISTS_AND_REFERENCES)
def test_lists_and_references(text, want):
    assert rows(text) == sorted(want)


def test_normalising_relations_is_a_restoration_where_the_record_knows_earlier_ones():
    # Qatar and Syria held relations for decades before 2011; Bahrain and Israel had none before 2020
    assert rows("Qatar said it would not normalise its relations with Syria.", date(2023, 5, 1)) == [
        "restore QAT SYR None negated"
    ]
    assert rows("Bahrain agreed on Friday to normalise relations with Israel.", date(2020, 9, 12)) == [
        "establish BHR ISR None planned"
    ]


# Datelines, communiqués, causatives, anchors and references, in sentences of our own.
STORY_TELLING = [
    (
        "Headline\nLIMA - Bolivia has withdrawn its recognition of the Sahrawi Republic, officials said on "
        "Monday.",
        ["withdraw_recognition BOL ESH 2024-02-12 asserted"],
    ),
    (
        "Ghana and Oman said the two governments have agreed to establish diplomatic relations at "
        "ambassadorial level with effect from the date of signature of this communique.",
        ["establish GHA OMN 2024-02-15 asserted"],
    ),
    (
        "Chile's recognition of the new government in 1990 led Cuba to restore relations with Santiago the "
        "same year, and the two countries upgraded diplomatic ties in 1995.",
        ["restore CHL CUB 1990 asserted", "upgrade CHL CUB 1995 asserted"],
    ),
    (
        "Peru cut ties with Venezuela on Friday night. The move came a day after Caracas declared Peru's "
        "ambassador persona non grata.",
        ["expel_diplomats VEN PER 2024-02-08 asserted", "sever PER VEN 2024-02-09 asserted"],
    ),
    (
        "Egypt cut ties with Qatar in June 2017; the UAE downgraded relations and Kuwait recalled its "
        "ambassador.",
        [
            "downgrade ARE QAT 2017-06 asserted",
            "recall_ambassador KWT QAT 2017-06 asserted",
            "sever EGY QAT 2017-06 asserted",
        ],
    ),
    (
        "Last year, Jordan and Egypt sent their ambassadors back to Doha.",
        ["upgrade EGY QAT 2023 asserted", "upgrade JOR QAT 2023 asserted"],
    ),
    (
        "Kenya, Ghana and Chile said on Wednesday they would recognise Palestine on March 1.",
        [
            "recognize CHL PSE 2024-03-01 planned",
            "recognize GHA PSE 2024-03-01 planned",
            "recognize KEN PSE 2024-03-01 planned",
        ],
    ),
    (
        "Officials said they expected embassies to be opened in both Rabat and Jerusalem soon.",
        ["embassy_open ISR MAR None speculative", "embassy_open MAR ISR None speculative"],
    ),
    (
        "Ankara did not rule out downgrading diplomatic relations with Israel.",
        ["downgrade ISR TUR None speculative"],
    ),
    (
        "It is Iran's harshest step since 2011, when it expelled the British ambassador.",
        ["expel_diplomats IRN GBR 2011 asserted"],
    ),
]


@pytest.mark.parametrize("text,want", STORY_TELLING)
def test_story_telling(text, want):
    assert rows(text) == sorted(want)
