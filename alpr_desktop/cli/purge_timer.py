"""`alpr-desktop install-purge-timer`: on Linux, the scheduled purge (policy §8) as a systemd
user timer that runs `alpr-desktop purge --store STORE` every minute while the program is
closed (the open program purges by itself).

It writes a service and a timer unit into ``$XDG_CONFIG_HOME/systemd/user`` (normally
``~/.config/systemd/user``), then asks ``systemctl --user`` to load and start the timer; where
there is no user manager to ask (no systemd, a container, an SSH session without one) it says
which commands to run. The purge it schedules opens the store with the purge credential a
custodian enrolled under this same account (``alpr-desktop purge --enroll --user NAME``:
``<store>.purge`` beside the store, its key in this account's keyring), so the units carry no
secret. Each store gets its own pair of units, named from the store's path.
"""

from __future__ import annotations

import argparse
import hashlib
import os
import shutil
import subprocess
import sys
from collections.abc import Callable, Sequence
from dataclasses import dataclass
from pathlib import Path
from typing import TextIO

from alpr_desktop.cli.failures import EXIT_OK, Failure, guarded
from alpr_desktop.cli.signin import PROG, store_path

Runner = Callable[[Sequence[str]], "subprocess.CompletedProcess[str]"]
UNIT_PREFIX = "alpr-desktop-purge"


def add_parser(sub: argparse._SubParsersAction[argparse.ArgumentParser]) -> None:
    p = sub.add_parser(
        "install-purge-timer",
        help="Linux: run the scheduled purge every minute (a systemd user timer)",
        description="Write a systemd user timer and service that run 'alpr-desktop purge' on "
                    "the store every minute, and start the timer. A custodian enrolls the "
                    "purge once under this account: alpr-desktop purge --enroll --user NAME.")
    p.add_argument("--store", dest="timer_store", type=Path, metavar="PATH",
                   help="store file to purge (default: the program's store)")
    p.add_argument("--remove", action="store_true",
                   help="stop the timer and delete its units instead")
    p.add_argument("--no-start", action="store_true",
                   help="write the units only; print the commands that start the timer")


@dataclass(frozen=True)
class Units:
    """The pair of units for one store: names, and the text of each."""

    name: str  # without suffix: NAME.service, NAME.timer
    service: str
    timer: str


def unit_dir(env: dict[str, str] | os._Environ[str] | None = None) -> Path:
    """Where systemd looks for this user's own units."""
    env = os.environ if env is None else env
    base = env.get("XDG_CONFIG_HOME") or str(Path(env.get("HOME") or Path.home()) / ".config")
    return Path(base) / "systemd" / "user"


def unit_name(store: Path) -> str:
    """One name per store file: its stem (for people) and a hash of its full path."""
    digest = hashlib.sha256(str(store).encode("utf-8")).hexdigest()[:8]
    stem = "".join(c if c.isalnum() or c in "-_" else "-" for c in store.stem)[:32] or "store"
    return f"{UNIT_PREFIX}-{stem}-{digest}"


def quote(arg: str) -> str:
    """One argument of ExecStart, quoted for systemd: in double quotes, with backslash and
    quote escaped, and % and $ doubled (systemd would expand them)."""
    if any(c in arg for c in "\n\r\0"):
        raise Failure(f"The path {arg!r} holds a line break, which a unit file cannot carry.")
    text = arg.replace("\\", "\\\\").replace('"', '\\"')
    return '"' + text.replace("%", "%%").replace("$", "$$") + '"'


def program_command(frozen: bool | None = None, executable: str | None = None,
                    argv0: str | None = None) -> list[str]:
    """How to start this same program from a unit: the bundle's executable; else the
    installed ``alpr-desktop`` script that is running; else this Python with ``-m``."""
    frozen = bool(getattr(sys, "frozen", False)) if frozen is None else frozen
    executable = executable or sys.executable
    if frozen:
        return [str(Path(executable).resolve())]
    script = Path(argv0 if argv0 is not None else sys.argv[0])
    if script.name == "alpr-desktop" and script.exists():
        return [str(script.resolve())]
    return [str(Path(executable).absolute()), "-m", "alpr_desktop"]


def build_units(store: Path, command: Sequence[str]) -> Units:
    """The service (one purge run) and the timer (every minute, on the minute)."""
    name = unit_name(store)
    exec_start = " ".join(quote(a) for a in [*command, "purge", "--store", str(store)])
    service = "\n".join([
        "# Written by 'alpr-desktop install-purge-timer'; remove with its --remove.",
        "[Unit]",
        f"Description=ALPR Desktop: delete reads past retention in {store.name}",
        "",
        "[Service]",
        "Type=oneshot",
        f"ExecStart={exec_start}",
        "# No core dumps: the purge holds the store key (the program also switches them off).",
        "LimitCORE=0",
        "Nice=10",
        "",
    ])
    timer = "\n".join([
        "# Written by 'alpr-desktop install-purge-timer'; remove with its --remove.",
        "[Unit]",
        f"Description=ALPR Desktop: the scheduled purge of {store.name}, every minute",
        "",
        "[Timer]",
        "OnCalendar=minutely",
        "# On the minute, not up to a minute late (systemd's default accuracy)",
        "AccuracySec=1s",
        "Persistent=true",
        f"Unit={name}.service",
        "",
        "[Install]",
        "WantedBy=timers.target",
        "",
    ])
    return Units(name, service, timer)


