"""HTML → Markdown conversion, article extraction from saved pages, Markdown → text."""

from __future__ import annotations

import base64
import functools
import html as html_lib
import json
import re
import subprocess
import sys
import time
from datetime import UTC, datetime
from pathlib import Path

import pytest

from newsreader.ingest.html import HtmlDocument, extract_article, html_to_markdown
from newsreader.ingest.markdown_text import markdown_to_text

SHARED = Path(__file__).resolve().parents[1].parent / "shared"
CORPUS = SHARED / "corpus"
READABILITY = CORPUS / "articles" / "readability"
TRAFILATURA = CORPUS / "articles" / "trafilatura"
MALICIOUS = CORPUS / "malicious"
READABILITY_CASES = [
    "002",
    "ars-1",
    "blogger",
    "daringfireball-1",
    "firefox-nightly-blog",
    "google-sre-book-1",
    "lazy-image-1",
    "lifehacker-working",
    "lwn-1",
    "mathjax",
    "medicalnewstoday",
    "medium-2",
    "mercurial",
    "mozilla-2",
    "toc-missing",
    "topicseed-1",
]
PAGE_URL = "http://fakehost/test/page.html"
# Control characters other than tab and newline, and the C1 range (ESC included).
CONTROL = re.compile(r"[\x00-\x08\x0b-\x1f\x7f-\x9f]")
HEADING = re.compile(r"^(#{1,6}) (.+)$", re.MULTILINE)


def corpus_path(*parts: str) -> Path:
    """A file or folder of the shared corpus; the test skips when it is not there."""
    path = CORPUS.joinpath(*parts)
    if not path.exists():
        pytest.skip(f"shared corpus not found at {path} (expected ../shared beside the checkout)")
    return path


def normalise(text: str) -> str:
    return re.sub(r"[\W_]+", " ", text.casefold()).strip()


def headings(markdown: str) -> list[str]:
    """The normalised text of every Markdown heading (at the start of a line)."""
    return [normalise(markdown_to_text(match.group(2))) for match in HEADING.finditer(markdown)]


def assert_safe(markdown: str) -> None:
    """No control characters, scripts, event handlers or dangerous link schemes."""
    assert not CONTROL.search(markdown), repr(CONTROL.search(markdown))
    lowered = markdown.lower()
    assert "<script" not in lowered
    # An event handler attribute, not a URL's query parameter ("…&onlyXulLeaf=1").
    assert not re.search(r"(?<![\w&?#])on[a-z]+\s*=", lowered)
    for url in re.findall(r"\]\(([^)\s]*)|<([a-z][a-z0-9+.-]*:[^>\s]*)>", markdown):
        destination = url[0] or url[1]
        assert destination.startswith(("https://", "http://", "mailto:")), destination
    assert "\n\n\n\n" not in markdown


# --------------------------------------------------------------------------------------
# html_to_markdown: fragments
# --------------------------------------------------------------------------------------


def test_importing_the_module_is_cheap() -> None:
    code = (
        "import sys, newsreader.ingest.html, newsreader.ingest.markdown_text\n"
        "heavy = ['lxml', 'bs4', 'markdownify', 'nh3', 'readability']\n"
        "print([name for name in heavy if name in sys.modules])"
    )
    result = subprocess.run(
        [sys.executable, "-c", code], capture_output=True, text=True, check=True, timeout=60
    )
    assert result.stdout.strip() == "[]"


def test_empty_input() -> None:
    assert html_to_markdown("") == ""
    assert html_to_markdown("   \n\t ") == ""
    assert html_to_markdown("<p></p><div> </div>") == ""


def test_heading_levels() -> None:
    source = "".join(f"<h{n}>Level {n}</h{n}><p>text {n}</p>" for n in range(1, 7))
    markdown = html_to_markdown(source)
    for n in range(1, 7):
        assert f"\n{'#' * n} Level {n}\n" in "\n" + markdown
    assert "<h" not in markdown


