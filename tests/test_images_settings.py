"""The ``images`` and ``prefetch_images`` settings, and ``newsreader cache clear --images``."""

from __future__ import annotations

import argparse
from pathlib import Path

import pytest

from newsreader.cli import cache as cli_cache
from newsreader.config import ConfigError, load_config
from newsreader.images.cache import ImageCache


def write(tmp_path: Path, text: str) -> Path:
    path = tmp_path / "feeds.toml"
    path.write_text(text, "utf-8")
    return path


def test_image_settings_default_to_auto_and_no_prefetch(tmp_path: Path) -> None:
    settings = load_config(write(tmp_path, "[settings]\n")).settings
    assert settings.images == "auto"
    assert settings.prefetch_images is False


@pytest.mark.parametrize("mode", ["auto", "kitty", "sixel", "blocks", "off"])
def test_each_image_mode_is_accepted(tmp_path: Path, mode: str) -> None:
    text = f'[settings]\nimages = "{mode}"\nprefetch_images = true\n'
    settings = load_config(write(tmp_path, text)).settings
    assert settings.images == mode
    assert settings.prefetch_images is True


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ('[settings]\nimages = "iterm"\n', r"line 2: settings\.images: must be one of auto, kitty"),
        ("[settings]\nimages = true\n", r"line 2: settings\.images: must be str"),
        (
            '[settings]\nprefetch_images = "yes"\n',
            r"line 2: settings\.prefetch_images: must be bool",
        ),
    ],
)
def test_bad_image_settings_name_the_key(tmp_path: Path, text: str, expected: str) -> None:
    with pytest.raises(ConfigError, match=expected):
        load_config(write(tmp_path, text))


def parse(argv: list[str]) -> argparse.Namespace:
    parser = argparse.ArgumentParser(prog="newsreader")
    cli_cache.register(parser.add_subparsers())
    return parser.parse_args(argv)


def test_cache_clear_images_empties_the_image_cache(capsys: pytest.CaptureFixture[str]) -> None:
    cache = ImageCache()
    cache.put("https://example.org/a.png", b"a" * 2048)
    cache.put("https://example.org/b.png", b"b" * 2048)
    args = parse(["cache", "clear", "--images"])
    assert args.handler(None, args) == 0
    out = capsys.readouterr().out
    assert out.startswith("Removed 2 cached images")
    assert str(cache.folder) in out
    assert cache.get("https://example.org/a.png") is None


def test_cache_clear_without_what_is_an_error(capsys: pytest.CaptureFixture[str]) -> None:
    cache = ImageCache()
    cache.put("https://example.org/a.png", b"a")
    args = parse(["cache", "clear"])
    assert args.handler(None, args) == 2
    assert "--images" in capsys.readouterr().err
    assert cache.get("https://example.org/a.png") is not None


def test_image_modules_import_neither_textual_nor_heavy_libraries() -> None:
    import subprocess
    import sys

    code = (
        "import sys\n"
        "import newsreader.cli.cache, newsreader.images.cache\n"
        "import newsreader.images.decode, newsreader.images.policy, newsreader.images.loader\n"
        "heavy = {'textual', 'rich', 'PIL', 'httpx', 'aiohttp', 'markdown_it', 'textual_image'}\n"
        "print(sorted(m for m in heavy if m in sys.modules))\n"
    )
    result = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True)
    assert result.returncode == 0, result.stderr
    assert result.stdout.strip() == "[]"
