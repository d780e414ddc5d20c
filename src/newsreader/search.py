"""The query language shared by the search bar, ``newsreader search``, saved searches and filters.

A query is words and qualifiers::

    tomahawk "cruise missile" ukrain* (kyiv OR kiev) -opinion feed:"BBC News" tag:world
    is:unread since:7d before:2026-11-01 author:smith title:budapest

Words must all match (``AND`` may be written), ``OR`` joins alternatives, ``-word`` and
``NOT word`` exclude, parentheses group, ``"…"`` is a phrase and ``word*`` a prefix. Case and
accents do not matter (the index folds them). Anything typed is safe: every word reaches
SQLite quoted, unbalanced quotes and brackets are closed, stray operators are ignored, an
unknown qualifier is searched as text (with a warning), and a query is cut to
:data:`MAX_TERMS` terms and :data:`MAX_QUERY_CHARS` characters, saying so.

:func:`compile_query` turns a query into an FTS5 ``MATCH`` expression (used for ranking when
the query's words can all go to the index) and an SQL condition over ``articles a`` (feeds
are named through sub-queries on the feeds table).
"""

from __future__ import annotations

import re
from collections.abc import Iterator
from dataclasses import dataclass, field
from datetime import UTC, datetime, timedelta

from newsreader.search_tree import And, Condition, Node, Not, Or, Term, compile_node

MAX_QUERY_CHARS = 1000
MAX_TERMS = 64

_WORD = re.compile(r"\w+", re.UNICODE)
_LEXEME = re.compile(
    r"""\s*(?:
        (?P<open>\()|(?P<close>\))
      | (?P<neg>-)?(?P<key>[A-Za-z]+):(?:"(?P<qvalue>[^"]*)"?|(?P<value>[^\s()]*))
      | (?P<neg2>-)?"(?P<phrase>[^"]*)"?
      | (?P<neg3>-)?(?P<word>[^\s()"]+)
    )""",
    re.VERBOSE,
)
_RELATIVE = re.compile(r"^(\d{1,5})([hdwmy])$")
_UNITS = {
    "h": timedelta(hours=1),
    "d": timedelta(days=1),
    "w": timedelta(weeks=1),
    "m": timedelta(days=30),
    "y": timedelta(days=365),
}
_STATES = {
    "unread": "a.read = 0",
    "read": "a.read = 1",
    "starred": "a.starred = 1",
    "unstarred": "a.starred = 0",
    "hidden": "a.hidden = 1",
}
_TEXT_COLUMNS = {"title": "title", "author": "author"}
_NARROW = ("a.feed_id IN ", "a.starred = 1")  # conditions with an index of their own
_SQL_KEYS = {"feed", "tag", "is", "since", "before", "after", "until"}


class QueryError(ValueError):
    """What is wrong with a query, in one line for the user."""


@dataclass(frozen=True, slots=True)
class CompiledQuery:
    """A query ready for SQL: ``match`` (or None) ranks, ``where`` filters."""

    match: str | None
    where: str
    params: tuple[object, ...]
    warnings: tuple[str, ...] = ()
    hidden: bool = False  # the query names ``is:hidden``: articles hidden by filters count
    # Every article found is starred or in named feeds, whose indexes are narrower than the
    # unread articles' one (SQLite, without statistics, cannot tell).
    narrow: bool = False

    @property
    def empty(self) -> bool:
        return self.match is None and self.where == "1"


# -- lexing and parsing --------------------------------------------------------------------


@dataclass(slots=True)
class _Token:
    kind: str  # "(", ")", "OR", "AND", "NOT", "node"
    node: Node | None = None
    negated: bool = False


