"""Reading articles: text, HTML, files, folders, stdin, JSONL (and .gz), and everything that is not one."""

from __future__ import annotations

import gzip
import io
import json
from datetime import date

import pytest

import comity.reader as reader
from comity.reader import Article, ReadError, article_source, decode, fix_mojibake, read_articles, read_text

HTML = """<!DOCTYPE html><html><head><title>Chile cuts ties with Peru | The Daily Example</title>
<meta property="og:site_name" content="The Daily Example">
<meta property="article:published_time" content="2024-02-14T09:30:00Z"></head>
<body><nav><a href="/">Home</a> <a href="/world">World</a></nav>
<article><h1>Chile cuts ties with Peru</h1>
<p>Chile cut diplomatic ties with Peru on Tuesday after a dispute over fishing rights, the foreign
ministry in Santiago said in a statement released late in the evening.</p>
<p>Peru said it regretted the decision and would review its options in the coming days.</p></article>
<footer>Subscribe to our newsletter</footer></body></html>"""


def split(items):
    arts = [x for x in items if isinstance(x, Article)]
    errs = [x for x in items if isinstance(x, ReadError)]
    return arts, errs


def test_plain_text_file(tmp_path):
    p = tmp_path / "story.txt"
    p.write_text("Chile cut diplomatic ties with Peru on Tuesday.\n", encoding="utf-8")
    (a,) = read_articles(p, published="2024-02-15")
    assert a.id == "story" and a.published == date(2024, 2, 15) and a.text.startswith("Chile")
    src = article_source(a)
    assert src.kind == "news" and src.title.startswith("Chile") and len(src.content_hash) == 64


def test_html_main_text_title_outlet_and_date(tmp_path):
    p = tmp_path / "page.html"
    p.write_text(HTML, encoding="utf-8")
    (a,) = read_articles(p)
    assert "Chile cut diplomatic ties with Peru" in a.text
    assert "Subscribe" not in a.text and "Home" not in a.text
    assert a.title and "Chile cuts ties" in a.title
    assert a.published == date(2024, 2, 14)
    assert a.outlet


def test_broken_html_is_read_or_reported(tmp_path):
    p = tmp_path / "broken.html"
    p.write_text(
        "<html><body><p>Chile cut ties with Peru on Tuesday, officials said in Santiago.<div><span></p>",
        encoding="utf-8",
    )
    items = list(read_articles(p))
    assert len(items) == 1
    assert isinstance(items[0], Article | ReadError)
    p.write_text("<html><head><script>var x = 1;</script></head><body></body></html>", encoding="utf-8")
    (err,) = read_articles(p)
    assert isinstance(err, ReadError) and "HTML" in err.message


def test_jsonl_goes_on_past_bad_lines(tmp_path):
    p = tmp_path / "batch.jsonl"
    lines = [
        json.dumps(
            {
                "id": "a1",
                "text": "Chile cut ties with Peru.",
                "published": "2024-02-15",
                "url": "https://x.example/1",
            }
        ),
        "{not json",
        json.dumps(["a", "list"]),
        json.dumps({"id": "a2", "html": HTML}),
        json.dumps({"id": "a3"}),
        json.dumps({"id": "a4", "text": "   "}),
        json.dumps({"id": "a5", "text": "Peru recalled its ambassador.", "published": "15/02/2024"}),
        "",
    ]
    p.write_text("\n".join(lines), encoding="utf-8")
    arts, errs = split(list(read_articles(p, published=date(2024, 1, 1))))
    assert [a.id for a in arts] == ["a1", "a2"]
    assert arts[0].published == date(2024, 2, 15) and arts[0].url == "https://x.example/1"
    assert arts[1].published == date(2024, 2, 14)
    assert [e.item for e in errs] == ["line 2", "line 3", "a3", "a4", "a5"]
    assert all(e.source_path == str(p) for e in errs)


def test_jsonl_gz_and_default_date(tmp_path):
    p = tmp_path / "batch.jsonl.gz"
    with gzip.open(p, "wt", encoding="utf-8") as fh:
        fh.write(json.dumps({"id": "g1", "text": "Chile cut ties with Peru."}) + "\n")
    (a,) = read_articles(p, published="2024-02-15")
    assert a.id == "g1" and a.published == date(2024, 2, 15)


