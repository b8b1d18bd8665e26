"""`alpr-desktop install-purge-timer`: the units it writes into a temporary HOME, and what it
does and says with and without a user service manager. systemctl is never run for real: a
recording runner stands in for it."""

from __future__ import annotations

import io
import subprocess
from collections.abc import Sequence
from pathlib import Path

import pytest

from alpr_desktop.cli import build_parser, main
from alpr_desktop.cli import purge_timer as pt


class Systemctl:
    """Records each call; answers with ``codes[first word after --user]`` (0 by default)."""

    def __init__(self, **codes: int) -> None:
        self.calls: list[list[str]] = []
        self.codes = codes

    def __call__(self, args: Sequence[str]) -> subprocess.CompletedProcess[str]:
        self.calls.append(list(args))
        verb = args[2].replace("-", "_")
        code = self.codes.get(verb, 0)
        return subprocess.CompletedProcess(list(args), code, "", "Failed to connect to bus"
                                           if code else "")


def have(_name: str) -> str | None:
    return "/usr/bin/systemctl"


def lack(_name: str) -> str | None:
    return None


@pytest.fixture
def home(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Path:
    home = tmp_path / "home"
    home.mkdir()
    monkeypatch.setenv("HOME", str(home))
    monkeypatch.delenv("XDG_CONFIG_HOME", raising=False)
    return home


@pytest.fixture
def store(tmp_path: Path) -> Path:
    path = tmp_path / "station 100% $HOME" / "alpr.alprdb"  # a path systemd would mangle
    path.parent.mkdir()
    path.write_bytes(b"x")
    return path


def _units(home: Path) -> dict[str, str]:
    folder = home / ".config" / "systemd" / "user"
    return {p.suffix: p.read_text() for p in folder.iterdir()}


def test_writes_a_minutely_timer_and_a_purge_service_under_the_users_config(
        home: Path, store: Path) -> None:
    out, runner = io.StringIO(), Systemctl()
    code = pt.install(store, out, runner=runner, which=have,
                      command=["/opt/alpr desktop/alpr-desktop"])
    assert code == 0
    units = _units(home)
    assert set(units) == {".service", ".timer"}
    timer = units[".timer"].splitlines()
    assert "OnCalendar=minutely" in timer
    assert "AccuracySec=1s" in timer  # systemd's default would let it run up to a minute late
    assert "WantedBy=timers.target" in timer
    name = pt.unit_name(store)
    assert f"Unit={name}.service" in timer
    service = units[".service"].splitlines()
    assert "Type=oneshot" in service
    # the scheduled credential (no --user: nobody types a password), the store by full path,
    # quoted so that spaces, % and $ reach the program unchanged
    exec_start = next(line for line in service if line.startswith("ExecStart="))
    assert exec_start == ('ExecStart="/opt/alpr desktop/alpr-desktop" "purge" "--store" '
                          f'"{str(store.parent).replace("%", "%%").replace("$", "$$")}'
                          '/alpr.alprdb"')
    assert "--user" not in exec_start
    assert runner.calls == [
        ["systemctl", "--user", "show-environment"],
        ["systemctl", "--user", "daemon-reload"],
        ["systemctl", "--user", "enable", "--now", f"{name}.timer"],
    ]
    said = out.getvalue()
    assert "runs every minute" in said
    assert "purge --enroll --user NAME" in said  # not enrolled yet: what to run


def test_xdg_config_home_is_where_systemd_looks(tmp_path: Path, store: Path,
                                                monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("XDG_CONFIG_HOME", str(tmp_path / "cfg"))
    pt.install(store, io.StringIO(), runner=Systemctl(), which=have, command=["/x"])
    assert sorted(p.suffix for p in (tmp_path / "cfg" / "systemd" / "user").iterdir()) == [
        ".service", ".timer"]


@pytest.mark.parametrize("which, runner", [(lack, Systemctl()),
                                           (have, Systemctl(show_environment=1))])
def test_without_a_user_manager_it_says_what_to_run(home: Path, store: Path, which: object,
                                                     runner: Systemctl) -> None:
    out = io.StringIO()
    assert pt.install(store, out, runner=runner, which=which, command=["/x"]) == 0  # type: ignore[arg-type]
    assert set(_units(home)) == {".service", ".timer"}
    assert all(call[2] == "show-environment" for call in runner.calls)  # nothing else tried
    said = out.getvalue()
    assert "not started" in said
    assert "systemctl --user daemon-reload" in said
    assert f"systemctl --user enable --now {pt.unit_name(store)}.timer" in said


def test_a_failed_enable_is_told_with_the_commands(home: Path, store: Path) -> None:
    out = io.StringIO()
    pt.install(store, out, runner=Systemctl(enable=1), which=have, command=["/x"])
    said = out.getvalue()
    assert "failed: Failed to connect to bus" in said
    assert "runs every minute" not in said
    assert "systemctl --user enable --now" in said


def test_an_enrolled_store_is_not_told_to_enroll(home: Path, store: Path) -> None:
    Path(f"{store}.purge").write_text("{}")
    out = io.StringIO()
    pt.install(store, out, runner=Systemctl(), which=have, command=["/x"])
    assert "--enroll" not in out.getvalue()


def test_a_missing_store_writes_nothing(home: Path, tmp_path: Path,
                                        capsys: pytest.CaptureFixture[str]) -> None:
    args = build_parser().parse_args(
        ["install-purge-timer", "--store", str(tmp_path / "none.alprdb"), "--no-start"])
    assert pt.run(args) == 1
    assert "There is no store at" in capsys.readouterr().err
    assert not (home / ".config").exists()


def test_two_stores_get_two_timers_and_remove_takes_only_its_own(
        home: Path, store: Path, tmp_path: Path) -> None:
    other = tmp_path / "other.alprdb"
    other.write_bytes(b"x")
    for path in (store, other):
        pt.install(path, io.StringIO(), runner=Systemctl(), which=have, command=["/x"])
    folder = home / ".config" / "systemd" / "user"
    assert len(list(folder.iterdir())) == 4
    runner, out = Systemctl(), io.StringIO()
    pt.remove(store, out, runner=runner, which=have)
    assert ["systemctl", "--user", "disable", "--now", f"{pt.unit_name(store)}.timer"] in \
        runner.calls
    left = sorted(p.name for p in folder.iterdir())
    assert left == [f"{pt.unit_name(other)}.service", f"{pt.unit_name(other)}.timer"]
    assert "removed" in out.getvalue()


def test_the_command_line_writes_the_units_without_starting(
        home: Path, store: Path, capsys: pytest.CaptureFixture[str]) -> None:
    assert main(["install-purge-timer", "--store", str(store), "--no-start"]) == 0
    said = capsys.readouterr().out
    assert "not started (as asked)" in said
    assert set(_units(home)) == {".service", ".timer"}


def test_a_line_break_in_the_path_is_refused() -> None:
    with pytest.raises(pt.Failure):
        pt.quote("/tmp/a\nExecStartPost=/bin/evil")


def test_the_program_is_started_the_way_it_was_installed(tmp_path: Path) -> None:
    bundle = tmp_path / "bundle" / "alpr-desktop"
    assert pt.program_command(frozen=True, executable=str(bundle)) == [str(bundle.resolve())]
    script = tmp_path / "venv" / "bin" / "alpr-desktop"
    script.parent.mkdir(parents=True)
    script.write_text("#!")
    assert pt.program_command(frozen=False, executable="/usr/bin/python3",
                              argv0=str(script)) == [str(script.resolve())]
    assert pt.program_command(frozen=False, executable="/usr/bin/python3",
                              argv0="-c") == ["/usr/bin/python3", "-m", "alpr_desktop"]
