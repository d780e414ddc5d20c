"""Labelled plain-text articles for heading detection, built from the shared corpus.

Every article comes in two shapes: *saved* (title line, blank line between paragraphs) and
*pasted* (no title line, one newline between paragraphs), and carries the list of headings a
reader would see (h1-h4 of the HTML it was made from) plus "don't care" lines: h5/h6, and, as
in ``corpus/plaintext-extra/``, paragraphs that are entirely bold (run-in headings) and lone
``<dt>`` labels.

Sources, with the group each belongs to:

* ``public``: ``corpus/plaintext/`` (8 stored files, with trailers);
* ``extra``: ``corpus/plaintext-extra/`` (5 stored files);
* ``feeds``: entries of the corpus feeds (RSS, Atom, JSON Feed, malformed ones too) whose
  HTML content has at least one h2-h4 heading and enough words, turned into plain text by
  the corpus recipe (see ``tests/test_plaintext_heldout.py``);
* ``plain``: entries of the same feeds without any heading: only false headings can be
  found in them (captions, credits, lists, short lines);
* ``docs``: chapters of the HTML books installed with the Rust toolchain, when present
  (manuals: many headings, lists and code);
* ``holdout``: the readability cases that no stored file was made from, and the article
  of each trafilatura page (found by readability-lxml), by the same recipe.

Each article also has a *site* (its feed, book or case): cross-validation leaves a whole
site out at a time, so that an article is never judged by weights fitted on its siblings.
The ``holdout`` group is never used for fitting (see ``bench/headings_fit.py``).
Nothing generated is stored: the texts are built in memory on every run.
"""

from __future__ import annotations

import csv
import json
import re
import sys
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
SHARED = ROOT.parent / "shared"
CORPUS = SHARED / "corpus"
sys.path.insert(0, str(ROOT / "tests"))

from test_plaintext_heldout import _Builder, build_case  # noqa: E402

FIT_GROUPS = ("public", "extra", "feeds", "plain", "docs")
HOLDOUT_GROUPS = ("holdout",)
# A feed entry is used when its HTML has this many words; with no h2-h4 heading it goes to
# the ``plain`` group (at most this many per feed, so that no feed outweighs the others).
MIN_FEED_WORDS = 150
MAX_PLAIN_PER_FEED = 4
# Books installed with the Rust toolchain, and how many chapters of each are used.
RUST_DOCS = Path.home() / ".rustup" / "toolchains"
DOC_BOOKS = {"book": 24, "nomicon": 10, "edition-guide": 6, "rust-by-example": 8}

_HEADING = re.compile(r"<h[234][\s>]", re.IGNORECASE)
_TAG = re.compile(r"<[^>]+>")


@dataclass(frozen=True)
class Article:
    name: str
    group: str
    saved: str  # the saved shape: title line, blank line, body
    headings: list[str]
    dont_care: frozenset[str]
    site: str = ""

    @property
    def pasted(self) -> str:
        lines = self.saved.splitlines()[1:]
        return "\n".join(line for line in lines if line.strip()) + "\n"

    def shape(self, name: str) -> str:
        return self.saved if name == "saved" else self.pasted


SHAPES = ("saved", "pasted")


def _stored(folder: Path, group: str) -> Iterator[Article]:
    manifest = folder / "MANIFEST.tsv"
    if not manifest.is_file():
        return
    with manifest.open(encoding="utf-8", newline="") as handle:
        rows = list(csv.DictReader(handle, delimiter="\t"))
    for row in rows:
        stem = row["file"].removesuffix(".txt")
        expected = (folder / f"{stem}.headings.txt").read_text(encoding="utf-8")
        extra = row["extra_h5_h6_lines"].strip()
        yield Article(
            name=stem,
            group=group,
            saved=(folder / row["file"]).read_text(encoding="utf-8"),
            headings=[line for line in expected.splitlines() if line.strip()],
            dont_care=frozenset(p.strip() for p in extra.split(" | ") if p.strip()),
            site=stem,
        )


def _bold_lines(root: object) -> set[str]:
    """Texts that the recipe of ``plaintext-extra`` does not score: bold runs and lone <dt>."""
    found = set()
    for element in root.iter("b", "strong", "dt"):  # type: ignore[attr-defined]
        text = " ".join(element.text_content().split())
        if text:
            found.add(text)
    return found


