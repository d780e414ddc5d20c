"""Full text of real pages: the corpus's saved pages behind a summary-only feed on a local server.

Each readability case's ``source.html`` is served as the page an entry links to, with a
one-sentence summary in the feed. After a refresh the article's text is scored against
Readability.js's ``expected.html`` by word multisets of the visible text: recall is the share
of its words we have, precision the share of ours it has. Readability.js keeps comment
sections, which this reader leaves out on purpose, so the reference ends where a heading
like "2 comments on …" starts one.
"""

from __future__ import annotations

import asyncio
import json
import re
from collections import Counter
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path

import pytest
from pytest_httpserver import HTTPServer

from feed_server import conditional
from fulltext_feeds import Entry, configure, summary_feed
from newsreader.ingest.markdown_text import markdown_to_text
from newsreader.refresh import refresh
from newsreader.render import article_markdown, headings
from newsreader.store import ArticleFilter, Store

CORPUS = Path(__file__).resolve().parents[1].parent / "shared" / "corpus" / "articles"
READABILITY = CORPUS / "readability"
TRAFILATURA = CORPUS / "trafilatura"
CASES = sorted(p.name for p in READABILITY.iterdir()) if READABILITY.is_dir() else []
COMMENT_HEADING = re.compile(r"^\d+ comments? on |\bwrote on ", re.IGNORECASE)
MIN_RECALL = 0.85
MIN_PRECISION = 0.9


def words(text: str) -> list[str]:
    return re.sub(r"[\W_]+", " ", text.casefold()).split()


def normalised(text: str) -> str:
    return " ".join(words(text))


def our_headings(markdown: str) -> set[str]:
    """The article's headings as its outline shows them (link targets left out)."""
    return {normalised(markdown_to_text(heading.text)) for heading in headings(markdown)}


def expected_article(html: str) -> tuple[str, list[str]]:
    """Visible text and h2-h4 headings of ``expected.html``, without a comment section."""
    import lxml.html

    root = lxml.html.fromstring(html)
    for element in root.xpath("//script|//style|//noscript"):
        element.drop_tree()
    for heading in root.iter("h1", "h2", "h3", "h4"):
        if COMMENT_HEADING.search(heading.text_content().strip()):
            node = heading
            while node is not None and node is not root:  # drop it and all that follows
                for later in list(node.itersiblings()):
                    later.getparent().remove(later)
                node = node.getparent()
            heading.getparent().remove(heading)
            break
    found = [normalised(h.text_content()) for h in root.iter("h2", "h3", "h4")]
    return root.text_content(), [h for h in found if h]


def overlap(expected: list[str], ours: list[str]) -> tuple[float, float]:
    """Word recall and precision by multiset overlap."""
    common = sum((Counter(expected) & Counter(ours)).values())
    return common / max(1, len(expected)), common / max(1, len(ours))


def first_sentence(text: str) -> str:
    sentence = re.split(r"(?<=[.!?])\s", text.strip(), maxsplit=1)[0]
    return " ".join(sentence.split()[:30]) or "A new post."


@dataclass(frozen=True)
class Fetched:
    """One corpus page as the reader stored it after a refresh."""

    markdown: str
    summary: str
    status: str


