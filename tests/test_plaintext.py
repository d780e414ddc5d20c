"""Tests for plain text → Markdown: headings, lists, code, trailers, escaping, dates."""

from __future__ import annotations

import csv
import re
import unicodedata
from dataclasses import dataclass
from datetime import UTC, datetime
from pathlib import Path

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st
from markdown_it import MarkdownIt

from heading_scores import Score, report, score_headings
from newsreader.ingest.plaintext import (
    TextDocument,
    escape_markdown,
    plain_text_to_document,
    strip_trailer,
    title_from_file_name,
)
from newsreader.ingest.plaintext.blocks import Kind
from newsreader.ingest.plaintext.detector import classify
from newsreader.ingest.plaintext.document import prepare
from prose_samples import LONG, LONG2

SHARED = Path(__file__).resolve().parents[1].parent / "shared"
CORPUS = SHARED / "corpus" / "plaintext"
SEED = SHARED / "fixtures" / "stored" / "trump-putin-budapest.txt"
RESULTS = Path(__file__).resolve().parents[1] / "bench" / "results" / "headings.txt"
MIN_F1 = 0.9


def _need(path: Path) -> Path:
    if not path.exists():
        pytest.skip(f"shared test data not found at {path} (expected ../shared beside the repo)")
    return path


def _unescape(markdown: str) -> str:
    """Markdown text with escapes and list/heading markers removed, whitespace collapsed."""
    text = re.sub(r"\\(.)", r"\1", markdown)
    text = re.sub(r"(?m)^(?:- |## )", "", text)
    return " ".join(text.split())


def _md() -> MarkdownIt:
    return MarkdownIt("commonmark").enable("table").enable("strikethrough")


def _rendered_headings(markdown: str) -> list[str]:
    """The text of the headings a Markdown renderer finds in ``markdown``."""
    tokens = _md().parse(markdown)
    return [
        "".join(child.content for child in tokens[i + 1].children or [])
        for i, token in enumerate(tokens)
        if token.type == "heading_open"
    ]


# --------------------------------------------------------------------------- corpus benchmark


@dataclass(frozen=True)
class Case:
    name: str
    title: str
    lines: list[str]  # the file's lines, without line ends
    headings: list[str]
    dont_care: frozenset[str]
    trailer_start: int | None  # 1-based line number


def _cases() -> list[Case]:
    manifest = _need(CORPUS / "MANIFEST.tsv")
    cases = []
    with manifest.open(encoding="utf-8", newline="") as handle:
        for row in csv.DictReader(handle, delimiter="\t"):
            stem = row["file"].removesuffix(".txt")
            text = (CORPUS / row["file"]).read_text(encoding="utf-8")
            expected = (CORPUS / f"{stem}.headings.txt").read_text(encoding="utf-8")
            extra = row["extra_h5_h6_lines"].strip()
            cases.append(
                Case(
                    name=stem,
                    title=row["title"],
                    lines=text.splitlines(),
                    headings=[line for line in expected.splitlines() if line.strip()],
                    dont_care=frozenset(p.strip() for p in extra.split(" | ") if p.strip()),
                    trailer_start=int(row["trailer_start_line"])
                    if row["trailer_start_line"].strip()
                    else None,
                )
            )
    return cases


def _saved(case: Case) -> str:
    return "\n".join(case.lines) + "\n"


def _pasted(case: Case) -> str:
    """As pasted from a browser: no title line, one newline between paragraphs."""
    return "\n".join(line for line in case.lines[1:] if line.strip()) + "\n"


def _body_lines(case: Case) -> list[str]:
    """Non-blank lines after the title and before the trailer."""
    end = case.trailer_start - 1 if case.trailer_start else len(case.lines)
    return [line for line in case.lines[2:end] if line.strip()]


def _trailer_lines(case: Case) -> list[str]:
    if case.trailer_start is None:
        return []
    return [line for line in case.lines[case.trailer_start - 1 :] if line.strip()]


def _score(case: Case, found: list[str]) -> tuple[Score, list[str], list[str]]:
    return score_headings(case.headings, case.dont_care, found)


SHAPES = {"saved": _saved, "pasted": _pasted}


