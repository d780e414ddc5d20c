"""Turning raw documents (feed entries, files) into articles: parsing, converting, cleaning."""

# The version of what the HTML and plain-text conversions write. Shown articles keep their
# converted body in the cache; opening the cache with a newer version forgets those bodies
# (each is converted again when next shown). Raise it when the conversion's output changes.
MARKDOWN_VERSION = 2
