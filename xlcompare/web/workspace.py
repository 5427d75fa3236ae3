"""The drop folder as the page sees it: the latest summary, brought up to date by the same
library call as `xlcompare batch` and `watch` (summarise, with the folder's own history),
one rebuild at a time in a thread, with its progress for the page to show.

A rebuild asked for while one runs is done after it (requests in between are folded into
one), so every caller can wait for a summary that has seen its files.
"""

from __future__ import annotations

import io
import threading
from dataclasses import dataclass
from datetime import date
from pathlib import Path

from xlcompare.batch.pipeline import BatchResult, default_db, summarise
from xlcompare.batch.refresh import Judging, judging
from xlcompare.batch.trends import EarlierReport, earlier_reports
from xlcompare.comparison import Comparison, StationResult, compare
from xlcompare.errors import XlcompareError
from xlcompare.summary import StationSummary

__all__ = ["Progress", "Workspace", "station_key"]


def station_key(name: str, cutoff: date | None) -> str:
    """How a page names one report of a station: `瑞宝街@2023-12-31`."""
    return f"{name}@{cutoff.isoformat()}" if cutoff else name


@dataclass(frozen=True)
class Progress:
    busy: bool
    done: int = 0
    total: int = 0
    current: str = ""  # the file being read, relative to the folder


class Workspace:
    def __init__(self, folder: Path, judged: Judging | None = None,
                 jobs: int | None = None) -> None:
        self.folder = folder
        self.judged = judged or judging(folder)
        self.jobs = jobs
        self.result: BatchResult | None = None
        self.error: tuple[str, str] | None = None  # (code, message) of the last rebuild
        self.version = 0  # a new summary each rebuild
        self.earlier: dict[tuple[str, date], list[EarlierReport]] = {}
        self._progress = Progress(False)
        self._cond = threading.Condition()
        self._asked = self._done = 0
        self._running = False
        self._workbook: tuple[int, bytes] | None = None

    # ------------------------------------------------------------------ rebuilding

    def ask(self) -> int:
        """Ask for a rebuild; returns the number to `wait` for."""
        with self._cond:
            self._asked += 1
            ticket = self._asked
            if not self._running:
                self._running = True
                self._progress = Progress(True)
                threading.Thread(target=self._run, name="xlcompare-rebuild", daemon=True).start()
            return ticket

    def wait(self, ticket: int, timeout: float | None = None) -> bool:
        with self._cond:
            return self._cond.wait_for(lambda: self._done >= ticket, timeout)

    def wait_idle(self, timeout: float | None = None) -> bool:
        """Wait until no rebuild runs (or is asked for)."""
        with self._cond:
            return self._cond.wait_for(lambda: not self._running, timeout)

    def changed(self) -> bool:
        """Whether a file in the folder came, went or changed (name, size, time) since the
        summary was made: copied in by hand, or by another program. One listing of the
        folder, as `batch` makes to tell an unchanged folder."""
        result = self.result
        if result is None or self._running:
            return False
        from xlcompare.batch.folder import scan
        from xlcompare.batch.freshness import stat_digest

        return stat_digest(scan(self.folder), self.judged.config) != result.stat_digest

    @property
    def progress(self) -> Progress:
        return self._progress

    def history(self) -> Path:
        """The history this folder uses, as the library decides it."""
        return self.result.db if self.result is not None and self.result.db else \
            default_db(self.folder)

    def _run(self) -> None:
        while True:
            with self._cond:
                if self._done >= self._asked:
                    self._running = False
                    self._progress = Progress(False)
                    self._cond.notify_all()
                    return
                target = self._asked
            self._rebuild()
            with self._cond:
                self._done = target
                self._cond.notify_all()

    def _on_file(self, done: int, total: int, path: str) -> None:
        try:
            shown = Path(path).relative_to(self.folder).as_posix()
        except ValueError:
            shown = Path(path).name
        self._progress = Progress(True, done, total, shown)

    def _rebuild(self) -> None:
        judged = self.judged
        try:
            result = summarise(self.folder, taxonomy=judged.taxonomy, settings=judged.settings,
                               config=judged.config, jobs=self.jobs, on_file=self._on_file)
            earlier = earlier_reports(result.db, [(s.name, s.cutoff) for s in result.summaries
                                                  if s.cutoff]) if result.db else {}
        except XlcompareError as exc:
            self.error = (exc.code, str(exc))
            return
        except OSError as exc:
            self.error = ("io-failure", f"{exc.filename or ''} {exc.strerror or exc}".strip())
            return
        except Exception as exc:  # noqa: BLE001 - the page says so; the server goes on
            self.error = ("internal-error", f"{type(exc).__name__}: {str(exc)[:200]}")
            return
        self.result, self.earlier, self.error = result, earlier, None
        self.version += 1

    # ------------------------------------------------------------------ reading it

    def summaries(self) -> tuple[StationSummary, ...]:
        return self.result.summaries if self.result is not None else ()

    def stations(self) -> tuple[StationResult, ...]:
        return self.result.stations if self.result is not None else ()

    def find(self, key: str) -> tuple[StationResult, StationSummary] | None:
        """The report a key names (station_key); a bare station name is its latest."""
        found = None
        for result, summary in zip(self.stations(), self.summaries(), strict=True):
            if station_key(result.name, result.report.cutoff) == key:
                return result, summary
            if result.name == key:
                found = (result, summary)  # sorted by cut-off: the last is the latest
        return found

    def compare(self, a: str, b: str) -> Comparison | None:
        first, second = self.find(a), self.find(b)
        if first is None or second is None or self.result is None:
            return None
        return compare(first[0].report, second[0].report, self.result.taxonomy,
                       self.result.settings)

    def summary_workbook(self) -> bytes | None:
        """The summary workbook `xlcompare batch` writes, for this summary (made once)."""
        result, version = self.result, self.version
        if result is None:
            return None
        cached = self._workbook
        if cached is not None and cached[0] == version:
            return cached[1]
        from xlcompare.writers.summary_xlsx import write_summary

        buffer = io.BytesIO()
        write_summary(result, buffer)
        self._workbook = (version, buffer.getvalue())
        return self._workbook[1]

    def diff_workbook(self, comparison: Comparison) -> bytes:
        """The workbook `xlcompare diff A B -o` writes."""
        from xlcompare.writers.diff_xlsx import write_diff

        buffer = io.BytesIO()
        write_diff(comparison, buffer, self.result.taxonomy if self.result else None)
        return buffer.getvalue()