def _from_html(name: str, group: str, title: str, html: str, site: str) -> Article | None:
    import lxml.html

    builder = _Builder()
    try:
        root = lxml.html.fragment_fromstring(html, create_parent="div")
        builder.walk(root, None)
    except Exception:
        return None
    lines = builder.lines(" ".join(title.split()) or name)
    bold = _bold_lines(root) - set(builder.headings)
    body = {line for line in lines[2:] if line.strip()}
    return Article(
        name=name,
        group=group,
        saved="\n".join(lines) + "\n",
        headings=builder.headings,
        dont_care=frozenset((builder.minor - set(builder.headings)) | (bold & body)),
        site=site,
    )


def _feed_entries(path: Path) -> Iterator[tuple[str, str]]:
    """(title, HTML) of each entry of a feed file."""
    if path.suffix == ".json":
        try:
            data = json.loads(path.read_text(encoding="utf-8"))
        except (ValueError, UnicodeDecodeError):
            return
        items = data.get("items", []) if isinstance(data, dict) else []
        for item in items:
            if isinstance(item, dict) and isinstance(item.get("content_html"), str):
                yield str(item.get("title") or ""), item["content_html"]
        return
    import feedparser

    parsed = feedparser.parse(path.read_bytes(), sanitize_html=False)
    for entry in parsed.entries:
        contents = [c for c in entry.get("content", []) if "html" in c.get("type", "")]
        yield entry.get("title", ""), contents[0]["value"] if contents else entry.get("summary", "")


def _feed_articles() -> Iterator[Article]:
    for path in sorted((CORPUS / "feeds").iterdir()):
        plain = 0
        for index, (title, html) in enumerate(_feed_entries(path)):
            if len(_TAG.sub(" ", html).split()) < MIN_FEED_WORDS:
                continue
            headed = bool(_HEADING.search(html))
            if not headed:
                if plain >= MAX_PLAIN_PER_FEED:
                    continue
                plain += 1
            group = "feeds" if headed else "plain"
            article = _from_html(f"{path.stem}#{index}", group, title, html, path.stem)
            if article is not None and (article.headings or not headed):
                yield article


def _doc_articles() -> Iterator[Article]:
    toolchains = sorted(RUST_DOCS.glob("stable-*/share/doc/rust/html"))
    if not toolchains:
        return
    import lxml.html

    for book, count in DOC_BOOKS.items():
        pages = sorted((toolchains[0] / book).rglob("*.html"))
        pages = [p for p in pages if p.stat().st_size > 12_000 and "print" not in p.name]
        step = max(1, len(pages) // count)
        for page in pages[::step][:count]:
            root = lxml.html.parse(str(page)).getroot()
            main = root.find(".//main")
            if main is None:
                continue
            # The chapter's first heading is its title.
            first = next(main.iter("h1", "h2"), None)
            title = " ".join(first.text_content().split()) if first is not None else page.stem
            if first is not None:
                first.drop_tree()
            html = lxml.html.tostring(main, encoding="unicode")
            article = _from_html(f"{book}/{page.stem}", "docs", title, html, f"rust-{book}")
            if article is not None and article.headings and article.saved.count("\n") > 30:
                yield article


def _holdout_articles() -> Iterator[Article]:
    readability = CORPUS / "articles" / "readability"
    manifest = CORPUS / "plaintext" / "MANIFEST.tsv"
    with manifest.open(encoding="utf-8", newline="") as handle:
        used = {row["readability_case"] for row in csv.DictReader(handle, delimiter="\t")}
    for case_dir in sorted(readability.iterdir()):
        if case_dir.name in used or not (case_dir / "expected.html").is_file():
            continue
        case = build_case(case_dir)
        yield Article(case.name, "holdout", case.text, case.headings, case.dont_care, case.name)
    from readability import Document

    for page in sorted((CORPUS / "articles" / "trafilatura").glob("*.html")):
        source = page.read_text(encoding="utf-8", errors="replace")
        document = Document(source)
        article = _from_html(
            page.stem,
            "holdout",
            document.short_title(),
            document.summary(html_partial=True),
            page.stem,
        )
        if article is not None and article.headings:
            yield article


def articles() -> list[Article]:
    """Every labelled article, fitting groups first."""
    return [
        *_stored(CORPUS / "plaintext", "public"),
        *_stored(CORPUS / "plaintext-extra", "extra"),
        *_feed_articles(),
        *_doc_articles(),
        *_holdout_articles(),
    ]


if __name__ == "__main__":
    found = articles()
    for article in found:
        print(
            f"{article.group:<8} {article.name:<44} {len(article.headings):>3} headings "
            f"{len(article.dont_care):>3} don't care {len(article.saved.splitlines()):>5} lines"
        )
    groups: dict[str, int] = {}
    for article in found:
        groups[article.group] = groups.get(article.group, 0) + 1
    print(json.dumps({"articles": len(found), **groups}))
