"""The monthly batch: every station workbook in a folder → one judged summary, with history.

    folder ──scan──▶ candidates ──(history: unchanged? reuse)──▶ readings ──group──▶ reports
           ──judge──▶ StationResult per station ──(history: previous cut-off)──▶ trends

One bad file never stops the run: it becomes a FileRecord with its reason. Reading is the only
expensive step, so files already in the history (same path, size and mtime, or same content)
are not read again.

Not even a file that kills the process reading it: in worker processes, a worker that dies
(a signal, the OOM killer) breaks the pool, so the files it had in hand are each read again
alone in a child process of their own (`_read_alone`); the one that dies there is that
file's 失败 with how its reader ended (code `reader-crashed` or a limit), recorded in the
history like any failure so the next run does not read it again, and the batch goes on in a
fresh pool.
"""

from __future__ import annotations

import contextlib
import gc
import hashlib
import multiprocessing
import os
import tempfile
import time
from collections import deque
from collections.abc import Callable, Iterable, Iterator, Mapping, Sequence
from concurrent.futures import Future, ProcessPoolExecutor
from concurrent.futures.process import BrokenProcessPool
from contextlib import AbstractContextManager, contextmanager, nullcontext
from dataclasses import dataclass, replace
from datetime import date
from pathlib import Path
from typing import Any, NamedTuple

from xlcompare.batch.children import die_with_parent
from xlcompare.batch.folder import Candidate, scan
from xlcompare.batch.freshness import code_digest, output_key, stat_digest
from xlcompare.batch.place import HistoryPlace, locate_history
from xlcompare.batch.reporting import with_reporting
from xlcompare.batch.sqlite_store import SqliteHistory
from xlcompare.batch.store import (
    REPORTS_KEY,
    FileState,
    HistoryStore,
    ScopedHistory,
    StoredFigure,
)
from xlcompare.comparison import StationResult, judge_station
from xlcompare.errors import ReadError, XlcompareError
from xlcompare.judge import JudgeSettings, load_settings
from xlcompare.messages import Message
from xlcompare.model import Source
from xlcompare.paths import OUTPUT_MARK, PathArg, file_sha256
from xlcompare.quality import Flag, ReportFigures, district_flags, series_flags
from xlcompare.readers import group_by_report
from xlcompare.readers.layout import load_layout
from xlcompare.readers.packing import pack_readings, reading_facts, unpack_readings
from xlcompare.readers.station import FileReading, assemble, read_workbook
from xlcompare.summary import (
    FileRecord,
    FileStatus,
    StationSummary,
    Summary,
    Trend,
    key_indicators,
    summarise_station,
)
from xlcompare.taxonomy import Taxonomy, default_taxonomy

__all__ = ["CODE_KEY", "BatchResult", "default_db", "no_full_collections", "output_is_current",
           "remember_output", "summarise"]

# a file changed this recently that fails to open is probably still being copied
NOT_READY_SECONDS = 30
# reading in worker processes pays off only past this many files (measured: bench/)
PARALLEL_FROM = 64
# files a worker reads per task, and tasks in flight per worker: what a dead worker costs
# (those files are read again one by one) against the cost of a task (~0.1 ms)
CHUNK = 8
IN_FLIGHT = 2
# the history's meta key naming the code that made its stored readings
CODE_KEY = "readings_made_by"


@dataclass(frozen=True)
class BatchResult(Summary):
    """A folder's summary as a batch run made it: the judged reports when kept, and what
    the history needs to tell later whether anything changed."""

    # the judged reports; empty when summarise() was asked not to keep them
    stations: tuple[StationResult, ...] = ()
    db: Path | None = None  # the history used, if any
    # where that history is and why there (batch.place), when it is the SQLite file
    place: HistoryPlace | None = None
    # a digest of everything the summary depends on: files, settings, taxonomy, version
    fingerprint: str = ""
    # the same from file names, sizes and times only: tells an unchanged folder without
    # opening the history's readings
    stat_digest: str = ""
    # the history's REPORTS_KEY when the summary was made: its trends are of those reports
    reports_version: str = ""
    # warnings about the history met on the way (a damaged one set aside, a stale lock)
    notices: tuple[Message, ...] = ()

    def frames(self) -> dict[str, Any]:
        """The summary's sheets as pandas DataFrames, for notebook users."""
        from xlcompare.writers.summary_tables import summary_frames

        return summary_frames(self)


def readings_key(layouts: Sequence[PathArg] = ()) -> str:
    """What makes a stored reading current: the code that made it (code_digest) and the
    content of the user's layout files it was read with."""
    if not layouts:
        return code_digest()
    digest = hashlib.sha256()
    for path in layouts:
        try:
            digest.update(Path(path).read_bytes())
        except OSError:
            digest.update(b"missing")
    return f"{code_digest()}+layout:{digest.hexdigest()[:16]}"