def write_units(units: Units, directory: Path) -> list[Path]:
    directory.mkdir(parents=True, exist_ok=True)
    written = []
    for suffix, text in ((".service", units.service), (".timer", units.timer)):
        target = directory / f"{units.name}{suffix}"
        tmp = target.with_name(target.name + ".tmp")
        tmp.write_text(text, encoding="utf-8")
        tmp.replace(target)
        written.append(target)
    return written


def _run(args: Sequence[str]) -> subprocess.CompletedProcess[str]:
    return subprocess.run(list(args), capture_output=True, text=True, timeout=60,  # noqa: S603
                          check=False)


def user_manager_available(runner: Runner, which: Callable[[str], str | None]) -> bool:
    """True when ``systemctl --user`` can reach this user's service manager."""
    if which("systemctl") is None:
        return False
    try:
        return runner(["systemctl", "--user", "show-environment"]).returncode == 0
    except (OSError, subprocess.SubprocessError):
        return False


def _systemctl(runner: Runner, steps: list[list[str]]) -> str | None:
    """Run each step; the first failure as a sentence, None when all succeeded."""
    for step in steps:
        try:
            done = runner(step)
        except (OSError, subprocess.SubprocessError) as exc:
            return f"'{' '.join(step)}' could not run ({exc})"
        if done.returncode != 0:
            said = (done.stderr or done.stdout or "").strip().splitlines()
            return f"'{' '.join(step)}' failed" + (f": {said[-1]}" if said else "")
    return None


def install(store: Path, out: TextIO, *, start: bool = True, runner: Runner = _run,
            which: Callable[[str], str | None] = shutil.which,
            env: dict[str, str] | None = None, command: Sequence[str] | None = None) -> int:
    store = store.expanduser().absolute()
    if not store.is_file():
        raise Failure(f"There is no store at {store}; give the store file with --store PATH.")
    units = build_units(store, command if command is not None else program_command())
    for path in write_units(units, unit_dir(env)):
        print(f"{PROG}: wrote {path}", file=out)
    steps = [["systemctl", "--user", "daemon-reload"],
             ["systemctl", "--user", "enable", "--now", f"{units.name}.timer"]]
    if start and user_manager_available(runner, which):
        problem = _systemctl(runner, steps)
        if problem is None:
            print(f"{PROG}: the scheduled purge of {store.name} runs every minute "
                  f"({units.name}.timer); 'systemctl --user list-timers' shows it.", file=out)
        else:
            print(f"{PROG}: {problem}. Start the timer with:", file=out)
            _tell(steps, out)
    else:
        reason = ("as asked" if not start else
                  "systemctl --user cannot reach a user service manager here")
        print(f"{PROG}: the timer is not started ({reason}). To start it, run as this user "
              "in a desktop session:", file=out)
        _tell(steps, out)
    credential = Path(f"{store}.purge")
    if not credential.is_file():
        print(f"{PROG}: the purge is not enrolled yet: a custodian runs, under this account, "
              f"'alpr-desktop purge --enroll --user NAME --store {store}'.", file=out)
    print(f"{PROG}: the purge reads its credential from this account's keyring, which is "
          "open while this account is signed in to the desktop; the program purges by itself "
          "while it is open.", file=out)
    return EXIT_OK


def remove(store: Path, out: TextIO, *, runner: Runner = _run,
           which: Callable[[str], str | None] = shutil.which,
           env: dict[str, str] | None = None) -> int:
    name = unit_name(store.expanduser().absolute())
    directory = unit_dir(env)
    steps = [["systemctl", "--user", "disable", "--now", f"{name}.timer"]]
    if user_manager_available(runner, which):
        problem = _systemctl(runner, steps)
        if problem is not None:
            print(f"{PROG}: {problem}.", file=out)
    else:
        print(f"{PROG}: systemctl --user cannot reach a user service manager here; if the "
              "timer is running, stop it with:", file=out)
        _tell(steps, out)
    found = False
    for suffix in (".timer", ".service"):
        path = directory / f"{name}{suffix}"
        if path.exists():
            path.unlink()
            found = True
            print(f"{PROG}: removed {path}", file=out)
    if not found:
        print(f"{PROG}: there was no purge timer for {store.name}.", file=out)
    return EXIT_OK


def _tell(steps: list[list[str]], out: TextIO) -> None:
    for step in steps:
        print("    " + " ".join(step), file=out)


def run(args: argparse.Namespace, out: TextIO | None = None) -> int:
    output = out or sys.stdout

    def work() -> int:
        if sys.platform == "win32":
            raise Failure("On Windows the installer registers the scheduled purge "
                          "(Task Scheduler); this command is for Linux.")
        path = store_path(args.timer_store or getattr(args, "store", None))
        if args.remove:
            return remove(path, output)
        return install(path, output, start=not args.no_start)

    return guarded(work, f"{PROG}: install-purge-timer")
