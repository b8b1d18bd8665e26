"""The demo store: built by `alpr-desktop demo` (cli/demo.py), and opened by `--demo` and the
shell's demo button on first use.

The store is built under a temporary name and renamed into place only when complete, so a
crash or Ctrl+C never leaves something that looks like a finished demo. Its recovery passphrase
is published (DEMO_PASSPHRASE): the data is synthetic, and the demo must open on machines with
no keyring. Where the keyring works, each demo account has its key slot, so the README's demo
passwords open the store by signing in, as a real store opens.
"""

from __future__ import annotations

import os
import shutil
from dataclasses import replace
from pathlib import Path

from alpr_desktop.core.audit_log import LogEvent, Outcome
from alpr_desktop.core.paths import demo_store_path
from alpr_desktop.demo.generator import Cancel, DemoSummary, Progress, build_demo
from alpr_desktop.security import keys, workstation_secret
from alpr_desktop.services.audit import SYSTEM_USER, log_event
from alpr_desktop.services.demo_accounts import add_demo_accounts
from alpr_desktop.services.stores import create_new_store, image_folder, side_files
from alpr_desktop.storage.unit_of_work import UnitOfWork

DEMO_PASSPHRASE = "carson-demo-store-passphrase"  # noqa: S105 - published: synthetic data
_PARTIAL = ".partial"
_SIDE_FILES = ("", "-wal", "-shm", "-journal")


def _partial(path: Path) -> Path:
    return path.with_name(path.name + _PARTIAL)


def _remove_store_files(path: Path) -> None:
    for suffix in _SIDE_FILES:
        Path(f"{path}{suffix}").unlink(missing_ok=True)
    for side in side_files(path):
        side.unlink(missing_ok=True)
    shutil.rmtree(image_folder(path), ignore_errors=True)


def _add_accounts(store: UnitOfWork, kdf: keys.KdfParams | None) -> list[tuple[str, str, str]]:
    """One demo account per role, with its published password and key slot (hashing takes a
    few seconds, so it runs while the images render)."""
    made = add_demo_accounts(store, kdf=kdf)
    return [(user, password, ", ".join(sorted(str(getattr(r, "value", r)) for r in roles)))
            for user, password, roles in made]


def build_demo_store(
    path: Path | str,
    reads: int = 20_000,
    seed: int = 1,
    *,
    images: bool = True,
    progress: Progress | None = None,
    cancel: Cancel | None = None,
    workers: int | None = None,
    kdf: keys.KdfParams | None = None,
) -> DemoSummary:
    """Create the demo store at ``path`` (which must not exist) and fill it.

    On any failure, Cancelled or KeyboardInterrupt, nothing is left at ``path`` or beside it."""
    path = Path(path)
    if path.exists() or keys.keyfile_path(path).exists():
        raise FileExistsError(f"{path} already exists; choose another name.")
    if reads < 0:
        raise ValueError("the number of reads cannot be negative")
    tmp = _partial(path)
    _remove_store_files(tmp)  # leftovers of an earlier, interrupted build
    store = create_new_store(tmp, DEMO_PASSPHRASE, demo=True, kdf=kdf)
    store_id = store.store_id
    accounts: list[tuple[str, str, str]] = []
    try:
        summary = build_demo(
            store, reads, seed, images=images, progress=progress, cancel=cancel,
            workers=workers, while_rendering=lambda: accounts.extend(_add_accounts(store, kdf)),
        )
        summary = replace(summary, accounts=tuple(accounts))
        store.settings.put("demo_seed", str(seed))
        store.settings.put("demo_reads", str(summary.reads))
        log_event(store, LogEvent(
            "demo.built", Outcome.OK, SYSTEM_USER,
            detail={"seed": seed, "reads": summary.reads, "images": summary.images},
        ))
        store.close()
        for suffix in _SIDE_FILES:  # normally only the store: closing checkpoints the WAL
            src = Path(f"{tmp}{suffix}")
            if src.exists():
                os.replace(src, Path(f"{path}{suffix}"))
        for src, dst in zip(side_files(tmp), side_files(path), strict=True):
            if src.exists():
                os.replace(src, dst)
        if image_folder(tmp).exists():
            os.replace(image_folder(tmp), image_folder(path))
    except BaseException:
        store.close()
        _remove_store_files(tmp)
        _remove_store_files(path)
        workstation_secret.forget(store_id)
        raise
    return summary


def ensure_demo_store(
    path: Path | str | None = None,
    reads: int = 20_000,
    seed: int = 1,
    progress: Progress | None = None,
    cancel: Cancel | None = None,
) -> Path:
    """The demo store's path, building it first if it does not exist yet (for ``--demo``).
    Open it by signing in with a demo account, or with DEMO_PASSPHRASE."""
    target = Path(path) if path is not None else demo_store_path()
    if not (target.is_file() and keys.keyfile_path(target).is_file()):
        _remove_store_files(target)  # a store without its key file cannot be opened
        build_demo_store(target, reads, seed, progress=progress, cancel=cancel)
    return target
