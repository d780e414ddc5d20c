"""Headings found by fitted weights: each candidate line is scored from its features.

The candidates are the short lines (:mod:`.features`); a weighted sum of their features
above zero makes a heading. The weights (:mod:`.heading_weights`) are fitted on labelled
articles by ``bench/headings_fit.py`` and checked there on articles no fitting saw. What is
left of the short lines is a list when two or more stand together, and a table of contents
still turns the lines it lists into headings (:mod:`.contents`).
"""

from __future__ import annotations

import math
import re
from collections import Counter
from collections.abc import Callable, Iterable, Mapping
from dataclasses import dataclass

from newsreader.ingest.plaintext.blocks import Kind, Unit
from newsreader.ingest.plaintext.contents import classify_contents
from newsreader.ingest.plaintext.features import (
    document_features,
    opening,
    score,
    table_follows,
)
from newsreader.ingest.plaintext.heading_weights import WEIGHTS
from newsreader.ingest.plaintext.headings import classify_marked, is_blank_separated, mark_all
from newsreader.ingest.plaintext.line_features import LABEL_NUMBER, title_case
from newsreader.ingest.plaintext.lines import (
    SOCIAL,
    capitalised_ratio,
    is_comment_header,
    is_numbered,
    words_of,
)


@dataclass(frozen=True, slots=True)
class Policy:
    """How the fitted scores and the hand-written rules are combined, for one text shape.

    Attributes:
        threshold: A line the rules do not take for a heading is one when its score is
            above this, unless it stands in a run of short lines (whose reading, a list or a
            heading and its list, is left to the rules).
        margin: A line the rules take for a heading is one unless its score is below
            ``-margin`` (a line marked by its form, :func:`_marked`, or one in a run of
            short lines, stays one).
    """

    threshold: float
    margin: float


# A byline: "By Jane Doe", "Posted by Jane Doe" (a credit, "Photo by", names no story).
_BYLINE = re.compile(r"^(?:by|posted by|written by)\s+\S", re.IGNORECASE)

# A word that carries meaning (three letters or more).
_CONTENT_WORD = re.compile(r"[^\W\d_]{3,}")

# A label and its value: "Company: Google", "Crank Arms: Rotor, Stages".
_LABEL_VALUE = re.compile(r"^[^:\s][^:]{0,29}:\s+\S")

# Chosen by leave-one-site-out cross-validation in bench/headings_fit.py (--grid).
POLICIES: dict[bool, Policy] = {
    True: Policy(threshold=0.0, margin=0.0),  # saved: blank lines between paragraphs
    False: Policy(threshold=-1.0, margin=4.0),  # pasted: one newline between them
}


def classify(
    units: list[Unit],
    weights: Mapping[str, float] = WEIGHTS,
    policies: Mapping[bool, Policy] = POLICIES,
) -> None:
    """Mark each unit as paragraph, heading, list item or code (in place).

    A title-like candidate (or one ending with "?" or ":") is a heading when the
    hand-written rules (:func:`.headings.classify_marked`) take it for one and its score is not
    too low, or when its score is high enough and it does not stand in a run of short
    lines; see :class:`Policy`, whose values depend on the text's shape.
    """
    mark_all(units)
    # The rules' reading (which changes only the kinds; tables of contents are left to
    # decide()), then the kinds as marked.
    kinds = [unit.kind for unit in units]
    classify_marked(units, contents=False)
    ruled = {i for i, unit in enumerate(units) if unit.kind is Kind.HEADING}
    for unit, kind in zip(units, kinds, strict=True):
        unit.kind = kind
    blank_separated = is_blank_separated(units)
    policy = policies[blank_separated]
    # Candidates whose reading no score can change are not scored (see _settled).
    passed: list[int] = []
    found = document_features(
        units,
        blank_separated,
        eligible,
        lambda index: _settled(units, index, ruled, policy) is not None,
        passed,
    )
    scores: dict[int, float | None] = {
        index: score(features, weights) for index, features in found.items()
    }
    scores.update(dict.fromkeys(passed))
    decide(units, scores, ruled, policy)