def _benchmark() -> dict[str, tuple[Score, list[tuple[str, Score, list[str], list[str]]]]]:
    results = {}
    for shape, make in SHAPES.items():
        total = Score()
        rows = []
        for case in _cases():
            document = plain_text_to_document(make(case))
            score, wrong, missed = _score(case, document.headings)
            total.add(score)
            rows.append((case.name, score, wrong, missed))
        results[shape] = (total, rows)
    return results


def _report(results: dict[str, tuple[Score, list[tuple[str, Score, list[str], list[str]]]]]) -> str:
    return report(results)


def test_heading_detection_on_corpus() -> None:
    results = _benchmark()
    report = _report(results)
    print("\n" + report)
    RESULTS.parent.mkdir(parents=True, exist_ok=True)
    RESULTS.write_text(report, encoding="utf-8")
    for shape, (total, _rows) in results.items():
        assert total.f1 >= MIN_F1, f"{shape}: F1 {total.f1:.3f} < {MIN_F1}\n{report}"


@pytest.mark.parametrize("shape", list(SHAPES))
def test_corpus_trailer_dropped_and_body_kept(shape: str) -> None:
    for case in _cases():
        document = plain_text_to_document(SHAPES[shape](case))
        flat = _unescape(document.markdown)
        for line in _body_lines(case):
            assert " ".join(line.split()) in flat, f"{case.name} ({shape}) lost: {line!r}"
        for line in _trailer_lines(case):
            # Trailer lines that also occur in the body (a "Reply" link) prove nothing.
            if any(line in body for body in _body_lines(case)):
                continue
            assert " ".join(line.split()) not in flat, f"{case.name} ({shape}) kept: {line!r}"


def test_corpus_title_in_saved_shape() -> None:
    for case in _cases():
        document = plain_text_to_document(_saved(case))
        assert document.title == case.title, case.name
        assert case.title not in document.headings


def test_corpus_headings_render_as_markdown_headings() -> None:
    for case in _cases():
        document = plain_text_to_document(_saved(case))
        assert _rendered_headings(document.markdown) == document.headings, case.name


# --------------------------------------------------------------------------- the seed case


def test_seed_article() -> None:
    text = _need(SEED).read_text(encoding="utf-8")
    document = plain_text_to_document(text)
    assert document.title is None
    assert document.headings == [
        "Context of the Trump-Putin Talks",
        "Escalating Violence in Ukraine",
        "The Tomahawk Missile Debate",
        "Strategic Implications and Diplomatic Pressure",
    ]
    for heading in document.headings:
        assert f"\n## {heading}\n" in document.markdown
    flat = _unescape(document.markdown)
    paragraphs = [line.strip() for line in text.splitlines() if line.strip()]
    assert paragraphs[-1] == "Leave a Reply"
    for paragraph in paragraphs[:-1]:
        assert paragraph in flat
    assert "Leave a Reply" not in document.markdown
    assert not document.markdown.startswith("\n")


def test_seed_article_as_a_file_takes_its_title_from_the_file_name() -> None:
    text = _need(SEED).read_text(encoding="utf-8")
    document = plain_text_to_document(text, file_name=SEED.name)
    assert document.title == "Trump Putin Budapest"
    assert document.headings == plain_text_to_document(text).headings
    first = next(line.strip() for line in text.splitlines() if line.strip())
    assert _unescape(document.markdown).count(first) == 1


@pytest.mark.parametrize(
    ("name", "title"),
    [
        ("trump-putin-budapest.txt", "Trump Putin Budapest"),
        ("my_iPhone-review.txt", "My iPhone Review"),
        ("NASA-report-v2.1.txt", "NASA Report V2.1"),
        ("notes", "Notes"),
    ],
)
def test_title_from_file_name(name: str, title: str) -> None:
    assert title_from_file_name(name) == title


def test_file_title_line_or_opening_heading_wins_over_the_file_name() -> None:
    saved = doc("The Real Title", LONG, "A Section", LONG2)
    assert plain_text_to_document("The Real Title\n\n" + LONG, file_name="x.txt").title == (
        "The Real Title"
    )
    assert saved.title == "The Real Title"
    pasted = plain_text_to_document(f"A Pasted Title\n{LONG}\n{LONG2}\n", file_name="x-y.txt")
    assert pasted.title == "A Pasted Title"
    assert "A Pasted Title" not in pasted.markdown and pasted.headings == []


