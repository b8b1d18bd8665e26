"""A checkpoint older than a log archive (issue 14, docs/retention.md): the entry it vouches
for has left the store for the archive file. That is retention, not a rewrite: it is reported
"archived", verified through the archive file when it is given and from the signed anchor
when not; a log rewritten before it was archived is still reported as rewritten. On main
before this change, every such checkpoint was reported as a rewrite of the log."""

from __future__ import annotations

import sys
from pathlib import Path

from access_helpers import PASSWORDS, World

from alpr_desktop.core.audit_log import LogEvent, Outcome
from alpr_desktop.core.log_anchors import Checkpoint
from alpr_desktop.core.retention import add_months
from alpr_desktop.services.audit import log_event
from alpr_desktop.services.checkpoints import CheckpointService
from alpr_desktop.services.log_archive import LogArchiveService

sys.path.insert(0, str(Path(__file__).resolve().parent))
from log_attacks import rewrite_consistently

DAY_MS = 86_400_000


def _entries(world: World, n: int, event: str) -> None:
    for i in range(n):
        log_event(world.store, LogEvent(event, Outcome.OK, "someone", detail={"i": i}),
                  world.clock)


def _checkpoint_then_archive(world: World, tmp_path: Path,
                             rewrite: bool = False) -> tuple[Path, Checkpoint, Path]:
    """Entries, a checkpoint of them, more entries; optionally a consistent rewrite of an
    entry the checkpoint vouches for; five years and a day on, the old part archived."""
    _entries(world, 8, "test.old")
    issued = CheckpointService(world.store, world.clock).issue(
        world.ctx("keeper"), PASSWORDS["keeper"], tmp_path / "old.alprcheckpoint")
    _entries(world, 4, "test.old")
    if rewrite:
        rewrite_consistently(world.store, 3, {"username": "nobody"})
    world.clock.ms = add_months(world.clock.ms // 1000, 60) * 1000 + DAY_MS
    _entries(world, 3, "test.new")
    folder = tmp_path / "archives"
    folder.mkdir()
    done = LogArchiveService(world.store, world.clock).archive(
        world.ctx("keeper"), PASSWORDS["keeper"], folder)
    assert done.anchor is not None
    cp = issued.checkpoint
    assert done.anchor.first_seq <= cp.entry_count < done.anchor.last_seq  # inside, not last
    return issued.path, cp, Path(done.path)


def test_a_checkpoint_of_an_archived_entry_is_reported_archived(world: World,
                                                                tmp_path: Path) -> None:
    cp_file, cp, archive = _checkpoint_then_archive(world, tmp_path)
    svc = CheckpointService(world.store, world.clock)
    alone = svc.verify(world.ctx("keeper"), cp_file)
    assert alone.intact and alone.status == "archived", alone.summary()
    assert "rewritten" not in alone.summary()
    assert alone.summary().startswith(f"Archived: entry #{cp.entry_count}")
    assert "not checked here" in alone.summary() and archive.name in alone.summary()
    through = svc.verify(world.ctx("keeper"), cp_file, archives=[archive])
    assert through.intact and through.status == "archived"
    assert f"verified through the archive file {archive.name}" in through.summary()
    # The audit report's note on the newest checkpoint says archived, not rewritten.
    info = svc.anchor_info()
    assert info.newest_consistent and "is archived" in info.newest_state


def test_a_rewrite_before_archiving_is_still_a_rewrite(world: World, tmp_path: Path) -> None:
    cp_file, cp, archive = _checkpoint_then_archive(world, tmp_path, rewrite=True)
    svc = CheckpointService(world.store, world.clock)
    through = svc.verify(world.ctx("keeper"), cp_file, archives=[archive])
    assert not through.intact and through.status == "not intact"
    assert f"rewritten at or before entry #{cp.entry_count}" in through.reason
    assert archive.name in through.reason


def test_a_tampered_archive_does_not_vouch_for_the_checkpoint(world: World,
                                                              tmp_path: Path) -> None:
    cp_file, _cp, archive = _checkpoint_then_archive(world, tmp_path)
    lines = archive.read_bytes().splitlines(keepends=True)
    archive.write_bytes(lines[0] + lines[-1])  # its entries removed
    res = CheckpointService(world.store, world.clock).verify(
        world.ctx("keeper"), cp_file, archives=[archive])
    assert not res.intact and "does not verify" in res.reason