def test_a_link_around_a_heading_keeps_the_heading() -> None:
    # Static sites anchor their section titles: <a href="#id"><h2>..</h2></a>. Markdown has
    # no link around a block; the heading must stay a heading (and reach the outline).
    anchored = html_to_markdown(
        '<p>Intro.</p><a class=anchor href="#verifying"><h2 id=verifying>Verifying a Log</h2>'
        "</a><p>Body.</p>",
        "https://example.com/post",
    )
    assert anchored == "Intro.\n\n## Verifying a Log\n\nBody.\n"
    # Feed parsers resolve the anchor against the entry's link first: still the same page.
    resolved = html_to_markdown(
        '<a href="https://example.com/post#verifying"><h2>Verifying a Log</h2></a>',
        "https://example.com/post",
    )
    assert resolved == "## Verifying a Log\n"
    # The same anchor inside the heading goes too; a link elsewhere inside one stays.
    inside = html_to_markdown(
        '<h2><a href="#merkle">Merkle Trees</a></h2><h3><a href="/x">Other</a></h3>',
        "https://example.com/post",
    )
    assert inside == "## Merkle Trees\n\n### [Other](https://example.com/x)\n"
    # A card linking elsewhere keeps its link, on the heading's text, and its paragraph.
    card = html_to_markdown(
        '<a href="/story"><h3>Big story</h3><p>What happened.</p></a>', "https://example.com/"
    )
    assert card == "### [Big story](https://example.com/story)\n\nWhat happened.\n"
    # An inline link is unchanged.
    assert html_to_markdown('<p><a href="/a">text</a></p>', "https://example.com/") == (
        "[text](https://example.com/a)\n"
    )


def test_empty_headings_are_dropped() -> None:
    assert html_to_markdown("<h2> </h2><p>Body</p><h3></h3>") == "Body\n"


def test_paragraphs_and_emphasis() -> None:
    markdown = html_to_markdown("<p>One <b>bold</b> and <em>italic</em>.</p><p>Two</p>")
    assert markdown == "One **bold** and *italic*.\n\nTwo\n"


def test_lists_and_nested_lists() -> None:
    markdown = html_to_markdown(
        "<ul><li>one<ul><li>nested a</li><li>nested b</li></ul></li><li>two</li></ul>"
        "<ol start='3'><li>third</li><li>fourth</li></ol>"
    )
    assert "- one\n  - nested a\n  - nested b\n- two" in markdown
    assert "3. third\n4. fourth" in markdown


def test_links_resolved_against_base_url() -> None:
    markdown = html_to_markdown(
        '<p><a href="/about">About</a> <a href="next.html">Next</a> <a href="#s">Here</a>'
        ' <a href="//cdn.example.net/x">CDN</a> <a href="mailto:a@example.com">Mail</a></p>',
        "https://example.com/blog/post.html",
    )
    assert "[About](https://example.com/about)" in markdown
    assert "[Next](https://example.com/blog/next.html)" in markdown
    assert "[Here](https://example.com/blog/post.html#s)" in markdown
    assert "[CDN](https://cdn.example.net/x)" in markdown
    assert "[Mail](mailto:a@example.com)" in markdown


def test_relative_links_without_usable_base_keep_only_text() -> None:
    for base in (None, "javascript:alert('unsafe')", "file:///home/me/page.html"):
        markdown = html_to_markdown('<p>Example <a href="test.html">test</a></p>', base)
        assert markdown == "Example test\n"


def test_unsafe_links_dropped_but_text_kept() -> None:
    markdown = html_to_markdown(
        '<p><a href="javascript:alert(1)">js</a> <a href="jav&#x09;ascript:alert(2)">tab</a>'
        ' <a href=" JaVaScRiPt:alert(3)">mixed</a> <a href="vbscript:msgbox(4)">vb</a>'
        ' <a href="data:text/html,&lt;script&gt;alert(5)&lt;/script&gt;">data</a>'
        ' <a href="file:///etc/passwd">file</a></p>',
        "https://example.com/",
    )
    assert markdown == "js tab mixed vb data file\n"


def test_link_urls_cannot_break_out_of_markdown() -> None:
    markdown = html_to_markdown('<a href="https://example.com/a b)(c">x</a>')
    assert markdown == "[x](https://example.com/a%20b%29%28c)\n"


def test_images() -> None:
    markdown = html_to_markdown(
        '<p><img src="/img/a.png" alt="A [chart]"> <img src="data:image/png;base64,AAAA" alt="d">'
        ' <img src="https://t.example/pixel.gif" width="1" height="1">'
        ' <img src="https://t.example/p.gif" width="1px" alt="">'
        ' <img src="https://example.com/b.jpg"></p>',
        "https://example.com/post/",
    )
    assert "![A \\[chart\\]](https://example.com/img/a.png)" in markdown
    assert "![](https://example.com/b.jpg)" in markdown
    assert "data:" not in markdown
    assert "t.example" not in markdown