@dataclass(slots=True)
class _Parser:
    now: datetime
    warnings: list[str] = field(default_factory=list)
    terms: int = 0
    hidden: bool = False

    def tokens(self, text: str) -> Iterator[_Token]:
        position = 0
        while position < len(text):
            match = _LEXEME.match(text, position)
            if match is None or match.end() == position:
                break
            position = match.end()
            if match.group("open"):
                yield _Token("(")
            elif match.group("close"):
                yield _Token(")")
            elif match.group("key") is not None:
                value = match.group("qvalue")
                if value is None:
                    value = match.group("value") or ""
                node = self.qualifier(match.group("key"), value)
                if node is not None:
                    yield _Token("node", node, negated=bool(match.group("neg")))
            elif match.group("phrase") is not None:
                node = self.term(match.group("phrase"), phrase=True)
                if node is not None:
                    yield _Token("node", node, negated=bool(match.group("neg2")))
            else:
                word = match.group("word")
                if word in ("OR", "|"):
                    yield _Token("OR")
                elif word in ("AND", "&"):
                    yield _Token("AND")
                elif word == "NOT":
                    yield _Token("NOT")
                else:
                    node = self.term(word, phrase=False)
                    if node is not None:
                        yield _Token("node", node, negated=bool(match.group("neg3")))

    def term(self, text: str, *, phrase: bool, column: str | None = None) -> Term | None:
        words = tuple(_WORD.findall(text))
        if not words:
            return None
        if self.terms >= MAX_TERMS:
            return None
        self.terms += 1
        prefix = not phrase and text.endswith("*")
        return Term(words, prefix=prefix, column=column)

    def qualifier(self, key: str, value: str) -> Node | None:
        name = key.lower()
        if name in _TEXT_COLUMNS:
            return self.term(value, phrase=False, column=_TEXT_COLUMNS[name])
        if name not in _SQL_KEYS:
            self.warnings.append(f"unknown qualifier {key}: (searched as words)")
            return self.term(f"{key} {value}", phrase=True)
        if not value:
            raise QueryError(f"{key}: needs a value, e.g. {key}:{_EXAMPLES[name]}")
        # Feed conditions name the feeds by id (a sub-query over the small feeds table), so
        # SQLite may walk the articles of those feeds alone through their index.
        if name == "feed":
            pattern = f"%{_like(value)}%"
            if value.isdigit() and len(value) < 19:  # a feed's id, or a name with digits
                return Condition(
                    "a.feed_id IN (SELECT id FROM feeds WHERE id = ? OR title LIKE ? ESCAPE '\\')",
                    (int(value), pattern),
                )
            return Condition(
                "a.feed_id IN (SELECT id FROM feeds WHERE title LIKE ? ESCAPE '\\')", (pattern,)
            )
        if name == "tag":
            return Condition(
                "a.feed_id IN (SELECT id FROM feeds "
                "WHERE ('\x1f' || tags || '\x1f') LIKE ? ESCAPE '\\')",
                (f"%\x1f{_like(value)}\x1f%",),
            )
        if name == "is":
            state = value.lower()
            if state not in _STATES:
                raise QueryError(f"is:{value}: expected one of {', '.join(_STATES)}")
            self.hidden = self.hidden or state == "hidden"
            return Condition(_STATES[state])
        when = parse_when(value, self.now)
        if when is None:
            raise QueryError(
                f"{key}:{value}: expected a date like 2026-11-01 or an age like 7d, 12h, 2w, 3m, 1y"
            )
        if name in ("since", "after"):
            return Condition("a.published >= ?", (when.timestamp(),))
        return Condition("a.published < ?", (when.timestamp(),))

    def parse(self, text: str) -> Node | None:
        tokens = list(self.tokens(text))
        node, _ = self._or(tokens, 0)
        return node

    def _or(self, tokens: list[_Token], i: int) -> tuple[Node | None, int]:
        options: list[Node] = []
        while i < len(tokens):
            node, i = self._and(tokens, i)
            if node is not None:
                options.append(node)
            if i < len(tokens) and tokens[i].kind == "OR":
                i += 1
                continue
            if i < len(tokens) and tokens[i].kind == ")":
                break
        if not options:
            return None, i
        return (options[0] if len(options) == 1 else Or(tuple(options))), i

    def _and(self, tokens: list[_Token], i: int) -> tuple[Node | None, int]:
        nodes: list[Node] = []
        negate = False
        while i < len(tokens) and tokens[i].kind not in ("OR", ")"):
            token = tokens[i]
            i += 1
            if token.kind == "AND":
                continue
            if token.kind == "NOT":
                negate = not negate
                continue
            node: Node | None
            if token.kind == "(":
                node, i = self._or(tokens, i)
                if i < len(tokens) and tokens[i].kind == ")":
                    i += 1
            else:
                node = token.node
                if token.negated:
                    negate = not negate
            if node is not None:
                nodes.append(Not(node) if negate else node)
            negate = False
        if not nodes:
            return None, i
        return (nodes[0] if len(nodes) == 1 else And(tuple(nodes))), i


_EXAMPLES = {
    "feed": "bbc",
    "tag": "world",
    "is": "unread",
    "since": "7d",
    "before": "2026-11-01",
    "after": "7d",
    "until": "2026-11-01",
}


def _like(value: str) -> str:
    return value.replace("\\", "\\\\").replace("%", "\\%").replace("_", "\\_")


def parse_when(value: str, now: datetime) -> datetime | None:
    """``7d``/``12h``/``2w``/``3m``/``1y`` before ``now``, ``today``, ``yesterday`` or a date."""
    text = value.strip().lower()
    relative = _RELATIVE.match(text)
    if relative:
        return now - int(relative.group(1)) * _UNITS[relative.group(2)]
    midnight = now.replace(hour=0, minute=0, second=0, microsecond=0)
    if text == "today":
        return midnight
    if text == "yesterday":
        return midnight - timedelta(days=1)
    try:
        parsed = datetime.fromisoformat(text)
    except ValueError:
        return None
    return parsed if parsed.tzinfo else parsed.replace(tzinfo=now.tzinfo or UTC)


# A last word of two characters or more: a single letter would start too many words to be
# worth merging their lists while someone types.
_TRAILING_WORD = re.compile(r'(?:^|[\s(])-?[^\s()":*]*\w\w$')


def compile_query(
    text: str, *, now: datetime | None = None, prefix_last: bool = False
) -> CompiledQuery:
    """Compile what a user typed; raises :class:`QueryError` for a qualifier it cannot read.

    With ``prefix_last`` a bare last word matches as a prefix, so results follow typing.
    """
    warnings: list[str] = []
    if len(text) > MAX_QUERY_CHARS:
        warnings.append(f"query cut to its first {MAX_QUERY_CHARS} characters")
        text = text[:MAX_QUERY_CHARS]
    if (
        prefix_last
        and _TRAILING_WORD.search(text)
        and text.count('"') % 2 == 0
        and text.split()[-1] not in ("OR", "AND", "NOT")
    ):
        text += "*"
    parser = _Parser(now=now or datetime.now(UTC))
    node = parser.parse(text)
    warnings.extend(parser.warnings)
    if parser.terms >= MAX_TERMS and len(_WORD.findall(text)) > MAX_TERMS:
        warnings.append(f"only the first {MAX_TERMS} words are searched")
    match, where, params = compile_node(node)
    children = node.nodes if isinstance(node, And) else () if node is None else (node,)
    narrow = any(
        isinstance(child, Condition) and child.sql.startswith(_NARROW) for child in children
    )
    return CompiledQuery(
        match=match,
        where=where,
        params=params,
        warnings=tuple(warnings),
        hidden=parser.hidden,
        narrow=narrow,
    )
