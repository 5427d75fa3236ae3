"""The batch history: an SQLite file beside the workbooks (`FOLDER/.xlcompare/history.sqlite`).

It remembers, per file, what reading it gave (so a rerun re-reads only new or changed files),
and per station report (station, cut-off, content hash) the normalised figures, from which the
趋势 sheet shows each station's change since its previous cut-off. Schema version 3 (a file's
reading stored as zlib-compressed JSON, a failed file's code beside its message); see the
README for the tables.

What can go wrong with the file itself ends as one OutputError line saying what to do, never
a traceback: a history that is damaged (not SQLite, truncated, pages that fail SQLite's
`quick_check`) is moved aside with a timestamp and a new one started, with a warning
(`notices`); a well-formed database that is not an xlcompare history is refused and left
alone; a full disk, a folder that cannot be written, a symbolic link where the history or its
state folder should be (never followed) each have their own code.
"""

from __future__ import annotations

import errno
import functools
import json
import os
import sqlite3
import time
from collections.abc import Callable, Iterable, Iterator
from contextlib import closing
from datetime import date, datetime
from pathlib import Path
from typing import Any, TypeVar

from xlcompare.batch.lock import FolderLock
from xlcompare.batch.store import REPORTS_KEY, FileState, StoredFigure, StoredReport
from xlcompare.errors import OutputError, notice
from xlcompare.messages import Message
from xlcompare.paths import PathArg

__all__ = ["HISTORY_NAME", "SCHEMA_VERSION", "SqliteHistory", "as_output_error",
           "peek_many"]
HISTORY_NAME = "history.sqlite"  # in the folder's state folder (paths.STATE_DIR)

SCHEMA_VERSION = 4

_SCHEMA = """
CREATE TABLE IF NOT EXISTS meta (key TEXT PRIMARY KEY, value TEXT NOT NULL);
CREATE TABLE IF NOT EXISTS files (
    path      TEXT PRIMARY KEY,   -- relative to the folder, '/'-separated
    size      INTEGER NOT NULL,
    mtime_ns  INTEGER NOT NULL,
    sha256    TEXT NOT NULL,
    status    TEXT NOT NULL,      -- read | failed
    message   TEXT,               -- why it failed
    reading   BLOB,               -- zlib-compressed JSON of what the file holds, when read
    seen_at   TEXT NOT NULL,
    code      TEXT                -- why it failed, as a code (codes.py); since version 3
);
CREATE TABLE IF NOT EXISTS reports (
    id           INTEGER PRIMARY KEY,
    station      TEXT NOT NULL,
    cutoff       TEXT NOT NULL,   -- ISO date
    content_hash TEXT NOT NULL,   -- sha256 over the sha256 of its files
    sources      TEXT NOT NULL,   -- JSON list of file paths
    expected     REAL,            -- expected progress at the cut-off
    recorded_at  TEXT NOT NULL,
    contract_start TEXT,          -- ISO date; since version 4
    UNIQUE (station, cutoff, content_hash)
);
CREATE TABLE IF NOT EXISTS figures (
    report_id    INTEGER NOT NULL REFERENCES reports(id) ON DELETE CASCADE,
    position     INTEGER NOT NULL,
    indicator_id TEXT,            -- NULL for a name the taxonomy does not know
    name         TEXT NOT NULL,
    target       REAL,
    completed    REAL,
    rate         REAL,
    status       TEXT,
    source       TEXT,            -- file (relative), sheet, cell, tab-separated; since version 4
    PRIMARY KEY (report_id, position)
);
CREATE TABLE IF NOT EXISTS marks (  -- flags an officer marked 已核实; since version 4
    key       TEXT PRIMARY KEY,  -- the flag's key (quality.Flag.key)
    note      TEXT NOT NULL,
    marked_at TEXT NOT NULL
);
CREATE INDEX IF NOT EXISTS reports_by_station ON reports (station, cutoff);
CREATE INDEX IF NOT EXISTS files_by_hash ON files (sha256);
"""


