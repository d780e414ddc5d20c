"""What the command line says: argument errors, wording, pipes, columns, config locations."""

from __future__ import annotations

import json
import os
import subprocess
import sys
from pathlib import Path

import pytest
from rich.cells import cell_len

from newsreader.cli import main

OFFLINE_CONFIG = "[settings]\nrefresh_on_start = false\n"
TOO_BIG = str(2**63)


@pytest.fixture
def config(isolated_home: Path) -> Path:
    path = Path(os.environ["NEWSREADER_CONFIG"])
    path.write_text(OFFLINE_CONFIG, "utf-8")
    return path


def run(capsys: pytest.CaptureFixture[str], *args: str) -> tuple[int, str, str]:
    try:
        status = main(list(args))
    except SystemExit as leaving:  # argparse leaves this way on a usage error
        status = int(leaving.code or 0)
    out, err = capsys.readouterr()
    return status, out, err


def one_error_line(err: str) -> str:
    assert err.startswith("newsreader: error: ") and err.count("\n") == 1, err
    assert "Traceback" not in err and "Overflow" not in err
    return err


def imported_article(capsys: pytest.CaptureFixture[str], tmp_path: Path) -> tuple[int, Path]:
    source = tmp_path / "notes.md"
    source.write_text("# A note\n\nSome words of text.\n", "utf-8")
    assert run(capsys, "import", str(source))[0] == 0
    _, out, _ = run(capsys, "list", "--json", "--feed", "Imported")
    (article,) = json.loads(out)
    return int(article["id"]), source


# -- argument errors ------------------------------------------------------------------------


