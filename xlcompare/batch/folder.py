"""Which files in a drop folder are station workbooks, and which are to be left alone.

Staff drop workbooks into a shared folder where Excel/WPS also leave lock files, Windows leaves
Thumbs.db, and xlcompare's own summaries land. Those are ignored silently; everything else with
a spreadsheet suffix is a candidate, and the reader decides by content what it is.
"""

from __future__ import annotations

import os
import re
import stat
from collections.abc import Iterable, Iterator
from dataclasses import dataclass
from pathlib import Path

from xlcompare.files import SUFFIXES
from xlcompare.paths import OWN_OUTPUT, STATE_DIR

__all__ = ["Candidate", "scan"]

_IGNORED_NAME = re.compile(
    r"^(~\$.*|\.~lock\..*#|\.~xlcompare-.*|~.*\.tmp|thumbs\.db|desktop\.ini|\.ds_store)$",
    re.IGNORECASE,
)


@dataclass(frozen=True, slots=True)
class Candidate:
    path: Path
    size: int
    mtime_ns: int
    ignored: str | None = None  # why the file is not read (lock file, own output ...)
    rel: str = ""  # relative to the folder, '/'-separated: how the history names it
    ignored_code: str | None = None  # that, as a code (codes.py): lock-file, own-output ...


_LOCK_FILE = ("lock-file", "Excel/WPS 锁定或临时文件 (lock/temporary file)")
_OWN_OUTPUT = ("own-output", OWN_OUTPUT)
_NOT_A_SPREADSHEET = ("not-a-spreadsheet", "非表格文件 (not a spreadsheet)")
_HIDDEN_FILE = ("hidden-file", "隐藏文件 (hidden file)")


def _ignored(path: Path, outputs: set[Path], output_names: set[str]) -> tuple[str, str] | None:
    """(code, reason) when the file is not to be read."""
    name = path.name
    if _IGNORED_NAME.match(name):
        return _LOCK_FILE
    # resolving a path costs a system call per folder level: only for a name an output has
    if name in output_names and path.resolve() in outputs:
        return _OWN_OUTPUT
    if path.suffix.lower() not in SUFFIXES:
        return _NOT_A_SPREADSHEET
    if name.startswith("."):
        return _HIDDEN_FILE
    # a summary saved under another name is told by its author when read (skip_author)
    return None


def scan(folder: str | Path, outputs: Iterable[str | Path] = ()) -> Iterator[Candidate]:
    """Every file under `folder` (recursively, in a stable order), with why it is ignored if
    it is; xlcompare's state folder and anything in `outputs` are skipped."""
    root = Path(folder)
    given = [Path(p) for p in outputs]
    own = {p.resolve() for p in given}
    # a link to an output escapes this only under a third name, and the reader then knows
    # our workbooks by their author (OUTPUT_MARK)
    own_names = {p.name for p in own} | {p.name for p in given}
    for dirpath, dirnames, filenames in os.walk(root):
        dirnames[:] = sorted(d for d in dirnames if d != STATE_DIR and not d.startswith("."))
        here = os.path.relpath(dirpath, root)
        prefix = "" if here == os.curdir else here.replace(os.sep, "/") + "/"
        for name in sorted(filenames):
            full = os.path.join(dirpath, name)
            try:
                info = os.stat(full)  # one call: a province's folder holds 100,000 files
            except OSError:
                continue  # vanished between listing and looking: it will be seen next run
            if not stat.S_ISREG(info.st_mode):
                continue
            path = Path(full)
            code, reason = _ignored(path, own, own_names) or (None, None)
            yield Candidate(path, info.st_size, info.st_mtime_ns, reason, prefix + name, code)
