"""Heading detection on held-out articles, built from the readability cases at test time.

The plain-text corpus (``corpus/plaintext/``) was made from 8 of the readability cases; the
other readability cases are turned into plain text here by the same recipe (the corpus
README, section "plaintext/"), so that the heading rules are measured on articles they were
not tuned on. Nothing generated is stored: the texts are built in memory on every run.

Recipe: line 1 is the title from ``expected-metadata.json``, then a blank line. Each
paragraph of ``expected.html`` is one line, with a blank line between paragraphs (a ``<br>``
starts a new paragraph). h1-h6 headings are bare lines with blank lines around them. List
items are consecutive lines without bullets (adjacent lists run together). ``<pre>`` keeps
its line breaks, and table cells are separated by tabs. The expected headings are the
h1-h4 texts with whitespace collapsed; h5/h6 lines are "don't care".
"""

from __future__ import annotations

import csv
import json
import re
from dataclasses import dataclass, field
from pathlib import Path

import lxml.html
import pytest

from heading_scores import Row, Score, report, score_headings
from newsreader.ingest.plaintext import plain_text_to_document

RESULTS = Path(__file__).resolve().parents[1] / "bench" / "results" / "headings-heldout.txt"
# Micro F1 reached on the held-out cases, per shape (0.913 saved, 0.920 pasted; see the
# report for per-case figures), less a small margin. What is left is mostly image captions
# ("Flame chart", "Scatter plot"), which plain text cannot tell from headings, paragraphs
# that are entirely bold (run-in headings, "How can we identify an issue?"), and headings
# that break the rules on purpose (ending with "." or "!").
MIN_F1 = {"saved": 0.91, "pasted": 0.91}

_BLOCK_TAGS = frozenset(
    re.findall(
        r"\S+",
        """p div section article header footer main aside nav blockquote figure figcaption
        h1 h2 h3 h4 h5 h6 ul ol li dl dt dd pre table tr thead tbody tfoot hr br form details
        summary center address caption""",
    )
)
_HEADING_TAGS = frozenset({"h1", "h2", "h3", "h4", "h5", "h6"})
_SCORED_TAGS = frozenset({"h1", "h2", "h3", "h4"})
_SKIPPED_TAGS = frozenset({"script", "style", "noscript", "template"})
# Entries in the same group are written on consecutive lines; all list items share one.
_LIST = "list"


@dataclass(frozen=True)
class HeldOutCase:
    name: str
    title: str
    text: str  # the saved shape
    headings: list[str]
    dont_care: frozenset[str]
    body: list[str]  # every non-blank body line, whitespace collapsed


@dataclass
class _Builder:
    entries: list[tuple[str, object]] = field(default_factory=list)
    headings: list[str] = field(default_factory=list)
    minor: set[str] = field(default_factory=set)
    inline: list[str] = field(default_factory=list)
    groups: int = 0

    def flush(self, group: object) -> None:
        text = " ".join("".join(self.inline).split())
        self.inline.clear()
        if text:
            self.entries.append((text, group))

    def new_group(self) -> int:
        self.groups += 1
        return self.groups

    def walk(self, element: lxml.html.HtmlElement, group: object) -> None:
        tag = element.tag if isinstance(element.tag, str) else ""
        if not tag or tag in _SKIPPED_TAGS:
            pass
        elif tag == "pre":
            self.flush(group)
            block = self.new_group()
            for line in element.text_content().strip("\n").split("\n"):
                self.entries.append((line.rstrip(), block))
        elif tag == "table":
            self.flush(group)
            block = self.new_group()
            for row in element.iter("tr"):
                cells = [
                    " ".join(cell.text_content().split())
                    for cell in row
                    if isinstance(cell.tag, str) and cell.tag in ("td", "th")
                ]
                if any(cells):
                    self.entries.append(("\t".join(cells), block))
        elif tag in _HEADING_TAGS:
            self.flush(group)
            text = " ".join(element.text_content().split())
            if text:
                self.entries.append((text, None))
                (self.headings.append if tag in _SCORED_TAGS else self.minor.add)(text)
        else:
            block = tag in _BLOCK_TAGS
            if tag in ("ul", "ol", "dl"):
                group = _LIST
            if block:
                self.flush(group)
            if element.text:
                self.inline.append(element.text)
            for child in element:
                self.walk(child, group)
            if block:
                self.flush(group)
        if element.tail:
            self.inline.append(element.tail)

    def lines(self, title: str) -> list[str]:
        self.flush(None)
        out = [title, ""]
        previous: object = None
        for index, (text, group) in enumerate(self.entries):
            if index and (group is None or group != previous):
                out.append("")
            out.append(text)
            previous = group
        return out


