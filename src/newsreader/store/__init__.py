"""The SQLite cache: feeds, articles, read/starred state and the full-text index."""

from newsreader.store.database import ArticleFilter, Store, StoreError

__all__ = ["ArticleFilter", "Store", "StoreError"]
