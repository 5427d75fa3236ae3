"""The history is a protocol (`HistoryStore`), not SQLite: the pipeline runs on any store.
A dictionary-backed store here stands in for a shared or server-side history; a rerun over it
reads nothing again and the trend follows a new month, as with the SQLite file."""

from __future__ import annotations

from collections.abc import Iterable, Iterator
from datetime import date
from pathlib import Path

from harness import copy_samples, sample_workbooks

from xlcompare.batch import summarise
from xlcompare.batch.store import FileState, HistoryStore, StoredFigure


class MemoryHistory:
    """Everything a HistoryStore keeps, in dictionaries."""

    def __init__(self) -> None:
        self.meta: dict[str, str] = {}
        self.states: dict[str, FileState] = {}
        self.reports: list[tuple[str, date, str, float | None, list[StoredFigure],
                                 date | None]] = []
        self.marked: dict[str, str] = {}

    @property
    def path(self) -> Path:
        return Path("memory")

    def __enter__(self) -> MemoryHistory:
        return self

    def __exit__(self, kind: object, *_: object) -> None:
        return None

    def get(self, key: str) -> str | None:
        return self.meta.get(key)

    def put(self, key: str, value: str) -> None:
        self.meta[key] = value

    def files(self) -> dict[str, FileState]:
        return dict(self.states)

    def readings(self, paths: set[str]) -> Iterator[tuple[str, bytes]]:
        for path, state in self.states.items():
            if path in paths and state.status == "read" and state.reading:
                yield path, state.reading

    def by_hash(self, sha256: str) -> FileState | None:
        return next((s for s in self.states.values()
                     if s.sha256 == sha256 and s.status == "read"), None)

    def put_files(self, states: Iterable[FileState]) -> None:
        self.states.update((s.path, s) for s in states)

    def hashes(self) -> dict[str, str]:
        return {p: s.sha256 for p, s in self.states.items()}

    def forget_missing(self, present: set[str]) -> None:
        self.states = {p: s for p, s in self.states.items() if p in present}

    def record_report(self, station: str, cutoff: date, content_hash: str, sources: list[str],
                      expected: float | None, figures: Iterable[StoredFigure],
                      contract_start: date | None = None) -> None:
        if not any(r[:3] == (station, cutoff, content_hash) for r in self.reports):
            self.reports.append((station, cutoff, content_hash, expected, list(figures),
                                 contract_start))

    def series(self, station: str) -> list[tuple[date, date | None, list[StoredFigure]]]:
        newest: dict[date, tuple[str, date, str, float | None, list[StoredFigure],
                                 date | None]] = {}
        for r in self.reports:
            if r[0] == station:
                newest[r[1]] = r
        return [(r[1], r[5], r[4]) for _, r in sorted(newest.items())]

    def marks(self) -> dict[str, str]:
        return dict(self.marked)

    def mark(self, key: str, note: str) -> None:
        self.marked[key] = note

    def previous(self, station: str, cutoff: date
                 ) -> tuple[date, float | None, list[StoredFigure]] | None:
        earlier = [r for r in self.reports if r[0] == station and r[1] < cutoff]
        if not earlier:
            return None
        latest = max(earlier, key=lambda r: r[1])
        return latest[1], latest[3], latest[4]


def test_the_pipeline_runs_on_a_store_of_its_own(tmp_path: Path) -> None:
    store: HistoryStore = MemoryHistory()
    folder = copy_samples(tmp_path / "drop")
    first = summarise(folder, history=store)
    assert first.read == len(sample_workbooks()) and first.from_history == 0
    assert not (folder / ".xlcompare").exists()  # no SQLite file was made

    again = summarise(folder, history=store)
    assert again.read == 0 and again.from_history == first.read
    assert [s.name for s in again.summaries] == [s.name for s in first.summaries]
    assert [s.counts for s in again.summaries] == [s.counts for s in first.summaries]
