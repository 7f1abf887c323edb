"""Text clean-up shared by the sources."""

from __future__ import annotations

from engage.sources.base import clean_text, from_timestamp, html_to_text


def test_clean_text_keeps_text_storable() -> None:
    assert clean_text("a\x00b\x07c\td\ne") == "abc\td\ne"
    assert clean_text("lone \ud83d surrogate") == "lone \ufffd surrogate"
    assert clean_text("e\u0301 \u202eRTL\u202c 😟") == "e\u0301 \u202eRTL\u202c 😟"
    assert clean_text(None) == "" and clean_text(42) == ""
    assert len(clean_text("x" * 100_000)) == 60_000


def test_html_to_text() -> None:
    html = (
        "<div><p>Fish &amp; chips&nbsp;&mdash; &#x1F41F;</p><script>bad()</script>"
        "<ul><li>one</li><li>two</li></ul><p>  spaced   out </p></div>"
    )
    assert html_to_text(html) == "Fish & chips\xa0— 🐟\n\none\n\ntwo\n\nspaced out"
    assert html_to_text("a <b>tag</b>, 1 < 2 <unclosed") == "a tag, 1 < 2 <unclosed"


def test_from_timestamp() -> None:
    assert from_timestamp(1456821458.0) is not None
    assert from_timestamp("1456821458") == from_timestamp(1456821458)
    assert from_timestamp(None) is None and from_timestamp("soon") is None
    assert from_timestamp(1e20) is None
