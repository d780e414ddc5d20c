"""The query language's syntax tree and its translation to SQL.

:mod:`newsreader.search` parses what a user types into these nodes; :func:`compile_node`
turns them into an FTS5 ``MATCH`` expression (for ranking, when the words can all go to the
index) and an SQL condition over ``articles a``, where text under ``OR`` or ``NOT`` with
qualifiers goes through index sub-queries.
"""

from __future__ import annotations

from dataclasses import dataclass


@dataclass(frozen=True, slots=True)
class Term:
    """Words matched in the index: a word, a phrase or a prefix, maybe in one column."""

    words: tuple[str, ...]
    prefix: bool = False
    column: str | None = None

    def fts(self) -> str:
        phrase = '"' + " ".join(self.words) + '"' + ("*" if self.prefix else "")
        return f"{self.column} : {phrase}" if self.column else phrase


@dataclass(frozen=True, slots=True)
class Condition:
    """A qualifier that is checked in SQL, not in the index."""

    sql: str
    params: tuple[object, ...] = ()


@dataclass(frozen=True, slots=True)
class Not:
    node: Node


@dataclass(frozen=True, slots=True)
class And:
    nodes: tuple[Node, ...]


@dataclass(frozen=True, slots=True)
class Or:
    nodes: tuple[Node, ...]


Node = Term | Condition | Not | And | Or


def _text_only(node: Node) -> bool:
    if isinstance(node, Term):
        return True
    if isinstance(node, Condition):
        return False
    if isinstance(node, Not):
        return _text_only(node.node)
    return all(_text_only(child) for child in node.nodes)


def _positive_fts(node: Node) -> str | None:
    """An FTS5 expression for a text-only node with at least one positive term, else None."""
    if isinstance(node, Term):
        return node.fts()
    if isinstance(node, Not | Condition):
        return None
    if isinstance(node, Or):
        parts = [_positive_fts(child) for child in node.nodes]
        if any(part is None for part in parts):
            return None
        return "(" + " OR ".join(p for p in parts if p) + ")"
    positives = [_positive_fts(c) for c in node.nodes if not isinstance(c, Not)]
    if not positives or any(p is None for p in positives):
        return None
    expression = "(" + " AND ".join(p for p in positives if p) + ")"
    for child in node.nodes:
        if isinstance(child, Not):
            excluded = _any_fts(child.node)
            if excluded is None:
                return None
            expression = f"({expression} NOT {excluded})"
    return expression


def _any_fts(node: Node) -> str | None:
    """An FTS5 expression matching the rows where a text-only node matches."""
    return _positive_fts(node)


_IN_INDEX = "a.id IN (SELECT rowid FROM articles_fts WHERE articles_fts MATCH ?)"


def _sql(node: Node) -> tuple[str, tuple[object, ...]]:
    """An SQL condition for any node, text going through index sub-queries."""
    if isinstance(node, Condition):
        return f"({node.sql})", node.params
    if _text_only(node):
        expression = _positive_fts(node)
        if expression is not None:
            return _IN_INDEX, (expression,)
    if isinstance(node, Term):  # unreachable: a term is always positive text
        return _IN_INDEX, (node.fts(),)
    if isinstance(node, Not):
        inner, params = _sql(node.node)
        return f"NOT {inner}", params
    joiner = " AND " if isinstance(node, And) else " OR "
    parts: list[str] = []
    params_out: list[object] = []
    for child in node.nodes:
        sql, params = _sql(child)
        parts.append(sql)
        params_out.extend(params)
    return "(" + joiner.join(parts) + ")", tuple(params_out)


def compile_node(node: Node | None) -> tuple[str | None, str, tuple[object, ...]]:
    """``(match, where, params)`` for a parsed query."""
    if node is None:
        return None, "1", ()
    children = node.nodes if isinstance(node, And) else (node,)
    text = [c for c in children if _text_only(c)]
    rest = [c for c in children if not _text_only(c)]
    match = _positive_fts(And(tuple(text))) if text else None
    if match is None:
        rest = list(children)
    clauses: list[str] = []
    params: list[object] = []
    for child in rest:
        sql, child_params = _sql(child)
        clauses.append(sql)
        params.extend(child_params)
    return match, " AND ".join(clauses) or "1", tuple(params)
