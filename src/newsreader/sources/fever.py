"""A client for the Fever API (Miniflux, FreshRSS, Tiny Tiny RSS, coldsweat).

Every call is a POST to ``URL?api&COMMAND`` with ``api_key = md5("username:password")`` in the
form. Answers are checked before use: a refused key (``auth: 0``), an unreachable or slow
server, an HTML page, malformed JSON or fields of the wrong type each become one
:class:`~newsreader.sources.accounts.AccountError` line.
"""

from __future__ import annotations

import hashlib
import json
from collections.abc import Sequence
from typing import Any

import httpx

from newsreader import __version__
from newsreader.sources.accounts import (
    AccountError,
    AuthError,
    ItemGone,
    ItemPage,
    RemoteFeed,
    RemoteGroup,
    RemoteItem,
)

PAGE_SIZE = 50  # the Fever API's page of items
_MARK_AS = {("read", True): "read", ("read", False): "unread",
            ("starred", True): "saved", ("starred", False): "unsaved"}  # fmt: skip


def api_key(username: str, password: str) -> str:
    return hashlib.md5(f"{username}:{password}".encode(), usedforsecurity=False).hexdigest()


class FeverClient:
    """One Fever account. Calls may be made from several threads at once (one
    ``httpx.Client`` is thread-safe)."""

    def __init__(
        self,
        url: str,
        username: str,
        password: str,
        timeout: float = 20.0,
        transport: httpx.BaseTransport | None = None,
    ) -> None:
        self.url = url
        self.username = username
        self._key = api_key(username, password)
        self._http = httpx.Client(
            timeout=httpx.Timeout(timeout, connect=min(timeout, 10.0)),
            headers={"User-Agent": f"newsreader/{__version__} (Fever API client)"},
            follow_redirects=True,
            transport=transport,
        )

    @property
    def identity(self) -> str:
        return f"fever {self.username} {self.url}"

    def close(self) -> None:
        self._http.close()

    # -- the calls ---------------------------------------------------------------------------

    def check(self) -> None:
        self._call("")

    def groups_and_feeds(self) -> tuple[list[RemoteGroup], list[RemoteFeed]]:
        answer = self._call("groups&feeds")
        groups = [
            RemoteGroup(id=_int(g, "id", "groups"), title=_text(g, "title"))
            for g in _list(answer, "groups")
        ]
        members: dict[int, list[int]] = {}
        for link in _list(answer, "feeds_groups"):
            group_id = _int(link, "group_id", "feeds_groups")
            for feed_id in _id_list(link.get("feed_ids", ""), "feeds_groups"):
                members.setdefault(feed_id, []).append(group_id)
        feeds = [
            RemoteFeed(
                id=(feed_id := _int(f, "id", "feeds")),
                title=_text(f, "title"),
                url=_text(f, "url"),
                site_url=_text(f, "site_url"),
                group_ids=tuple(members.get(feed_id, ())),
            )
            for f in _list(answer, "feeds")
        ]
        return groups, feeds

    def items_since(self, since_id: int) -> ItemPage:
        answer = self._call(f"items&since_id={int(since_id)}")
        items = sorted((_item(i) for i in _list(answer, "items")), key=lambda i: i.id)
        total = answer.get("total_items")
        return ItemPage(tuple(items), total if isinstance(total, int) else None)

    def items_with_ids(self, ids: Sequence[int]) -> list[RemoteItem]:
        found: list[RemoteItem] = []
        wanted = sorted(set(ids))
        for start in range(0, len(wanted), PAGE_SIZE):
            chunk = ",".join(str(i) for i in wanted[start : start + PAGE_SIZE])
            found.extend(_item(i) for i in _list(self._call(f"items&with_ids={chunk}"), "items"))
        return found

    def unread_ids(self) -> set[int]:
        answer = self._call("unread_item_ids")
        return set(_id_list(answer.get("unread_item_ids", ""), "unread_item_ids"))

    def saved_ids(self) -> set[int]:
        answer = self._call("saved_item_ids")
        return set(_id_list(answer.get("saved_item_ids", ""), "saved_item_ids"))

    def item_states(self) -> tuple[set[int], set[int]]:
        """The unread and the saved id lists, in one request where the server answers
        several commands at once (coldsweat, FreshRSS, Tiny Tiny RSS), else in two (Miniflux
        answers only the first command it knows)."""
        answer = self._call("unread_item_ids&saved_item_ids")
        lists = {
            name: set(_id_list(answer[name], name))
            for name in ("unread_item_ids", "saved_item_ids")
            if name in answer
        }
        unread = lists["unread_item_ids"] if "unread_item_ids" in lists else self.unread_ids()
        saved = lists["saved_item_ids"] if "saved_item_ids" in lists else self.saved_ids()
        return unread, saved

    def mark(self, item_id: int, field: str, value: bool) -> None:
        state = _MARK_AS[(field, value)]
        self._call("", {"mark": "item", "as": state, "id": str(item_id)}, item_id=item_id)

    # -- plumbing ----------------------------------------------------------------------------

    def _call(
        self, command: str, form: dict[str, str] | None = None, item_id: int | None = None
    ) -> dict[str, Any]:
        url = (
            self.url
            + ("&" if "?" in self.url else "?")
            + "api"
            + (f"&{command}" if command else "")
        )
        data = {"api_key": self._key, **(form or {})}
        where = self.url
        try:
            response = self._http.post(url, data=data)
        except httpx.TimeoutException:
            raise AccountError(
                f"the server at {where} did not answer in time; try again later"
            ) from None
        except httpx.ConnectError as error:
            raise AccountError(f"cannot reach the server at {where}: {_reason(error)}") from None
        except httpx.HTTPError as error:
            raise AccountError(
                f"talking to the server at {where} failed: {_reason(error)}"
            ) from None
        if response.status_code == 404 and item_id is not None:
            raise ItemGone(f"the server has no item {item_id}")
        if response.status_code in (401, 403):
            raise AuthError(
                f"the server at {where} refused the username or password "
                f"(HTTP {response.status_code})"
            )
        if response.status_code >= 400:
            raise AccountError(
                f"the server at {where} answered HTTP {response.status_code} "
                f"{response.reason_phrase}".rstrip()
            )
        body = response.content
        kind = response.headers.get("content-type", "").lower()
        if "html" in kind or body.lstrip()[:1] == b"<":
            raise AccountError(
                f"the server at {where} answered with a web page, not the Fever API "
                "(check the url in [account]; it usually ends in /fever/)"
            )
        try:
            answer = json.loads(body)
        except ValueError as error:
            raise AccountError(
                f"the server at {where} sent malformed JSON ({str(error).splitlines()[0]})"
            ) from None
        if not isinstance(answer, dict):
            raise AccountError(f"the server at {where} sent JSON that is not a Fever answer")
        if answer.get("auth") != 1:
            raise AuthError(f"the server at {where} refused the username or password (auth: 0)")
        return answer


