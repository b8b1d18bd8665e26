"""No core dumps (issue 10 §4): a crash must not write the data key, a password or a decoded
image to disk. Called first thing by the command line and the GUI, before any key is held.

- Linux and macOS: the core-file size limit is set to 0 (soft and hard, so a child or a later
  call cannot raise it again).
- Linux: the process is also marked not dumpable (``prctl(PR_SET_DUMPABLE, 0)``), which stops
  core dumps through a pipe handler such as systemd-coredump (it ignores RLIMIT_CORE) and
  keeps other processes of the same user from attaching with ptrace or reading
  ``/proc/<pid>/mem``.
- macOS: the process also denies debugger attachment (``ptrace(PT_DENY_ATTACH)``), the
  nearest to Linux's "not dumpable": another program of the same user cannot attach to read
  the key or decoded images from memory.
- Windows: Windows Error Reporting is told not to show or collect anything for this program
  (``WerAddExcludedApplication`` for the current user) and the crash dialog is turned off
  (``SetErrorMode``), so no crash dump is written or offered for upload.

Every step is best effort and reported, never fatal: a platform without the call still runs.
"""

from __future__ import annotations

import ctypes
import ctypes.util
import os
import sys
from dataclasses import dataclass, field

PR_SET_DUMPABLE = 4
PR_GET_DUMPABLE = 3
PT_DENY_ATTACH = 31  # macOS <sys/ptrace.h>
# SetErrorMode flags: no critical-error box, no Windows Error Reporting fault box.
SEM_FAILCRITICALERRORS = 0x0001
SEM_NOGPFAULTERRORBOX = 0x0002


@dataclass
class Hardening:
    """What was done and what could not be done (with the reason), for the log and tests."""

    done: list[str] = field(default_factory=list)
    skipped: list[str] = field(default_factory=list)


_applied: Hardening | None = None


def _no_core_files(result: Hardening) -> None:
    try:
        import resource
    except ImportError:
        result.skipped.append("core-size limit: no resource module on this platform")
        return
    try:
        resource.setrlimit(resource.RLIMIT_CORE, (0, 0))
    except (ValueError, OSError) as exc:
        result.skipped.append(f"core-size limit: {exc}")
    else:
        result.done.append("core-size limit 0")


def _not_dumpable(result: Hardening) -> None:
    try:
        libc = ctypes.CDLL(ctypes.util.find_library("c") or "libc.so.6", use_errno=True)
        prctl = libc.prctl
    except (OSError, AttributeError) as exc:
        result.skipped.append(f"not dumpable: prctl unavailable ({exc})")
        return
    prctl.restype = ctypes.c_int
    prctl.argtypes = [ctypes.c_int, ctypes.c_ulong, ctypes.c_ulong, ctypes.c_ulong,
                      ctypes.c_ulong]
    if prctl(PR_SET_DUMPABLE, 0, 0, 0, 0) != 0:
        err = ctypes.get_errno()
        result.skipped.append(f"not dumpable: prctl failed ({os.strerror(err)})")
    else:
        result.done.append("not dumpable")


def _deny_attach(result: Hardening) -> None:
    try:
        libc = ctypes.CDLL(ctypes.util.find_library("c") or "libc.dylib", use_errno=True)
        ptrace = libc.ptrace
    except (OSError, AttributeError) as exc:
        result.skipped.append(f"debugger attach: ptrace unavailable ({exc})")
        return
    ptrace.restype = ctypes.c_int
    ptrace.argtypes = [ctypes.c_int, ctypes.c_int, ctypes.c_void_p, ctypes.c_int]
    if ptrace(PT_DENY_ATTACH, 0, None, 0) != 0:
        err = ctypes.get_errno()
        result.skipped.append(f"debugger attach: ptrace failed ({os.strerror(err)})")
    else:
        result.done.append("debugger attach denied")


def _windows_no_crash_dumps(result: Hardening) -> None:
    windll = getattr(ctypes, "windll", None)
    if windll is None:
        result.skipped.append("Windows Error Reporting: ctypes.windll unavailable")
        return
    try:
        windll.kernel32.SetErrorMode(SEM_FAILCRITICALERRORS | SEM_NOGPFAULTERRORBOX)
        result.done.append("no crash dialog (SetErrorMode)")
    except (OSError, AttributeError) as exc:
        result.skipped.append(f"SetErrorMode: {exc}")
    if not getattr(sys, "frozen", False):
        # Unbundled, the executable is python.exe: excluding it would silence crash reports
        # of every Python program of this user. The installed program is frozen.
        result.skipped.append("Windows Error Reporting exclusion: not the installed program")
        return
    try:
        wer = windll.wer
        hr = wer.WerAddExcludedApplication(ctypes.c_wchar_p(sys.executable), False)
    except (OSError, AttributeError) as exc:
        result.skipped.append(f"Windows Error Reporting exclusion: {exc}")
        return
    if hr == 0:
        result.done.append("excluded from Windows Error Reporting")
    else:
        result.skipped.append(f"Windows Error Reporting exclusion: HRESULT {hr & 0xFFFFFFFF:#x}")


def disable_core_dumps() -> Hardening:
    """Apply the platform's measures once per process; later calls return the first result."""
    global _applied
    if _applied is not None:
        return _applied
    result = Hardening()
    if sys.platform == "win32":
        _windows_no_crash_dumps(result)
    else:
        _no_core_files(result)
        if sys.platform.startswith("linux"):
            _not_dumpable(result)
        elif sys.platform == "darwin":
            _deny_attach(result)
    _applied = result
    return result
