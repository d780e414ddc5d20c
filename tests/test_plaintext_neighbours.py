"""Plain-text headings told by the lines around them: bylines, tables, addresses, embedded
posts, and headings that end with an ellipsis."""

from __future__ import annotations

import pytest

from newsreader.ingest.plaintext import TextDocument, plain_text_to_document
from newsreader.ingest.plaintext.lines import is_title_like
from prose_samples import LONG, LONG2

SHAPES = ["\n\n", "\n"]


def doc(*lines: str, sep: str = "\n\n") -> TextDocument:
    return plain_text_to_document(sep.join(lines))


@pytest.mark.parametrize("sep", SHAPES)
def test_a_title_over_a_byline_is_a_heading(sep: str) -> None:
    """The stories of a weekly edition: each title stands over "By <name>" and a date."""
    d = doc(
        LONG,
        "Comments (5 posted)",
        "Mapping and data mining with QGIS 2.8",
        "By Nathan Willis",
        "March 25, 2015",
        LONG2,
        sep=sep,
    )
    assert d.headings == ["Mapping and data mining with QGIS 2.8"]
    assert "By Nathan Willis" in d.markdown


@pytest.mark.parametrize(
    "below", ["Photo by Nathan Willis", "By the time we came back, it was already dark."]
)
def test_a_credit_or_a_sentence_below_a_line_is_no_byline(below: str) -> None:
    """ "Photo by <name>" credits a picture, and a sentence may start with "By": neither
    makes a story's title of the line above it."""
    d = doc(LONG, "Comments (5 posted)", "Mapping and data mining with QGIS 2.8", below, LONG2)
    assert d.headings == []


@pytest.mark.parametrize("sep", SHAPES)
def test_a_line_over_a_table_is_not_a_heading(sep: str) -> None:
    """A table's caption or its header row spanning the columns sits right over its rows."""
    table = "Most active developers\nAlice Example\t63\t16.6%\nBob Example\t56\t14.7%"
    d = doc(LONG, table, LONG2, sep=sep)
    assert d.headings == []
    assert "Most active developers" in d.markdown


def test_a_heading_set_apart_from_a_table_by_prose_is_kept() -> None:
    d = doc(LONG, "Release Histories", LONG2, "Release\tDate\n4.2.3\tApril 2014", LONG)
    assert d.headings == ["Release Histories"]


@pytest.mark.parametrize("sep", SHAPES)
def test_a_line_over_a_list_of_addresses_names_it(sep: str) -> None:
    links = "\n".join(
        [
            "Sources & links",
            "https://nodejs.org/api/inspector.html",
            "https://chromedevtools.github.io/devtools-protocol/v8",
            "https://www.npmjs.com/package/inspector-api",
            "https://example.org/a/b",
        ]
    )
    d = doc(LONG, LONG2, links, sep=sep)
    assert d.headings == ["Sources & links"]
    assert "- https://example.org/a/b" in d.markdown


@pytest.mark.parametrize("sep", SHAPES)
def test_an_embedded_post_is_not_made_of_headings(sep: str) -> None:
    """An embedded tweet: its author's name, handle and posting time stand alone."""
    post = [
        "Follow @Scobleizer",
        "Robert Scoble",
        "The app is really a piece of crud. Not worth loading. Very disappointed today.",
        "47 minutes ago via Twitter for Mac",
    ]
    d = doc(LONG, *post, LONG2, sep=sep)
    assert d.headings == []
    assert all(line in d.markdown for line in ("Robert Scoble", "Scobleizer", "47 minutes ago"))


@pytest.mark.parametrize("line", ["Follow @nytimes", "@jane_doe", "3 hours ago", "45 minutes ago"])
def test_handles_and_posting_times_are_not_title_like(line: str) -> None:
    assert not is_title_like(line)


@pytest.mark.parametrize("line", ["Ten Years Ago", "Mail me at jane@example.org"])
def test_lines_like_posting_times_or_handles_may_still_be_title_like(line: str) -> None:
    assert is_title_like(line)


@pytest.mark.parametrize("sep", SHAPES)
@pytest.mark.parametrize(
    "line", ["And what comes next...", "Sieben Event-Typen auf einen Streich…"]
)
def test_a_heading_may_end_with_an_ellipsis(line: str, sep: str) -> None:
    assert doc(LONG, line, LONG2, sep=sep).headings == [line]


@pytest.mark.parametrize(
    "line", ["Uh…", "Finally...", "and lots more…", "I was sure. Then it broke...", "Wait...."]
)
def test_lines_ending_with_an_ellipsis_that_are_not_titles(line: str) -> None:
    assert not is_title_like(line)


@pytest.mark.parametrize("sep", SHAPES)
def test_lines_made_from_one_template_are_not_headings(sep: str) -> None:
    """Captions that share their first words ("MDN definition of <b>", ...) label what
    follows them; the headings of one text name different things."""
    tags = ["<strong>", "<b>", "<em>", "<i>"]
    lines = [part for tag in tags for part in (f"MDN definition of {tag}", LONG)]
    d = doc(LONG2, *lines, sep=sep)
    assert d.headings == []