def test_images_in_noscript_are_kept() -> None:
    markdown = html_to_markdown(
        '<p>Text</p><noscript><img src="https://example.com/real.jpg" alt="real"></noscript>'
        "<noscript>Please enable JavaScript</noscript>"
    )
    assert "![real](https://example.com/real.jpg)" in markdown
    assert "enable JavaScript" not in markdown
    assert "<img" not in markdown


def test_tables() -> None:
    markdown = html_to_markdown(
        "<table><thead><tr><th>Name</th><th>Speed</th></tr></thead>"
        "<tbody><tr><td>simdjson</td><td>2.5 GB/s</td></tr>"
        "<tr><td>other</td><td>0.1 GB/s</td></tr></tbody></table>"
    )
    assert markdown == (
        "| Name | Speed |\n| --- | --- |\n| simdjson | 2.5 GB/s |\n| other | 0.1 GB/s |\n"
    )


def test_pre_and_code() -> None:
    markdown = html_to_markdown(
        "<p>Call <code>f(x_1)</code> now.</p>"
        "<pre><code>def f(x):\n    return x * 2\n\n\n\n# done</code></pre>"
    )
    assert "Call `f(x_1)` now." in markdown
    assert "```\ndef f(x):\n    return x * 2\n" in markdown
    assert "# done\n```" in markdown


def test_code_containing_fences_gets_a_longer_fence() -> None:
    markdown = html_to_markdown("<pre>a\n```\nb</pre>")
    assert markdown == "````\na\n```\nb\n````\n"


def test_blockquote() -> None:
    markdown = html_to_markdown("<blockquote><p>Quoted</p><p>Twice</p></blockquote><p>After</p>")
    assert markdown == "> Quoted\n>\n> Twice\n\nAfter\n"


def test_entities_and_markdown_escaping() -> None:
    markdown = html_to_markdown(
        "<p>&lt;b&gt;not bold&lt;/b&gt; &amp; &copy; &#x263A; *stars* _under_</p>"
        "<p># not a heading</p><p>1. not a list</p>"
    )
    assert "\\<b>not bold\\</b> & © ☺ \\*stars\\* \\_under\\_" in markdown
    assert "\\# not a heading" in markdown
    assert "1\\. not a list" in markdown
    assert markdown_to_text(markdown) == (
        "<b>not bold</b> & © ☺ *stars* _under_\n\n# not a heading\n\n1. not a list\n"
    )


def test_line_breaks() -> None:
    assert html_to_markdown("<p>one<br>two<br></p><p>three</p>") == "one\\\ntwo\n\nthree\n"
    # Two or more breaks in a row separate paragraphs.
    assert html_to_markdown("a<br><br>b<br><br><br>c") == "a\n\nb\n\nc\n"


def test_pretty_printed_inline_markup_does_not_split_paragraphs() -> None:
    source = (
        "<p>\n  <span>\n    <a href='https://e.com/'>link</a>\n  </span>\n  <span>text</span>\n</p>"
    )
    assert html_to_markdown(source) == "[link](https://e.com/) text\n"


def test_cards_with_headings_inside_list_items_keep_their_headings() -> None:
    markdown = html_to_markdown(
        "<ul><li><h2>WebIDE</h2><p>Develop apps.</p></li><li><h2>Valence</h2><p>Debug.</p></li></ul>"
    )
    assert headings(markdown) == ["webide", "valence"]


def test_no_scripts_styles_frames_forms_comments_or_handlers() -> None:
    markdown = html_to_markdown(
        "<style>p{color:red}</style><script>alert(1)</script><p onclick='evil()'>Kept</p>"
        "<!-- secret comment --><iframe src='https://evil.example/'>frame text</iframe>"
        "<form action='/post'><input name='q'><textarea>typed</textarea><button>Go</button>"
        "</form><object data='x.swf'>obj</object><svg><script>alert(2)</script></svg>"
        "<p style='position:fixed'>Also kept</p>"
    )
    assert markdown == "Kept\n\nAlso kept\n"


def test_content_wrapped_in_a_form_is_not_lost() -> None:
    markdown = html_to_markdown("<form><div><h2>Title</h2><p>Body text</p></div></form>")
    assert markdown == "## Title\n\nBody text\n"