def build_case(case_dir: Path) -> HeldOutCase:
    """The plain-text article for one readability case, with its expected headings."""
    metadata = json.loads((case_dir / "expected-metadata.json").read_text(encoding="utf-8"))
    title = " ".join(str(metadata.get("title") or "").split())
    html = (case_dir / "expected.html").read_text(encoding="utf-8")
    builder = _Builder()
    builder.walk(lxml.html.fragment_fromstring(html, create_parent="div"), None)
    lines = builder.lines(title)
    minor = frozenset(builder.minor - set(builder.headings))
    return HeldOutCase(
        name=case_dir.name,
        title=title,
        text="\n".join(lines) + "\n",
        headings=builder.headings,
        dont_care=minor,
        body=[" ".join(line.split()) for line in lines[2:] if line.strip()],
    )


def _cases(shared: Path) -> list[HeldOutCase]:
    corpus = shared / "corpus"
    readability = corpus / "articles" / "readability"
    manifest = corpus / "plaintext" / "MANIFEST.tsv"
    if not readability.is_dir() or not manifest.is_file():
        pytest.skip(f"readability cases or plain-text manifest not found under {corpus}")
    with manifest.open(encoding="utf-8", newline="") as handle:
        used = {row["readability_case"] for row in csv.DictReader(handle, delimiter="\t")}
    return [
        build_case(case_dir)
        for case_dir in sorted(readability.iterdir())
        if case_dir.name not in used
        and (case_dir / "expected.html").is_file()
        and (case_dir / "expected-metadata.json").is_file()
    ]


def _saved(case: HeldOutCase) -> str:
    return case.text


def _pasted(case: HeldOutCase) -> str:
    """As pasted from a browser: no title line, one newline between paragraphs."""
    return "\n".join(line for line in case.text.splitlines()[1:] if line.strip()) + "\n"


SHAPES = {"saved": _saved, "pasted": _pasted}


def _score(case: HeldOutCase, found: list[str]) -> tuple[Score, list[str], list[str]]:
    return score_headings(case.headings, case.dont_care, found)


def _benchmark(cases: list[HeldOutCase]) -> dict[str, tuple[Score, list[Row]]]:
    results = {}
    for shape, make in SHAPES.items():
        total = Score()
        rows = []
        for case in cases:
            score, wrong, missed = _score(case, plain_text_to_document(make(case)).headings)
            total.add(score)
            rows.append((case.name, score, wrong, missed))
        results[shape] = (total, rows)
    return results


def _report(results: dict[str, tuple[Score, list[Row]]]) -> str:
    return report(
        results,
        "held-out readability cases (not in corpus/plaintext), built by the plaintext recipe",
    )


@pytest.fixture
def cases(shared_dir: Path) -> list[HeldOutCase]:
    found = _cases(shared_dir)
    if not found:
        pytest.skip("no held-out readability cases found")
    return found


def test_recipe_reproduces_the_stored_plaintext(shared_dir: Path) -> None:
    """The builder gives the stored corpus files (before their trailers) byte for byte."""
    corpus = shared_dir / "corpus"
    manifest = corpus / "plaintext" / "MANIFEST.tsv"
    if not manifest.is_file():
        pytest.skip(f"plain-text manifest not found at {manifest}")
    with manifest.open(encoding="utf-8", newline="") as handle:
        rows = list(csv.DictReader(handle, delimiter="\t"))
    for row in rows:
        case_dir = corpus / "articles" / "readability" / row["readability_case"]
        built = build_case(case_dir)
        stored = (corpus / "plaintext" / row["file"]).read_text(encoding="utf-8").splitlines()
        if row["trailer_start_line"].strip():
            stored = stored[: int(row["trailer_start_line"]) - 1]
        while stored and not stored[-1].strip():
            stored.pop()
        assert built.text.splitlines() == stored, row["file"]
        expected = (corpus / "plaintext" / row["file"].replace(".txt", ".headings.txt")).read_text(
            encoding="utf-8"
        )
        assert built.headings == [line for line in expected.splitlines() if line.strip()]


def test_heading_detection_on_held_out_cases(cases: list[HeldOutCase]) -> None:
    results = _benchmark(cases)
    report = _report(results)
    print("\n" + report)
    RESULTS.parent.mkdir(parents=True, exist_ok=True)
    RESULTS.write_text(report, encoding="utf-8")
    for shape, (total, _rows) in results.items():
        assert total.f1 >= MIN_F1[shape], f"{shape}: F1 {total.f1:.3f} < {MIN_F1[shape]}"


@pytest.mark.parametrize("shape", list(SHAPES))
def test_held_out_body_kept(cases: list[HeldOutCase], shape: str) -> None:
    """No held-out article has a trailer, so every body line must survive."""
    for case in cases:
        document = plain_text_to_document(SHAPES[shape](case))
        flat = re.sub(r"(?m)^(?:- |## )", "", re.sub(r"\\(.)", r"\1", document.markdown))
        flat = " ".join(flat.split())
        for line in case.body:
            assert line in flat or _code_line_kept(line, document.markdown), (
                f"{case.name} ({shape}) lost: {line!r}"
            )


def _code_line_kept(line: str, markdown: str) -> bool:
    """Lines of a fenced block keep their spacing (tabs expanded), so compare them loosely."""
    return " ".join(line.split()) in " ".join(markdown.split())