def default_db(folder: PathArg) -> Path:
    """Where a folder's history lives unless moved with `db`: found upward, or beside the
    sibling months of a month folder, or in the folder (batch.place)."""
    return locate_history(folder).db


class Held(NamedTuple):
    """A file's readings (one per station it holds) as the batch holds them until their
    stations are judged: packed as the history stores them (a sixth of the readings'
    objects in memory), with what grouping and the 文件 sheet need."""

    path: str
    facts: tuple[tuple[str | None, date | None, int], ...]  # station, cut-off, problems each
    packed: bytes

    @classmethod
    def of(cls, readings: list[FileReading]) -> Held:
        return cls(readings[0].path, tuple((r.meta.station, r.meta.cutoff, len(r.problems))
                                           for r in readings), pack_readings(readings))

    @classmethod
    def stored(cls, packed: bytes, path: str) -> Held:
        return cls(path, tuple(reading_facts(packed)), packed)

    @property
    def station(self) -> str | None:
        named = [station for station, _, _ in self.facts if station]
        return "、".join(dict.fromkeys(named)) or None

    @property
    def cutoff(self) -> date | None:
        return next((cutoff for _, cutoff, _ in self.facts if cutoff), None)

    @property
    def problems(self) -> int:
        return sum(n for _, _, n in self.facts)

    def parts(self) -> list[Part]:
        return [Part(self, k, station, cutoff)
                for k, (station, cutoff, _) in enumerate(self.facts)]


class Part(NamedTuple):
    """One station's reading of a held file: grouped by its station and cut-off, unpacked
    only for its station's turn."""

    held: Held
    position: int  # among the file's readings
    station: str | None
    cutoff: date | None

    def reading(self) -> FileReading:
        return unpack_readings(self.held.packed, self.held.path)[self.position]

    def report_key(self) -> tuple[str, date | None]:
        return self.station or self.held.path, self.cutoff


Outcome = tuple[str, Any, str]  # kind (ok, own, error), Held or error, sha256
Layouts = tuple[str, ...]  # the user's layout files, as paths a worker can be sent
# an error as it crosses from a worker: its type's name, message, refusal kind (ReadError's,
# else None) and code
Failure = tuple[str, Message, str | None, str]


def _read_one(path: str, digest: str | None = None, layouts: Layouts = ()) -> Outcome:
    """Read one file, in a worker process when there are many: the check for our own output,
    the packed reading and, when the caller has none, the file's sha256 are done here too,
    off the main process. `layouts`: the user's layout files (each worker loads them once).
    Errors come back as plain data (exceptions with keyword-only arguments do not survive
    pickling)."""
    try:
        digest = digest or file_sha256(Path(path))
    except OSError:
        digest = ""  # the reader names what is wrong with the file
    try:
        readings = read_workbook(path, skip_author=OUTPUT_MARK, layout=load_layout(layouts))
    except ReadError as exc:
        if exc.kind == "own_output":
            return "own", None, digest
        return "error", (type(exc).__name__, exc.message, exc.kind, exc.code), digest
    except XlcompareError as exc:  # a workbook without a table xlcompare knows (LayoutError)
        return "error", (type(exc).__name__, exc.message, None, exc.code), digest
    except Exception as exc:  # noqa: BLE001 - one bad file must not stop the batch
        return "error", ("Exception", Message("unexpected-error.detail", kind=type(exc).__name__,
                                              text=str(exc)[:200]), "bug",
                         "unexpected-error"), digest
    return "ok", Held.of(readings), digest


def _read_chunk(paths: list[str], digests: list[str | None], layouts: Layouts = ()
                ) -> list[Outcome]:
    return [_read_one(path, digest, layouts)
            for path, digest in zip(paths, digests, strict=True)]


def _read_many(paths: list[str], digests: list[str | None], jobs: int,
               on_file: Callable[[int, int, str], None] | None,
               layouts: Layouts = ()) -> Iterator[Outcome]:
    """Results in the order of `paths`, as they come: the caller stores each and lets it go,
    so memory does not grow with the number of files."""
    total = len(paths)
    if jobs > 1 and total >= PARALLEL_FROM:
        for n, result in enumerate(_read_parallel(paths, digests, jobs, layouts), start=1):
            if on_file:
                on_file(n, total, paths[n - 1])
            yield result
        return
    for n, path in enumerate(paths, start=1):
        if on_file:
            on_file(n - 1, total, path)
        yield _read_one(path, digests[n - 1], layouts)
    if on_file and total:
        on_file(total, total, paths[-1])