def test_escape_sequences_and_control_characters_removed() -> None:
    markdown = html_to_markdown(
        "<p>\x1b[31m[FAILED]\x1b[0m raw &#27;[2Jentity \x07bell \x9b1mC1 \u202eRLO\u200b"
        ' <a href="https://e.com/&#27;]8;;x">l</a></p>'
    )
    assert_safe(markdown)
    assert "FAILED" in markdown
    assert "[2J" not in markdown and "[31m" not in markdown
    assert "\u202e" not in markdown


def test_no_runs_of_blank_lines() -> None:
    markdown = html_to_markdown("<p>a</p>" + "<p></p><br><div><br></div>\n\n\n" * 20 + "<p>b</p>")
    assert markdown == "a\n\nb\n"


def test_mathml_text_is_kept() -> None:
    markdown = html_to_markdown(
        "<p>When <math><mi>a</mi><mo>≠</mo><mn>0</mn>"
        "<annotation encoding='application/x-tex'>a \\ne 0</annotation></math> holds</p>"
    )
    assert markdown == "When a≠0 holds\n"


@pytest.mark.parametrize(
    ("open_tag", "close_tag"),
    [
        ("<div>", "</div>"),
        ("<span>", "</span>"),
        ("<b>", "</b>"),
        ("<blockquote>", "</blockquote>"),
        ("<ul><li>", "</li></ul>"),
        ("<table><tr><td>", "</td></tr></table>"),
    ],
)
def test_very_deep_nesting_degrades_gracefully(open_tag: str, close_tag: str) -> None:
    source = "<p>start</p>" + open_tag * 20_000 + "deep text" + close_tag * 20_000 + "<p>end</p>"
    started = time.perf_counter()
    markdown = html_to_markdown(source)
    elapsed = time.perf_counter() - started
    assert "deep text" in markdown
    assert markdown.startswith("start")
    assert markdown.rstrip().endswith("end")
    assert elapsed < 10, elapsed


def test_unclosed_tags_do_not_count_as_nesting() -> None:
    items = "".join(f"<li>item {n}" for n in range(500))
    markdown = html_to_markdown(f"<ul>{items}</ul>" + "<p>para" * 300)
    assert "- item 0\n" in markdown
    assert "- item 499" in markdown
    assert "para" in markdown


def test_conversion_speed_of_a_typical_entry() -> None:
    paragraph = (
        "<p>Some <a href='/x'>linked</a> text with <em>emphasis</em>, <code>code</code> and "
        "an entity &amp; more words to make it a realistic paragraph of a blog post.</p>\n"
    )
    entry = (
        "<h2>Section</h2>\n"
        + paragraph * 20
        + "<ul>"
        + "<li>point</li>" * 10
        + "</ul><pre>code\nblock</pre><img src='/i.png' alt='pic'>"
    ) * 2
    html_to_markdown(entry, "https://example.com/")
    runs = 20
    started = time.perf_counter()
    for _ in range(runs):
        html_to_markdown(entry, "https://example.com/")
    per_entry = (time.perf_counter() - started) / runs
    kilobytes = len(entry) / 1024
    print(
        f"\nhtml_to_markdown: {per_entry * 1000:.2f} ms per {kilobytes:.1f} KB entry "
        f"({per_entry * 1000 / kilobytes:.2f} ms/KB)"
    )
    assert per_entry < 0.2  # generous: about 5 ms on a developer machine


# --------------------------------------------------------------------------------------
# markdown_to_text
# --------------------------------------------------------------------------------------


def test_markdown_to_text_removes_markup() -> None:
    markdown = (
        "# Title\n\nSome **bold**, *em*, `code`, ~~gone~~ and [a link](https://x.example/a_(b)) "
        "and ![an image](https://x.example/i.png) and <https://auto.example/>.\n\n"
        "- item one\n  - nested\n1. first\n> quoted *text*\n\n"
        "| a | b |\n| --- | --- |\n| 1 | 2 |\n\n```python\nx = 1  # keep\n```\n\n---\n\n"
        "snake_case and _emphasis_ and escaped \\* star \\_x\\_ and 1\\. and \\# and &amp;\\\n"
        "next line\n\n[ref]: https://ref.example/\n"
    )
    assert markdown_to_text(markdown) == (
        "Title\n\nSome bold, em, code, gone and a link and an image and "
        "https://auto.example/.\n\nitem one\nnested\nfirst\nquoted text\n\n"
        "a b\n\n1 2\n\nx = 1 # keep\n\n"
        "snake_case and emphasis and escaped * star _x_ and 1. and # and &\nnext line\n"
    )