@pytest.mark.parametrize("sep", ["\n\n", "\n"])
@pytest.mark.parametrize(
    "credit",
    [
        "Photograph: Agency",
        "Illustration by Jane Doe",
        "Image credit: Example Agency",
        "(Artist: Jane Doe)",
        "Benoit Tessier/Reuters",
        "View PDF/Print Mode",
        "Gallery: Spring in the city | 14 photos",
        "Contributing correspondent",
    ],
)
def test_credits_and_captions_are_not_headings(credit: str, sep: str) -> None:
    d = doc(LONG, credit, LONG2, "A Section Heading", LONG, sep=sep)
    assert d.headings == ["A Section Heading"]
    assert escape_markdown(credit) in d.markdown


@pytest.mark.parametrize("sep", ["\n\n", "\n"])
def test_numbered_sections_that_count_on_are_headings(sep: str) -> None:
    sections = ["1) The first one!", "2) Friday Night Live!", "3) Is it worth the wait?"]
    d = doc(LONG, sections[0], LONG2, sections[1], LONG, sections[2], LONG2, sep=sep)
    assert d.headings == sections
    long_one = "2. AI speeds up developer onboarding — but not for long"
    d = doc(LONG, long_one, LONG2, "3. Reviews get slower", LONG, sep=sep)
    assert d.headings == [long_one, "3. Reviews get slower"]


@pytest.mark.parametrize("sep", ["\n\n", "\n"])
def test_step_labels_over_short_instructions_are_headings(sep: str) -> None:
    # A label and its number mark a heading whatever the short lines under it look like.
    d = doc(
        LONG,
        "Step 1: Install",
        "Download the package.",
        "Step 2: Configure",
        "Edit the file.",
        LONG2,
        sep=sep,
    )
    assert d.headings == ["Step 1: Install", "Step 2: Configure"]


@pytest.mark.parametrize("sep", ["\n\n", "\n"])
def test_comment_headers_over_short_comments_are_headings(sep: str) -> None:
    first = "Jane Smith wrote on March 3, 2021 at 4:05 pm:"
    second = "Bob Jones wrote on March 4, 2021 at 9:10 am:"
    d = doc(
        LONG,
        LONG2,
        first,
        "Great post, thanks.",
        "Reply",
        second,
        "I disagree with the second point.",
        "Reply",
        sep=sep,
    )
    assert d.headings == [first, second]
    assert "Great post, thanks." in d.markdown


@pytest.mark.parametrize("sep", ["\n\n", "\n"])
def test_a_heading_opening_the_text_is_known_by_its_siblings(sep: str) -> None:
    # The first line has nothing before it; the lines that look like it and stand alone
    # before prose are headings, so it is one too.
    sections = ["Specifics:", "Pricing:", "Availability:", "Final thoughts:"]
    d = doc(sections[0], LONG, sections[1], LONG2, sections[2], LONG, sections[3], LONG2, sep=sep)
    assert d.headings == sections


def test_page_furniture_over_a_table_is_not_a_heading_in_pasted_text() -> None:
    # The rules take the line for a heading; its features (a date, an inner separator, a
    # table after it) say otherwise strongly enough.
    line = "Copyright Example Media - Updated November 11th, 2017 @ 9:18 am"
    table = "Product\t\tPrice\t\tLink\nSpeed Sensor\t\t$40\t\tLink"
    d = doc(LONG, line, table, LONG2, sep="\n")
    assert d.headings == []
    assert line in d.markdown


@pytest.mark.parametrize("sep", ["\n\n", "\n"])
def test_a_step_label_counted_through_the_text_is_a_heading_after_a_colon(sep: str) -> None:
    # A line after one ending with ":" is what that line introduces, unless its label and
    # number count on from another heading's ("Step 1", "Step 2").
    d = doc(
        LONG,
        "Step 1: Configuring access",
        "Now copy the key into the site.",
        "Set the username and email of the account:",
        "Step 2: Remote development",
        LONG2,
        sep=sep,
    )
    assert d.headings == ["Step 1: Configuring access", "Step 2: Remote development"]


