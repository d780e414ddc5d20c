"""Reading untrusted input under a size cap: compressed HTTP bodies and files on disk.

Two dangers are handled here once, for feeds, full-text pages and images alike:

* A compressed body can expand enormously (a few kilobytes of gzip, or gzip inside gzip,
  hold gigabytes of zeros). :class:`BoundedDecoder` decodes every ``Content-Encoding``
  layer itself in small steps and counts the decoded bytes as they are produced, so memory
  stays at a few steps' worth whatever the number of layers; it also bounds the ratio of
  decoded to received bytes.
* A path can name something that is not a file: a FIFO blocks the reader forever, a
  device such as ``/dev/zero`` never ends, and ``st_size`` is 0 for both.
  :func:`read_regular_file` reads only regular files and never more than the cap plus one
  byte, whatever ``st_size`` says.
"""

from __future__ import annotations

import os
import stat
import zlib
from collections.abc import AsyncIterator, Iterator, Mapping
from pathlib import Path
from typing import Protocol

STEP = 64 * 1024  # largest piece any decoding layer produces at once
SLICE = 16 * 1024  # compressed bytes taken at a time
MAX_LAYERS = 3  # Content-Encoding layers accepted ("gzip, gzip" is two)
MAX_RATIO = 100  # decoded bytes per received byte, checked once past RATIO_FLOOR
RATIO_FLOOR = 1024 * 1024
ACCEPT_ENCODING = "gzip, deflate"


class BoundedReadError(Exception):
    """Input was refused; the message is one line naming the reason."""


class TooLargeError(BoundedReadError):
    """More bytes than the cap (after decompression for compressed bodies)."""


class NotRegularFileError(BoundedReadError):
    """A path names a FIFO, device, socket or folder rather than a regular file."""


# -- compressed bodies ------------------------------------------------------------------------


class _Layer(Protocol):
    def feed(self, data: bytes) -> Iterator[bytes]: ...


class _ZlibLayer:
    """One gzip or deflate layer, producing at most :data:`STEP` bytes per piece."""

    def __init__(self, encoding: str) -> None:
        self.encoding = encoding
        # gzip: header required; deflate: zlib-wrapped by the standard, raw by some servers.
        self._wbits = 16 + zlib.MAX_WBITS if encoding in ("gzip", "x-gzip") else zlib.MAX_WBITS
        self._inflate = zlib.decompressobj(self._wbits)
        self._started = False

    def feed(self, data: bytes) -> Iterator[bytes]:
        pending = data
        while True:
            try:
                piece = self._inflate.decompress(pending, STEP)
            except zlib.error as error:
                if self._wbits == zlib.MAX_WBITS and not self._started:
                    self._wbits = -zlib.MAX_WBITS  # raw deflate without the zlib wrapper
                    self._inflate = zlib.decompressobj(self._wbits)
                    continue
                raise BoundedReadError(
                    f"cannot decode the {self.encoding} response: {error}"
                ) from None
            self._started = True
            pending = self._inflate.unconsumed_tail
            if piece:
                yield piece
            if self._inflate.eof:
                rest = self._inflate.unused_data + pending
                if self._wbits != 16 + zlib.MAX_WBITS or not rest.startswith(b"\x1f\x8b"):
                    return  # trailing bytes after the stream are ignored, as browsers do
                # Another gzip member follows (concatenated gzip files are one stream).
                pending = rest
                self._inflate = zlib.decompressobj(self._wbits)
                continue
            if not pending and len(piece) < STEP:
                return


# Compressions a server may apply although we never ask for them: refused by name.
UNSUPPORTED = frozenset({"br", "zstd", "compress", "x-compress", "exi", "pack200-gzip"})


def _layer(encoding: str) -> _Layer | None:
    """The decoder for one encoding; None for a token that is not a compression at all."""
    if encoding in ("gzip", "x-gzip", "deflate"):
        return _ZlibLayer(encoding)
    if encoding in UNSUPPORTED:
        raise BoundedReadError(f"unsupported content encoding {encoding!r}")
    return None  # "utf-8", "none" and the like, sent by some servers: ignored, as browsers do


class BoundedDecoder:
    """Decodes a body's ``Content-Encoding`` layers and stops at ``limit`` decoded bytes.

    Feed raw chunks as they arrive; each call returns the decoded bytes they gave. Raises
    :class:`TooLargeError` as soon as the decoded total passes ``limit`` or, past
    :data:`RATIO_FLOOR` bytes, ``max_ratio`` times the raw bytes received so far.
    """

    def __init__(self, content_encoding: str, limit: int, max_ratio: int = MAX_RATIO) -> None:
        names = [
            part.strip().lower()
            for part in content_encoding.split(",")
            if part.strip() and part.strip().lower() != "identity"
        ]
        if len(names) > MAX_LAYERS:
            raise BoundedReadError(
                f"too many content encodings ({len(names)}; at most {MAX_LAYERS})"
            )
        # Encodings are listed in the order they were applied, so undo the last first.
        layers = (_layer(name) for name in reversed(names))
        self._layers = [layer for layer in layers if layer is not None]
        self.limit = limit
        self.max_ratio = max_ratio
        self.received = 0
        self.decoded = 0
        self.compressed = bool(self._layers)

    def feed(self, chunk: bytes) -> bytes:
        if not self._layers:
            self.received += len(chunk)
            self.decoded += len(chunk)
            self._check()
            return chunk
        # A compressed chunk is taken a slice at a time, so that the ratio is checked
        # against what was taken so far, not against the whole chunk: however large the
        # client's reads, a bomb stops after about MAX_RATIO x SLICE decoded bytes.
        out: list[bytes] = []
        for start in range(0, len(chunk), SLICE):
            part = chunk[start : start + SLICE]
            self.received += len(part)
            for piece in self._through(0, part):
                self.decoded += len(piece)
                self._check()
                out.append(piece)
        return b"".join(out)

    def _through(self, index: int, data: bytes) -> Iterator[bytes]:
        if index == len(self._layers):
            yield data
            return
        for piece in self._layers[index].feed(data):
            yield from self._through(index + 1, piece)

    def _check(self) -> None:
        if self.decoded > self.limit:
            if self.compressed:
                raise TooLargeError(
                    f"response too large (over {self.limit} bytes once decompressed, "
                    f"from {self.received} compressed bytes)"
                )
            raise TooLargeError(f"response too large (over {self.limit} bytes)")
        if (
            self.compressed
            and self.decoded > RATIO_FLOOR
            and self.decoded > self.max_ratio * self.received
        ):
            raise TooLargeError(
                f"response too large once decompressed ({self.received} compressed bytes "
                f"expand more than {self.max_ratio} times)"
            )


