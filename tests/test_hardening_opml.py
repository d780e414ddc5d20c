"""Hostile OPML: folders nested a thousand deep, private and link-local feed addresses."""

from __future__ import annotations

import os
import subprocess
import sys
import tomllib
from pathlib import Path

import pytest

from newsreader.sources.opml import MAX_DEPTH, OpmlFeed, export_opml, parse_opml, private_feeds

TIMEOUT = 60


def run(*args: str) -> subprocess.CompletedProcess[str]:
    return subprocess.run(
        [sys.executable, "-m", "newsreader", *args],
        capture_output=True,
        text=True,
        timeout=TIMEOUT,
        stdin=subprocess.DEVNULL,
    )


def nested(depth: int) -> bytes:
    return (
        b'<opml version="2.0"><body>'
        + b"".join(b'<outline text="f%d">' % n for n in range(depth))
        + b'<outline text="deep" xmlUrl="https://deep.example/feed"/>'
        + b"</outline>" * depth
        + b'<outline text="top" xmlUrl="https://top.example/feed"/>'
        + b"</body></opml>"
    )


def test_deep_folders_are_flattened_with_a_note() -> None:
    document = parse_opml(nested(1000))
    deep = next(f for f in document.feeds if f.url == "https://deep.example/feed")
    assert deep.tags == ("/".join(f"f{n}" for n in range(MAX_DEPTH)),)
    assert len(document.notes) == 1 and f"more than {MAX_DEPTH} deep" in document.notes[0]
    shallow = parse_opml(nested(MAX_DEPTH))
    assert shallow.notes == [] and shallow.feeds[0].tags[0].count("/") == MAX_DEPTH - 1


def test_export_of_a_very_deep_tag_does_not_recurse() -> None:
    tag = "/".join(f"level{n}" for n in range(5000))
    text = export_opml([OpmlFeed("https://deep.example/feed", "Deep", (tag,))])
    assert text.count("<outline") == 5001
    again = parse_opml(text.encode("utf-8"))
    assert again.feeds[0].tags == ("/".join(f"level{n}" for n in range(MAX_DEPTH)),)


def test_import_then_export_of_a_thousand_levels(isolated_home: Path, tmp_path: Path) -> None:
    Path(os.environ["NEWSREADER_CONFIG"]).write_text(
        "[settings]\nrefresh_on_start = false\n", "utf-8"
    )
    source = tmp_path / "deep.opml"
    source.write_bytes(nested(1000))
    imported = run("opml", "import", str(source))
    assert imported.returncode == 0, imported.stderr
    assert "flattened" in imported.stderr
    exported = run("opml", "export")
    assert exported.returncode == 0, exported.stderr
    assert "https://deep.example/feed" in exported.stdout


PRIVATE = [
    "http://169.254.169.254/latest/meta-data/",
    "http://127.0.0.1:6379/",
    "http://localhost:8080/feed",
    "http://[::1]/feed",
    "http://10.0.0.7/rss",
    "http://2130706433/feed",
    "http://router.local/feed",
]


def opml_of(urls: list[str]) -> bytes:
    outlines = "".join(f'<outline text="f{n}" xmlUrl="{url}"/>' for n, url in enumerate(urls))
    return f'<opml version="2.0"><body>{outlines}</body></opml>'.encode()


def test_private_feeds_are_found_without_dns() -> None:
    document = parse_opml(opml_of([*PRIVATE, "https://example.org/feed"]))
    assert [f.url for f in private_feeds(document.feeds)] == [
        f.url for f in document.feeds if f.url != "https://example.org/feed"
    ]


@pytest.mark.parametrize("allow", [False, True])
def test_opml_import_lists_private_targets_and_needs_a_flag(
    isolated_home: Path, tmp_path: Path, allow: bool
) -> None:
    config = Path(os.environ["NEWSREADER_CONFIG"])
    config.write_text("[settings]\nrefresh_on_start = false\n", "utf-8")
    source = tmp_path / "list.opml"
    source.write_bytes(opml_of([*PRIVATE, "https://example.org/feed"]))
    result = run("opml", "import", str(source), *(["--allow-private"] if allow else []))
    assert result.returncode == 0, result.stderr
    assert f"{len(PRIVATE)} feeds on private, loopback or link-local addresses" in result.stderr
    for url in PRIVATE:
        assert url.rstrip("/") in result.stderr
    subscribed = {feed["url"] for feed in tomllib.loads(config.read_text("utf-8"))["feeds"]}
    if allow:
        assert len(subscribed) == len(PRIVATE) + 1
        assert "not subscribed" not in result.stderr
    else:
        assert subscribed == {"https://example.org/feed"}
        assert "not subscribed (use --allow-private)" in result.stderr