_MAGIC = b"SQLite format 3\x00"
# what each table must have for the file to be an xlcompare history (`code`: since version 3,
# added on migration)
_COLUMNS: dict[str, set[str]] = {
    "meta": {"key", "value"},
    "files": {"path", "size", "mtime_ns", "sha256", "status", "message", "reading", "seen_at"},
    "reports": {"id", "station", "cutoff", "content_hash", "sources", "expected", "recorded_at"},
    "figures": {"report_id", "position", "indicator_id", "name", "target", "completed", "rate",
                "status"},
    "marks": {"key", "note", "marked_at"},  # since version 4
}
# SQLite's primary result codes (sqlite3.h)
_SQLITE_ERROR, _SQLITE_PERM, _SQLITE_BUSY, _SQLITE_LOCKED = 1, 3, 5, 6
_SQLITE_READONLY, _SQLITE_IOERR, _SQLITE_CORRUPT, _SQLITE_FULL = 8, 10, 11, 13
_SQLITE_CANTOPEN, _SQLITE_AUTH, _SQLITE_NOTADB = 14, 23, 26
_WHAT_TO_DO = Message("history.what-to-do")
# (device, inode, size, mtime) of the histories this process checked whole (PRAGMA
# quick_check) or wrote itself, as they were then
_CHECKED: set[tuple[int, int, int, int]] = set()


def _stored_message(message: Message | None) -> str | None:
    """A failed file's message as the history keeps it: its key and arguments (JSON), to be
    said in the language of the run that reads it back."""
    if message is None:
        return None
    return json.dumps(message.as_json(), ensure_ascii=False)


def _state(row: Any) -> FileState:
    """A FileState from a row of `files`; a message stored as plain text (by an older
    xlcompare) is kept as that text."""
    text = row[5]
    message = None
    if text:
        try:
            message = Message.from_json(json.loads(text)) if text.startswith("{") else None
        except (ValueError, KeyError, TypeError, AttributeError):
            message = None
        message = message or Message("text", text=text)
    return FileState(row[0], row[1], row[2], row[3], row[4], message, row[6], row[7])


def _identity(path: Path) -> tuple[int, int, int, int] | None:
    try:
        info = path.stat()
    except OSError:
        return None
    return info.st_dev, info.st_ino, info.st_size, info.st_mtime_ns


def _siblings(path: Path) -> list[Path]:
    """The files SQLite and the lock keep beside the history."""
    return [path.with_name(path.name + suffix) for suffix in ("-wal", "-shm", ".lock")]


def linked_part(path: Path, state_folder: bool = False) -> Path | None:
    """The first symbolic link among the history's places: the state folder it is in (when
    `state_folder`: the default FOLDER/.xlcompare, in a folder others can write to), the file,
    its -wal/-shm and its lock. None when there is none."""
    for part in ([path.parent] if state_folder else []) + [path, *_siblings(path)]:
        if part.is_symlink():
            return part
    return None


def damage(path: Path) -> Message | None:
    """What is wrong with the file at `path` as an SQLite database, from its first 100 bytes
    and its size; None when it looks whole (or is absent or empty: a new history)."""
    try:
        with path.open("rb") as handle:
            head = handle.read(100)
            size = os.fstat(handle.fileno()).st_size
    except FileNotFoundError:
        return None
    if not head:
        return None
    if not head.startswith(_MAGIC):
        if head.startswith(b"PK\x03\x04"):
            return Message("history.damage-zip")
        return Message("history.damage-not-sqlite")
    if len(head) < 100:
        return Message("history.damage-short")
    page = int.from_bytes(head[16:18], "big")
    page = 65536 if page == 1 else page
    if page < 512 or page & (page - 1):
        return Message("history.damage-header")
    pages = int.from_bytes(head[28:32], "big")
    wal = path.with_name(path.name + "-wal")
    whole = not wal.exists() or wal.stat().st_size == 0  # else the WAL may hold the rest
    if whole and head[24:28] == head[92:96] and pages and size < pages * page:
        return Message("history.damage-truncated", size=f"{size:,}", whole=f"{pages * page:,}")
    return None


def peek_many(path: str | Path, keys: tuple[str, ...], *, state_folder: bool = False
              ) -> tuple[str | None, ...]:
    """Values of the history's `meta` table, read-only and without taking the lock: the
    quick "is the summary current?" look, which must neither wait for a run in progress nor
    create a history. None for a key without a value, and for all of them when there is no
    such history, or it is reached through a symbolic link or is damaged (so that the full
    run meets the damage)."""
    path = Path(path)
    values: tuple[str | None, ...] = (None,) * len(keys)
    if linked_part(path, state_folder) is not None or damage(path) is not None:
        return values
    try:
        with closing(sqlite3.connect(f"file:{path}?mode=ro", uri=True, timeout=5)) as con:
            if con.execute("PRAGMA quick_check").fetchall() == [("ok",)]:
                found = dict(con.execute(
                    f"SELECT key, value FROM meta WHERE key IN ({','.join('?' * len(keys))})",
                    keys).fetchall())
                values = tuple(found.get(k) for k in keys)
    except sqlite3.Error:
        pass
    return values


