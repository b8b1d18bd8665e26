"""Issue 16: `store create` makes a store from the terminal (secrets never as arguments, from
a terminal or, with --secrets-from-stdin, as documented lines of stdin), and no command fails
with a bare Python exception name: each subcommand fed bad input answers with one sentence."""

from __future__ import annotations

import re
from pathlib import Path

import pytest
from cli_run import run

from alpr_desktop.cli.failures import guarded
from alpr_desktop.cli.store import SECRET_LINES
from alpr_desktop.security import keys

PASSPHRASE = "copper lantern orbit meadow"
GOOD_LINES = [PASSPHRASE, PASSPHRASE,
              "ada", "Ada Admin", "City of Carson IT", "Adm-pass-9x!Q", "Adm-pass-9x!Q",
              "cora", "Cora Custodian", "City of Carson", "Cus-pass-7z!W", "Cus-pass-7z!W"]
# A Python exception's name as a message ("KeyError: 'x'", "ValueError") is not a sentence.
EXCEPTION_NAME = re.compile(r"\b[A-Z][A-Za-z]*(Error|Exception|Interrupt)\b|Traceback")


def assert_sentence(err: str) -> None:
    lines = err.strip().splitlines()
    assert len(lines) == 1, err
    line = lines[0]
    assert line.startswith("alpr-desktop"), line
    assert not EXCEPTION_NAME.search(line), line
    message = line.split(": ", 1)[1]
    assert len(message.split()) >= 3 and message.rstrip().endswith((".", ")")), line


def test_store_create_from_stdin_lines_then_sign_in(tmp_path: Path, capsys, monkeypatch) -> None:
    path = tmp_path / "new.alprdb"
    code, out, err = run(["store", "create", "--path", str(path), "--secrets-from-stdin"],
                         capsys, monkeypatch, "\n".join(GOOD_LINES) + "\n")
    assert (code, err) == (0, "")
    assert "administrator 'ada'" in out and "custodian 'cora'" in out
    assert PASSPHRASE not in out and "Adm-pass" not in out  # secrets are never echoed
    from alpr_desktop.services.signin import sign_in_or_recover

    opened = sign_in_or_recover(path, "ada", "Adm-pass-9x!Q", lambda _: "")
    try:
        names = {a.username for a in opened.store.accounts.all()}
        assert names == {"ada", "cora"}
    finally:
        opened.store.close()


def test_store_create_takes_no_secret_as_an_argument() -> None:
    from alpr_desktop.cli import build_parser

    for flag in ("--passphrase", "--password"):
        with pytest.raises(SystemExit):
            build_parser().parse_args(["store", "create", "--path", "x.alprdb", flag, "x"])
    assert len(SECRET_LINES) == len(GOOD_LINES)


@pytest.mark.parametrize("case", ["not_a_tty", "mismatch", "weak", "same_person", "short",
                                  "exists", "no_folder"])
def test_store_create_refusals_are_sentences_and_leave_nothing(
        case: str, tmp_path: Path, capsys, monkeypatch) -> None:
    path = tmp_path / "new.alprdb"
    lines = list(GOOD_LINES)
    flags = ["--secrets-from-stdin"]
    if case == "not_a_tty":
        flags = []
    elif case == "mismatch":
        lines[1] = PASSPHRASE + " typo"
    elif case == "weak":
        lines[0] = lines[1] = "password1234"
    elif case == "same_person":
        lines[7] = "ada"
    elif case == "short":
        lines = lines[:5]
    elif case == "exists":
        path.write_bytes(b"precious")
    elif case == "no_folder":
        path = tmp_path / "missing" / "new.alprdb"
    code, _, err = run(["store", "create", "--path", str(path), *flags], capsys, monkeypatch,
                       "\n".join(lines) + "\n")
    assert code == 1
    assert_sentence(err)
    if case == "exists":
        assert path.read_bytes() == b"precious"
    else:
        assert not path.exists() and not keys.keyfile_path(path).exists()
    if case == "not_a_tty":
        assert "--secrets-from-stdin" in err


def _mapping_file(tmp_path: Path, text: str) -> Path:
    p = tmp_path / "m.json"
    p.write_text(text)
    return p


@pytest.mark.parametrize("argv", [
    ["import", "{data}", "--user", "ada", "--store", "{missing}"],
    ["import", "{data}", "--user", "ada", "--store", "{junk}"],
    ["report", "access-log", "--from", "2025-01-01", "--to", "2025-01-31", "--out",
     "{tmp}/r.pdf", "--store", "{missing}", "--user", "ada"],
    ["verify-log", "--store", "{junk}"],
    ["checkpoint", "issue", "--store", "{missing}", "--user", "cora"],
    ["purge", "--store", "{junk}", "--user", "cora"],
])
def test_each_subcommand_answers_bad_input_with_a_sentence(
        argv: list[str], tmp_path: Path, capsys, monkeypatch) -> None:
    data = tmp_path / "a.csv"
    data.write_text("plate,datetime,camera\n")
    junk = tmp_path / "junk.alprdb"
    junk.write_bytes(b"not a store at all" * 100)
    subs = {"{data}": str(data), "{missing}": str(tmp_path / "none.alprdb"),
            "{junk}": str(junk)}
    args = [subs.get(a, a.replace("{tmp}", str(tmp_path))) for a in argv]
    code, _, err = run(args, capsys, monkeypatch, "some password\n")
    assert code != 0
    assert_sentence(err)


def _store_with_vendor(tmp_path: Path, capsys, monkeypatch) -> Path:
    path = tmp_path / "s.alprdb"
    assert run(["store", "create", "--path", str(path), "--secrets-from-stdin"], capsys,
               monkeypatch, "\n".join(GOOD_LINES) + "\n")[0] == 0
    return path


@pytest.mark.parametrize("mapping", ["{not json", '{"columns": {"plate": "p"}}',
                                     '{"columns": {"plate": "plate", "datetime": "t", '
                                     '"camera": "c"}, "datetime_format": "YYYY-MM-DD HH:MM"}',
                                     '["a list"]', '{"columns": 5}'])
def test_import_mapping_problems_are_sentences(mapping: str, tmp_path: Path, capsys,
                                               monkeypatch) -> None:
    path = _store_with_vendor(tmp_path, capsys, monkeypatch)
    data = tmp_path / "a.csv"
    data.write_text("plate,t,c\n7ABC123,2025-01-02 03:04,CAR-01\n")
    code, out, err = run(["import", str(data), "--store", str(path), "--user", "ada",
                          "--password-stdin", "--mapping-file",
                          str(_mapping_file(tmp_path, mapping))],
                         capsys, monkeypatch, "Adm-pass-9x!Q\n")
    assert code == 1
    if err:  # stopped before reading: one line on stderr
        assert_sentence(err)
    else:  # the file was refused whole: the summary says why, in words
        refused = [line for line in out.splitlines() if "REFUSED: " in line]
        assert refused and not EXCEPTION_NAME.search(out)
        assert refused[0].rstrip().endswith(".")
    if "HH:MM" in mapping:
        assert "write the minutes as mm" in err + out


def test_an_unexpected_error_is_told_without_its_class_name(capsys) -> None:
    def boom() -> int:
        raise KeyError("camera_id")

    assert guarded(boom, "alpr-desktop x") == 1
    err = capsys.readouterr().err
    assert_sentence(err)
    assert "camera_id" not in err