def test_folder_reports_bad_files_and_goes_on(tmp_path):
    (tmp_path / "a.txt").write_text("Chile cut ties with Peru.", encoding="utf-8")
    (tmp_path / "b.bin").write_bytes(b"%PDF-1.4\n\x00\x01\x02binary")
    (tmp_path / "c.txt").write_bytes(b"")
    (tmp_path / ".hidden.txt").write_text("ignored", encoding="utf-8")
    sub = tmp_path / "more"
    sub.mkdir()
    (sub / "d.html").write_text(HTML, encoding="utf-8")
    arts, errs = split(list(read_articles(tmp_path)))
    assert sorted(a.id for a in arts) == ["a", "d"]
    assert sorted(e.source_path.rsplit("/", 1)[-1] for e in errs) == ["b.bin", "c.txt"]
    assert "binary" in errs[0].message or "binary" in errs[1].message


def test_stdin_text_and_jsonl():
    (a,) = read_articles("-", stdin=io.BytesIO(b"Chile cut ties with Peru."))
    assert a.id == "stdin"
    data = b'{"id": "s1", "text": "Chile cut ties."}\n{"id": "s2", "text": "Peru too."}\n'
    assert [x.id for x in read_articles("-", stdin=io.BytesIO(data))] == ["s1", "s2"]
    (err,) = read_articles("-", stdin=io.BytesIO(b""))
    assert isinstance(err, ReadError) and "empty" in err.message


def test_missing_path_and_empty_folder(tmp_path):
    (err,) = read_articles(tmp_path / "nope.txt")
    assert isinstance(err, ReadError) and "no such" in err.message
    empty = tmp_path / "empty"
    empty.mkdir()
    (err,) = read_articles(empty)
    assert isinstance(err, ReadError)


def test_too_large_is_refused(tmp_path, monkeypatch):
    monkeypatch.setattr(reader, "MAX_FILE_BYTES", 1000)
    p = tmp_path / "big.txt"
    p.write_text("word " * 1000, encoding="utf-8")
    (err,) = read_articles(p)
    assert isinstance(err, ReadError) and "too large" in err.message
    monkeypatch.setattr(reader, "MAX_CHARS", 100)
    (err,) = read_articles("-", stdin=io.BytesIO(b"x" * 500))
    assert isinstance(err, ReadError) and "too long" in err.message


def test_encodings():
    assert decode("Bogotá".encode()) == "Bogotá"
    assert decode("\ufeffBogotá".encode()) == "Bogotá"
    assert decode("Bogotá et Québec, déjà vu".encode("cp1252")) == "Bogotá et Québec, déjà vu"
    assert "Bogot" in decode(b"Bogot\xe1 \xff\xfe broken \xc3")
    assert fix_mojibake("Chile\u00e2\u20ac\u2122s ambassador") == "Chile\u2019s ambassador"
    assert decode("Chile’s ambassador".encode("utf-16")) == "Chile’s ambassador"


def test_read_text_sniffs_html():
    a = read_text(HTML, id="x", published="2024-02-01")
    assert "Chile cut diplomatic ties" in a.text and a.published == date(2024, 2, 14)
    with pytest.raises(ReadError):
        read_text("   ")


def test_url_date_is_a_fallback(tmp_path):
    p = tmp_path / "u.jsonl"
    p.write_text(
        json.dumps({"id": "u1", "text": "Chile cut ties.", "url": "https://n.example/2019/02/23/story"})
        + "\n"
    )
    (a,) = read_articles(p)
    assert a.published == date(2019, 2, 23)


def test_text_without_words_is_not_an_article(tmp_path):
    p = tmp_path / "noise.txt"
    p.write_text("§§§ 12345 !!! ### 678", encoding="utf-8")
    (err,) = read_articles(p)
    assert isinstance(err, ReadError) and "not an article" in err.message
    p.write_bytes(b"\xff\xfe\x00garbage")  # a UTF-16 mark on bytes that are not UTF-16 text
    (err,) = read_articles(p)
    assert isinstance(err, ReadError)
