"""The history keeps what each file held: a reading stored and rebuilt is the same reading,
and the batch's own bookkeeping (garbage-collector thresholds) is put back after a run."""

from __future__ import annotations

import gc
from pathlib import Path

import pytest

from xlcompare.batch import no_full_collections
from xlcompare.history import reading_from_json, reading_to_json
from xlcompare.readers.station import read_file

SAMPLES = Path(__file__).resolve().parents[1] / "sample_workbooks"
READABLE = sorted(SAMPLES.glob("*.xls*"))


@pytest.mark.parametrize("path", READABLE, ids=lambda p: p.name)
def test_a_stored_reading_comes_back_whole(path: Path) -> None:
    reading = read_file(path)
    assert reading.indicators or reading.months
    back = reading_from_json(reading_to_json(reading), str(path))
    assert back == reading
    # dates come back as dates, not ISO text
    assert type(back.meta.cutoff) is type(reading.meta.cutoff)


def test_a_moved_file_is_named_by_its_new_path(tmp_path: Path) -> None:
    reading = read_file(READABLE[0])
    moved = str(tmp_path / "renamed.xlsx")
    back = reading_from_json(reading_to_json(reading), moved)
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
