"""The source-quote comment format shared by `draft` (writer) and its readers."""

from __future__ import annotations

from hypothesis import given
from hypothesis import strategies as st

from checker.sourcequotes import SourceQuote, parse, quotes_by_line


def test_quotes_belong_to_the_value_above() -> None:
    text = (
        "breach:\n"
        "  notify_district_within_hours: 72\n"
        '  # source: ndpa.pdf, p. 4, ¶ 7.2: "notify the LEA within seventy-two (72) hours"\n'
        '  # source: terms.docx, ¶ 12: "without unreasonable delay"\n'
        "  # REVIEW: the documents disagree\n"
        "  notify_parents: true\n"
        "# a plain comment\n"
    )
    quotes = quotes_by_line(text)
    assert list(quotes) == [2]
    assert [q.file for q in quotes[2]] == ["ndpa.pdf", "terms.docx"]
    assert quotes[2][0].location == "p. 4, ¶ 7.2"
    assert quotes[2][1].quote == "without unreasonable delay"


def test_a_quote_under_a_section_header_has_no_owner() -> None:
    assert quotes_by_line('breach:\n  # source: a.pdf, p. 1: "x"\n') == {}


def test_not_a_source_comment() -> None:
    assert parse("# sources: a, b") is None
    assert parse("key: 1") is None


@given(
    st.text(st.characters(blacklist_categories=("Cs", "Cc", "Zl", "Zp")), min_size=1).filter(
        lambda s: "," not in s and s.strip() == s and s
    ),
    st.text(st.characters(blacklist_categories=("Cs", "Cc", "Zl", "Zp")), min_size=1).filter(
        lambda s: s.strip() == s and s and not s.endswith(":")
    ),
    st.text(st.characters(blacklist_categories=("Cs", "Cc", "Zl", "Zp")), min_size=1),
)
def test_written_comments_read_back(file: str, where: str, quote: str) -> None:
    q = SourceQuote(file, where, quote)
    back = parse(q.comment("  "))
    assert back is not None
    assert back.file == file
    assert back.quote == " ".join(quote.split()).replace('"', "'")
