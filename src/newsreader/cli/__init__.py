"""The ``newsreader`` command: no subcommand launches the app; subcommands script the cache.

``entry`` holds :func:`main` and the parser; each group of subcommands lives in a module of
its own (listed in ``entry.COMMAND_MODULES``) that registers its parsers; ``common`` holds what
they share (errors, output, feed resolution).
"""

from newsreader.cli.entry import build_parser, main

__all__ = ["build_parser", "main"]