def _reason(error: Exception) -> str:
    text = str(error).splitlines()[0] if str(error) else type(error).__name__
    return text[:200]


def _bad(field: str) -> AccountError:
    return AccountError(f"the server sent an unexpected {field} answer (not the Fever API?)")


def _list(answer: dict[str, Any], field: str) -> list[dict[str, Any]]:
    value = answer.get(field, [])
    if value is None:
        return []
    if not isinstance(value, list) or not all(isinstance(v, dict) for v in value):
        raise _bad(field)
    return value


def _int(entry: dict[str, Any], key: str, field: str) -> int:
    value = entry.get(key)
    if isinstance(value, bool):
        raise _bad(field)
    if isinstance(value, str) and value.strip().isdigit():
        return int(value)
    if not isinstance(value, int):
        raise _bad(field)
    return value


def _text(entry: dict[str, Any], key: str) -> str:
    value = entry.get(key)
    if value is None:
        return ""
    return value if isinstance(value, str) else str(value)


def _flag(entry: dict[str, Any], key: str) -> bool:
    value = entry.get(key, 0)
    return value in (1, True, "1")


def _id_list(value: Any, field: str) -> list[int]:
    """Fever sends id lists as comma-separated strings (some servers: JSON lists)."""
    if isinstance(value, list):
        parts = [str(v) for v in value]
    elif isinstance(value, str | int) and not isinstance(value, bool):
        parts = str(value).split(",")
    elif value is None:
        return []
    else:
        raise _bad(field)
    ids: list[int] = []
    for part in parts:
        part = part.strip()
        if not part:
            continue
        if not part.isdigit():
            raise _bad(field)
        ids.append(int(part))
    return ids


def _item(entry: dict[str, Any]) -> RemoteItem:
    created = entry.get("created_on_time", 0)
    return RemoteItem(
        id=_int(entry, "id", "items"),
        feed_id=_int(entry, "feed_id", "items"),
        title=_text(entry, "title"),
        author=_text(entry, "author"),
        html=_text(entry, "html"),
        url=_text(entry, "url"),
        created=created if isinstance(created, int) and not isinstance(created, bool) else 0,
        read=_flag(entry, "is_read"),
        saved=_flag(entry, "is_saved"),
    )
