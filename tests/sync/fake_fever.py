"""A small Fever server for the bad-answer tests: good answers, or one kind of broken one.

It keeps items, unread and saved ids like a server; ``mode`` makes it misbehave: "auth0"
(refuses the key), "html" (a web page), "malformed" (broken JSON), "slow" (answers after
``delay`` seconds), "error" (HTTP 500), "unknown_ids" (lists ids and items it does not have),
"marks_fail" (HTTP 500 to every mark, good answers to the rest). ``one_command`` makes it
answer only the first command of a request, as Miniflux does; ``stale_lists`` makes it
answer the unread/saved lists as they were when it was set (a list read before the marks
sent alongside it landed). ``commands`` logs each request's commands.
"""

from __future__ import annotations

import hashlib
import json
import time
from dataclasses import dataclass, field

from pytest_httpserver import HTTPServer
from werkzeug import Request, Response

USER = "reader@example.com"
PASSWORD = "readerpassword1"
KEY = hashlib.md5(f"{USER}:{PASSWORD}".encode()).hexdigest()


@dataclass
class FakeFever:
    items: dict[int, dict[str, object]] = field(default_factory=dict)
    unread: set[int] = field(default_factory=set)
    saved: set[int] = field(default_factory=set)
    mode: str = "ok"
    delay: float = 3.0
    marks: list[tuple[str, int]] = field(default_factory=list)
    pages_before_failing: int | None = None  # answer HTTP 500 after this many item pages
    pages_served: int = 0
    one_command: bool = False
    feed_ids: list[int] = field(default_factory=lambda: [1])  # the feeds it lists
    stale_lists: tuple[set[int], set[int]] | None = None
    commands: list[str] = field(default_factory=list)

    def add_items(self, count: int, feed_id: int = 1) -> None:
        start = max(self.items, default=0) + 1
        for n in range(start, start + count):
            self.items[n] = {
                "id": n,
                "feed_id": feed_id,
                "title": f"Item {n}",
                "author": "Ann",
                "html": f"<p>Body of item {n}</p><script>alert(1)</script>",
                "url": f"https://example.org/item/{n}",
                "created_on_time": 1_700_000_000 + n * 60,
            }
            self.unread.add(n)

    def install(self, server: HTTPServer) -> str:
        server.expect_request("/fever/").respond_with_handler(self.handle)
        return server.url_for("/fever/")

    def handle(self, request: Request) -> Response:
        if self.mode == "slow":
            time.sleep(self.delay)
        if self.mode == "html":
            return Response(
                "<!doctype html><html><body>Login</body></html>", 200, content_type="text/html"
            )
        if self.mode == "malformed":
            return Response(
                '{"api_version": 3, "auth": 1, "items": [', 200, content_type="application/json"
            )
        if self.mode == "error":
            return Response("oops", 500)
        self.commands.append(
            " ".join(name for name in request.args if name != "api")
            + (f"mark {request.form['as']}" if "mark" in request.form else "")
        )
        answer: dict[str, object] = {"api_version": 3, "auth": 0}
        if request.form.get("api_key") != KEY or self.mode == "auth0":
            return self._json(answer)
        answer["auth"] = 1
        args, form = request.args, request.form
        if self.one_command:  # only the first command it knows, as Miniflux does
            known = ("groups", "feeds", "items", "unread_item_ids", "saved_item_ids")
            first = next((name for name in args if name in known), None)
            args = {k: v for k, v in args.items() if k == first or k in ("since_id", "with_ids")}
        unread, saved = self.stale_lists or (self.unread, self.saved)
        if "groups" in args or "feeds" in args:
            answer["groups"] = [{"id": 1, "title": "news"}]
            answer["feeds"] = [
                {
                    "id": n,
                    "title": "Feed one" if n == 1 else f"Feed {n}",
                    "url": "https://example.org/one.xml" if n == 1 else f"https://example.org/{n}",
                    "site_url": "https://example.org/",
                }
                for n in self.feed_ids
            ]
            answer["feeds_groups"] = [
                {"group_id": 1, "feed_ids": ",".join(map(str, self.feed_ids))}
            ]
        if "items" in args:
            if self.pages_before_failing is not None:
                if self.pages_served >= self.pages_before_failing:
                    return Response("overloaded", 500)
                self.pages_served += 1
            ids = sorted(self.items)
            if "since_id" in args:
                ids = [i for i in ids if i > int(args["since_id"])]
            if "with_ids" in args:
                wanted = {int(i) for i in args["with_ids"].split(",")}
                ids = [i for i in ids if i in wanted]
            page = [self._item(i) for i in ids[:50]]
            if self.mode == "unknown_ids" and "since_id" in args and page:
                page.append({**page[0], "id": 900_000, "feed_id": 77})  # a feed it never listed
            answer["items"] = page
            answer["total_items"] = len(self.items)
        if "unread_item_ids" in args:
            unread = set(unread)
            if self.mode == "unknown_ids":
                unread.add(999_999)
            answer["unread_item_ids"] = ",".join(map(str, sorted(unread)))
        if "saved_item_ids" in args:
            answer["saved_item_ids"] = ",".join(map(str, sorted(saved)))
        if "mark" in form:
            if self.mode == "marks_fail":
                return Response("overloaded", 500)
            item = int(form["id"])
            if item not in self.items:
                return Response("not found", 404)
            state = form["as"]
            self.marks.append((state, item))
            {
                "read": self.unread.discard,
                "unread": self.unread.add,
                "saved": self.saved.add,
                "unsaved": self.saved.discard,
            }[state](item)
        return self._json(answer)

    def _item(self, n: int) -> dict[str, object]:
        return {
            **self.items[n],
            "is_read": int(n not in self.unread),
            "is_saved": int(n in self.saved),
        }

    @staticmethod
    def _json(answer: dict[str, object]) -> Response:
        return Response(json.dumps(answer), 200, content_type="application/json")
