"""Labelled plain-text articles for heading detection, built from the shared corpus.

Every article comes in two shapes: *saved* (title line, blank line between paragraphs) and
*pasted* (no title line, one newline between paragraphs), and carries the list of headings a
reader would see (h1-h4 of the HTML it was made from) plus "don't care" lines (h5/h6).

Sources, with the group each belongs to:

* ``public``: ``corpus/plaintext/`` (8 stored files, with trailers);
* ``extra``: ``corpus/plaintext-extra/`` (5 stored files);
* ``feeds``: entries of the corpus feeds whose HTML content has at least two h2-h4
  headings, turned into plain text by the corpus recipe (see ``tests/test_plaintext_heldout.py``);
* ``holdout``: the readability cases that no stored file was made from, and the article
  of each trafilatura page (found by readability-lxml), by the same recipe.

The ``holdout`` group is never used for fitting (see ``bench/headings_fit.py``).
Nothing generated is stored: the texts are built in memory on every run.
"""

from __future__ import annotations

import csv
import json
import sys
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
SHARED = ROOT.parent / "shared"
CORPUS = SHARED / "corpus"
sys.path.insert(0, str(ROOT / "tests"))

from test_plaintext_heldout import _Builder, build_case  # noqa: E402

FIT_GROUPS = ("public", "extra", "feeds")
HOLDOUT_GROUPS = ("holdout",)
# A feed entry is used when its HTML has this many h2-h4 headings and this many words.
MIN_FEED_HEADINGS = 2
MIN_FEED_WORDS = 250


@dataclass(frozen=True)
class Article:
    name: str
    group: str
    saved: str  # the saved shape: title line, blank line, body
    headings: list[str]
    dont_care: frozenset[str]

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
        )


def _from_html(name: str, group: str, title: str, html: str) -> Article | None:
    import lxml.html

    builder = _Builder()
    try:
        builder.walk(lxml.html.fragment_fromstring(html, create_parent="div"), None)
    except Exception:
        return None
    lines = builder.lines(" ".join(title.split()) or name)
    return Article(
        name=name,
        group=group,
        saved="\n".join(lines) + "\n",
        headings=builder.headings,
        dont_care=frozenset(builder.minor - set(builder.headings)),
    )


def _feed_articles() -> Iterator[Article]:
    import re

    import feedparser

    heading = re.compile(r"<h[234][\s>]", re.IGNORECASE)
    for path in sorted((CORPUS / "feeds").iterdir()):
        if path.suffix == ".json" or path.name.startswith("malformed"):
            continue
        parsed = feedparser.parse(path.read_bytes(), sanitize_html=False)
        for index, entry in enumerate(parsed.entries):
            contents = [c for c in entry.get("content", []) if "html" in c.get("type", "")]
            html = contents[0]["value"] if contents else entry.get("summary", "")
            if len(heading.findall(html)) < MIN_FEED_HEADINGS:
                continue
            if len(re.sub(r"<[^>]+>", " ", html).split()) < MIN_FEED_WORDS:
                continue
            article = _from_html(f"{path.stem}#{index}", "feeds", entry.get("title", ""), html)
            if article is not None and len(article.headings) >= MIN_FEED_HEADINGS:
                yield article


def _holdout_articles() -> Iterator[Article]:
    readability = CORPUS / "articles" / "readability"
    used = set()
    manifest = CORPUS / "plaintext" / "MANIFEST.tsv"
    with manifest.open(encoding="utf-8", newline="") as handle:
        used = {row["readability_case"] for row in csv.DictReader(handle, delimiter="\t")}
    for case_dir in sorted(readability.iterdir()):
        if case_dir.name in used or not (case_dir / "expected.html").is_file():
            continue
        case = build_case(case_dir)
        yield Article(case.name, "holdout", case.text, case.headings, case.dont_care)
    from readability import Document

    for page in sorted((CORPUS / "articles" / "trafilatura").glob("*.html")):
        source = page.read_text(encoding="utf-8", errors="replace")
        document = Document(source)
        article = _from_html(
            page.stem, "holdout", document.short_title(), document.summary(html_partial=True)
        )
        if article is not None and article.headings:
            yield article


def articles() -> list[Article]:
    """Every labelled article, fitting groups first."""
    found = [
        *_stored(CORPUS / "plaintext", "public"),
        *_stored(CORPUS / "plaintext-extra", "extra"),
        *_feed_articles(),
        *_holdout_articles(),
    ]
    return found


if __name__ == "__main__":
    for article in articles():
        print(
            f"{article.group:<8} {article.name:<34} {len(article.headings):>3} headings "
            f"{len(article.saved.splitlines()):>5} lines"
        )
    print(json.dumps({"articles": len(articles())}))
