"""Special files (FIFOs, devices, link loops) wherever a path is read: import, stored folders,
``file://`` feeds and OPML import. Each command runs in a subprocess with a timeout, so a
hang fails the test instead of stalling the suite.
"""

from __future__ import annotations

import os
import subprocess
import sys
from pathlib import Path

import pytest

from newsreader.importing import import_paths
from newsreader.sources.bounded import NotRegularFileError, TooLargeError, read_regular_file
from newsreader.store import Store

TIMEOUT = 30  # seconds; every case here takes well under one when nothing hangs

pytestmark = pytest.mark.skipif(
    not hasattr(os, "mkfifo") or not Path("/dev/zero").exists(), reason="needs FIFOs, /dev/zero"
)


def run(*args: str) -> subprocess.CompletedProcess[str]:
    return subprocess.run(
        [sys.executable, "-m", "newsreader", *args],
        capture_output=True,
        text=True,
        timeout=TIMEOUT,
        stdin=subprocess.DEVNULL,
    )


@pytest.fixture
def hostile(tmp_path: Path) -> Path:
    """A folder with a good article beside a FIFO, a link to /dev/zero and a link loop."""
    folder = tmp_path / "articles"
    folder.mkdir()
    (folder / "good.md").write_text("# Good\n\nReadable text.\n", "utf-8")
    os.mkfifo(folder / "pipe.md")
    (folder / "zero.md").symlink_to("/dev/zero")
    (folder / "loop.md").symlink_to(folder / "loop.md")
    return folder


def write_config(isolated_home: Path, text: str) -> None:
    Path(os.environ["NEWSREADER_CONFIG"]).write_text(
        "[settings]\nrefresh_on_start = false\ntimeout = 5\n" + text, "utf-8"
    )


def test_folder_import_skips_special_files_by_name_and_imports_the_rest(
    isolated_home: Path, hostile: Path
) -> None:
    write_config(isolated_home, "")
    result = run("import", str(hostile))
    assert result.returncode == 1
    assert "pipe.md: a FIFO (named pipe), not a regular file; skipped" in result.stderr
    assert "zero.md: a symbolic link to a character device, not a regular file" in result.stderr
    assert "loop.md: cannot read: Too many levels of symbolic links" in result.stderr
    assert "1 new" in result.stdout and "3 failed" in result.stdout
    listed = run("list")
    assert "Good" in listed.stdout


@pytest.mark.parametrize(
    ("name", "reason"),
    [
        ("pipe.md", "a FIFO (named pipe), not a regular file"),
        ("zero.md", "a symbolic link to a character device, not a regular file"),
        ("loop.md", "cannot read: Too many levels of symbolic links"),
    ],
)
def test_importing_a_special_file_directly_says_why_nothing_was_imported(
    isolated_home: Path, hostile: Path, name: str, reason: str
) -> None:
    write_config(isolated_home, "")
    result = run("import", str(hostile / name))
    assert result.returncode != 0
    assert f"{name}: {reason}; nothing imported from it" in result.stderr


def test_stored_folder_rescan_skips_special_files(isolated_home: Path, hostile: Path) -> None:
    write_config(isolated_home, f'[[stored]]\npath = "{hostile}"\ntitle = "Notes"\n')
    result = run("refresh")
    assert "1 new" in result.stdout, result.stdout + result.stderr
    assert "3 file(s) unreadable" in result.stdout


def test_feed_paths_that_are_not_regular_files_fail_that_feed_only(
    isolated_home: Path, tmp_path: Path
) -> None:
    fifo = tmp_path / "feed.xml"
    os.mkfifo(fifo)
    write_config(
        isolated_home,
        '[[feeds]]\nurl = "file:///dev/zero"\ntitle = "Zero"\n\n'
        f'[[feeds]]\nurl = "{fifo}"\ntitle = "Pipe"\n',
    )
    result = run("refresh")
    assert result.returncode == 1
    out = result.stdout + result.stderr
    assert "/dev/zero: a character device, not a regular file" in out
    assert "feed.xml: a FIFO (named pipe), not a regular file" in out


def test_opml_import_refuses_devices_and_fifos(isolated_home: Path, tmp_path: Path) -> None:
    write_config(isolated_home, "")
    fifo = tmp_path / "list.opml"
    os.mkfifo(fifo)
    zero = run("opml", "import", "/dev/zero")
    assert zero.returncode != 0
    assert "cannot import /dev/zero: a character device, not a regular file" in zero.stderr
    pipe = run("opml", "import", str(fifo))
    assert pipe.returncode != 0 and "a FIFO (named pipe), not a regular file" in pipe.stderr
    endless = subprocess.run(
        [sys.executable, "-m", "newsreader", "opml", "import", "-"],
        stdin=open("/dev/zero", "rb"),  # noqa: SIM115 - closed with the process
        capture_output=True,
        text=True,
        timeout=TIMEOUT,
    )
    assert endless.returncode != 0 and "more than" in endless.stderr


def test_one_symlink_loop_does_not_abort_a_folder_import(store: Store, tmp_path: Path) -> None:
    folder = tmp_path / "notes"
    folder.mkdir()
    (folder / "a.md").write_text("# A\n\ntext\n", "utf-8")
    (folder / "b.md").symlink_to(folder / "c.md")
    (folder / "c.md").symlink_to(folder / "b.md")
    report = import_paths(store, [folder])
    assert report.counts.new == 1
    assert len(report.errors) == 2 and all("symbolic links" in e for e in report.errors)


def test_bounded_read_never_trusts_st_size(tmp_path: Path) -> None:
    small = tmp_path / "small.txt"
    small.write_bytes(b"x" * 100)
    assert read_regular_file(small, 100)[0] == b"x" * 100
    with pytest.raises(TooLargeError):
        read_regular_file(small, 99)
    for special in ("/dev/zero", "/dev/null"):
        with pytest.raises(NotRegularFileError, match="character device"):
            read_regular_file(Path(special), 10)
    with pytest.raises(NotRegularFileError, match="folder"):
        read_regular_file(tmp_path, 10)
