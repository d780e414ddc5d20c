"""The SQLite cache: feeds, articles, read/starred state and the full-text index.

``connection`` opens the file (writer or read-only reader) and migrates it with ``schema``;
``rows`` maps rows to model objects by column name; ``filters`` holds the condition every
list, count and search shares; ``feeds``, ``articles`` (writes), ``queries`` (reads, keyset
paging) and ``fts`` (search) do the work; ``facade`` puts them behind :class:`Store`.
"""

from newsreader.model import PageKey
from newsreader.store.connection import StoreError
from newsreader.store.facade import Store
from newsreader.store.filters import ArticleFilter

__all__ = ["ArticleFilter", "PageKey", "Store", "StoreError"]