@pytest.mark.parametrize("sep", ["\n\n", "\n"])
def test_a_sentence_ending_with_a_colon_is_a_heading_only_when_the_rules_take_it(sep: str) -> None:
    # Weights that take every candidate for a heading: the lead-in sentence still is not
    # one (it introduces the quotation), the Title Case line is.
    lead_in = "Here is how Feldman continued:"
    quotation = (
        "Then one day, Steve came storming into my office in his usual way, saying basically "
        "that he had wasted a morning."
    )
    units = prepare(sep.join([LONG, lead_in, quotation, "What Make Changed", LONG2]))[1]
    classify(units, weights={"bias": 5.0})
    headings = [unit.text for unit in units if unit.kind is Kind.HEADING]
    assert headings == ["What Make Changed"]


@pytest.mark.parametrize("sep", ["\n\n", "\n"])
def test_a_lone_numbered_exclamation_is_not_a_heading(sep: str) -> None:
    d = doc(LONG, "1) Stop right there!", LONG2, sep=sep)
    assert d.headings == []


# --------------------------------------------------------------------------- unit cases


def doc(*lines: str, sep: str = "\n\n") -> TextDocument:
    return plain_text_to_document(sep.join(lines))


@pytest.mark.parametrize("sep", ["\n\n", "\n"])
def test_heading_between_paragraphs(sep: str) -> None:
    d = doc(LONG, "A Section Heading", LONG2, sep=sep)
    assert d.headings == ["A Section Heading"]
    assert d.markdown == f"{escape_markdown(LONG)}\n\n## A Section Heading\n\n{LONG2}"


@pytest.mark.parametrize("sep", ["\n\n", "\n"])
def test_list_of_short_lines_is_not_headings(sep: str) -> None:
    d = doc(LONG, "Apples and pears\nOranges\nFresh bread\nCheese", LONG2, sep=sep)
    assert d.headings == []
    assert "- Apples and pears\n- Oranges\n- Fresh bread\n- Cheese" in d.markdown


def test_bulleted_lines_are_list_items() -> None:
    d = doc(LONG, "• First thing\n- Second thing\n* Third thing\n1. Fourth thing", LONG2)
    assert d.headings == []
    assert "- First thing\n- Second thing\n- Third thing\n- 1\\. Fourth thing" in d.markdown


@pytest.mark.parametrize("sep", ["\n\n", "\n"])
def test_heading_then_list(sep: str) -> None:
    d = doc(
        LONG,
        "Things You Will Need\nflour and a good deal of water\nsalt from the sea\nan oven",
        LONG2,
        sep=sep,
    )
    assert d.headings == ["Things You Will Need"]
    assert "## Things You Will Need\n\n- flour" in d.markdown


def test_heading_then_bulleted_list() -> None:
    d = doc(LONG, "Ingredients", "- flour\n- water\n- salt", LONG2)
    assert d.headings == ["Ingredients"]
    assert "## Ingredients\n\n- flour\n- water\n- salt" in d.markdown


@pytest.mark.parametrize(
    "line",
    [
        "“Nobody saw it coming”",
        '"We will not back down"',
        "« Nous ne reculerons pas »",
        "‘Quite remarkable’ indeed",
    ],
)
def test_short_quoted_lines_are_not_headings(line: str) -> None:
    assert doc(LONG, line, LONG2).headings == ([] if not line.endswith("indeed") else [line])


def test_quote_opening_a_heading_that_goes_on() -> None:
    assert doc(LONG, "'A-ha' moment similar to making a decision", LONG2).headings == [
        "'A-ha' moment similar to making a decision"
    ]


@pytest.mark.parametrize(
    "line",
    [
        "This short line ends with a period.",
        "The results were as follows:",
        "What a day it was!",
        "Short, clipped, listed",
        "and it ends in lower case",
        "It continues on the next line with the",
    ],
)
def test_lines_that_are_not_headings(line: str) -> None:
    assert doc(LONG, line, LONG2).headings == []


def test_question_heading() -> None:
    assert doc(LONG, "So what's next?", LONG2).headings == ["So what's next?"]


def test_line_after_a_colon_is_not_a_heading() -> None:
    intro = "Here is a block diagram showing all the parts you get in the device:"
    assert doc(intro, "Block diagram from the datasheet", LONG2).headings == []


def test_numbered_heading_alone_between_paragraphs() -> None:
    d = doc(LONG, "1. Introduction", LONG2, "2. Method", LONG)
    assert d.headings == ["1. Introduction", "2. Method"]
    assert "## 1\\. Introduction" in d.markdown


