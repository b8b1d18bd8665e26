"""Issue 10 §4: a crash must not write the key or the data to a core file. The program's real
entry point (cli.main, which every run of ``alpr-desktop`` goes through) switches core dumps off
before it parses a single argument; checked in a child process so this one is left alone."""

from __future__ import annotations

import json
import subprocess
import sys
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[3]

# Raise the soft core limit as far as allowed first (a shell may start us with 0), run the
# real entry point, then report the limits and the dumpable flag as the kernel sees them.
_CHILD = r"""
import ctypes, json, resource, sys
soft, hard = resource.getrlimit(resource.RLIMIT_CORE)
resource.setrlimit(resource.RLIMIT_CORE, (hard, hard))
before = resource.getrlimit(resource.RLIMIT_CORE)
from alpr_desktop import cli
try:
    cli.main(["--version"])
except SystemExit:
    pass
after = resource.getrlimit(resource.RLIMIT_CORE)
out = {"before": before, "after": after}
if sys.platform.startswith("linux"):
    libc = ctypes.CDLL(None, use_errno=True)
    out["dumpable"] = libc.prctl(3, 0, 0, 0, 0)  # PR_GET_DUMPABLE
    with open("/proc/self/limits") as fh:
        out["limits"] = [ln for ln in fh if ln.startswith("Max core file size")][0]
print(json.dumps(out))
"""


def _run_child() -> dict:
    done = subprocess.run([sys.executable, "-c", _CHILD], capture_output=True, text=True,
                          timeout=120, cwd=ROOT)
    assert done.returncode == 0, done.stderr
    return json.loads(done.stdout.strip().splitlines()[-1])


@pytest.mark.skipif(sys.platform == "win32", reason="POSIX resource limits")
def test_the_entry_point_sets_the_core_limit_to_zero() -> None:
    out = _run_child()
    if out["before"] == [0, 0]:
        pytest.skip("this environment already forbids core files; nothing to observe")
    assert out["after"] == [0, 0]
    if sys.platform.startswith("linux"):
        assert out["limits"].split()[4:6] == ["0", "0"]


@pytest.mark.skipif(not sys.platform.startswith("linux"), reason="prctl is Linux only")
def test_the_entry_point_makes_the_process_not_dumpable() -> None:
    assert _run_child()["dumpable"] == 0


def test_hardening_reports_what_it_did() -> None:
    # Run in a child: the measures are irreversible for the process that applies them.
    code = ("from alpr_desktop.security.process_hardening import disable_core_dumps as d\n"
            "r = d(); assert d() is r\nprint(r.done, r.skipped)")
    done = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True,
                          timeout=60, cwd=ROOT)
    assert done.returncode == 0, done.stderr
    if sys.platform.startswith("linux"):
        assert "core-size limit 0" in done.stdout and "not dumpable" in done.stdout


def test_macos_also_denies_debugger_attachment(monkeypatch: pytest.MonkeyPatch) -> None:
    """Played with a fake libc (this process must not change its own limits)."""
    from alpr_desktop.security import process_hardening as ph

    calls: list[tuple] = []

    class FakePtrace:
        restype = argtypes = None

        def __call__(self, *args: object) -> int:
            calls.append(args)
            return 0

    class FakeLibc:
        ptrace = FakePtrace()

    monkeypatch.setattr(ph, "_applied", None)
    monkeypatch.setattr(ph.sys, "platform", "darwin")
    monkeypatch.setattr(ph, "_no_core_files", lambda r: r.done.append("core-size limit 0"))
    monkeypatch.setattr(ph.ctypes, "CDLL", lambda *_a, **_k: FakeLibc())
    result = ph.disable_core_dumps()
    assert calls == [(ph.PT_DENY_ATTACH, 0, None, 0)]
    assert result.done == ["core-size limit 0", "debugger attach denied"]
