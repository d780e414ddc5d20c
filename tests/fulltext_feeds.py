"""Summary-only feeds and article pages for the full-text tests, served by a local server."""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from email.utils import formatdate
from pathlib import Path
from xml.sax.saxutils import escape

from newsreader.config import Config, load_config
from newsreader.context import sync_sources
from newsreader.store import Store

SETTINGS = "[settings]\nrefresh_on_start = false\ntimeout = 2\n"


@dataclass(frozen=True)
class Entry:
    """One feed entry: a title, the page it links to and its (short) description."""

    key: str
    title: str
    link: str
    description: str


def summary_feed(entries: Sequence[Entry], title: str = "Summaries") -> bytes:
    """An RSS 2.0 feed whose entries carry only their description and a link."""
    items = []
    for n, entry in enumerate(entries):
        items.append(
            f"<item><title>{escape(entry.title)}</title><link>{escape(entry.link)}</link>"
            f"<guid isPermaLink='false'>{escape(entry.key)}</guid>"
            f"<pubDate>{formatdate(1_700_000_000 + n * 60, usegmt=True)}</pubDate>"
            f"<description>{escape(entry.description)}</description></item>"
        )
    return (
        '<?xml version="1.0" encoding="utf-8"?><rss version="2.0"><channel>'
        f"<title>{escape(title)}</title><link>https://example.org/</link>"
        f"{''.join(items)}</channel></rss>"
    ).encode()


def configure(
    tmp_path: Path, store: Store, feeds: Sequence[tuple[str, str | bool | None]]
) -> Config:
    """A config listing ``(url, full_text)`` feeds (None: the key left out), synced."""
    lines = [SETTINGS]
    for url, mode in feeds:
        lines += ["[[feeds]]", f'url = "{url}"']
        if mode is not None:
            value = f'"{mode}"' if isinstance(mode, str) else str(mode).lower()
            lines.append(f"full_text = {value}")
        lines.append("")
    path = tmp_path / "feeds.toml"
    path.write_text("\n".join(lines), "utf-8")
    config = load_config(path)
    sync_sources(store, config)
    return config


def article_page(title: str, paragraphs: int = 6, extra: str = "") -> str:
    """A blog post page with navigation, ads and a comment form around the article."""
    words = (
        "The committee met on Tuesday to weigh the proposal in detail, and members asked "
        "for more evidence about costs, timelines and the effect on residents nearby."
    )
    body = "\n".join(f"<p>{words} Paragraph {n} of {escape(title)}.</p>" for n in range(paragraphs))
    return f"""<!DOCTYPE html>
<html><head><title>{escape(title)} | Example News</title>
<meta charset="utf-8"></head>
<body>
<header><nav class="site-nav"><ul><li><a href="/">Home</a></li><li><a href="/world">World</a></li>
<li><a href="/sport">Sport</a></li><li><a href="/weather">Weather</a></li></ul></nav></header>
<div class="sidebar ad"><p>Advertisement: Buy the Premium Widget today, only 9.99!</p></div>
<main><article class="post-content">
<h1>{escape(title)}</h1>
{body}
<h2>What the residents said</h2>
<p>{words} Residents were divided, and several spoke at length at the meeting.</p>
<ul><li>Parking near the school</li><li>Noise at night from the depot</li></ul>
<blockquote><p>We were never asked, and that is the real problem here.</p></blockquote>
<h3>The numbers behind it</h3>
<pre><code>total = sum(costs)  # 1.2 million</code></pre>
<p><img src="/images/chart.png" alt="Chart of the costs"></p>
<p>{words} The vote is expected next month after a further consultation.</p>
{extra}
</article></main>
<section id="comments" class="comments-area">
<h3>Leave a Reply</h3>
<form><textarea name="comment"></textarea><input type="submit" value="Post Comment"></form>
<p>Spammy commenter says: great post, visit my casino site!</p>
</section>
<footer><p>Copyright Example News. Privacy policy. Cookie settings.</p></footer>
</body></html>"""