_CONTEXT = multiprocessing.get_context()  # the pool's and the lone readers' alike


def _read_parallel(paths: list[str], digests: list[str | None], jobs: int,
                   layouts: Layouts = ()) -> Iterator[Outcome]:
    """Every file's outcome in order, read by `jobs` workers, CHUNK files a task and
    IN_FLIGHT tasks a worker ahead. When a worker dies, the pool breaks: the outcomes already
    in are kept, each file of the tasks in flight is read alone (_read_alone), and a fresh
    pool goes on from there."""
    start = 0
    while start < len(paths):
        window: deque[tuple[int, int, Future[list[Outcome]]]] = deque()
        nxt = start
        broken = False
        with ProcessPoolExecutor(max_workers=jobs, mp_context=_CONTEXT) as pool:
            try:
                while start < len(paths):
                    while nxt < len(paths) and len(window) < jobs * IN_FLIGHT:
                        end = min(nxt + CHUNK, len(paths))
                        window.append((nxt, end, pool.submit(_read_chunk, paths[nxt:end],
                                                             digests[nxt:end], layouts)))
                        nxt = end
                    first, end, future = window[0]
                    results = future.result()
                    window.popleft()
                    start = end
                    yield from results
            except BrokenProcessPool:
                broken = True
        if not broken:
            return
        for first, end, future in window:  # every future is settled once the pool is shut
            if future.exception() is None:
                yield from future.result()
            else:
                for i in range(first, end):
                    yield _read_alone(paths[i], digests[i], layouts)
            start = end


def _read_alone(path: str, digest: str | None, layouts: Layouts = ()) -> Outcome:
    """_read_one in a child process of its own, its address space limited (what it has
    from the parent + isolate_memory_mb): a file that kills its reader kills only that
    child, and becomes a failure saying how it ended."""
    from xlcompare.files.isolate import child_death
    from xlcompare.files.limits import load_limits

    limits = load_limits()
    receive, send = _CONTEXT.Pipe(duplex=False)
    with tempfile.TemporaryFile() as stderr:
        child = _CONTEXT.Process(target=_alone, args=(send, path, digest, stderr.fileno(),
                                                      limits.isolate_memory_mb, layouts),
                                 daemon=True)
        child.start()
        send.close()
        outcome: Outcome | None = None
        try:
            if receive.poll(limits.isolate_seconds + 30):
                outcome = receive.recv()
        except (EOFError, OSError):
            outcome = None  # it died before it answered
        finally:
            receive.close()
        child.join(5)
        if child.is_alive():
            child.kill()
            child.join()
        if outcome is not None:
            return outcome
        stderr.seek(0)
        said = stderr.read()[-4096:]
    code = child.exitcode if child.exitcode is not None else -9
    error = child_death(code, said, limits, path)
    return "error", (type(error).__name__, error.message, error.kind, error.code), digest or ""


def _alone(send, path: str, digest: str | None, stderr: int, memory_mb: int,
           layouts: Layouts = ()) -> None:
    """The lone reader: its stderr to the parent's file, its memory bounded, one answer."""
    # a start method that does not pass descriptors on leaves stderr the parent's
    with contextlib.suppress(OSError):
        os.dup2(stderr, 2)
    try:
        import resource

        with open("/proc/self/statm", "rb") as statm:
            have = int(statm.read().split()[0]) * os.sysconf("SC_PAGE_SIZE")
        limit = have + memory_mb * 2**20
        resource.setrlimit(resource.RLIMIT_AS, (limit, limit))
    except (OSError, ValueError, ImportError):
        pass  # not Linux: no limit, but the child still keeps the parent out of its way
    send.send(_read_one(path, digest, layouts))
    send.close()


