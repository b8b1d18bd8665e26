"""Store files as the GUI names them: the file suffix, whether a key file is beside a store,
the recovery passphrase's strength rule, and opening, recovering or creating a store.

Thin over services.signin and services.stores; every opener returns an :class:`OpenStore`
already held against the log witness, so the GUI never touches a connection."""

from __future__ import annotations

from collections.abc import Callable
from pathlib import Path

from alpr_desktop.core.accounts import Session
from alpr_desktop.security import keys
from alpr_desktop.security.process_hardening import Hardening, disable_core_dumps
from alpr_desktop.services import signin, stores
from alpr_desktop.services.demo_accounts import ensure_demo_slots
from alpr_desktop.services.stores import STORE_SUFFIX, telling_migrations
from alpr_desktop.services.workstation import OpenStore, check_witness_on_open
from alpr_desktop.storage.unit_of_work import UnitOfWork

__all__ = [
    "STORE_SUFFIX", "Door", "DoorInfo", "OpenStore", "build_demo", "check_passphrase", "create",
    "harden_process", "inspect", "key_file_exists", "opened", "recover", "sign_in",
    "telling_migrations",
]

Door = signin.Door
DoorInfo = signin.DoorInfo


def harden_process() -> Hardening:
    """No core dumps of a process that holds plates in memory (DESIGN rule 5)."""
    return disable_core_dumps()


def key_file_exists(store_path: Path) -> bool:
    """Whether the store at ``store_path`` has its key file beside it (a name is taken)."""
    return keys.keyfile_path(store_path).exists()


def check_passphrase(passphrase: str) -> None:
    """Raise WeakPassphrase (services.failures) when the recovery passphrase is too weak."""
    keys.check_passphrase(passphrase)


def opened(store: UnitOfWork) -> OpenStore:
    """On the worker that unlocked it: describe the store and hold its log against this
    workstation's witness; the store is closed again if that fails."""
    try:
        return check_witness_on_open(OpenStore.adopt(store))
    except BaseException:
        store.close()
        raise


def inspect(path: Path) -> signin.DoorInfo:
    return signin.inspect(path)


def sign_in(path: Path, username: str, password: str) -> tuple[OpenStore, Session]:
    """Sign in (which opens the store), then hold its log against the witness."""
    result = signin.sign_in(path, username, password)
    return opened(result.store), result.session


def recover(path: Path, passphrase: str) -> OpenStore:
    return opened(stores.recover_store(path, passphrase))


def create(path: Path, passphrase: str, *, remember: bool) -> OpenStore:
    return opened(stores.create_new_store(path, passphrase, remember=remember))


def build_demo(
    progress: Callable[[int, int], bool],
    cancel: Callable[[], bool] | None = None,
    reads: int | None = None,
) -> Path | OpenStore:
    """Build the demo store on first use. Where accounts can sign in here, its path (the
    shell then shows sign-in, and a demo account opens it); on a machine with no usable
    keyring, the store opened with its published recovery passphrase (synthetic data only).
    ``reads`` overrides the demo's size (benchmarks at CI size); None keeps the default."""
    from alpr_desktop.services import demo_store as demo

    def report(done: int, total: int) -> None:
        progress(done, total)

    if reads is None:
        path = demo.ensure_demo_store(progress=report, cancel=cancel)
    else:
        path = demo.ensure_demo_store(reads=reads, progress=report, cancel=cancel)
    door = signin.inspect(path).door
    if door is signin.Door.SIGN_IN:
        return path
    # An old demo store, or one whose workstation secret this keyring lacks: the published
    # passphrase opens it, and the demo accounts get their slots back where the keyring works.
    store = stores.recover_store(path, demo.DEMO_PASSPHRASE)
    try:
        if ensure_demo_slots(store):
            store.close()
            return path
    except BaseException:
        store.close()
        raise
    return opened(store)