def _nearly_full(folder: Path) -> bool:
    try:
        info = os.statvfs(folder)
    except (OSError, AttributeError):
        return False
    return info.f_bavail * info.f_frsize < 1 << 20


def _os_failure(exc: OSError, path: Path, doing: str) -> OutputError:
    """An OSError met on the history's files (`doing` is the key of what was being done:
    history.write …), as one line saying what to do."""
    reason = exc.strerror or str(exc)
    where = str(exc.filename or path)
    did = Message(doing)
    if exc.errno in (errno.ENOSPC, getattr(errno, "EDQUOT", errno.ENOSPC)):
        key = "disk-full.history-os"
    elif exc.errno == errno.ELOOP:
        key = "history-symlink.in-the-way"
    elif exc.errno in (errno.EEXIST, errno.ENOTDIR):
        key = "history-unwritable.file-in-the-way"
    elif exc.errno in (errno.EACCES, errno.EPERM, errno.EROFS):
        key = "history-unwritable.denied"
    else:
        key = "history-unreadable.os"
    return OutputError(Message(key, doing=did, reason=reason, todo=_WHAT_TO_DO), file=where)


def as_output_error(exc: BaseException, path: PathArg = "history") -> OutputError | None:
    """An sqlite3 error that escaped a history (or None for anything else), as one line: what
    the command line shows should one get past the store's own translation."""
    if isinstance(exc, sqlite3.Error):
        return _sqlite_failure(exc, Path(path))
    return None


def _primary(exc: sqlite3.Error) -> int | None:
    """SQLite's primary result code of the error (Python 3.11 gives the extended one)."""
    code = getattr(exc, "sqlite_errorcode", None)
    return code & 0xFF if isinstance(code, int) else None


def _sqlite_failure(exc: sqlite3.Error, path: Path) -> OutputError:
    primary = _primary(exc)
    text = str(exc)
    if primary == _SQLITE_FULL or (primary == _SQLITE_IOERR and _nearly_full(path.parent)):
        key = "disk-full.history"
    elif primary in (_SQLITE_CORRUPT, _SQLITE_NOTADB):
        key = "history-corrupt.moved"
    elif primary in (_SQLITE_BUSY, _SQLITE_LOCKED):
        key = "history-locked.other-program"
    elif primary in (_SQLITE_READONLY, _SQLITE_PERM, _SQLITE_CANTOPEN, _SQLITE_AUTH,
                     _SQLITE_IOERR):
        key = "history-unwritable.sqlite"
    elif primary == _SQLITE_ERROR and ("no such" in text or "no column" in text):
        return _foreign(path, text)
    else:
        key = "history-unreadable.sqlite"
    return OutputError(Message(key, detail=text, todo=_WHAT_TO_DO), file=str(path))


def _foreign(path: Path, why: Message | str) -> OutputError:
    return OutputError(Message("history-foreign.why", why=why, todo=_WHAT_TO_DO),
                       file=str(path))


Method = TypeVar("Method", bound=Callable[..., Any])


def _translated(method: Method) -> Method:
    """The method's sqlite3 and OS errors as one-line OutputErrors; a damaged history is
    noted, to be moved aside when the history is closed."""

    @functools.wraps(method)
    def call(self: SqliteHistory, *args: Any, **kwargs: Any) -> Any:
        try:
            return method(self, *args, **kwargs)
        except sqlite3.Error as exc:
            raise self._failed(exc) from exc
        except OSError as exc:
            raise _os_failure(exc, self.path, "history.write") from exc

    return call  # type: ignore[return-value]