def summarise(
    folder: str | Path,
    *,
    db: PathArg | None = None,
    use_history: bool = True,
    outputs: Iterable[str | Path] = (),
    taxonomy: Taxonomy | None = None,
    settings: JudgeSettings | None = None,
    jobs: int | None = None,
    on_file: Callable[[int, int, str], None] | None = None,
    config: str = "",
    keep_stations: bool = True,
    history: HistoryStore | None = None,
    layout_files: Sequence[PathArg] = (),
    hold: Mapping[str, str] | None = None,
    roster: PathArg | None = None,
) -> BatchResult:
    """Read every station workbook under `folder` and judge each station.

    `db` moves the history (default FOLDER/.xlcompare/history.sqlite); `use_history=False`
    reads everything and records nothing. `outputs` are files never to read (our own
    summary). `on_file(done, total, path)` reports progress. `config` names the settings and
    taxonomy in use (freshness.config_key), for telling later whether anything changed.
    `keep_stations=False` keeps only what the summary shows of each station (`summaries`),
    not the judged reports (`stations` is then empty): the memory of a batch of many
    thousand stations. `history` is a store of the caller's own (any HistoryStore) in
    place of the SQLite file. `layout_files`: the user's layout files (xlcompare-layout.toml:
    header synonyms, meta labels, row kinds) the files are read with; a malformed or clashing
    one raises ConfigError before any file is read. `roster`: who must report (站点名单; by
    default the one in the folder, batch.reporting), for the 报送情况. Never raises for a bad
    file.
    """
    started = time.perf_counter()
    root = Path(folder)
    if not root.is_dir():
        raise ReadError(Message("not-a-folder"), kind="missing", code="not-a-folder",
                        file=str(root))
    taxonomy = taxonomy or default_taxonomy()
    settings = settings or load_settings()
    layouts = tuple(str(p) for p in layout_files)
    load_layout(layouts)  # refused here, with one line, before anything is read
    jobs = jobs if jobs is not None else min(4, os.cpu_count() or 1)
    store: AbstractContextManager[HistoryStore | None]
    place: HistoryPlace | None = None
    if history is not None:
        store = history
    elif use_history:
        place = locate_history(root, db)
        store = SqliteHistory(place.db, state_folder=place.state_folder)
    else:
        store = nullcontext()
    die_with_parent()  # the reading workers, should this process be killed
    with store as opened, no_full_collections():
        if opened is not None:
            _forget_other_readings(opened, readings_key(layouts))
            if place is not None and place.scope:
                opened = ScopedHistory(opened, place.scope)
        result = _summarise(root, opened, list(outputs), taxonomy, settings, jobs, on_file,
                            started, config, keep_stations, layouts, place, dict(hold or {}))
    return with_reporting(result, roster)


def _forget_other_readings(history: HistoryStore, made_by: str) -> None:
    """Stored readings made by other code (an upgrade, a fix) or with other layout files (a
    header synonym added) are read again, once: all of them, whichever folder of a shared
    history they belong to."""
    if history.get(CODE_KEY) != made_by:
        history.forget_missing(set())  # every stored file state goes; reports stay
        history.put(CODE_KEY, made_by)


@contextmanager
def no_full_collections() -> Iterator[None]:
    """Young garbage is still collected, but no full collection runs inside: a batch builds
    objects that all live to its end (readings, reports, judged rows), and every full
    collection walks all of them again — 8 s of a 30 s cold run on 10,000 stations. The
    objects are acyclic dataclasses, freed by reference counting when let go."""
    young, middle, old = gc.get_threshold()
    gc.set_threshold(young, middle, 1 << 30)
    try:
        yield
    finally:
        gc.set_threshold(young, middle, old)


def _summarise(root: Path, history: HistoryStore | None, outputs: list[str | Path],
               taxonomy: Taxonomy, settings: JudgeSettings, jobs: int,
               on_file: Callable[[int, int, str], None] | None, started: float,
               config: str, keep_stations: bool, layouts: Layouts = (),
               place: HistoryPlace | None = None, hold: dict[str, str] | None = None
               ) -> BatchResult:
    """plan → read → reuse → record the files → judge the stations → the result."""
    run = _Run(root, history, layouts, hold)
    candidates = run.plan(outputs)
    run.read(jobs, on_file)
    run.reuse_unchanged()
    run.record_files(candidates)  # before the reports: their content hashes are the files'
    by_path = {h.path: rel for rel, h in run.held.items()}
    judged = _stations(run.held, by_path, taxonomy, settings, history, keep_stations)
    run.supersede(judged.duplicates)
    run.mark_earlier(judged.earlier)
    files = tuple(run.records[c.rel] for c in candidates)
    reports = (history.get(REPORTS_KEY) or "") if history is not None else ""
    return BatchResult(
        folder=root,
        stations=tuple(judged.results),
        summaries=tuple(judged.summaries),
        files=files,
        trends=tuple(judged.trends),
        settings=settings,
        taxonomy=taxonomy,
        # parsed in this run and read: not the files that failed, nor our own outputs
        read=sum(1 for f in files if f.status == FileStatus.READ),
        from_history=sum(1 for f in files if f.status == FileStatus.HISTORY),
        seconds=time.perf_counter() - started,
        db=history.path if history is not None else None,
        place=place,
        fingerprint=_fingerprint(run.digests, run.records, taxonomy, settings, run.made_by,
                                 reports),
        stat_digest=stat_digest(candidates, config),
        reports_version=reports,
        notices=tuple(getattr(history, "notices", ())),
    )


