"""Pictures in articles: finding them in the Markdown, fetching, caching and decoding them.

Nothing here imports Textual; decoded pictures are drawn by ``newsreader.tui``
(``terminal_graphics`` turns one into lines of cells, ``widgets.article_pictures`` places them
in the article, ``screens.picture`` shows one full screen). The pieces, from the bottom up:

- the ``![alt](url)`` references of an article's Markdown, in order, are read by
  ``newsreader.render.image_refs`` (the views, and a refresh that fetches pictures ahead);
- ``policy``: which URLs may be fetched (http/https only; no redirect from a public host to a
  private address or to a file);
- ``cache``: the on-disk cache (platformdirs cache folder, LRU under a total cap, validators),
  which also keeps each picture decoded at the size it was drawn;
- ``decode``: Pillow in a worker thread, bounded (pixel limit, JPEG draft, first frame only);
- ``loader``: the one entry point the views call, ``ImageLoader.load``; a refresh with
  ``prefetch_images`` calls ``ImageLoader.prefetch`` (``newsreader.image_prefetch``).
"""
