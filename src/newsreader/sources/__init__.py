"""Where articles come from: feeds over HTTP or from files, stored article files, OPML."""