def test_limit_that_is_not_a_number_is_named(
    config: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    for command in ("list", "search"):
        args = (
            [command, "--limit", "abc"] if command == "list" else [command, "x", "--limit", "abc"]
        )
        status, _, err = run(capsys, *args)
        assert status == 2
        assert "--limit: not a positive whole number: 'abc'" in one_error_line(err)
        assert f"newsreader {command} --help" in err
    status, _, err = run(capsys, "list", "--limit", "0")
    assert status == 2 and "not a positive whole number: '0'" in one_error_line(err)


@pytest.mark.parametrize(
    "args",
    [
        ("show", TOO_BIG),
        ("mark", TOO_BIG, "--read"),
        ("mark", "1", TOO_BIG, "--star"),
        ("list", "--limit", TOO_BIG),
    ],
)
def test_numbers_past_64_bits_give_one_line(
    config: Path, capsys: pytest.CaptureFixture[str], args: tuple[str, ...]
) -> None:
    status, _, err = run(capsys, *args)
    assert status == 2
    assert TOO_BIG in one_error_line(err)


def test_the_largest_64_bit_id_is_simply_not_found(
    config: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    largest = str(2**63 - 1)
    status, _, err = run(capsys, "show", largest)
    assert status == 1 and f"no article with id {largest}" in one_error_line(err)
    status, out, err = run(capsys, "list", "--limit", largest, "--json")
    assert status == 0, err
    assert json.loads(out)  # the guide's articles


# -- wording --------------------------------------------------------------------------------


def test_mark_says_what_it_did(
    config: Path, tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    article, _ = imported_article(capsys, tmp_path)
    assert run(capsys, "mark", str(article), "--star")[1] == "starred 1 article\n"
    assert run(capsys, "mark", str(article), "--star")[1] == "starred 0 articles (1 already was)\n"
    assert run(capsys, "mark", str(article), "--read")[1] == "marked 1 article read\n"
    assert run(capsys, "mark", str(article), "--unread")[1] == "marked 1 article unread\n"
    assert run(capsys, "mark", str(article), "--unstar")[1] == "unstarred 1 article\n"


def test_show_prints_a_stored_file_as_a_plain_path(
    config: Path, tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    article, source = imported_article(capsys, tmp_path)
    for fmt in ("markdown", "text"):
        status, out, _ = run(capsys, "show", str(article), "--format", fmt)
        assert status == 0
        assert str(source.resolve()) in out.splitlines()
        assert "file:" not in out


def test_import_errors_use_the_documented_form(
    config: Path, tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    missing = tmp_path / "missing.txt"
    status, out, err = run(capsys, "import", str(missing))
    assert status == 1
    assert one_error_line(err) == f"newsreader: error: {missing}: no such file or folder\n"
    assert "imported 0" not in out


def test_import_of_a_folder_without_article_files_says_so(
    config: Path, tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    folder = tmp_path / "pictures"
    folder.mkdir()
    (folder / "cat.jpg").write_bytes(b"\xff\xd8\xff")
    status, out, err = run(capsys, "import", str(folder))
    assert status == 1 and out == ""
    line = one_error_line(err)
    assert f"{folder}: no article files in this folder" in line and ".md" in line and ".txt" in line


def test_list_into_a_closed_pipe_ends_quietly(config: Path) -> None:
    reader, writer = os.pipe()
    os.close(reader)  # like `| head` that has already gone away
    try:
        result = subprocess.run(
            [sys.executable, "-m", "newsreader", "list", "--json"],
            stdout=writer,
            stderr=subprocess.PIPE,
            text=True,
            timeout=120,
        )
    finally:
        os.close(writer)
    assert result.stderr == ""
    assert result.returncode == 0


# -- columns --------------------------------------------------------------------------------


def test_feeds_and_list_columns_align_with_wide_characters(
    config: Path, tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    names = {"cjk": "日本経済新聞 電子版 ニュース速報と解説記事", "ascii": "Plain"}
    text = OFFLINE_CONFIG
    for folder, title in names.items():
        (tmp_path / folder).mkdir()
        (tmp_path / folder / "one.md").write_text(f"# {folder} article\n\nText.\n", "utf-8")
        text += f'\n[[stored]]\npath = "{tmp_path / folder}"\ntitle = "{title}"\n'
    config.write_text(text, "utf-8")
    assert run(capsys, "refresh")[0] == 0

    status, out, _ = run(capsys, "feeds")
    assert status == 0
    rows = {n: line for line in out.splitlines() for n, t in names.items() if t[:5] in line}
    # The unread/total column starts at the same cell in every row.
    starts = {cell_len(row[: row.index("/") - 5]) for row in rows.values()}
    assert len(starts) == 1, out
    assert "日本経済新聞" in rows["cjk"] and "…" in rows["cjk"]
    assert names["cjk"] not in rows["cjk"]  # cut, with an ellipsis
    assert "…" not in rows["ascii"]

    status, out, _ = run(capsys, "list")
    lines = [line for line in out.splitlines() if "article" in line and "★" not in line]
    titles = {
        cell_len(line[: line.index(" article") - len("ascii")]) for line in lines if "ascii" in line
    }
    titles |= {
        cell_len(line[: line.index(" article") - len("cjk")]) for line in lines if "cjk" in line
    }
    assert len(titles) == 1, out
    (cjk_line,) = [line for line in lines if "cjk article" in line]
    assert "…" in cjk_line


# -- config location ------------------------------------------------------------------------


def test_a_named_config_that_does_not_exist_is_an_error(
    isolated_home: Path, tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    named = tmp_path / "no" / "such" / "dir" / "x.toml"
    status, _, err = run(capsys, "--config", str(named), "list")
    assert status == 2
    assert f"{named}: no such config file (named by --config)" in one_error_line(err)
    assert not (tmp_path / "no").exists()

    from_env = Path(os.environ["NEWSREADER_CONFIG"])  # set by the fixture; not created
    status, _, err = run(capsys, "list")
    assert status == 2 and "named by NEWSREADER_CONFIG" in one_error_line(err)
    assert not from_env.exists()
    assert not Path(os.environ["NEWSREADER_DB"]).exists()


def test_only_the_default_config_is_created_on_first_run(
    isolated_home: Path, monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]
) -> None:
    monkeypatch.delenv("NEWSREADER_CONFIG")
    status, _, err = run(capsys, "feeds")
    assert status == 0, err
    assert (isolated_home / ".config" / "newsreader" / "feeds.toml").is_file()
