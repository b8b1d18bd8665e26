"""An import killed halfway (SIGKILL, a real subprocess) and run again finishes the job with
every good row stored exactly once."""

from __future__ import annotations

import csv
import os
import signal
import subprocess
import sys
import textwrap
from pathlib import Path

import pytest

from alpr_desktop.core.clock import FixedClock
from alpr_desktop.ingest.delimited import Mapping
from alpr_desktop.ingest.runner import ImportJob, ImportOptions
from alpr_desktop.storage import create_store, open_store
from alpr_desktop.storage.reads import ReadRepo

ROWS = 200_000
BAD_EVERY = 97
MAPPING = Mapping(name="m", columns={"plate": "plate", "datetime": "when", "camera": "cam"},
                  datetime_format="MM/DD/YYYY HH:mm:SS", timezone="America/Los_Angeles")

CHILD = textwrap.dedent("""
    import sys
    from pathlib import Path
    from alpr_desktop.core.clock import FixedClock
    from alpr_desktop.ingest.delimited import Mapping
    from alpr_desktop.ingest.runner import ImportJob, ImportOptions
    from alpr_desktop.storage import open_store

    store = open_store(sys.argv[1], bytes.fromhex(sys.argv[2]))
    mapping = Mapping.from_json(sys.argv[4])
    in_child = {"process": True, "thread": False}[sys.argv[6]]

    def progress(p):
        print(p.records, flush=True)

    ImportJob(store, FixedClock(), ImportOptions(mapping=mapping, batch_size=2000,
              report_path=Path(sys.argv[5]), reader_process=in_child),
              progress=progress).run([Path(sys.argv[3])])
    print("done", flush=True)
""")


def write_export(path: Path) -> int:
    good = 0
    with path.open("w", newline="") as fh:
        w = csv.writer(fh)
        w.writerow(["plate", "when", "cam", "extra"])
        for i in range(ROWS):
            bad = i % BAD_EVERY == 0
            good += not bad
            w.writerow(["NOT A PLATE!" if bad else f"{i % 9 + 1}X{i:07d}",
                        f"{(i // 86400) % 12 + 1:02d}/15/2025 {(i // 3600) % 24:02d}:"
                        f"{(i // 60) % 60:02d}:{i % 60:02d}", f"Pole {i % 17}", "x"])
    return good


@pytest.mark.slow
@pytest.mark.parametrize(("killed", "resumed"), [("process", "process"), ("thread", "process"),
                                                 ("process", "thread")])
def test_kill_and_resume(tmp_path: Path, killed: str, resumed: str) -> None:
    """Killed with the reading in a child process or in-thread, resumed either way (the
    child process starts after the checkpoint it is given)."""
    key = os.urandom(32)
    db = tmp_path / "resume.alprdb"
    create_store(db, key).close()
    export = tmp_path / "big.csv"
    good = write_export(export)
    env = {**os.environ, "PYTHONPATH": str(Path(__file__).resolve().parents[2])}
    child = subprocess.Popen(
        [sys.executable, "-c", CHILD, str(db), key.hex(), str(export), MAPPING.to_json(),
         str(tmp_path / "rejects.csv"), killed],
        stdout=subprocess.PIPE, text=True, env=env,
    )
    committed = 0
    assert child.stdout is not None
    for line in child.stdout:
        if line.strip() == "done":
            break
        committed = int(line)
        if committed >= 20_000:
            child.send_signal(signal.SIGKILL)  # mid-import, possibly mid-transaction
            break
    child.wait(timeout=60)
    child.stdout.close()
    assert child.returncode == -signal.SIGKILL, "the import finished before it was killed"

    with open_store(db, key) as store:
        partial = ReadRepo(store).count()
        assert 0 < partial < good
        summary = ImportJob(store, FixedClock(), ImportOptions(
            mapping=MAPPING, batch_size=2000, report_path=tmp_path / "rejects.csv",
            reader_process=resumed == "process",
        )).run([export])
        f = summary.files[0]
        assert f.resumed and not summary.cancelled
        assert ReadRepo(store).count() == good  # every good row, none twice
        assert f.accepted == good
        assert f.rejected_total == ROWS - good
        distinct = store.query_one(
            "SELECT count(DISTINCT plate || '|' || recorded_at || '|' || camera_id) FROM reads"
        )
        assert distinct is not None and distinct[0] == good
        # and a third run adds nothing
        again = ImportJob(store, FixedClock(), ImportOptions(mapping=MAPPING)).run([export])
        assert again.files[0].already_imported and ReadRepo(store).count() == good