async def read_body(
    raw: AsyncIterator[bytes],
    headers: Mapping[str, str],
    limit: int,
    max_ratio: int = MAX_RATIO,
) -> bytes:
    """A response's body from its ``raw`` chunks as received, decoded, at most ``limit`` bytes.

    ``headers`` (lower-case names) give the declared ``content-length`` and the
    ``content-encoding`` layers, which are decoded here (not by the HTTP client), layer by
    layer, a step at a time.

    Raises:
        TooLargeError: the body, declared or decoded, is larger than ``limit`` or expands
            more than ``max_ratio`` times.
        BoundedReadError: an encoding is unknown or the data cannot be decoded.
    """
    declared = headers.get("content-length", "")
    decoder = BoundedDecoder(headers.get("content-encoding", ""), limit, max_ratio)
    if declared.isdigit() and int(declared) > limit and not decoder.compressed:
        raise TooLargeError(f"response too large ({int(declared)} bytes; limit {limit})")
    chunks: list[bytes] = []
    async for chunk in raw:
        if decoder.received + len(chunk) > limit:  # the compressed size alone is too much
            raise TooLargeError(f"response too large (over {limit} bytes)")
        decoded = decoder.feed(chunk)
        if decoded:
            chunks.append(decoded)
    return b"".join(chunks)


DRAIN_BYTES = 64 * 1024  # what a response without a wanted body may send and still be read


async def drain(raw: AsyncIterator[bytes], limit: int = DRAIN_BYTES) -> bool:
    """Read and drop the body of a response whose body is not wanted (a 304, an error page),
    so that its connection can serve the next request: a connection whose response was not
    read to the end is closed. A body over ``limit`` raw bytes is left unread; returns
    whether the body was read to its end."""
    received = 0
    async for chunk in raw:
        received += len(chunk)
        if received > limit:
            return False
    return True


# -- files ------------------------------------------------------------------------------------


def file_kind(mode: int) -> str:
    """What a ``st_mode`` names, in words ("a FIFO (named pipe)", "a folder", ...)."""
    if stat.S_ISDIR(mode):
        return "a folder"
    if stat.S_ISFIFO(mode):
        return "a FIFO (named pipe)"
    if stat.S_ISCHR(mode):
        return "a character device"
    if stat.S_ISBLK(mode):
        return "a block device"
    if stat.S_ISSOCK(mode):
        return "a socket"
    if stat.S_ISREG(mode):
        return "a regular file"
    return "not a regular file"


def not_regular_reason(path: Path) -> str | None:
    """Why ``path`` is not a regular file to read, or None when it is one.

    Symbolic links are followed; a link to a device says so. Raises ``OSError`` when the
    path cannot be examined (missing, a symbolic link loop, no permission).
    """
    info = os.stat(path)
    if stat.S_ISREG(info.st_mode):
        return None
    kind = file_kind(info.st_mode)
    if path.is_symlink():
        return f"a symbolic link to {kind}, not a regular file"
    return f"{kind}, not a regular file"


def read_regular_file(path: Path, limit: int) -> tuple[bytes, os.stat_result]:
    """The bytes of the regular file ``path`` (at most ``limit``) and its status.

    Never opens a FIFO, device or socket for reading without ``O_NONBLOCK``, never trusts
    ``st_size``: at most ``limit + 1`` bytes are read.

    Raises:
        NotRegularFileError: ``path`` (or what a link points to) is not a regular file.
        TooLargeError: the file holds more than ``limit`` bytes.
        OSError: the file cannot be opened or read (missing, no permission, link loop).
    """
    reason = not_regular_reason(path)
    if reason is not None:
        raise NotRegularFileError(f"{path}: {reason}")
    flags = os.O_RDONLY | getattr(os, "O_NONBLOCK", 0) | getattr(os, "O_CLOEXEC", 0)
    descriptor = os.open(path, flags)
    try:
        info = os.fstat(descriptor)  # what was opened, should it have changed meanwhile
        if not stat.S_ISREG(info.st_mode):
            raise NotRegularFileError(f"{path}: {file_kind(info.st_mode)}, not a regular file")
        if info.st_size > limit:
            raise TooLargeError(f"{path}: too large ({info.st_size} bytes; limit {limit})")
        chunks: list[bytes] = []
        size = 0
        while size <= limit:
            chunk = os.read(descriptor, min(1024 * 1024, limit + 1 - size))
            if not chunk:
                break
            chunks.append(chunk)
            size += len(chunk)
        if size > limit:
            raise TooLargeError(f"{path}: too large (over {limit} bytes)")
        return b"".join(chunks), info
    finally:
        os.close(descriptor)
