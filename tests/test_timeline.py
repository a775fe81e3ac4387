"""Events -> status periods, and the status on any day, including coarse and unknown dates."""

from datetime import date

from comity.merge import Claim, merge
from comity.timeline import TimedEvent, periods, status_at
from comity.vocab import PartialDate


def ev(i, type, d, modality="asserted", bound=None):
    pd = PartialDate.parse(d) if d else None
    lo = int(pd.earliest().strftime("%Y%m%d")) if pd else None
    hi = int(pd.latest().strftime("%Y%m%d")) if pd else bound
    return TimedEvent(i, type, modality, d, lo, hi)


def test_establish_sever_suspend_restore_walk_through_statuses():
    ps = periods(
        [
            ev(1, "establish", "1883"),
            ev(2, "sever", "1980-04-07"),
            ev(3, "restore", "2016-01-20"),
            ev(4, "suspend", "2020-05"),
        ]
    )
    assert [p.status for p in ps] == ["relations", "severed", "relations", "suspended"]
    assert status_at(ps, 19790101).status == "relations"
    assert status_at(ps, 19800407).status == "severed"
    assert status_at(ps, 20170101).status == "relations"
    assert status_at(ps, 18000101).status == "none"


def test_a_coarse_date_inside_the_window_is_uncertain_not_guessed():
    ps = periods([ev(1, "establish", "1960")])
    st = status_at(ps, 19600601)
    assert st.status == "none"
    assert st.uncertain is not None and st.uncertain.status == "relations"
    assert status_at(ps, 19610101).status == "relations"


def test_an_undated_severance_counts_by_its_bound_and_is_uncertain_before():
    ps = periods([ev(1, "establish", "1955-01-09"), ev(2, "suspend", None, bound=20251101)])
    assert status_at(ps, 20000101).status == "relations"
    assert status_at(ps, 20000101).uncertain.status == "suspended"
    assert status_at(ps, 20260101).status == "suspended"


def test_plans_and_speculation_do_not_change_the_status():
    ps = periods(
        [
            ev(1, "establish", "1990"),
            ev(2, "sever", "2020", modality="planned"),
            ev(3, "sever", "2021", modality="speculative"),
        ]
    )
    assert [p.status for p in ps] == ["relations"]


def test_reports_of_one_event_merge_and_disagreement_is_kept():
    claims = [
        Claim(1, "establish", "CHN", "KOR", "asserted", PartialDate.parse("1992-08-24"), date(2025, 11, 1)),
        Claim(2, "establish", "CHN", "KOR", "asserted", PartialDate.parse("1992-08-24"), date(2025, 11, 1)),
        Claim(3, "establish", "CHN", "KOR", "asserted", PartialDate.parse("1992-09"), date(2025, 11, 1)),
        Claim(4, "establish", "CHN", "KOR", "asserted", PartialDate.parse("1992"), date(2025, 11, 1)),
    ]
    [event] = merge(claims)
    assert str(event.date) == "1992-08-24"
    assert event.claims == [1, 2, 3, 4]
    assert {d["date"] for d in event.disputed} == {"1992", "1992-08-24", "1992-09"}


def test_far_apart_reports_are_separate_events_and_undated_ones_join_the_latest_known():
    claims = [
        Claim(1, "sever", "IRN", "USA", "asserted", PartialDate.parse("1980"), date(2025, 11, 1)),
        Claim(2, "sever", "IRN", "USA", "asserted", None, date(2025, 11, 1)),
        Claim(3, "sever", "IRN", "USA", "asserted", PartialDate.parse("1950"), date(2025, 11, 1)),
        Claim(4, "sever", "IRN", "USA", "planned", None, date(2025, 11, 1)),
    ]
    events = merge(claims)
    asserted = [e for e in events if e.modality == "asserted"]
    assert [str(e.date) for e in asserted] == ["1950", "1980"]
    assert asserted[1].claims == [1, 2]
    assert [e.claims for e in events if e.modality == "planned"] == [[4]]


def test_an_undated_suspension_after_a_dated_severance_is_the_same_break():
    ps = periods(
        [ev(1, "establish", "1883"), ev(2, "sever", "1980-04-07"), ev(3, "suspend", None, bound=20251101)]
    )
    assert [p.status for p in ps] == ["relations", "severed"]
    # A dated escalation is a real change.
    ps = periods([ev(1, "establish", "1883"), ev(2, "suspend", "2012"), ev(3, "sever", "2014")])
    assert [p.status for p in ps] == ["relations", "suspended", "severed"]