class _Run:
    """The files of one batch run as they go through its phases: what each file became
    (`records`), the readings held for their stations (`held`), and what the history is to
    remember of them (`states`)."""

    def __init__(self, root: Path, history: HistoryStore | None, layouts: Layouts = (),
                 hold: dict[str, str] | None = None) -> None:
        # the history's readings of other code or layouts were forgotten on opening it
        # (_forget_other_readings), for every folder that shares it
        self.root, self.history, self.layouts = root, history, layouts
        self.made_by = readings_key(layouts)
        self.hold = hold or {}
        self.known = history.files() if history is not None else {}
        self.records: dict[str, FileRecord] = {}
        self.held: dict[str, Held] = {}
        self.states: list[FileState] = []
        self.to_read: list[tuple[Candidate, str | None]] = []
        self.digests: dict[str, str] = {}
        self.unchanged: dict[str, tuple[FileState, str]] = {}

    def plan(self, outputs: list[str | Path]) -> list[Candidate]:
        """Every file of the folder: ignored, unchanged since the history saw it, the same
        content as a known file, or to be read."""
        candidates = list(scan(self.root, outputs))
        for cand in candidates:
            rel = cand.rel
            if cand.ignored:
                self.records[rel] = FileRecord(rel, FileStatus.IGNORED, cand.ignored,
                                               code=cand.ignored_code)
                self.digests[rel] = "ignored"
                continue
            state = self.known.get(rel)
            if state and state.size == cand.size and state.mtime_ns == cand.mtime_ns:
                self.unchanged[rel] = (state, str(cand.path))
                self.digests[rel] = state.sha256
                continue
            if rel in self.hold:  # open in Excel, new or changed: read once it is closed
                self.records[rel] = FileRecord(
                    rel, FileStatus.NOT_READY,
                    Message("open-in-excel.lock", lock=self.hold[rel]), code="open-in-excel")
                self.digests[rel] = "held"
                continue
            digest = self._digest(cand)
            if digest is not None and self._same_content(cand, digest):
                continue
            self.to_read.append((cand, digest))
        return candidates

    def _digest(self, cand: Candidate) -> str | None:
        if not self.known:
            return None  # with nothing stored to match, the worker that reads it hashes it
        try:
            return file_sha256(cand.path)
        except OSError:  # vanished or locked since the listing: the reader will say which
            return None

    def _same_content(self, cand: Candidate, digest: str) -> bool:
        """Touched, copied or renamed but not changed: no need to read it again."""
        same = self.history.by_hash(digest) if self.history is not None else None
        if same is None:
            return False
        self.digests[cand.rel] = digest
        _reuse(same, cand.rel, str(cand.path), self.records, self.held, same.reading)
        self.states.append(FileState(cand.rel, cand.size, cand.mtime_ns, digest, same.status,
                                     same.message, same.reading, same.code))
        return True

    def read(self, jobs: int, on_file: Callable[[int, int, str], None] | None) -> None:
        results = _read_many([str(c.path) for c, _ in self.to_read],
                             [d for _, d in self.to_read], jobs, on_file, self.layouts)
        for (cand, _), (outcome, value, digest) in zip(self.to_read, results, strict=True):
            self.digests[cand.rel] = digest
            if outcome == "own":
                self.records[cand.rel] = FileRecord(cand.rel, FileStatus.IGNORED,
                                                    Message("own-output"), code="own-output")
            elif outcome == "ok":
                self._read_ok(cand, value, digest)
            else:
                self._read_failed(cand, value, digest)

    def _read_ok(self, cand: Candidate, held: Held, digest: str) -> None:
        rel = cand.rel
        self.held[rel] = held
        self.records[rel] = FileRecord(rel, FileStatus.READ, station=held.station,
                                       cutoff=held.cutoff, problems=held.problems)
        if self.history is not None:
            self.states.append(FileState(rel, cand.size, cand.mtime_ns, digest, "read", None,
                                         held.packed))
            if len(self.states) >= 500:
                self.history.put_files(self.states)  # in chunks, as they come
                self.states.clear()

    def _read_failed(self, cand: Candidate, error: Failure, digest: str) -> None:
        _kind_name, message, kind, code = error
        status = FileStatus.FAILED
        recent = time.time() - cand.mtime_ns / 1e9 < NOT_READY_SECONDS
        # half-copied (truncated, all zeros) or held open by the copier: try again later
        if kind == "locked" or (recent and kind in ("truncated", "empty")):
            status, message = FileStatus.NOT_READY, Message("batch.still-copying", text=message)
        self.records[cand.rel] = FileRecord(cand.rel, status, message, code=code)
        if status == FileStatus.FAILED:
            self.states.append(FileState(cand.rel, cand.size, cand.mtime_ns, digest, "failed",
                                         message, None, code))

    def reuse_unchanged(self) -> None:
        """The stored readings of unchanged files, fetched only now: the worker processes
        forked while reading start small."""
        unchanged = self.unchanged
        if self.history is not None and unchanged:
            for rel, stored in self.history.readings(set(unchanged)):
                state, path = unchanged.pop(rel)
                # not kept on the state: `known` holds every state to the end of the run
                _reuse(state, rel, path, self.records, self.held, stored)
        for rel, (state, path) in unchanged.items():  # failed before and not changed since
            _reuse(state, rel, path, self.records, self.held, None)

    def record_files(self, candidates: list[Candidate]) -> None:
        if self.history is not None:
            self.history.put_files(self.states)
            self.history.forget_missing({c.rel for c in candidates})

    def supersede(self, duplicates: dict[str, Message]) -> None:
        for rel, reason in duplicates.items():
            old = self.records[rel]
            self.records[rel] = FileRecord(rel, FileStatus.DUPLICATE, reason, old.station,
                                           old.cutoff, old.problems, code="superseded")

    def mark_earlier(self, earlier: dict[str, Message]) -> None:
        """The files of a station's earlier reports: read (or from the history) as before,
        and said to be used for the trend only."""
        for rel, reason in earlier.items():
            old = self.records.get(rel)
            if old is not None and old.status in (FileStatus.READ, FileStatus.HISTORY):
                self.records[rel] = FileRecord(rel, old.status, reason, old.station,
                                               old.cutoff, old.problems, code="earlier-report")


