"""OPML import and export: corpus files, round trips, hostile documents."""

from __future__ import annotations

from pathlib import Path

import pytest

from newsreader.sources.opml import OpmlError, OpmlFeed, export_opml, parse_opml

OPML = sorted(
    p.name
    for p in (Path(__file__).resolve().parents[2] / "shared" / "corpus" / "opml").glob("*.opml")
)


def read(shared_dir: Path, name: str) -> bytes:
    return (shared_dir / "corpus" / "opml" / name).read_bytes()


@pytest.mark.parametrize("name", OPML)
def test_round_trip_loses_nothing(shared_dir: Path, name: str) -> None:
    document = parse_opml(read(shared_dir, name))
    again = parse_opml(export_opml(document.feeds).encode("utf-8"))
    assert {f.url: f for f in again.feeds} == {f.url: f for f in document.feeds}


def test_nested_folders_become_path_tags(shared_dir: Path) -> None:
    document = parse_opml(read(shared_dir, "newsboat_example_nested-folders.opml"))
    tags = {f.title: f.tags for f in document.feeds}
    # A folder's name is its `text` (what readers show), not its optional `title`.
    assert tags["Notes by Mike"] == ("Blogs/friends",)
    assert tags["Fred on everything"] == ("eloquent",)
    assert tags["example.com website"] == ()
    assert len(document.feeds) == 7


def test_counts_and_titles(shared_dir: Path) -> None:
    assert (
        len(parse_opml(read(shared_dir, "netnewswire_subscriptions_nested-folders.opml")).feeds)
        == 207
    )
    flat = parse_opml(read(shared_dir, "netnewswire_default-feeds_flat.opml"))
    assert len(flat.feeds) == 10 and all(f.site_link for f in flat.feeds)
    japan = parse_opml(read(shared_dir, "plenary_japan_with-category_cjk-titles.opml"))
    assert all(f.tags == ("Japan",) for f in japan.feeds)
    # An outline that is not a subscription list has no feeds, and that is not an error.
    assert (
        parse_opml(
            read(shared_dir, "scripting_opml-validator-source_deep-outline_iso-8859-1.opml")
        ).feeds
        == []
    )


def test_feed_in_two_folders_keeps_both_tags() -> None:
    feeds = [OpmlFeed("https://a.example/feed", "A", ("news", "tech/linux"))]
    text = export_opml(feeds)
    assert text.count("https://a.example/feed") == 2
    assert parse_opml(text.encode()).feeds == feeds


def test_hostile_urls_are_skipped_and_titles_cleaned() -> None:
    document = parse_opml(
        b"""<?xml version="1.0"?><opml version="2.0"><head/><body>
        <outline text="js" xmlUrl="javascript:alert(1)"/>
        <outline text="local" xmlUrl="file:///etc/passwd"/>
        <outline text="data" xmlUrl="data:text/xml,&lt;rss/&gt;"/>
        <outline text="ok \xc2\x9b31mred\xe2\x80\xae [bold]x[/bold]"
                 xmlUrl="https://ok.example/feed" htmlUrl="javascript:alert(2)"/>
        </body></opml>"""
    )
    assert [f.url for f in document.feeds] == ["https://ok.example/feed"]
    assert document.feeds[0].title == "ok red [bold]x[/bold]"
    assert document.feeds[0].site_link == ""
    assert len(document.skipped) == 3


@pytest.mark.parametrize(
    "name",
    [
        "rss20_billion-laughs_lol9.xml",
        "defusedxml_cyclic-entities.xml",
        "defusedxml_external-entity-file.xml",
        "defusedxml_external-entity-http.xml",
        "atom10_xxe_parameter-entities_external-dtd.xml",
    ],
)
def test_entity_tricks_are_refused(shared_dir: Path, name: str) -> None:
    with pytest.raises(OpmlError):
        parse_opml((shared_dir / "corpus" / "malicious" / name).read_bytes())


def test_entities_inside_an_opml_are_refused() -> None:
    laughs = (
        b'<?xml version="1.0"?><!DOCTYPE opml [<!ENTITY lol "lol">'
        b'<!ENTITY lol2 "&lol;&lol;&lol;&lol;&lol;&lol;&lol;&lol;&lol;&lol;">]>'
        b'<opml version="2.0"><body><outline text="&lol2;" xmlUrl="https://x.example/"/></body></opml>'
    )
    xxe = (
        b'<?xml version="1.0"?><!DOCTYPE opml [<!ENTITY xxe SYSTEM "file:///etc/passwd">]>'
        b'<opml version="2.0"><body><outline text="&xxe;" xmlUrl="https://x.example/"/></body></opml>'
    )
    for data in (laughs, xxe):
        with pytest.raises(OpmlError, match="entities"):
            parse_opml(data)


def test_deep_nesting_and_bad_documents() -> None:
    depth = 2000
    deep = (
        b'<opml version="2.0"><body>'
        + b'<outline text="f">' * depth
        + b'<outline text="x" xmlUrl="https://deep.example/feed"/>'
        + b"</outline>" * depth
        + b"</body></opml>"
    )
    try:
        document = parse_opml(deep)
    except OpmlError:
        pass  # refusing is fine too; crashing is not
    else:
        assert [f.url for f in document.feeds] == ["https://deep.example/feed"]
    with pytest.raises(OpmlError, match="well-formed"):
        parse_opml(b'<opml><body><outline text="a & b" xmlUrl="https://x/"/></body></opml>')
    with pytest.raises(OpmlError, match="not an OPML"):
        parse_opml(b"<rss><channel/></rss>")
