"""Pictures in articles: finding them in the Markdown, fetching, caching and decoding them.

Nothing here imports Textual; the widget that draws a decoded picture is
``newsreader.tui.image_view``. The pieces, from the bottom up:

- ``refs``: the ``![alt](url)`` references of an article's Markdown, in order;
- ``policy``: which URLs may be fetched (http/https only; no redirect from a public host to a
  private address or to a file);
- ``cache``: the on-disk cache (platformdirs cache folder, LRU under a total cap, validators);
- ``decode``: Pillow in a worker thread, bounded (pixel limit, JPEG draft, first frame only);
- ``loader``: the one entry point the views call, ``ImageLoader.load``.
"""