def _fingerprint(digests: dict[str, str], records: dict[str, FileRecord], taxonomy: Taxonomy,
                 settings: JudgeSettings, made_by: str, reports: str) -> str:
    digest = hashlib.sha256(f"{made_by}|{settings!r}|{taxonomy.sources!r}|{reports}".encode())
    for rel in sorted(records):
        # read now or from history is the same content; ignored/failed/duplicate is not
        status = records[rel].status
        status = FileStatus.READ if status == FileStatus.HISTORY else status
        digest.update(f"{rel}|{digests.get(rel, '')}|{status}\n".encode())
    return digest.hexdigest()


def output_is_current(result: BatchResult, output: str | Path) -> bool:
    """True when `output` is the summary this history last wrote for exactly these inputs, so
    a rerun with nothing changed need not write it again."""
    target = Path(output)
    if result.db is None or not result.fingerprint or not target.is_file():
        return False
    stat = target.stat()
    with SqliteHistory(result.db) as history:
        stored = history.get(output_key(target))
    return stored is not None and stored.split("|")[:3] == [
        result.fingerprint, str(stat.st_size), str(stat.st_mtime_ns)]


def remember_output(result: BatchResult, output: str | Path) -> None:
    """Record that `output` now holds the summary of these inputs."""
    target = Path(output)
    if result.db is None or not result.fingerprint:
        return
    stat = target.stat()
    with SqliteHistory(result.db) as history:
        history.put(output_key(target),
                    f"{result.fingerprint}|{stat.st_size}|{stat.st_mtime_ns}|"
                    f"{result.stat_digest}|{len(result.failed)}|{result.reports_version}")


def _reuse(state: FileState, rel: str, path: str, records: dict[str, FileRecord],
           held: dict[str, Held], stored: bytes | None) -> None:
    """Record a file the history already knows: its stored reading, or why it
    failed."""
    if state.status == "read" and stored:
        kept = held[rel] = Held.stored(stored, path)
        records[rel] = FileRecord(rel, FileStatus.HISTORY, Message("batch.unchanged"),
                                  kept.station, kept.cutoff, kept.problems)
    else:
        records[rel] = FileRecord(rel, FileStatus.FAILED,
                                  state.message or Message("batch.unreadable"), code=state.code)


class _Judged(NamedTuple):
    """What judging a folder's reports gives: the stations shown, with their trends, and
    which files were superseded or are of an earlier report."""

    results: list[StationResult]
    summaries: list[StationSummary]
    trends: list[Trend]
    duplicates: dict[str, Message]  # file → why it was superseded
    earlier: dict[str, Message]  # file of an earlier report → what it is used for


# a report as its trend needs it: cut-off, expected progress, figures
_Earlier = tuple[date, float | None, list[StoredFigure]]


