"""The history keeps what each file held: a reading stored and rebuilt is the same reading,
and the batch's own bookkeeping (garbage-collector thresholds) is put back after a run."""

from __future__ import annotations

import gc
from pathlib import Path

import pytest
from harness import sample_workbooks

from xlcompare.batch import no_full_collections
from xlcompare.readers.packing import pack_readings, reading_facts, unpack_readings
from xlcompare.readers.station import read_file

READABLE = sample_workbooks()


@pytest.mark.parametrize("path", READABLE, ids=lambda p: p.name)
def test_a_stored_reading_comes_back_whole(path: Path) -> None:
    reading = read_file(path)
    assert reading.indicators or reading.months
    packed = pack_readings([reading])
    (back,) = unpack_readings(packed, str(path))
    assert back == reading
    # dates come back as dates, not ISO text
    assert type(back.meta.cutoff) is type(reading.meta.cutoff)
    assert reading_facts(packed) == [(reading.meta.station, reading.meta.cutoff,
                                      len(reading.problems))]


def test_a_moved_file_is_named_by_its_new_path(tmp_path: Path) -> None:
    reading = read_file(READABLE[0])
    moved = str(tmp_path / "renamed.xlsx")
    (back,) = unpack_readings(pack_readings([reading]), moved)
    assert back.path == moved
    assert all(row.source is None or row.source.file == moved for row in back.indicators)
    assert all(p.file == moved for p in back.problems)


def test_full_collections_are_lifted_for_a_run_and_restored_after() -> None:
    before = gc.get_threshold()
    with pytest.raises(RuntimeError), no_full_collections():
        assert gc.get_threshold()[:2] == before[:2]
        assert gc.get_threshold()[2] > 10**6
        raise RuntimeError("a run that fails still restores the collector")
    assert gc.get_threshold() == before


def test_a_version_1_history_is_read_again_and_keeps_its_reports(tmp_path: Path,
                                                                samples_copy: Path) -> None:
    """Version 1 stored readings as JSON text and had no code digest: its files are read again
    (nothing tries to unpack the text), its reports stay for the trends, and the version
    moves on."""
    import sqlite3
    import zlib

    from xlcompare.batch import CODE_KEY, summarise
    from xlcompare.batch.sqlite_store import SCHEMA_VERSION

    folder = samples_copy
    db = tmp_path / "h.sqlite"
    first = summarise(folder, db=db)
    with sqlite3.connect(db) as con:  # as version 1 left it
        for path, packed in con.execute("SELECT path, reading FROM files").fetchall():
            if packed:
                con.execute("UPDATE files SET reading = ? WHERE path = ?",
                            (zlib.decompress(packed).decode(), path))
        con.execute("DELETE FROM meta WHERE key = ?", (CODE_KEY,))
        con.execute("UPDATE meta SET value = '1' WHERE key = 'schema_version'")
        reports = con.execute("SELECT count(*) FROM reports").fetchone()[0]
    again = summarise(folder, db=db)
    assert again.read == 8 and again.from_history == 0 and not again.failed
    assert [s.name for s in again.summaries] == [s.name for s in first.summaries]
    with sqlite3.connect(db) as con:
        assert con.execute("SELECT value FROM meta WHERE key = 'schema_version'").fetchone() == (
            str(SCHEMA_VERSION),)
        assert con.execute("SELECT count(*) FROM reports").fetchone()[0] == reports > 0
    assert summarise(folder, db=db).from_history == 8


def test_a_version_2_history_gains_the_code_column_and_keeps_its_readings(
        tmp_path: Path) -> None:
    """Version 2 had no `files.code`: the column is added, the version moves on, the stored
    readings of this code are still used, and a failed file is stored with its code."""
    import os
    import sqlite3

    from harness import copy_samples

    from xlcompare.batch import summarise
    from xlcompare.batch.sqlite_store import SCHEMA_VERSION

    folder = copy_samples(tmp_path / "drop")
    db = tmp_path / "h.sqlite"
    summarise(folder, db=db)
    with sqlite3.connect(db) as con:  # as version 2 left it
        con.execute("ALTER TABLE files DROP COLUMN code")
        con.execute("UPDATE meta SET value = '2' WHERE key = 'schema_version'")
    empty = folder / "空.xlsx"
    empty.write_bytes(b"")
    old = empty.stat().st_mtime - 3600  # not "still being copied"
    os.utime(empty, (old, old))
    again = summarise(folder, db=db)
    assert again.from_history == 8 and again.read == 0  # a file that failed was not read
    assert [(f.path, f.code) for f in again.failed] == [("空.xlsx", "empty-file")]
    with sqlite3.connect(db) as con:
        assert con.execute("SELECT value FROM meta WHERE key = 'schema_version'").fetchone() == (
            str(SCHEMA_VERSION),)
        # paths from the history's root: the folder holding the --db file
        assert con.execute("SELECT code FROM files WHERE path = 'drop/空.xlsx'").fetchone() == (
            "empty-file",)
        # version 4: where each figure stands, each report's contract start, 已核实 marks
        assert "source" in {r[1] for r in con.execute("PRAGMA table_info(figures)")}
        assert "contract_start" in {r[1] for r in con.execute("PRAGMA table_info(reports)")}
        assert con.execute("SELECT count(*) FROM marks").fetchone() == (0,)
    assert SCHEMA_VERSION == 4