class SqliteHistory:
    """The SQLite history of one folder. Use as a context manager; commits on success.

    `state_folder`: the history is in the drop folder's own state folder (`.xlcompare`),
    which is then refused if it is a symbolic link. `notices` are the warnings met opening it
    (a damaged history set aside, a dead run's lock taken over), for the user."""

    def __init__(self, path: PathArg, wait: float = 120.0, *, state_folder: bool = False) -> None:
        self.path = Path(path)
        self.notices: list[Message] = []
        self._lock: FolderLock | None = None
        self._damaged: str | None = None
        self._db: sqlite3.Connection | None = None
        self._refuse_links(state_folder)
        try:
            self.path.parent.mkdir(parents=True, exist_ok=True)
            self._lock = FolderLock(self.path.with_name(self.path.name + ".lock"), wait)
        except OSError as exc:
            raise _os_failure(exc, self.path, "history.create") from None
        try:
            self._refuse_links(state_folder)  # again: one may have been planted meanwhile
        except OutputError:
            self._close()
            raise
        if self._lock.notice:
            self.notices.append(self._lock.notice)
        try:
            self._open(wait)
        except sqlite3.Error as exc:
            failure = self._failed(exc)
            self._close()
            raise failure from None
        except OSError as exc:
            self._close()
            raise _os_failure(exc, self.path, "history.open") from None
        except BaseException:
            self._close()
            raise

    def _refuse_links(self, state_folder: bool) -> None:
        link = linked_part(self.path, state_folder)
        if link is not None:
            raise OutputError(Message("history-symlink.never", target=os.readlink(link),
                                      todo=_WHAT_TO_DO), file=str(link))

    def _open(self, wait: float) -> None:
        """Connect; a damaged file is moved aside (once) and a new history started."""
        why: Message | str | None = damage(self.path)
        for attempt in (1, 2):
            if why is None:
                try:
                    self._connect(wait)
                    why = self._check()
                except sqlite3.DatabaseError as exc:
                    if _primary(exc) not in (_SQLITE_CORRUPT, _SQLITE_NOTADB) or attempt == 2:
                        raise
                    why = str(exc)
            if why is None:
                break
            self._set_aside(why)
            why = None
        self._refuse_foreign()  # before anything is written into somebody else's database
        self.db.execute("PRAGMA journal_mode = WAL")
        self._migrate()

    @property
    def db(self) -> sqlite3.Connection:
        """The open connection."""
        if self._db is None:
            raise OutputError(Message("history-unreadable.closed"), file=str(self.path))
        return self._db

    def _connect(self, wait: float) -> None:
        self._db = sqlite3.connect(self.path, timeout=wait)
        self.db.execute("PRAGMA foreign_keys = ON")

    def _check(self) -> str | None:
        """SQLite's quick_check over the whole file, unless this process checked or wrote
        it as it is now (the three opens of one run check it once)."""
        key = _identity(self.path)
        if key is not None and key in _CHECKED:
            return None
        found = [r[0] for r in self.db.execute("PRAGMA quick_check(3)")]
        if found != ["ok"]:
            return "; ".join(found)[:200]
        if key is not None:
            _CHECKED.add(key)
        return None

    def _set_aside(self, why: Message | str) -> None:
        """Rename the damaged history (with its -wal and -shm) aside, with a timestamp."""
        if self._db is not None:
            self._db.close()
            self._db = None
        stamp = datetime.now().strftime("%Y%m%d-%H%M%S")
        aside = self.path.with_name(f"{self.path.name}.corrupt-{stamp}")
        n = 1
        while aside.exists():
            n += 1
            aside = self.path.with_name(f"{self.path.name}.corrupt-{stamp}-{n}")
        for suffix in ("", "-wal", "-shm"):
            source = self.path.with_name(self.path.name + suffix)
            if source.exists():
                os.replace(source, aside.with_name(aside.name + suffix))
        self.notices.append(notice(Message("history-rebuilt.aside", path=str(self.path),
                                           why=why, aside=aside.name)))

    def _failed(self, exc: sqlite3.Error) -> OutputError:
        failure = _sqlite_failure(exc, self.path)
        if failure.code == "history-corrupt":
            self._damaged = str(exc)  # moved aside when closed, while the lock is held
        return failure

    def _migrate(self) -> None:
        self._refuse_foreign()
        self.db.executescript(_SCHEMA)
        row = self.db.execute("SELECT value FROM meta WHERE key = 'schema_version'").fetchone()
        if row is None:
            self.db.execute("INSERT INTO meta VALUES ('schema_version', ?)", (str(SCHEMA_VERSION),))
        elif int(row[0]) < SCHEMA_VERSION:
            # version 1 stored readings as JSON text, version 2 had no `code` column. Their
            # readings were made by other code, so the batch forgets them and reads those
            # files again (batch.CODE_KEY); the version moves on so that an older xlcompare
            # refuses what this one writes
            for table, column in (("files", "code"), ("reports", "contract_start"),
                                  ("figures", "source")):
                columns = {r[1] for r in self.db.execute(f"PRAGMA table_info({table})")}
                if column not in columns:
                    self.db.execute(f"ALTER TABLE {table} ADD COLUMN {column} TEXT")
            self.db.execute("UPDATE meta SET value = ? WHERE key = 'schema_version'",
                            (str(SCHEMA_VERSION),))
        elif int(row[0]) > SCHEMA_VERSION:
            raise OutputError(Message("history-too-new.schema", found=row[0],
                                      known=SCHEMA_VERSION), file=str(self.path))

    def _refuse_foreign(self) -> None:
        """A database that is somebody else's is refused, never written: tables of another
        program and no xlcompare schema version, our tables without our columns, or a schema
        version that is not a number. (A newer xlcompare's history is refused too, in
        `_migrate`, as history-too-new.)"""
        tables = {name for (name,) in self.db.execute(
            "SELECT name FROM sqlite_master WHERE type = 'table' AND name NOT LIKE 'sqlite_%'")}
        columns = {t: {r[1] for r in self.db.execute(f"PRAGMA table_info({t})")}
                   for t in tables & _COLUMNS.keys()}
        version = None
        if "meta" in tables and _COLUMNS["meta"] <= columns["meta"]:
            row = self.db.execute(
                "SELECT value FROM meta WHERE key = 'schema_version'").fetchone()
            version = None if row is None else str(row[0])
        if version is not None and not version.isdigit():
            raise _foreign(self.path, Message("history.foreign-version", version=version))
        if version is None and tables - _COLUMNS.keys():
            raise _foreign(self.path, Message("history.foreign-tables",
                                              tables=sorted(tables - _COLUMNS.keys())))
        if version is not None and int(version) > SCHEMA_VERSION:
            return  # a newer history: _migrate says so
        for table, have in sorted(columns.items()):
            missing = sorted(_COLUMNS[table] - have)
            if missing:
                raise _foreign(self.path, Message("history.foreign-columns", table=table,
                                                  columns=missing))

    def __enter__(self) -> SqliteHistory:
        return self

    def __exit__(self, kind: object, *_: object) -> None:
        try:
            if kind is None and self._db is not None:
                self._db.commit()
        except sqlite3.Error as exc:
            raise self._failed(exc) from None
        finally:
            checked = self._damaged is None and self._db is not None
            self._close()
        if checked and kind is None:  # whole when opened, and written by us since
            key = _identity(self.path)
            if key is not None:
                _CHECKED.add(key)

    def _close(self) -> None:
        """Close the database, set a damaged one aside, then release the lock."""
        try:
            if self._db is not None:
                self._db.close()
                self._db = None
            if self._damaged is not None:
                self._set_aside(self._damaged)
                self._damaged = None
        except (OSError, sqlite3.Error):
            pass  # the error the user sees is the one that brought us here
        finally:
            if self._lock is not None:
                self._lock.release()

    @_translated
    def get(self, key: str) -> str | None:
        row = self.db.execute("SELECT value FROM meta WHERE key = ?", (key,)).fetchone()
        return row[0] if row else None

    @_translated
    def put(self, key: str, value: str) -> None:
        self.db.execute("INSERT OR REPLACE INTO meta VALUES (?, ?)", (key, value))

    @_translated
    def files(self) -> dict[str, FileState]:
        """What is known of each file, without the stored readings (fetch those with
        `readings`, streamed, only for the files that are reused)."""
        rows = self.db.execute(
            "SELECT path, size, mtime_ns, sha256, status, message, NULL, code FROM files")
        return {r[0]: _state(r) for r in rows}

    def readings(self, paths: set[str]) -> Iterator[tuple[str, bytes]]:
        """(path, stored reading) for each of `paths` that was read, one at a time."""
        try:
            for path, reading in self.db.execute(
                    "SELECT path, reading FROM files WHERE status = 'read'"):
                if path in paths:
                    yield path, reading
        except sqlite3.Error as exc:
            raise self._failed(exc) from exc

    @_translated
    def by_hash(self, sha256: str) -> FileState | None:
        """A known, readable file with this content, so a renamed or touched file is not
        read again."""
        row = self.db.execute(
            "SELECT path, size, mtime_ns, sha256, status, message, reading, code FROM files"
            " WHERE sha256 = ? AND status = 'read' LIMIT 1", (sha256,)).fetchone()
        return _state(row) if row else None

    @_translated
    def put_files(self, states: Iterable[FileState]) -> None:
        now = datetime.now().isoformat(timespec="seconds")
        self.db.executemany(
            "INSERT OR REPLACE INTO files (path, size, mtime_ns, sha256, status, message,"
            " reading, seen_at, code) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?)",
            [(s.path, s.size, s.mtime_ns, s.sha256, s.status, _stored_message(s.message),
              s.reading, now, s.code) for s in states])

    @_translated
    def hashes(self) -> dict[str, str]:
        """path → sha256 of every known file (without loading the stored readings)."""
        return dict(self.db.execute("SELECT path, sha256 FROM files"))

    @_translated
    def forget_missing(self, present: set[str]) -> None:
        gone = [p for (p,) in self.db.execute("SELECT path FROM files") if p not in present]
        self.db.executemany("DELETE FROM files WHERE path = ?", [(p,) for p in gone])

    @_translated
    def record_report(self, station: str, cutoff: date, content_hash: str,
                      sources: list[str], expected: float | None,
                      figures: Iterable[StoredFigure], contract_start: date | None = None
                      ) -> None:
        """One station report; recording the same station, cut-off and content again is a
        no-op (and `figures`, which may be a generator, is then never consumed)."""
        cursor = self.db.execute(
            "INSERT OR IGNORE INTO reports (station, cutoff, content_hash, sources, expected,"
            " recorded_at, contract_start) VALUES (?, ?, ?, ?, ?, ?, ?)",
            (station, cutoff.isoformat(), content_hash, json.dumps(sources, ensure_ascii=False),
             expected, datetime.now().isoformat(timespec="seconds"),
             contract_start.isoformat() if contract_start else None))
        if cursor.rowcount == 0:
            return
        report_id = cursor.lastrowid
        # a summary shows trends against reports any folder of the history may record
        self.db.execute("INSERT OR REPLACE INTO meta VALUES (?, ?)",
                        (REPORTS_KEY, str(report_id)))
        self.db.executemany(
            "INSERT INTO figures (report_id, position, indicator_id, name, target, completed,"
            " rate, status, source) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?)",
            [(report_id, n, f.indicator_id, f.name, f.target, f.completed, f.rate, f.status,
              f.source) for n, f in enumerate(figures)])

    @_translated
    def previous(self, station: str, cutoff: date) -> tuple[date, float | None,
                                                            list[StoredFigure]] | None:
        """The station's latest report before `cutoff` (its newest content), or None."""
        row = self.db.execute(
            "SELECT id, cutoff, expected FROM reports WHERE station = ? AND cutoff < ?"
            " ORDER BY cutoff DESC, recorded_at DESC, id DESC LIMIT 1",
            (station, cutoff.isoformat())).fetchone()
        if row is None:
            return None
        figures = [StoredFigure(*r) for r in self.db.execute(
            "SELECT indicator_id, name, target, completed, rate, status FROM figures"
            " WHERE report_id = ? ORDER BY position", (row[0],))]
        return date.fromisoformat(row[1]), row[2], figures

    @_translated
    def series(self, station: str) -> list[StoredReport]:
        """Every cut-off of the station, oldest first, each with its newest content."""
        out: list[StoredReport] = []
        rows = self.db.execute(
            "SELECT id, cutoff, contract_start FROM reports r WHERE station = ? AND id = ("
            " SELECT id FROM reports WHERE station = r.station AND cutoff = r.cutoff"
            " ORDER BY recorded_at DESC, id DESC LIMIT 1) ORDER BY cutoff", (station,)).fetchall()
        for report_id, cutoff, start in rows:
            figures = [StoredFigure(*r) for r in self.db.execute(
                "SELECT indicator_id, name, target, completed, rate, status, source FROM figures"
                " WHERE report_id = ? ORDER BY position", (report_id,))]
            out.append((date.fromisoformat(cutoff), date.fromisoformat(start) if start else None,
                        figures))
        return out

    @_translated
    def marks(self) -> dict[str, str]:
        return dict(self.db.execute("SELECT key, note FROM marks"))

    @_translated
    def mark(self, key: str, note: str) -> None:
        self.db.execute("INSERT OR REPLACE INTO marks VALUES (?, ?, ?)",
                        (key, note, datetime.now().isoformat(timespec="seconds")))
        # every summary written before the mark shows the flag open: none is current now
        self.db.execute("INSERT OR REPLACE INTO meta VALUES (?, ?)",
                        (REPORTS_KEY, f"mark {time.time_ns()}"))