def _stations(held: dict[str, Held], by_path: dict[str, str], taxonomy: Taxonomy,
              settings: JudgeSettings, history: HistoryStore | None, keep: bool) -> _Judged:
    """Group files into station reports, judge each, record it in the history; the latest
    report of each station is shown (its summary and its trend against the report before
    it), an earlier one (last month's file in the same folder) only recorded for the trend.
    When a station and cut-off arrive twice, the newer file wins and the older is named as
    superseded. A group's readings are unpacked only for its turn, `held` is emptied, and
    each station is let go once summarised (unless `keep`): the peak is not every reading
    and every report at once. Reports go by station and cut-off, so each one's previous
    report is recorded first."""
    judged = _Judged([], [], [], {}, {})
    hashes = history.hashes() if history is not None else {}
    groups = group_by_report([part for h in held.values() for part in h.parts()],
                             Part.report_key)
    held.clear()
    latest: dict[str, date] = {}  # each station's latest cut-off: the report shown
    for group in groups:
        station, cutoff = group[0].report_key()
        if cutoff is not None and cutoff > latest.get(station, date.min):
            latest[station] = cutoff
    # in station and cut-off order, popped from the end; a group's first file is dated if
    # any is (group_by_report)
    groups.sort(key=lambda g: (g[0].report_key()[0], g[0].cutoff or date.min), reverse=True)
    before: dict[str, _Earlier] = {}  # without a history: this run's previous report
    run: dict[str, list[ReportFigures]] = {}  # without a history: this run's reports
    marks = history.marks() if history is not None else {}
    shown_files: set[str] = set()
    while groups:
        group = groups.pop()
        station, cutoff = group[0].report_key()
        readings = [h.reading() for h in group]
        report = assemble(_drop_duplicates(readings, by_path, judged.duplicates))
        result = judge_station(report, taxonomy, settings)
        shown = cutoff is None or cutoff == latest.get(station)
        previous = _record(history, result, by_path, hashes, before, shown)
        if history is None and (figures := ReportFigures.of(result)) is not None:
            run.setdefault(station, []).append(figures)
        if not shown:
            reason = Message("earlier-report.cutoffs", cutoff=cutoff, latest=latest[station])
            for source in report.sources:
                judged.earlier.setdefault(by_path.get(source, source), reason)
            continue
        shown_files.update(by_path.get(source, source) for source in report.sources)
        judged.summaries.append(_checked(summarise_station(result, taxonomy, settings), result,
                                         history, run, marks, taxonomy, settings))
        if previous is not None:
            judged.trends.extend(_trends(result, previous))
        if keep:
            judged.results.append(result)
    for rel in shown_files:  # a workbook of several stations, one of them shown
        judged.earlier.pop(rel, None)
    judged.summaries[:] = _against_district(judged.summaries, marks, taxonomy, settings)
    # the order of the sheets; stable, so a station's reports keep the order above
    judged.results.sort(key=lambda r: (r.name, r.report.cutoff or date.min))
    judged.summaries.sort(key=lambda s: (s.name, s.cutoff or date.min))
    judged.trends.sort(key=lambda t: (t.station, t.cutoff))
    return judged


def _annexes(reading: FileReading) -> set[str]:
    return {kind for kind, held in (("附件1", reading.indicators), ("附件2", reading.months)) if held}


def _drop_duplicates(group: list[FileReading], by_path: dict[str, str],
                     duplicates: dict[str, Message]) -> list[FileReading]:
    """Newest first, a file is kept unless newer files of the group already hold every annex
    it holds; then it is superseded and named."""
    def mtime(reading: FileReading) -> float:
        try:
            return os.stat(reading.path).st_mtime
        except OSError:
            return 0.0

    kept: list[FileReading] = []
    covered: dict[str, FileReading] = {}
    for reading in sorted(group, key=mtime, reverse=True):
        mine = _annexes(reading)
        if mine and mine <= covered.keys():
            newer = ", ".join(sorted({by_path[covered[k].path] for k in mine}))
            duplicates[by_path[reading.path]] = Message("superseded.by", newer=newer)
            continue
        for kind in mine:
            covered.setdefault(kind, reading)
        kept.append(reading)
    return kept


def _figures(result: StationResult, by_path: dict[str, str] | None = None
             ) -> Iterator[StoredFigure]:
    # a generator: a rerun records mostly reports the history already holds
    def where(source: Source | None) -> str | None:
        if source is None:
            return None
        file = (by_path or {}).get(source.file, source.file)
        return f"{file}\t{source.sheet or ''}\t{source.cell or ''}"

    return (StoredFigure(r.row.id, r.row.name, r.row.target, r.row.completed,
                         r.judgement.rate, r.status.value, where(r.row.row.source))
            for r in result.rows)


def _content_hash(sources: Sequence[str], states: dict[str, str]) -> str:
    digest = hashlib.sha256()
    for source in sorted(sources):
        digest.update(states.get(source, source).encode())
    return digest.hexdigest()


