"""Reads, distinct plates, the trigram index, candidates and images through the repositories."""

from __future__ import annotations

import hashlib

import pytest
from hypothesis import given
from hypothesis import strategies as st

from alpr_desktop.core.models import BBox, Camera, ImageBlob, NewRead
from alpr_desktop.core.plates import PlateError, normalize_plate, ocr_key
from alpr_desktop.storage import Store, StoreError
from alpr_desktop.storage.plates import PlateRepo, fast_normalize
from alpr_desktop.storage.reads import ReadRepo
from alpr_desktop.storage.unit_of_work import UnitOfWork

T0 = 1_767_225_600


def _plates_table(store: UnitOfWork) -> list[tuple[int, str, str]]:
    assert isinstance(store, Store)  # backend_specific("sqlcipher") tests only
    return store.query("SELECT id, plate_norm, ocr_key FROM plates ORDER BY id")


def test_insert_many_returns_ids_in_order_and_reads_round_trip(
    store: UnitOfWork, camera_id: int
) -> None:
    repo = store.reads
    ids = repo.insert_many([
        NewRead("7abc-123", T0, camera_id, state="CA", direction="N", make="TOYOTA",
                model="CAMRY", color="WHITE", body_type="SEDAN", speed=31.5, confidence=0.93),
        NewRead("8XYZ999", T0 + 60, camera_id),
    ])
    assert ids == [1, 2]
    assert repo.count() == 2
    r = repo.get(ids[0])
    assert r is not None
    assert (r.plate, r.plate_norm, r.state, r.recorded_at) == ("7abc-123", "7ABC123", "CA", T0)
    assert (r.camera_id, r.camera_name, r.direction, r.make, r.model) == (
        camera_id, "CAM-7", "N", "TOYOTA", "CAMRY")
    assert (r.color, r.body_type, r.speed, r.confidence) == ("WHITE", "SEDAN", 31.5, 0.93)
    assert r.candidates == ()
    assert repo.get(999) is None
    assert repo.insert_many([]) == []


@pytest.mark.backend_specific("sqlcipher")
def test_plates_are_distinct_with_ocr_keys(store: UnitOfWork, camera_id: int) -> None:
    repo = store.reads
    repo.insert_many([NewRead(p, T0 + i, camera_id)
                      for i, p in enumerate(["7ABC123", "7 ABC 123", "5OB8", "7abc123"])])
    repo.insert_many([NewRead("5OB8", T0 + 9, camera_id), NewRead("SOB8", T0 + 10, camera_id)])
    table = _plates_table(store)
    assert sorted(n for _, n, _ in table) == ["5OB8", "7ABC123", "SOB8"]
    assert all(k == ocr_key(n) for _, n, k in table)
    assert repo.distinct_plate_count() == 3
    assert PlateRepo(store).by_ocr_key(ocr_key("5OB8")) == ["5OB8", "SOB8"]
    assert [r.recorded_at for r in repo.by_plate("7ABC123")] == [T0 + 3, T0 + 1, T0]


def test_bad_plate_rejects_the_batch(store: UnitOfWork, camera_id: int) -> None:
    repo = store.reads
    with pytest.raises(PlateError):
        repo.insert_many([NewRead("GOOD1", T0, camera_id), NewRead("BAD#1", T0, camera_id)])
    assert repo.count() == 0


@pytest.mark.backend_specific("sqlcipher")
def test_candidates_are_kept_and_indexed(store: UnitOfWork, camera_id: int) -> None:
    repo = store.reads
    (rid,) = repo.insert_many([
        NewRead("8ABC123", T0, camera_id, candidates=(("BABC123", 0.4), ("8 ABC 123", 0.3),
                                                      ("8A8C123", 0.2)))
    ])
    r = repo.get(rid)
    assert r.candidates == (("BABC123", 0.4), ("8 ABC 123", 0.3), ("8A8C123", 0.2))
    cands = store.query(
        "SELECT p.plate_norm FROM read_candidates rc JOIN plates p ON p.id = rc.plate_id "
        "WHERE rc.read_id = ? ORDER BY p.plate_norm", (rid,))
    # the candidate equal to the plate itself is not repeated
    assert [c[0] for c in cands] == ["8A8C123", "BABC123"]


@pytest.mark.backend_specific("sqlcipher")
def test_reimport_with_vendor_ids_adds_nothing(store: UnitOfWork, camera_id: int) -> None:
    repo = store.reads
    batch = [NewRead(f"V{i}", T0 + i, camera_id, source="acme", vendor_read_id=f"r{i}",
                     candidates=(("W1", 0.1),)) for i in range(5)]
    first = repo.insert_many(batch)
    n_cands = store.query_one("SELECT count(*) FROM read_candidates")[0]
    assert repo.insert_many(batch) == first
    assert repo.count() == 5
    assert store.query_one("SELECT count(*) FROM read_candidates")[0] == n_cands
    # a mixed batch: known reads map to their ids, new ones are added
    mixed = [batch[3], NewRead("NEW1", T0, camera_id, source="acme", vendor_read_id="r99"),
             batch[0]]
    got = repo.insert_many(mixed)
    assert got[0] == first[3] and got[2] == first[0]
    assert got[1] not in first
    assert repo.count() == 6
    # the same vendor id from another source is another read
    other = repo.insert_many([NewRead("V0", T0, camera_id, source="other", vendor_read_id="r0")])
    assert other[0] not in first
    assert repo.count() == 7