@pytest.mark.parametrize("sep", SHAPES)
def test_numbered_steps_from_one_template_stay_headings(sep: str) -> None:
    steps = ["Step 1: Install the Tools", "Step 2: Write the Code", "Step 3: Run the Tests"]
    d = doc(LONG2, *[part for step in steps for part in (step, LONG)], sep=sep)
    assert d.headings == steps


def test_the_last_field_of_a_box_is_not_its_heading() -> None:
    """ "Company: Nokia", "Website: nokia.com", "IPO: NYSE:NOK", then prose: the last field
    is one of the box's fields, not a heading over the prose."""
    box = "Crunchbase\nNOKIA\nCompany: Nokia\nWebsite: nokia.com\nIPO: NYSE:NOK"
    d = doc(LONG, LONG2, box, LONG, sep="\n")
    assert "IPO: NYSE:NOK" not in d.headings
    assert "IPO: NYSE:NOK" in d.markdown


@pytest.mark.parametrize(
    "line", ["Related Posts: Sea Otter 2017 Roundup", "Relevant posts: A Look at Power Meters"]
)
def test_a_link_to_related_posts_is_furniture(line: str) -> None:
    assert not is_title_like(line)
    # Nor does it make a list of the heading after it.
    d = doc(LONG, line, "Team Zwatt:", LONG2, sep="\n")
    assert d.headings == ["Team Zwatt:"]


@pytest.mark.parametrize("sep", SHAPES)
def test_two_clauses_joined_by_a_semicolon_are_a_sentence(sep: str) -> None:
    line = "Our latency just shot up; what else happened around the same time?"
    assert not is_title_like(line)
    assert doc(LONG, line, LONG2, sep=sep).headings == []


@pytest.mark.parametrize("sep", ["\n", "\n\n"])
def test_a_header_row_over_lines_that_lead_into_a_table_is_the_table_s(sep: str) -> None:
    """A table's header row, then a summary row and a column label, then its rows."""
    table = "\n".join(
        [
            "Most active developers",
            "By changesets Alice Example 63 16.6% Bob Example 56 14.7% Carol Example 46 12.1%",
            "By changesets",
            "Alice Example\t63\t16.6%",
            "Bob Example\t56\t14.7%",
        ]
    )
    assert doc(LONG, table, LONG2, sep=sep).headings == []


def test_a_heading_over_a_sentence_that_introduces_a_table_is_kept() -> None:
    table = "Release\tDate\n4.2.3\tApril 2014\n4.1.6\tApril 2014"
    intro = "The release history tells a different story:"
    d = doc(LONG, "Release Histories", intro, table, LONG2, sep="\n")
    assert d.headings == ["Release Histories"]


def test_a_line_set_apart_over_a_list_in_saved_text_is_marked_so() -> None:
    """Saved text: blank lines set the line apart from the prose before it and from the
    list below it, whose items have no blank lines between them (a feature the fit weighs)."""
    from newsreader.ingest.plaintext.detector import candidate_features
    from newsreader.ingest.plaintext.document import prepare

    names = "Masatoshi Kimura [:emk]\nMichelle Goossens [:masterwayz]\nSonia\nTim Example"
    for sep, expected in (("\n\n", True), ("\n", False)):
        text = sep.join([LONG, "Resolved bugs", "Fixed more than one bug", names, LONG2])
        units = prepare(text)[1]
        found = candidate_features(units)
        index = next(i for i, u in enumerate(units) if u.text == "Fixed more than one bug")
        assert bool(found[index].get("saved_apart_over_list")) is expected
        first = next(i for i, u in enumerate(units) if u.text == "Resolved bugs")
        assert not found[first].get("saved_apart_over_list")


@pytest.mark.parametrize(
    "line", ["Filename: src/main.rs", "File: app.py", "Source: https://example.org/a"]
)
def test_a_label_and_a_file_or_address_is_not_a_heading(line: str) -> None:
    assert not is_title_like(line)
    assert doc(LONG, line, LONG2, sep="\n").headings == []


@pytest.mark.parametrize("line", ["Weather: More Important Than Ever", "Node.js: A Primer"])
def test_a_label_and_words_may_be_a_title(line: str) -> None:
    assert is_title_like(line)


@pytest.mark.parametrize("sep", SHAPES)
def test_a_caption_that_repeats_the_heading_above_is_not_a_heading(sep: str) -> None:
    """The section "Bugzilla" opens with the picture captioned "Bugzilla logo"."""
    d = doc(LONG, "Bugzilla", "Bugzilla logo", LONG2, sep=sep)
    assert d.headings == ["Bugzilla"]
    assert "Bugzilla logo" in d.markdown


@pytest.mark.parametrize("sep", SHAPES)
def test_a_subsection_right_under_its_section_is_kept(sep: str) -> None:
    d = doc(LONG, "Features and Tools", "Page Inspector", LONG2, sep=sep)
    assert d.headings == ["Features and Tools", "Page Inspector"]