def test_numbered_lines_together_are_a_list() -> None:
    d = doc(LONG, "1. Introduction\n2. Method\n3. Results", LONG2)
    assert d.headings == []
    assert "- 1\\. Introduction\n- 2\\. Method\n- 3\\. Results" in d.markdown


def test_all_caps_heading() -> None:
    assert doc(LONG, "BREAKING NEWS FROM THE FRONT", LONG2).headings == [
        "BREAKING NEWS FROM THE FRONT"
    ]


def test_title_and_date() -> None:
    d = plain_text_to_document(
        f"The Big Story\n\nNovember 24, 2026\n\n{LONG}\n\nA Heading\n\n{LONG2}"
    )
    assert d.title == "The Big Story"
    assert d.published == datetime(2026, 11, 24, tzinfo=UTC)
    assert d.headings == ["A Heading"]
    assert "## November" not in d.markdown


@pytest.mark.parametrize(
    ("line", "expected"),
    [
        ("2026-11-24", datetime(2026, 11, 24, tzinfo=UTC)),
        ("Published: 24 November 2026", datetime(2026, 11, 24, tzinfo=UTC)),
        ("Publié le 24 novembre 2026 à 10h30", datetime(2026, 11, 24, tzinfo=UTC)),
        ("Updated 2026-11-24T10:30:00+02:00", datetime(2026, 11, 24, 8, 30, tzinfo=UTC)),
        ("Mon, Nov. 24, 2026", datetime(2026, 11, 24, tzinfo=UTC)),
    ],
)
def test_published_dates(line: str, expected: datetime) -> None:
    d = plain_text_to_document(f"Title\n\n{line}\n\n{LONG}")
    assert d.published == expected
    assert d.published is not None and d.published.tzinfo is not None


def test_no_date() -> None:
    assert plain_text_to_document(LONG).published is None
    assert plain_text_to_document(f"{LONG}\n\nFebruary 30, 2026").published is None


def test_crlf_same_as_lf() -> None:
    text = f"The Title\n\n{LONG}\n\nA Heading\n\n{LONG2}\n\nLeave a Reply\n\nName *\n"
    assert plain_text_to_document(text.replace("\n", "\r\n")) == plain_text_to_document(text)
    assert "\r" not in plain_text_to_document(text.replace("\n", "\r\n")).markdown


def test_empty_and_blank() -> None:
    for text in ["", "\n", "   \n\t\n", "\x1b[2J"]:
        d = plain_text_to_document(text)
        assert d == TextDocument(title=None, markdown="", headings=[], published=None)


def test_no_title() -> None:
    d = plain_text_to_document(f"{LONG}\n\nA Heading\n\n{LONG2}")
    assert d.title is None
    assert d.headings == ["A Heading"]


def test_french_text() -> None:
    text = (
        "Le gouvernement face à la crise\n\n"
        "Le Premier ministre a présenté mardi un plan d’économies de plusieurs milliards "
        "d’euros, suscitant de vives critiques dans l’opposition comme dans la majorité.\n\n"
        "Une réforme contestée\n\n"
        "Les syndicats dénoncent « une attaque sans précédent » et appellent à manifester "
        "jeudi dans toutes les grandes villes du pays.\n\n"
        "« Nous ne céderons pas »\n\n"
        "Le ministre de l’Économie a rappelé que la dette publique dépassait désormais "
        "trois mille milliards d’euros.\n\n"
        "Partager cet article\n\nLaisser un commentaire\n"
    )
    d = plain_text_to_document(text)
    assert d.title == "Le gouvernement face à la crise"
    assert d.headings == ["Une réforme contestée"]
    assert "Partager" not in d.markdown
    assert "trois mille milliards" in d.markdown


# --------------------------------------------------------------------------- trailers


@pytest.mark.parametrize(
    "trailer",
    [
        "Leave a Reply\nCancel reply\nYour email address will not be published.\nName *",
        "Share this\nFacebook\nTwitter",
        "Share this article",
        "Related posts\nSomething else entirely that is long enough to be a paragraph here.",
        "Related coverage",
        "Post a comment",
        "2192 Shares / Share / Tweet",
        "Sign up for our daily newsletter\nEnter your email",
        "You must be logged in to post a comment.",
        "Posted by Jane Doe at 12:55 AM\nLabels: news, world\nNo comments:\nPost a Comment",
    ],
)
@pytest.mark.parametrize("sep", ["\n\n", "\n"])
def test_trailers_dropped(trailer: str, sep: str) -> None:
    text = sep.join([LONG, "A Heading", LONG2, *trailer.split("\n")])
    d = plain_text_to_document(text)
    assert d.markdown.endswith(LONG2)
    assert d.headings == ["A Heading"]