def test_duplicate_inside_one_batch_maps_to_the_first(store: UnitOfWork, camera_id: int) -> None:
    repo = store.reads
    a = NewRead("DUP1", T0, camera_id, source="s", vendor_read_id="x")
    ids = repo.insert_many([a, NewRead("DUP2", T0, camera_id), a])
    assert ids[0] == ids[2] != ids[1]
    assert repo.count() == 2


def test_reads_without_vendor_id_are_never_merged(store: UnitOfWork, camera_id: int) -> None:
    repo = store.reads
    r = NewRead("SAME1", T0, camera_id)
    assert len(set(repo.insert_many([r, r]) + repo.insert_many([r]))) == 3


@pytest.mark.backend_specific("sqlcipher")
def test_unknown_camera_is_refused_and_nothing_is_kept(store: UnitOfWork, camera_id: int) -> None:
    repo = store.reads
    with pytest.raises(StoreError, match="FOREIGN KEY"):
        repo.insert_many([NewRead("ROLL1", T0, camera_id), NewRead("ROLL2", T0, 999)])
    assert repo.count() == 0
    assert _plates_table(store) == []
    # the rolled-back plates left no stale ids behind in the repository's cache
    ids = repo.insert_many([NewRead("ZZZ1", T0, camera_id), NewRead("ROLL2", T0, camera_id)])
    assert [r.plate_norm for r in map(repo.get, ids)] == ["ZZZ1", "ROLL2"]


def test_outer_rollback_leaves_no_stale_plate_ids(store: UnitOfWork, camera_id: int) -> None:
    repo = store.reads
    with pytest.raises(RuntimeError), store.transaction():
        repo.insert_many([NewRead("GONE1", T0, camera_id)])
        raise RuntimeError("the import is cancelled")
    assert repo.count() == 0
    repo.insert_many([NewRead("OTHER1", T0, camera_id)])
    (rid,) = repo.insert_many([NewRead("GONE1", T0, camera_id)])
    assert repo.get(rid).plate_norm == "GONE1"


@pytest.mark.backend_specific("sqlcipher")
def test_plate_cache_survives_a_purge(store: UnitOfWork, camera_id: int) -> None:
    """A purge deletes reads and orphan plates; plate ids can then be reused. The repository
    must not hand out a cached id that now belongs to another plate."""
    repo = store.reads
    (old,) = repo.insert_many([NewRead("OLD1", T0, camera_id)])
    with store.transaction() as c:  # what a purge does
        c.execute("DELETE FROM reads WHERE id = ?", (old,))
        c.execute("DELETE FROM plates WHERE plate_norm = 'OLD1'")
    ReadRepo(store).insert_many([NewRead("NEWER1", T0, camera_id)])  # another connection's repo
    (again,) = repo.insert_many([NewRead("OLD1", T0 + 1, camera_id)])
    assert repo.get(again).plate_norm == "OLD1"
    assert [r.id for r in repo.by_plate("OLD1")] == [again]
    assert again > old  # a purged read's id is never reused
    assert PlateRepo(store).index_intact()


@pytest.mark.backend_specific("sqlcipher")
def test_a_plate_with_reads_cannot_be_deleted_or_changed(store: UnitOfWork, camera_id: int) -> None:
    (rid,) = store.reads.insert_many([NewRead("KEEP1", T0, camera_id)])
    with pytest.raises(StoreError, match="FOREIGN KEY"):
        store.execute("DELETE FROM plates WHERE plate_norm = 'KEEP1'")
    with pytest.raises(StoreError, match="never changes"):
        store.execute("UPDATE plates SET plate_norm = 'KEEP2'")
    with pytest.raises(StoreError, match="FOREIGN KEY"):
        store.execute("UPDATE reads SET plate_id = 12345 WHERE id = ?", (rid,))


@pytest.mark.backend_specific("sqlcipher")
def test_trigram_index_finds_substrings(store: UnitOfWork, camera_id: int) -> None:
    store.reads.insert_many([NewRead(p, T0, camera_id)
                                 for p in ["7ABC123", "8ABC999", "ABD1234", "XY9"]])
    plates = PlateRepo(store)
    assert plates.substring("ABC") == ["7ABC123", "8ABC999"]
    assert plates.substring("bc-12") == ["7ABC123"]
    assert plates.substring("123") == ["7ABC123", "ABD1234"]
    assert plates.substring("Y9") == ["XY9"]  # too short for a trigram: table scan
    assert plates.substring("QQQ") == []
    assert plates.substring("ABC", limit=1) == ["7ABC123"]
    with pytest.raises(PlateError):
        plates.substring('"*')
    assert plates.index_intact()
    assert plates.id_of("7 abc 123") is not None and plates.id_of("NOPE1") is None