def decide(
    units: list[Unit], scores: Mapping[int, float | None], ruled: set[int], policy: Policy
) -> None:
    """Headings by ``policy`` from the candidates' ``scores`` and the rules' headings
    (``ruled``); then lists and tables of contents (in place). A candidate whose score is
    None is one whose reading the score cannot change (:func:`_settled`)."""
    counted = _counted_labels(units, scores) | _over_bylines(units, scores)
    templated = _templated(units, scores)
    for index in sorted(scores):
        unit = units[index]
        value = scores[index]
        if value is None:
            heading = bool(_settled(units, index, ruled, policy))
        elif index in ruled:
            heading = (
                value > -policy.margin
                or _marked(unit.text)
                or index in counted
                or _in_run(units, index)
            )
        else:
            heading = (
                (value > policy.threshold and not _lead_in(unit.text)) or index in counted
            ) and not _in_run(units, index)
        # A line right over a table's rows is its caption or a header row spanning its
        # columns; a section's heading is followed by words that open it.
        if heading and not _marked(unit.text):
            heading = not (
                index in templated
                or table_follows(units, index)
                or _beside_social(units, index)
                or _among_fields(units, index)
                or _echoes_heading_above(units, index)
            )
        if heading:
            unit.kind = Kind.HEADING
    _lists(units)
    classify_contents(units)


def _settled(units: list[Unit], index: int, ruled: set[int], policy: Policy) -> bool | None:
    """Whether the candidate at ``index`` is a heading whatever its score (None: the score
    decides).

    Only what :func:`decide` cannot have changed by the time it reaches ``index`` is
    looked at: the line after it (decide goes in order), and whether the rules took it.
    """
    unit = units[index]
    after = units[index + 1] if index + 1 < len(units) else None
    run_after = (
        after is not None and after.kind is Kind.PARAGRAPH and after.short and not unit.blank_after
    )
    if index in ruled:
        if policy.margin == math.inf or run_after or _marked(unit.text):
            return True
        return None
    return False if run_after else None


def _counted_labels(units: list[Unit], candidates: Iterable[int]) -> set[int]:
    """The candidates led by a label and a number ("Step 4: ...", "Part II. ...") whose
    label leads another candidate too: sections counted through the text."""
    labelled: dict[int, str] = {}
    for index in candidates:
        match = LABEL_NUMBER.match(units[index].text)
        if match:
            labelled[index] = match.group(1).lower()
    counts = Counter(labelled.values())
    return {index for index, label in labelled.items() if counts[label] >= 2}


def _templated(units: list[Unit], candidates: Iterable[int]) -> set[int]:
    """The candidates whose first words (:func:`.features.opening`) two other lines share:
    lines made from one template ("Learn more about X", "MDN definition of <b>", "More
    than 10%") are labels, captions or a list, while a text's headings name different
    things. (One line repeated, as a section name in each of several joined articles, is
    no template.)"""
    openings: dict[str, list[int]] = {}
    for index in candidates:
        key = opening(units[index].text)
        if key:
            openings.setdefault(key, []).append(index)
    return {
        index
        for group in openings.values()
        if len(group) >= 3 and len({units[k].text for k in group}) >= 3
        for index in group
    }


def _over_bylines(units: list[Unit], candidates: Iterable[int]) -> set[int]:
    """The title-like candidates directly above a byline ("By Jane Doe"): a byline names
    who wrote what comes below it, so the line above it is that piece's title (a story of a
    weekly edition, a post of a digest)."""
    found = set()
    for index in candidates:
        if index + 1 >= len(units) or not units[index].title_like:
            continue
        below = units[index + 1]
        if below.kind is not Kind.PARAGRAPH or not _BYLINE.match(below.text):
            continue
        words = words_of(below.text)
        if len(words) <= 6 and capitalised_ratio(words) >= 0.75:
            found.add(index)
    return found