def test_trailer_marker_near_the_top_is_kept() -> None:
    text = "\n\n".join([LONG, "Related coverage", LONG2, LONG, LONG2, LONG, LONG2])
    assert "Related coverage" in plain_text_to_document(text).markdown


def test_strip_trailer_lines() -> None:
    lines = [LONG, "", LONG2, "", "Reply", "", "Leave a Reply", "", "Name *", ""]
    assert strip_trailer(lines) == [LONG, "", LONG2]
    assert strip_trailer([]) == []
    assert strip_trailer([LONG, LONG2]) == [LONG, LONG2]


# --------------------------------------------------------------------------- escaping, code


@pytest.mark.parametrize(
    "line",
    [
        "# not a heading but a hash sign at the start of a line of text",
        "1. this line only looks like a numbered list item in the middle",
        "- and this one looks like a bullet, but it is text of a paragraph",
        "Some *stars* and _underscores_ and `ticks` and [brackets](http://x) <b>tag</b>",
        "> not a quotation, just a greater-than sign starting the line",
        "A line with &amp; an entity and a ~~strike~~ that must stay literal.",
        "===",
        "---",
    ],
)
def test_markdown_characters_shown_literally(line: str) -> None:
    d = doc(LONG, line, LONG2)
    tokens = _md().parse(d.markdown)
    allowed = {"paragraph_open", "paragraph_close", "inline"}
    allowed |= {"bullet_list_open", "bullet_list_close", "list_item_open", "list_item_close"}
    assert {t.type for t in tokens} <= allowed
    inline = [t for t in tokens if t.type == "inline"][1]
    assert all(child.type == "text" for child in inline.children or [])
    shown = "".join(child.content for child in inline.children or [])
    # Bulleted lines become list items: the bullet is the list's, the rest is literal.
    assert shown in (line, line.removeprefix("- "))


def test_escape_keeps_plain_text_plain() -> None:
    assert escape_markdown("Plain words, nothing special: 3.5% & more.") == (
        "Plain words, nothing special: 3.5% & more."
    )


def test_code_block_preserved() -> None:
    code = 'fetch("/data.json").then(function(res) {\n  console.log(res);\n});'
    for sep in ["\n\n", "\n"]:
        d = doc(LONG, code, LONG2, sep=sep)
        assert f"```text\n{code}\n```" in d.markdown
        assert d.headings == []


def test_code_block_with_backticks_gets_longer_fence() -> None:
    code = "  echo ```\n  ls -l"
    d = doc(LONG, code, LONG2)
    assert "````text\n" in d.markdown


def test_tab_separated_rows() -> None:
    d = doc(LONG, "Name\tAge\nAlice\t30\nBob\t41", LONG2)
    assert d.headings == []
    assert "Alice   30" in d.markdown


def test_hard_wrapped_sentence_joined() -> None:
    d = doc(
        "The fetch function's arguments are the same as those passed to the\n"
        "constructor, so you may pass arbitrarily complex requests.",
        LONG2,
    )
    assert d.markdown.startswith(
        "The fetch function's arguments are the same as those passed to the constructor, so you may"
    )


# --------------------------------------------------------------------------- robustness


def test_control_characters_removed() -> None:
    d = doc("\x1b]0;pwned\x07The Title", LONG + "\x1b[2J", "Heading\x9b31m", LONG2)
    assert "\x1b" not in d.markdown and "\x9b" not in d.markdown
    assert d.headings == ["Heading"]


def test_huge_text_keeps_its_structure() -> None:
    # Its speed is measured by bench/text_speed.py and bench/headings_speed.py.
    block = "\n".join(
        [LONG, "A Section Heading", "first item here\nsecond item\nthird", LONG2, "code();"]
    )
    copies = 1_000_000 // (len(block) + 1) + 1
    text = (block + "\n") * copies
    assert len(text) >= 1_000_000
    d = plain_text_to_document(text)
    assert len(d.headings) > 1000
    assert d.markdown.count(LONG2[:40]) == copies
    one_line = "word " * 200_000
    assert plain_text_to_document(one_line).markdown.count("word") == 200_000


