"""The page furniture that trails an article, in plain text and in HTML: one vocabulary.

A *trailer start* ("Leave a Reply", "Share this", "Related posts", a newsletter sign-up,
"2192 Shares / Share / Tweet", "3 thoughts on ...") ends the article wherever it stands
after the first third of a plain text, and wherever it is a heading of a web page. *Trailer
lines* ("Posted by ...", "2 comments", "Reply", comment-form fields) belong to a trailer only
at the very end of a text, and are walked back over from there.
"""

from __future__ import annotations

import re

# A line (or a web page's heading) that starts the trailer.
TRAILER_START = re.compile(
    r"""^(?:
        leave\ a\ (?:reply|comment)
      | share\ this(?:\ (?:article|story|post|page|entry))?
      | share\ (?:this\ )?on\ \w+
      | related\ (?:posts?|articles?|stories|coverage|content|reading|links)
      | you\ (?:might|may)\ also\ like | more\ from\ \w+ | read\ more | recommended\ for\ you
      | you\ must\ be\ logged\ in\ to\ post\ a\ comment
      | (?:sign\ up|subscribe)\b.{0,60}\bnewsletters?\b.*
      | .{0,40}\bnewsletters?\b.{0,40}\b(?:sign\ up|subscribe)\b.*
      | get\ (?:our|the)\ .{0,40}newsletter.*
      | [\d.,]+\s*k?\s+shares?\b.*
      | (?:laisser|laissez)\ un\ commentaire | partager\ (?:cet\ article|sur\ \w+)
      | (?:à\ lire\ aussi|sur\ le\ même\ sujet|articles?\ similaires)
    )[\s:.!]*$""",
    re.IGNORECASE | re.VERBOSE,
)
# Headings that start a web page's trailer besides the lines above. In plain text these are
# too often the article's own lines ("2 comments on “This post”" heads a comment section
# that a reader may have meant to keep), so they count only as headings of a page.
_TRAILER_HEADING = re.compile(
    r"""^(?:
        leave\ a\ response | post\ a\ comment | add\ (?:a\ )?comment | write\ a\ comment
      | join\ the\ (?:discussion|conversation) | reader\ comments | comments(?:\ \(\d+\))?
      | (?:\d+|one|no)\ (?:comments?|responses?|replies|reactions)(?:\ (?:on|to)\ .*)?
      | (?:\d+|one)\ thoughts?\ on\ .* | (?:\d+\ )?responses\ to\ .*
      | share(?:\ this)?(?:\ (?:article|post|story|page))?(?:\ on\ .*)?
      | related | you\ may\ also\ like | (?:you\ )?(?:may|might)\ also\ (?:like|enjoy)
      | more\ (?:stories|articles)\ from\ .* | recommended\ (?:reading|articles) | read\ next
      | post\ navigation | posts\ navigation
      | subscribe(?:\ to\ (?:our|the)\ newsletter)? | sign\ up\ for\ (?:our|the)\ newsletter
    )[\s:.!]*$""",
    re.IGNORECASE | re.VERBOSE,
)


def is_trailer_heading(text: str) -> bool:
    """Whether a web page's heading ``text`` starts the page's trailer."""
    return bool(TRAILER_START.match(text) or _TRAILER_HEADING.match(text))


# Lines that belong to a trailer only at the very end: walked back over from the end.
TRAILER_LINE = re.compile(
    r"""^(?:
        (?:posted|published|written)\ by\b.{0,80}
      | (?:\d+|no|one|two|three)\ comments?:?
      | (?:post\ a|add\ a|view|show|load\ more)\ comments?
      | comments?(?:\ \(\d+\))?:? | reply | cancel\ reply | report | like | tweet | share
      | email | print | permalink | (?:older|newer)\ posts?(?:\ home)? | home
      | (?:labels|tags|filed\ under|categories|category|posted\ in)\s*:.{0,200}
      | email\ this.{0,200} | share\ (?:to|on)\ .{0,200}
      | (?:name|email|e-mail|website|comment|message)\s*\*?
      | your\ email\ address\ will\ not\ be\ published.{0,100}
      | required\ fields\ are\ marked.{0,20}
      | save\ my\ name.{0,200}
      | notify\ me\ of\ .{0,200}
      | (?:\w+\ ){0,3}(?:share|tweet|pin|email)(?:\s*/\s*\w+){1,6}
      | loading\.*
    )[\s:.!*]*$""",
    re.IGNORECASE | re.VERBOSE,
)


def strip_trailer(lines: list[str]) -> list[str]:
    """``lines`` without the page furniture that trails an article.

    The trailer starts at the first unmistakable marker ("Leave a Reply", "Share this",
    "Related posts", a newsletter sign-up, "2192 Shares / Share / Tweet"...) found after the
    first third of the text, and takes in the lines before it, and before the end, that
    belong to such furniture ("Posted by ...", "2 comments", "Post a comment", "Reply",
    comment-form fields). Everything from the start of the trailer to the end is dropped.
    """
    nonblank = [i for i, line in enumerate(lines) if line.strip()]
    if not nonblank:
        return []
    end = len(lines)
    earliest = nonblank[len(nonblank) // 3] if len(nonblank) >= 3 else nonblank[-1]
    for index in nonblank:
        if index >= earliest and TRAILER_START.match(lines[index].strip()):
            end = index
            break
    # Walk back over furniture lines just before the cut (or the end of the text).
    start = end
    for index in reversed(nonblank):
        if index >= end:
            continue
        if index < earliest or not TRAILER_LINE.match(lines[index].strip()):
            break
        start = index
    while start > 0 and not lines[start - 1].strip():
        start -= 1
    return lines[:start]
