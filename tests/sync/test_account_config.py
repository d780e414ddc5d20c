"""The ``[account]`` table and where the password comes from (never from the config)."""

from __future__ import annotations

import shlex
import sys
from pathlib import Path

import pytest

from newsreader.config import AccountConfig, ConfigError, load_config
from newsreader.sources import accounts
from newsreader.sources.accounts import AccountError, password_for
from newsreader.sources.fever import api_key


def write(tmp_path: Path, text: str) -> Path:
    path = tmp_path / "feeds.toml"
    path.write_text(text, "utf-8")
    return path


def test_account_table_is_read(tmp_path: Path) -> None:
    config = load_config(
        write(
            tmp_path,
            '[account]\nkind = "fever"\nurl = "https://rss.example.org/fever/"\n'
            'username = "ann"\npassword_command = "pass show fever"\n',
        )
    )
    assert config.account == AccountConfig(
        kind="fever",
        url="https://rss.example.org/fever/",
        username="ann",
        password_command="pass show fever",
    )


def test_no_account_table(tmp_path: Path) -> None:
    assert load_config(write(tmp_path, "[settings]\ntimeout = 3\n")).account is None


@pytest.mark.parametrize(
    ("body", "message"),
    [
        (
            'kind = "greader"\nurl = "https://x/"\nusername = "a"',
            'line 2: account.kind: must be "fever"',
        ),
        (
            'kind = "fever"\nurl = "ftp://x/"\nusername = "a"',
            "line 3: account.url: must be an http(s):// URL",
        ),
        ('kind = "fever"\nurl = "https://x/"', "line 1: account: missing or empty"),
        (
            'kind = "fever"\nurl = "https://x/"\nusername = ""',
            "line 4: account.username: missing or empty",
        ),
        (
            'kind = "fever"\nurl = "https://x/"\nusername = "a"\npassword = "secret"',
            "line 5: account.password: unknown key",
        ),
        (
            'kind = "fever"\nurl = "https://x/"\nusername = 3',
            "line 4: account.username: must be a string",
        ),
    ],
)
def test_bad_account_names_file_line_and_key(tmp_path: Path, body: str, message: str) -> None:
    path = write(tmp_path, f"[account]\n{body}\n")
    with pytest.raises(ConfigError) as caught:
        load_config(path)
    assert str(caught.value).startswith(f"{path}, {message}")


def account(command: str = "") -> AccountConfig:
    return AccountConfig("fever", "https://x/fever/", "ann", command)


def test_password_command_runs_without_a_shell(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("NEWSREADER_PASSWORD", "from the environment")
    command = shlex.join([sys.executable, "-c", "import sys; print(sys.argv[1])", "$HOME; x"])
    assert password_for(account(command)) == "$HOME; x"


def test_password_command_failure_is_one_line() -> None:
    command = shlex.join([sys.executable, "-c", "import sys; sys.exit('locked\\nmore')"])
    with pytest.raises(AccountError, match=r"failed \(exit status 1\): locked$"):
        password_for(account(command))
    with pytest.raises(AccountError, match="no-such-program: command not found"):
        password_for(account("no-such-program show fever"))


def test_password_from_the_environment_then_asked_once(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr(accounts, "_asked", {})
    monkeypatch.setenv("NEWSREADER_PASSWORD", "env secret")
    assert password_for(account()) == "env secret"
    monkeypatch.delenv("NEWSREADER_PASSWORD")
    with pytest.raises(AccountError, match="set password_command"):
        password_for(account())
    prompts: list[str] = []

    def ask(prompt: str) -> str:
        prompts.append(prompt)
        return "typed secret"

    assert password_for(account(), ask) == "typed secret"
    assert password_for(account(), ask) == "typed secret"
    assert prompts == ["Password for ann at https://x/fever/: "]


def test_fever_api_key_is_md5_of_user_and_password() -> None:
    assert api_key("reader@example.com", "readerpassword1") == (
        __import__("hashlib").md5(b"reader@example.com:readerpassword1").hexdigest()
    )