def _control_free(text: str) -> bool:
    return not any(
        (unicodedata.category(c) == "Cc" and c not in "\n\t") or c in "\u202e\u200b" for c in text
    )


TEXTS = st.text(
    alphabet=st.one_of(
        st.characters(codec="utf-8"),
        st.sampled_from(list("\n\n\n\r\t #*-_`[]<>•“”1.:!?")),
    ),
    max_size=400,
)
LINES = st.lists(
    st.one_of(
        st.just(""),
        st.just(LONG),
        st.text(alphabet="abcdefgh ABCDEFGH.,:!?-*#•“\"'1", min_size=1, max_size=60),
    ),
    max_size=25,
).map("\n".join)


@given(st.one_of(TEXTS, LINES))
@settings(max_examples=300, deadline=None)
def test_property_no_crash_no_control_characters(text: str) -> None:
    d = plain_text_to_document(text)
    assert _control_free(d.markdown)
    assert all(_control_free(h) and "\n" not in h for h in d.headings)
    assert d.title is None or (d.title and "\n" not in d.title and _control_free(d.title))
    assert d.published is None or d.published.tzinfo is not None
    assert not d.markdown.startswith(("\n", " ")) and not d.markdown.endswith("\n")


@given(st.one_of(TEXTS, LINES))
@settings(max_examples=300, deadline=None)
def test_property_line_ends_do_not_matter(text: str) -> None:
    text = text.replace("\r", "")  # a lone CR is itself a line end
    assert plain_text_to_document(text.replace("\n", "\r\n")) == plain_text_to_document(text)


@given(LINES)
@settings(max_examples=300, deadline=None)
def test_property_headings_render_as_headings_and_nothing_is_invented(text: str) -> None:
    d = plain_text_to_document(text)
    assert _rendered_headings(d.markdown) == d.headings
    # Every word of the output comes from the input (markup aside).
    source_words = set(re.findall(r"\w+", text))
    output_words = set(re.findall(r"\w+", _unescape(d.markdown))) - {"text"}
    assert output_words <= source_words
    # Headings are lines of the input.
    source_lines = {" ".join(line.split()) for line in text.splitlines()}
    assert all(h in source_lines for h in d.headings)


# --------------------------------------------------------------------------- general rules


@pytest.mark.parametrize("sep", ["\n\n", "\n"])
def test_table_of_contents_gives_the_headings(sep: str) -> None:
    contents = "Getting Started\nGoing Further\nWrapping Up"
    d = doc(
        "Contents",
        contents,
        LONG,
        "Getting Started¶",
        LONG2,
        "Going Further¶",
        LONG,
        "Wrapping Up¶",
        LONG2,
        sep=sep,
    )
    assert d.headings == ["Getting Started¶", "Going Further¶", "Wrapping Up¶"]
    assert "- Getting Started\n- Going Further\n- Wrapping Up" in d.markdown


@pytest.mark.parametrize("sep", ["\n\n", "\n"])
def test_numbered_table_of_contents_gives_the_headings(sep: str) -> None:
    """Entries numbered as sections ("1.1 pdf.js") still name the unnumbered headings,
    which are found even where the lines alone do not show them."""
    contents = "1 Products\n1.1 pdf.js\n1.2 Rust\n2 See also"
    d = doc(
        LONG,
        "Contents",
        contents,
        "Products",
        LONG2,
        "pdf.js",
        LONG,
        "Rust",
        LONG2,
        "See also",
        "Mozilla (mascot)\nTimeline of web browsers",
        sep=sep,
    )
    assert d.headings == ["Products", "pdf.js", "Rust", "See also"]
    assert "- 1 Products\n- 1\\.1 pdf.js\n- 1\\.2 Rust\n- 2 See also" in d.markdown


@pytest.mark.parametrize(
    "line",
    [
        "When",
        "4.3333333333333333",
        "Comments (5 posted)",
        "Page editor: Jane Doe",
        "[figure 3: the parts of the device]",
        "# note: see https://example.org/issue/48",
    ],
)
def test_more_lines_that_are_not_headings(line: str) -> None:
    assert doc(LONG, line, LONG2).headings == []