def test_markdown_to_text_empty() -> None:
    assert markdown_to_text("") == ""
    assert markdown_to_text("\n\n  \n") == ""
    assert markdown_to_text("---\n") == ""


def test_markdown_to_text_of_converted_html() -> None:
    markdown = html_to_markdown(
        "<h2>Heading</h2><p>First <a href='https://e.com/'>para</a>.</p><p>Second</p>"
    )
    assert markdown_to_text(markdown) == "Heading\n\nFirst para.\n\nSecond\n"


def test_markdown_to_text_handles_a_megabyte() -> None:
    # Its speed is measured by bench/text_speed.py.
    block = (
        "## A heading\n\nA paragraph with **bold**, *emphasis*, a [link](https://e.com/x) "
        "and `code`, snake_case_words, escaped \\* and \\_ characters.\n\n"
        "- a list item\n- another [item](https://e.com/y)\n\n"
        "| a | b |\n| --- | --- |\n| 1 | 2 |\n\n```\ncode line\n```\n\n"
    )
    markdown = (block * (1_000_000 // len(block) + 1))[:1_000_000]
    text = markdown_to_text(markdown)
    assert "A heading" in text and "**" not in text
    assert text.count("A heading") == markdown.count("## A heading")


# --------------------------------------------------------------------------------------
# extract_article: constructed pages
# --------------------------------------------------------------------------------------

ARTICLE_PAGE = """<!DOCTYPE html>
<html><head>
<title>Why Gardens Matter | Green Blog</title>
<meta property="og:site_name" content="Green Blog">
<meta property="article:published_time" content="2024-05-01T10:00:00Z">
<script type="application/ld+json">{"@type": "Article", "author": {"name": "Ada Gardener"}}</script>
</head><body>
<nav><ul><li><a href="/">Home</a></li><li><a href="/about">About</a></li></ul></nav>
<div class="sidebar"><h3>Archives</h3><ul><li><a href="/2023">2023</a></li></ul></div>
<article>
<h1>Why Gardens Matter</h1>
<p>Gardens feed people, shelter wildlife and calm the mind. This paragraph is long enough,
with commas, clauses, and detail, to be recognised as the body of the article by anyone.</p>
<h2>Soil first</h2>
<p>Healthy soil is alive: worms, fungi, bacteria and roots all work together, season after
season, to turn dead matter into food for the next generation of plants in the garden.</p>
<h3>Compost</h3>
<p>Compost returns kitchen scraps to the soil, closing the loop, saving money, and cutting
the waste that would otherwise travel to landfill, where it rots without any benefit.</p>
<h2>Water wisely</h2>
<p>Water early in the morning, deeply and rarely, so that roots grow down, not sideways,
and plants learn to cope with the dry spells that every summer eventually brings along.</p>
<div class="sharedaddy"><h3>Share this:</h3><a href="https://twitter.com/share">Twitter</a></div>
<h2>Related posts</h2><ul><li><a href="/x">Another post about gardens</a></li></ul>
<div id="comments"><h2>3 thoughts on "Why Gardens Matter"</h2><p>Great post, thanks!</p>
<div id="respond"><h3>Leave a Reply</h3><form action="/wp-comments-post.php">
<textarea name="comment"></textarea><input type="submit" value="Post Comment"></form></div></div>
</article>
<footer><p>Copyright Green Blog</p></footer>
</body></html>"""


def test_extract_article_from_page() -> None:
    page = extract_article(ARTICLE_PAGE, "https://green.example/2024/gardens")
    assert page.title == "Why Gardens Matter"
    assert page.author == "Ada Gardener"
    assert page.published == datetime(2024, 5, 1, 10, 0, tzinfo=UTC)
    assert headings(page.markdown) == ["soil first", "compost", "water wisely"]
    assert page.markdown.startswith("Gardens feed people")
    for junk in ("Home", "Archives", "Share this", "Related posts", "Leave a Reply", "Copyright"):
        assert junk not in page.markdown, junk
    assert "Great post" not in page.markdown
    assert_safe(page.markdown)


def test_extract_article_from_fragment() -> None:
    page = extract_article(
        "<h1>Stored Note</h1><p>Short body with <a href='https://e.com/'>a link</a>.</p>"
        "<h2>Part two</h2><p>More.</p><time datetime='2023-02-03'>3 Feb</time>"
    )
    assert page.title == "Stored Note"
    assert page.markdown == (
        "Short body with [a link](https://e.com/).\n\n## Part two\n\nMore.\n\n3 Feb\n"
    )
    assert page.published == datetime(2023, 2, 3, tzinfo=UTC)
    assert page.author is None


def test_extract_article_empty() -> None:
    assert extract_article("") == HtmlDocument(title=None, markdown="", author=None, published=None)
    assert extract_article("   ").markdown == ""


def test_extract_article_metadata_fallbacks() -> None:
    page = extract_article(
        "<html><head><title>Plain Title</title><meta name='author' content='By Jo Writer'>"
        "<meta name='DC.date' content='Tue, 10 Mar 2015 08:05:41 -0700'></head>"
        "<body><p>Body.</p></body></html>"
    )
    assert page.title == "Plain Title"
    assert page.author == "Jo Writer"
    assert page.published == datetime.fromisoformat("2015-03-10T08:05:41-07:00")
    assert page.published is not None and page.published.tzinfo is not None


def test_extract_article_deeply_nested_page() -> None:
    page = extract_article(
        "<html><head><title>Deep</title></head><body>"
        + "<div>" * 20_000
        + "<p>Inside</p>"
        + "</div>" * 20_000
        + "</body></html>"
    )
    assert page.title == "Deep"
    assert_safe(page.markdown)


# --------------------------------------------------------------------------------------
# extract_article: the shared corpus
# --------------------------------------------------------------------------------------


@functools.cache
def readability_result(case: str) -> tuple[HtmlDocument, dict[str, object], str, list[str]]:
    """Our extraction, Readability.js's metadata, its text and its h2-h4 headings."""
    import lxml.html

    folder = READABILITY / case
    page = extract_article((folder / "source.html").read_text(encoding="utf-8"), PAGE_URL)
    metadata = json.loads((folder / "expected-metadata.json").read_text(encoding="utf-8"))
    expected = lxml.html.fromstring((folder / "expected.html").read_text(encoding="utf-8"))
    expected_headings = [
        normalise(element.text_content())
        for element in expected.iter("h2", "h3", "h4")
        if normalise(element.text_content())
    ]
    return page, metadata, expected.text_content(), expected_headings


# Headings of comment sections that Readability.js keeps and this reader leaves out on
# purpose (the article ends where the comments begin).
COMMENT_HEADING = re.compile(r"^\d+ comments? on |\bwrote on ")


@pytest.mark.parametrize("case", READABILITY_CASES)
def test_readability_corpus_case(case: str) -> None:
    corpus_path("articles", "readability", case, "source.html")
    page, metadata, expected_text, expected_headings = readability_result(case)

    title = normalise(page.title or "")
    wanted = normalise(str(metadata["title"]))
    assert title and (title == wanted or title in wanted or wanted in title), page.title

    ours = set(headings(page.markdown))
    found = [heading for heading in expected_headings if heading in ours]
    expected_words = normalise(expected_text).split()
    our_words = normalise(markdown_to_text(page.markdown)).split()
    our_vocabulary, expected_vocabulary = set(our_words), set(expected_words)
    recall = sum(word in our_vocabulary for word in expected_words) / len(expected_words)
    precision = sum(word in expected_vocabulary for word in our_words) / max(1, len(our_words))
    print(
        f"\n{case:22} title ok  headings {len(found)}/{len(expected_headings)}"
        f"  word recall {recall:.2f}  word precision {precision:.2f}"
    )
    assert recall >= 0.8
    # Little that Readability.js left out: no navigation, sidebars or footers.
    assert precision >= 0.9
    assert_safe(page.markdown)
    assert "leave a reply" not in page.markdown.lower()


def test_readability_corpus_heading_recall() -> None:
    corpus_path("articles", "readability")
    total = found = article_total = article_found = 0
    for case in READABILITY_CASES:
        page, _, _, expected_headings = readability_result(case)
        ours = set(headings(page.markdown))
        case_found = sum(heading in ours for heading in expected_headings)
        total += len(expected_headings)
        found += case_found
        article_headings = [h for h in expected_headings if not COMMENT_HEADING.search(h)]
        article_total += len(article_headings)
        article_found += sum(heading in ours for heading in article_headings)
        print(f"\n{case:22} {case_found}/{len(expected_headings)}", end="")
    print(
        f"\nheading recall: {found}/{total} = {found / total:.3f}; "
        f"without comment-section headings: {article_found}/{article_total} "
        f"= {article_found / article_total:.3f}"
    )
    assert found / total >= 0.93
    assert article_found / article_total >= 0.95


def test_readability_corpus_drops_comment_section() -> None:
    corpus_path("articles", "readability", "firefox-nightly-blog")
    page, _, _, _ = readability_result("firefox-nightly-blog")
    assert "Alan Goodale" not in page.markdown
    assert not any(COMMENT_HEADING.search(heading) for heading in headings(page.markdown))


def test_readability_corpus_metadata() -> None:
    corpus_path("articles", "readability")
    page, metadata, _, _ = readability_result("002")
    assert page.author == metadata["byline"] == "Nikhil Marathe"
    assert page.published == datetime.fromisoformat("2015-03-10T08:05:41-07:00")
    medium, metadata, _, _ = readability_result("medium-2")
    assert medium.author == metadata["byline"]
    assert medium.published is not None and medium.published.tzinfo is not None


def test_trafilatura_lemire() -> None:
    page = extract_article(
        corpus_path("articles", "trafilatura", "lemire.me.json.html").read_text(encoding="utf-8"),
        "https://lemire.me/blog/2019/08/02/json-parsing-simdjson-vs-json-for-modern-c/",
    )
    assert page.title == "JSON parsing: simdjson vs. JSON for Modern C++"
    assert page.author == "Daniel Lemire"
    assert page.published is not None and page.published.year == 2019
    assert "| file | simdjson | JSON for Modern C++ |" in page.markdown
    for junk in ("Leave a Reply", "Recent Comments", "Post navigation", "Subscribe", "Archives"):
        assert junk not in page.markdown, junk
    assert_safe(page.markdown)


def test_trafilatura_stackoverflow_keeps_headings() -> None:
    page = extract_article(
        corpus_path("articles", "trafilatura", "stackoverflow.com.rust.html").read_text(
            encoding="utf-8"
        ),
        "https://stackoverflow.blog/2020/01/20/what-is-rust-and-why-is-it-so-popular/",
    )
    assert page.title is not None and page.title.startswith("What is Rust and why is it so popular")
    assert headings(page.markdown) == [
        "coming from dynamically typed languages",
        "coming from garbage collected languages",
        "coming from other systems programming languages",
        "the rust ecosystem",
        "it s not all roses",
        "come and join us",
    ]
    for junk in ("Leave a Reply", "Related Articles", "Developer Jobs", "Post Comment"):
        assert junk not in page.markdown, junk
    assert_safe(page.markdown)


def test_trafilatura_python_blog() -> None:
    page = extract_article(
        corpus_path("articles", "trafilatura", "blog.python.org.html").read_text(encoding="utf-8"),
        "https://blog.python.org/2016/12/python-360-is-now-available.html",
    )
    assert page.title == "Python 3.6.0 is now available!"
    assert "We hope you enjoy Python 3.6.0!" in page.markdown
    for junk in ("Blog Archive", "Contributors", "Translations", "Post a Comment"):
        assert junk not in page.markdown, junk
    assert_safe(page.markdown)


# --------------------------------------------------------------------------------------
# Hostile inputs
# --------------------------------------------------------------------------------------


def test_crazy_html_script_evasion() -> None:
    raw = corpus_path("malicious", "feedparser_content-encoded_crazy-html-script-evasion.xml")
    match = re.search(r"<content:encoded>(.*?)</content:encoded>", raw.read_text(), re.DOTALL)
    assert match
    markdown = html_to_markdown(html_lib.unescape(match.group(1)), "https://example.com/")
    assert_safe(markdown)
    # Only the visible body survives: no head title, comments, script bodies or handlers.
    assert markdown == (
        "# Did The Javascript Execute?\n\nI will execute here, too, if you mouse over me\n"
    )


def test_twenty_thousand_nested_divs() -> None:
    raw = corpus_path("malicious", "atom10_deeply-nested-html_20000-divs.xml").read_text()
    match = re.search(r'<content type="html">(.*?)</content>', raw, re.DOTALL)
    assert match
    content = html_lib.unescape(match.group(1))
    assert content.count("<div>") == 20_000
    started = time.perf_counter()
    markdown = html_to_markdown(content)
    elapsed = time.perf_counter() - started
    print(f"\n20,000 nested divs: {elapsed * 1000:.0f} ms")
    assert markdown.strip()
    assert_safe(markdown)
    assert elapsed < 5


def test_five_thousand_nested_xhtml_spans() -> None:
    raw = corpus_path("malicious", "atom10_deeply-nested-xhtml_5000-spans.xml").read_text()
    match = re.search(r'<content type="xhtml">(.*?)</content>', raw, re.DOTALL)
    assert match
    markdown = html_to_markdown(match.group(1))
    assert_safe(markdown)


def test_javascript_data_file_links() -> None:
    raw = corpus_path("malicious", "rss20_javascript-data-file-links.xml").read_text()
    descriptions = re.findall(r"<description>(.*?)</description>", raw, re.DOTALL)
    assert len(descriptions) > 5
    for description in descriptions:
        markdown = html_to_markdown(html_lib.unescape(description), "https://example.com/")
        assert_safe(markdown)
        assert "alert(" not in markdown
        assert "passwd" not in markdown


def test_terminal_escapes_in_json_feed_html() -> None:
    feed = json.loads(
        corpus_path("malicious", "jsonfeed11_terminal-escapes_u001b.json").read_text()
    )
    items = [item for item in feed["items"] if item.get("content_html")]
    assert items
    for item in items:
        markdown = html_to_markdown(item["content_html"], item.get("url"))
        assert_safe(markdown)
        assert markdown.strip()


def test_raw_control_bytes_in_rss_descriptions() -> None:
    raw = corpus_path("malicious", "rss20_terminal-escapes_raw-control-bytes.xml").read_text()
    descriptions = re.findall(r"<description>(.*?)</description>", raw, re.DOTALL)
    assert descriptions
    for description in descriptions:
        markdown = html_to_markdown(html_lib.unescape(description))
        assert_safe(markdown)
        assert "[31m" not in markdown and "[2J" not in markdown


def test_base64_content_with_script() -> None:
    raw = corpus_path("malicious", "feedparser_atom03_base64-content-with-script.xml").read_text()
    match = re.search(r'mode="base64">(.*?)</content>', raw, re.DOTALL)
    assert match
    decoded = base64.b64decode(match.group(1)).decode()
    assert "<script" in decoded
    assert html_to_markdown(decoded) == "safe description\n"


def test_javascript_xml_base() -> None:
    corpus_path("malicious", "feedparser_atom03_javascript-xml-base.xml")
    markdown = html_to_markdown(
        '<div>Example <a href="test.html">test</a></div>', "javascript:alert('unsafe')"
    )
    assert markdown == "Example test\n"


def test_definition_lists_keep_terms_and_separate_definitions() -> None:
    markdown = html_to_markdown(
        "<dl><dt>Monitoring</dt><dd>Collecting data.</dd>"
        "<dt>White-box</dt><dd>Based on <em>metrics</em>.</dd><dd>Also logs.</dd></dl>"
    )
    assert markdown == (
        "**Monitoring**\n\nCollecting data.\n\n**White-box**\n\nBased on *metrics*.\n\nAlso logs.\n"
    )


def test_relative_urls_resolve_against_each_threads_own_base() -> None:
    # The sanitiser's cleaners are built once per thread and resolve against the base of
    # the call in that thread: feeds parsed at once in threads never swap their bases.
    from concurrent.futures import ThreadPoolExecutor

    from newsreader.ingest.html.policy import clean_html

    fragment = '<p><a href="/post">post</a> <img src="pic.png" alt="x"></p>' * 50

    def clean(index: int) -> tuple[int, str]:
        return index, clean_html(fragment, base=f"https://site{index}.example/dir/")

    with ThreadPoolExecutor(max_workers=8) as pool:
        results = list(pool.map(clean, range(64)))
    for index, cleaned in results:
        assert cleaned.count(f'href="https://site{index}.example/post"') == 50
        assert cleaned.count(f'src="https://site{index}.example/dir/pic.png"') == 50
        assert "site" not in cleaned.replace(f"site{index}.", "")
    # Without a base nothing is resolved, even in a thread that resolved before.
    assert 'href="/post"' in clean_html(fragment)
    assert clean_html(fragment, base="https://a.example/") != clean_html(fragment)