@pytest.fixture(scope="module")
def fetched(
    shared_server: HTTPServer, tmp_path_factory: pytest.TempPathFactory
) -> Iterator[dict[str, Fetched]]:
    """Refresh one summary-only feed linking to every corpus page; the stored results."""
    if not CASES:
        pytest.skip(f"shared corpus not found at {READABILITY} (expected beside the checkout)")
    server = shared_server
    entries = []
    pages = [(case, READABILITY / case / "source.html") for case in CASES]
    pages += [(path.stem, path) for path in sorted(TRAFILATURA.glob("*.html"))]
    for name, path in pages:
        route = f"/articles/{name}/"
        server.expect_request(route).respond_with_handler(
            conditional(path.read_bytes(), "text/html; charset=utf-8")
        )
        metadata = path.parent / "expected-metadata.json"
        excerpt = ""
        if metadata.is_file():
            excerpt = str(json.loads(metadata.read_text("utf-8")).get("excerpt") or "")
        summary = first_sentence(excerpt) if excerpt else f"A new post about {name}."
        entries.append(Entry(name, name, server.url_for(route), summary))
    server.expect_request("/summaries.xml").respond_with_data(
        summary_feed(entries), content_type="application/rss+xml"
    )
    folder = tmp_path_factory.mktemp("corpus-full-text")
    store = Store.open(folder / "newsreader.db")
    try:
        config = configure(folder, store, [(server.url_for("/summaries.xml"), "auto")])
        summary = asyncio.run(refresh(store, config))
        assert not summary.failures, summary.failures
        results: dict[str, Fetched] = {}
        for item in store.list_articles(ArticleFilter(), limit=100):
            article = store.article(item.id)
            assert article is not None
            with store.database.transaction() as db:
                row = db.execute(
                    "SELECT status FROM full_texts WHERE article_id = ?", (article.id,)
                ).fetchone()
            results[article.title] = Fetched(
                markdown=article_markdown(store, article),
                summary=article.summary,
                status=str(row[0]) if row else "",
            )
        yield results
    finally:
        store.close()
        server.clear()


@pytest.mark.parametrize("case", CASES)
def test_corpus_page_full_text(case: str, fetched: dict[str, Fetched]) -> None:
    result = fetched[case]
    assert result.status == "ok"
    expected_html = (READABILITY / case / "expected.html").read_text("utf-8")
    expected_text, expected_headings = expected_article(expected_html)
    recall, precision = overlap(words(expected_text), words(markdown_to_text(result.markdown)))
    ours = our_headings(result.markdown)
    kept = sum(h in ours for h in expected_headings)
    print(
        f"\n| {case} | {recall:.3f} | {precision:.3f} | {kept}/{len(expected_headings)} |",
        end="",
    )
    assert recall >= MIN_RECALL
    assert precision >= MIN_PRECISION
    assert "leave a reply" not in result.markdown.lower()
    # The feed's summary is kept beside the page's text.
    assert result.summary and result.summary != result.markdown


def test_corpus_headings_kept(fetched: dict[str, Fetched]) -> None:
    total = kept = 0
    for case in CASES:
        expected_html = (READABILITY / case / "expected.html").read_text("utf-8")
        _, expected_headings = expected_article(expected_html)
        ours = our_headings(fetched[case].markdown)
        total += len(expected_headings)
        kept += sum(h in ours for h in expected_headings)
    print(f"\nheadings kept: {kept}/{total} = {kept / total:.3f}")
    assert kept / total >= 0.95


def test_corpus_trafilatura_pages(fetched: dict[str, Fetched]) -> None:
    if not TRAFILATURA.is_dir():
        pytest.skip(f"shared corpus not found at {TRAFILATURA}")
    lemire = fetched["lemire.me.json"].markdown
    assert "| file | simdjson | JSON for Modern C++ |" in lemire
    for junk in ("Leave a Reply", "Recent Comments", "Post navigation", "Subscribe", "Archives"):
        assert junk not in lemire, junk
    rust = fetched["stackoverflow.com.rust"].markdown
    assert [normalised(h.text) for h in headings(rust)] == [
        "coming from dynamically typed languages",
        "coming from garbage collected languages",
        "coming from other systems programming languages",
        "the rust ecosystem",
        "it s not all roses",
        "come and join us",
    ]
    for junk in ("Leave a Reply", "Related Articles", "Developer Jobs", "Post Comment"):
        assert junk not in rust, junk
    python = fetched["blog.python.org"].markdown
    assert "We hope you enjoy Python 3.6.0!" in python
    for junk in ("Blog Archive", "Contributors", "Translations", "Post a Comment"):
        assert junk not in python, junk
