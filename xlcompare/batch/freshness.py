"""Is the summary already current? Answered from the file system and one history row, without
loading the readers, the taxonomy or the stored readings, so an unchanged folder costs little
more than starting Python.

The digest covers every file's name, size and modification time, the configuration (settings
and taxonomy files with their times, command-line overrides) and the xlcompare code
(`code_digest`). `summarise` records the same digest beside the output it wrote.
"""

from __future__ import annotations

import hashlib
from collections.abc import Iterable
from functools import cache
from pathlib import Path

from xlcompare import __version__
from xlcompare.batch.folder import Candidate, scan
from xlcompare.batch.place import locate_history
from xlcompare.batch.sqlite_store import peek_many
from xlcompare.batch.store import REPORTS_KEY
from xlcompare.paths import PathArg

__all__ = ["code_digest", "config_key", "stat_digest", "summary_is_current", "output_key"]


@cache
def code_digest() -> str:
    """The xlcompare that makes a result: its version and a digest of its own source and data
    files. A reading, a judgement or a summary made by other code is not current, even when
    the version number did not move: a reader fix must reach the files that did not change.
    About 5 ms, once per process."""
    return digest_of(Path(__file__).resolve().parent.parent)


def digest_of(package: Path) -> str:
    """code_digest of the package in `package`."""
    digest = hashlib.sha256(__version__.encode())
    for path in sorted(package.rglob("*")):
        if path.suffix in (".py", ".toml") and path.is_file():
            digest.update(path.relative_to(package).as_posix().encode() + b"\0")
            digest.update(path.read_bytes())
    return f"{__version__}+{digest.hexdigest()[:16]}"


def config_key(files: Iterable[str | Path] = (), **options: object) -> str:
    """What the configuration is: each file with its size and time, and option values."""
    parts = [f"{k}={v!r}" for k, v in sorted(options.items())]
    for path in files:
        p = Path(path)
        try:
            stat = p.stat()
            parts.append(f"{p.resolve()}:{stat.st_size}:{stat.st_mtime_ns}")
        except OSError:
            parts.append(f"{p}:missing")
    return "|".join(parts)


def stat_digest(candidates: Iterable[Candidate], config: str) -> str:
    digest = hashlib.sha256(f"{code_digest()}|{config}".encode())
    for cand in candidates:
        digest.update(f"{cand.path}|{cand.size}|{cand.mtime_ns}|{cand.ignored_code}\n".encode())
    return digest.hexdigest()


def output_key(output: str | Path) -> str:
    return f"output:{Path(output).resolve()}"


def summary_is_current(folder: str | Path, output: str | Path, config: str,
                       db: PathArg | None = None) -> tuple[bool, int, int]:
    """(True, workbooks known from the history, files that failed last time) when no file in
    `folder` changed (name, size, time) since `output` was written from it and `output`
    itself is untouched; (False, 0, 0) otherwise."""
    target = Path(output)
    place = locate_history(folder, db)
    path = place.db
    if not target.is_file() or not path.is_file():
        return False, 0, 0
    # None too for a history reached through a link or damaged: the full run meets that
    value, reports = peek_many(path, (output_key(target), REPORTS_KEY),
                               state_folder=place.state_folder)
    if value is None:
        return False, 0, 0
    parts = value.split("|")
    if (parts[5] if len(parts) > 5 else "") != (reports or ""):
        return False, 0, 0  # a report recorded since (another month's folder): new trends
    stat = target.stat()
    candidates = list(scan(folder, [output]))
    digest = stat_digest(candidates, config)
    if parts[1:4] != [str(stat.st_size), str(stat.st_mtime_ns), digest]:
        return False, 0, 0
    failed = int(parts[4]) if len(parts) > 4 else 0
    return True, sum(1 for c in candidates if not c.ignored) - failed, failed