@pytest.mark.backend_specific("sqlcipher")
def test_trigram_index_follows_deletes(store: UnitOfWork, camera_id: int) -> None:
    repo = store.reads
    ids = repo.insert_many([NewRead("DEL123", T0, camera_id), NewRead("DEL124", T0, camera_id)])
    with store.transaction() as c:
        c.execute("DELETE FROM reads WHERE id = ?", (ids[0],))
        c.execute("DELETE FROM plates WHERE plate_norm = 'DEL123'")
    assert PlateRepo(store).substring("DEL") == ["DEL124"]
    assert PlateRepo(store).index_intact()


@pytest.mark.backend_specific("sqlcipher")
def test_trigram_index_check_notices_drift(store: UnitOfWork, camera_id: int) -> None:
    store.reads.insert_many([NewRead("DRIFT1", T0, camera_id)])
    store.execute("INSERT INTO plates_fts(plates_fts, rowid, plate_norm) "
                  "VALUES ('delete', 1, 'DRIFT1')")
    assert not PlateRepo(store).index_intact()


@given(st.text(alphabet="ABCXYZ0189 -.abcxyzАВ·", max_size=14))
def test_fast_normalize_agrees_with_normalize_plate(text: str) -> None:
    try:
        expected: str | Exception = normalize_plate(text)
    except PlateError as exc:
        expected = exc
    if isinstance(expected, Exception):
        with pytest.raises(PlateError):
            fast_normalize(text)
    else:
        assert fast_normalize(text) == expected


def test_cameras(store: UnitOfWork) -> None:
    repo = store.cameras
    a = repo.add(Camera(None, "B-cam", "Main St", 33.8, -118.3, "NB"))
    repo.add(Camera(None, "A-cam"))
    assert [c.name for c in repo.all()] == ["A-cam", "B-cam"]
    assert repo.by_name("B-cam") == Camera(a, "B-cam", "Main St", 33.8, -118.3, "NB")
    assert repo.by_name("none") is None
    with pytest.raises(StoreError):
        repo.add(Camera(None, "A-cam"))


def test_images_round_trip(store: UnitOfWork, camera_id: int) -> None:
    (rid,) = store.reads.insert_many([NewRead("IMG1", T0, camera_id)])
    crop = b"\x89PNG fake crop bytes"
    overview = b"\xff\xd8 fake jpeg bytes"
    images = store.images
    images.put_many([
        ImageBlob(rid, "crop", "png", crop, "", 120, 40),
        ImageBlob(rid, "overview", "jpeg", overview, hashlib.sha256(overview).hexdigest(),
                  1920, 1080, BBox(800, 600, 240, 80)),
    ])
    got = {im.kind: im for im in images.for_read(rid)}
    assert got["crop"].data == crop
    assert got["crop"].sha256 == hashlib.sha256(crop).hexdigest()  # taken when stored
    assert got["crop"].bbox is None
    assert got["overview"].bbox == BBox(800, 600, 240, 80)
    assert (got["overview"].width, got["overview"].height) == (1920, 1080)
    assert images.count() == 2
    with pytest.raises(StoreError):  # one image of each kind per read
        images.put_many([ImageBlob(rid, "crop", "png", crop, "")])
    with pytest.raises(StoreError):  # and only for a read that exists
        images.put_many([ImageBlob(rid + 1, "crop", "png", crop, "")])
    assert images.count() == 2


@pytest.mark.backend_specific("sqlcipher")
def test_ids_come_from_sequences_not_from_the_highest_id(
    store: UnitOfWork, camera_id: int
) -> None:
    """Issue 11: ids were max(id) + 1, right only while one writer holds the lock and reused
    after a purge of the newest rows. Now each insert takes a block from a sequence: a
    purged plate's id is not handed out again, and neither is a purged read's."""
    assert isinstance(store, Store)
    (rid,) = store.reads.insert_many([NewRead("GONE9", T0, camera_id)])
    pid = store.scalar("SELECT plate_id FROM reads WHERE id = ?", (rid,))
    with store.transaction() as c:  # what a purge does to the newest read and its plate
        c.execute("DELETE FROM reads WHERE id = ?", (rid,))
        c.execute("DELETE FROM plates WHERE id = ?", (pid,))
    (again,) = store.reads.insert_many([NewRead("FRESH9", T0, camera_id)])
    new_pid = store.scalar("SELECT plate_id FROM reads WHERE id = ?", (again,))
    assert again > rid and new_pid > pid