def _echoes_heading_above(units: list[Unit], index: int) -> bool:
    """Whether ``units[index]`` stands right under a heading and repeats one of its words
    ("Bugzilla" / "Bugzilla logo"): it describes the section (a picture's caption, a lead
    sentence) rather than naming a subsection, whose name says something new."""
    if index == 0 or units[index - 1].kind is not Kind.HEADING:
        return False
    above = {w.lower() for w in _CONTENT_WORD.findall(units[index - 1].text)}
    return any(w.lower() in above for w in _CONTENT_WORD.findall(units[index].text))


def _among_fields(units: list[Unit], index: int) -> bool:
    """Whether ``units[index]`` pairs a label with a value ("IPO: NYSE:NOK") next to a line
    that does too: fields of a box or a list ("Company: Nokia", "Website: nokia.com"), of
    which it is one."""
    if not _LABEL_VALUE.match(units[index].text):
        return False
    return _next_to(units, index, lambda text: _LABEL_VALUE.match(text) is not None)


def _beside_social(units: list[Unit], index: int) -> bool:
    """Whether a line next to ``units[index]`` is a handle or a posting time
    (:data:`.lines.SOCIAL`): the line is then a name or a caption of an embedded post or a
    profile card ("Robert Scoble" over "Follow @Scobleizer")."""
    return _next_to(units, index, lambda text: len(text) <= 80 and SOCIAL.search(text) is not None)


def _next_to(units: list[Unit], index: int, test: Callable[[str], bool]) -> bool:
    """Whether the text of a line right above or below ``units[index]`` (not code) passes
    ``test``."""
    return any(
        0 <= k < len(units) and units[k].kind is not Kind.CODE and test(units[k].text)
        for k in (index - 1, index + 1)
    )


def _lead_in(text: str) -> bool:
    """A sentence that ends with ":" ("The major changes are:"): it introduces what comes
    next (a list, a quotation, an example) and is a heading only when the rules say so."""
    if not text.endswith(":"):
        return False
    words = words_of(text)
    return len(words) >= 3 and not title_case(words)


def _marked(text: str) -> bool:
    """Whether ``text`` is marked as a heading by its form whatever its score: numbered
    ("2. Results", "Step 3: Configure"), or a reader's comment's header ("Name wrote on
    <date>:")."""
    return is_numbered(text) or bool(LABEL_NUMBER.match(text)) or is_comment_header(text)


def eligible(unit: Unit) -> bool:
    """Whether a candidate may be a heading at all, judged on the line alone.

    What the line alone rules out (a credit, a quotation, a line going on in lower case, a
    byline, a date...) is never a heading, whatever its neighbours; only these are scored.
    """
    return unit.title_like or unit.text[-1:] in "?:"


def candidate_features(units: list[Unit]) -> dict[int, dict[str, float]]:
    """Mark the short and title-like lines of ``units``; the features of each line that
    may be a heading (:func:`eligible`)."""
    mark_all(units)
    return document_features(units, is_blank_separated(units), eligible)


def _in_run(units: list[Unit], index: int) -> bool:
    """Whether ``units[index]`` stands in a run of short lines (a list, or a heading and
    its list), where the rules' reading of the run decides."""
    unit = units[index]
    before = units[index - 1] if index > 0 else None
    after = units[index + 1] if index + 1 < len(units) else None
    return (
        before is not None
        and before.kind is Kind.PARAGRAPH
        and before.short
        and not before.blank_after
    ) or (
        after is not None and after.kind is Kind.PARAGRAPH and after.short and not unit.blank_after
    )


def _lists(units: list[Unit]) -> None:
    """Runs of two or more short lines that are not headings are list items."""
    n = len(units)
    i = 0
    while i < n:
        if not (units[i].kind is Kind.PARAGRAPH and units[i].short):
            i += 1
            continue
        j = i
        while (
            j + 1 < n
            and units[j + 1].kind is Kind.PARAGRAPH
            and units[j + 1].short
            and not units[j].blank_after
        ):
            j += 1
        if j > i:
            for k in range(i, j + 1):
                units[k].kind = Kind.ITEM
        i = j + 1