@pytest.mark.parametrize("sep", ["\n\n", "\n"])
def test_sql_keyword_line_opens_the_code_block(sep: str) -> None:
    code = "SELECT\n   avg(n) AS mean\nFROM\n   unnest(array[2, 3, 5]) AS n;"
    d = doc(LONG, code, LONG2, sep=sep)
    assert d.headings == []
    assert f"```text\n{code}\n```" in d.markdown


def test_headings_that_share_a_closing_colon_in_saved_text() -> None:
    """A text whose section headings all end with ":" (a site's style): the siblings agree,
    so they are headings, which the line alone would not show."""
    sections = ["The Basics:", "Sport Usage:", "Heart Rate Accuracy:", "Summary:"]
    d = doc(
        LONG, sections[0], LONG2, LONG, sections[1], LONG2, sections[2], LONG, sections[3], LONG2
    )
    assert d.headings == sections


def test_a_lone_sentence_ending_with_a_colon_is_not_a_heading() -> None:
    d = doc(LONG, "Consider again our original example:", LONG2)
    assert d.headings == []


@pytest.mark.parametrize("sep", ["\n\n", "\n"])
def test_a_label_and_number_closed_by_a_period_open_a_heading(sep: str) -> None:
    """ "Algorithm 2. Upgrade ...": the period after the number ends no sentence."""
    d = doc(LONG, "Algorithm 2. Upgrade All Modules", LONG2, sep=sep)
    assert d.headings == ["Algorithm 2. Upgrade All Modules"]


@pytest.mark.parametrize("line", ["^ Persona, Mozilla", "† Died in office"])
def test_note_back_references_are_not_headings(line: str) -> None:
    assert doc(LONG, line, LONG2).headings == []


@pytest.mark.parametrize("line", ["– Apnea Hunt", "— Bobbie & Ray", "—Jane Doe"])
def test_lines_led_by_a_dash_are_not_headings(line: str) -> None:
    d = doc(LONG, line, LONG2)
    assert d.headings == []
    assert line in d.markdown


def test_saved_text_with_long_lists_is_still_blank_separated() -> None:
    """A saved article whose lists and tables (lines without blank lines between them)
    outnumber its paragraphs is still told from pasted text, which has no blank lines."""
    from newsreader.ingest.plaintext.document import prepare
    from newsreader.ingest.plaintext.headings import is_blank_separated

    items = "\n".join(f"Item number {k}" for k in range(20))
    saved = "\n\n".join(["Title", LONG, "A Section", LONG2, items, LONG])
    pasted = "\n".join(saved.splitlines()[1:]).replace("\n\n", "\n")
    assert is_blank_separated(prepare(saved)[1])
    assert not is_blank_separated(prepare(pasted)[1])


def test_title_over_label_and_value_lines_is_a_heading_in_pasted_text() -> None:
    """A box of "Label: value" lines under a line without a label: the line is its title."""
    box = "Crunchbase\nACME\nCompany: Acme\nWebsite: acme.example\nFounded: 1990"
    d = doc(LONG, LONG2, box, sep="\n")
    assert d.headings == ["Crunchbase"]
    assert "- Company: Acme" in d.markdown


@pytest.mark.parametrize("sep", ["\n\n", "\n"])
@pytest.mark.parametrize("line", ["Image", "Advertisement", "Reblog", "Pin it", "Learn more"])
def test_page_furniture_words_are_not_headings(line: str, sep: str) -> None:
    d = doc(LONG, line, LONG2, sep=sep)
    assert d.headings == []
    assert line in d.markdown


@pytest.mark.parametrize(
    "line", ["/Users/me/src/example.org/quote", "example.org/quote", "<!-- Load when visible -->"]
)
def test_paths_and_markup_alone_are_not_headings(line: str) -> None:
    assert doc(LONG, line, LONG2, sep="\n").headings == []


def test_words_joined_by_a_slash_may_be_a_heading() -> None:
    assert doc(LONG, "Introductions/Shout-Outs", LONG2).headings == ["Introductions/Shout-Outs"]


def test_a_closing_parenthesis_alone_is_not_a_mark_of_code() -> None:
    from newsreader.ingest.plaintext.line_features import line_features

    assert "code_marks" not in line_features("Resolved bugs (excluding employees)")
    assert "code_marks" not in line_features("The release plan (kovarex)")
    assert "code_marks" in line_features("main()")
    assert "code_marks" in line_features("print(value)")
