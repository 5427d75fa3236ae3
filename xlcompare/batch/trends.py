"""A station's earlier reports from the history, oldest first: the trend over time that the
web page's 站点 view draws (the 趋势 sheet shows only the report just before)."""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass
from datetime import date

from xlcompare.batch.sqlite_store import SqliteHistory
from xlcompare.batch.store import HistoryStore, StoredFigure
from xlcompare.paths import PathArg

__all__ = ["EarlierReport", "earlier_reports"]


@dataclass(frozen=True)
class EarlierReport:
    cutoff: date
    expected: float | None
    figures: tuple[StoredFigure, ...]


def _chain(history: HistoryStore, station: str, cutoff: date, limit: int) -> list[EarlierReport]:
    found: list[EarlierReport] = []
    at = cutoff
    while len(found) < limit:
        previous = history.previous(station, at)
        if previous is None:
            break
        at, expected, figures = previous
        found.append(EarlierReport(at, expected, tuple(figures)))
    return found[::-1]


def earlier_reports(db: PathArg, reports: Iterable[tuple[str, date]], limit: int = 12
                    ) -> dict[tuple[str, date], list[EarlierReport]]:
    """For each (station, cut-off), up to `limit` reports of that station recorded in the
    history `db` before that cut-off, oldest first. One opening of the history for all."""
    wanted = list(reports)
    if not wanted:
        return {}
    with SqliteHistory(db) as history:
        return {(station, cutoff): _chain(history, station, cutoff, limit)
                for station, cutoff in wanted}