def _record(history: HistoryStore | None, result: StationResult, by_path: dict[str, str],
            hashes: dict[str, str], before: dict[str, _Earlier], shown: bool
            ) -> _Earlier | None:
    """Record the station's report in the history (or, without one, remember it for this
    run); the report before it when the report is shown, else None."""
    report = result.report
    if not report.station or not report.cutoff:
        return None
    expected = result.progress.share if result.progress else None
    if history is None:
        previous = before.get(report.station)
        before[report.station] = (report.cutoff, expected, list(_figures(result, by_path)))
        return previous if shown else None
    rels = [by_path.get(s, s) for s in report.sources]
    history.record_report(report.station, report.cutoff, _content_hash(rels, hashes), rels,
                          expected, _figures(result, by_path), report.contract_start)
    return history.previous(report.station, report.cutoff) if shown else None


def _checked(summary: StationSummary, result: StationResult, history: HistoryStore | None,
             run: dict[str, list[ReportFigures]], marks: dict[str, str],
             taxonomy: Taxonomy, settings: JudgeSettings) -> StationSummary:
    """The station's flags: its report's broken rules, then the checks across its reports
    (the history's, or without one this run's), each marked 已核实 where an officer said so."""
    station = result.report.station
    flags = list(summary.flags)
    if station:
        if history is not None:
            reports = [_stored(cutoff, start, figures)
                       for cutoff, start, figures in history.series(station)]
        else:
            reports = run.get(station, [])
        quality = settings.quality
        flags += series_flags(station, reports,
                              lambda i: taxonomy[i].name if i in taxonomy else i,
                              threshold=quality.outlier_threshold,
                              min_increases=quality.outlier_min_increases,
                              min_relative=quality.outlier_min_relative)
    if marks:
        flags = [replace(f, verified=marks[f.key]) if f.key in marks else f for f in flags]
    return replace(summary, flags=tuple(flags))


def _against_district(summaries: list[StationSummary], marks: dict[str, str],
                      taxonomy: Taxonomy, settings: JudgeSettings) -> list[StationSummary]:
    """Each station's key rates against the other stations' of the same month: one far
    out is a flag of the station's (quality.district_flags)."""
    keys = key_indicators(taxonomy, settings)
    rows = [(s.name, s.cutoff, {k: rate for k, (rate, _) in zip(keys, s.key_rates, strict=True)
                                if rate is not None}) for s in summaries]
    quality = settings.quality
    found = district_flags(rows, lambda i: taxonomy[i].name if i in taxonomy else i,
                           threshold=quality.outlier_threshold,
                           min_stations=quality.district_min_stations,
                           min_relative=quality.outlier_min_relative)
    if not found:
        return summaries
    by_station: dict[tuple[str, date | None], list[Flag]] = {}
    for flag in found:
        by_station.setdefault((flag.station, flag.cutoff), []).append(
            replace(flag, verified=marks[flag.key]) if flag.key in marks else flag)
    return [replace(s, flags=s.flags + tuple(by_station.get((s.name, s.cutoff), ())))
            for s in summaries]


def _stored(cutoff: date, start: date | None, figures: list[StoredFigure]) -> ReportFigures:
    """A recorded report as the checks across reports take it; its cells name the files as
    the history does (relative to its root)."""
    completed: dict[str, tuple[float, Source | None]] = {}
    targets: dict[str, tuple[float, Source | None]] = {}
    for f in figures:
        if f.indicator_id is None:
            continue
        source = None
        if f.source:
            file, sheet, cell = (f.source.split("\t") + ["", ""])[:3]
            source = Source(file, sheet or None, cell or None)
        if f.completed is not None:
            completed.setdefault(f.indicator_id, (f.completed, source))
        if f.target is not None:
            targets.setdefault(f.indicator_id, (f.target, source))
    return ReportFigures(cutoff, start, completed, targets)


def _trends(result: StationResult, previous: _Earlier) -> list[Trend]:
    """The station's indicators beside its previous report's: counts, rates, progress."""
    report = result.report
    before_cutoff, before_expected, before = previous
    earlier = {f.indicator_id or f.name: f for f in before}
    expected = result.progress.share if result.progress else None
    trends = []
    for row in result.rows:
        old = earlier.get(row.row.id or row.row.name)
        if old is None:
            continue
        trends.append(Trend(report.station, row.row.id, row.row.name, before_cutoff,  # type: ignore[arg-type]
                            old.rate, old.status, report.cutoff, row.judgement.rate,  # type: ignore[arg-type]
                            row.status.value, old.completed, row.row.completed, old.target,
                            row.row.target, before_expected, expected))
    return trends
