"""Which files in a drop folder are station workbooks, and which are to be left alone.

Staff drop workbooks into a shared folder where Excel/WPS also leave lock files, Windows leaves
Thumbs.db, and xlcompare's own summaries land. Those are ignored silently; everything else with
a spreadsheet suffix is a candidate, and the reader decides by content what it is.

A shared folder is also a place where anyone can plant things, so nothing is followed out of
it: a symbolic link whose real path leaves the folder, a link to a folder, a link loop or a
link to nothing, and anything that is not a regular file (a FIFO, which would block the
reader for ever; a socket; a device) is listed as ignored with its code, never opened. A link
that stays inside the folder is read like the file it names.
"""

from __future__ import annotations

import errno
import os
import re
import stat
from collections.abc import Iterable, Iterator
from dataclasses import dataclass
from pathlib import Path

from xlcompare.files import SUFFIXES
from xlcompare.messages import Message
from xlcompare.paths import ROSTER_STEM, STATE_DIR

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
    ignored: Message | None = None  # why the file is not read (lock file, own output ...)
    rel: str = ""  # relative to the folder, '/'-separated: how the history names it
    ignored_code: str | None = None  # that, as a code (codes.py): lock-file, own-output ...


# why a file is left alone: its code, whose catalogue line (codes.FILE_CODES) says it
_LOCK_FILE = "lock-file"
_OWN_OUTPUT = "own-output"
_NOT_A_SPREADSHEET = "not-a-spreadsheet"
_ROSTER = "roster"
_HIDDEN_FILE = "hidden-file"
_LINK_OUTSIDE = "link-outside"
_LINK_LOOP = "link-loop"
_BROKEN_LINK = "broken-link"
_LINKED_FOLDER = "linked-folder"
_SPECIAL_FILE = "special-file"


def _ignored(path: Path, outputs: set[Path], output_names: set[str]) -> str | None:
    """The code of why the file is not to be read, or None."""
    name = path.name
    if _IGNORED_NAME.match(name):
        return _LOCK_FILE
    # resolving a path costs a system call per folder level: only for a name an output has
    if name in output_names and path.resolve() in outputs:
        return _OWN_OUTPUT
    if path.suffix.lower() not in SUFFIXES:
        return _NOT_A_SPREADSHEET
    if path.stem == ROSTER_STEM:
        return _ROSTER
    if name.startswith("."):
        return _HIDDEN_FILE
    # a summary saved under another name is told by its author when read (skip_author)
    return None


def _followed(full: str, real_root: str) -> tuple[os.stat_result, str | None]:
    """What a symbolic link in the folder names: the target's stat, and why it is not read
    (outside the folder, a loop, nothing); raises OSError when it vanished."""
    try:
        real = os.path.realpath(full, strict=True)
    except FileNotFoundError:
        return os.lstat(full), _BROKEN_LINK
    except OSError as exc:
        if exc.errno != errno.ELOOP:
            raise
        return os.lstat(full), _LINK_LOOP
    if os.path.commonpath([real, real_root]) != real_root:
        return os.lstat(full), _LINK_OUTSIDE
    return os.stat(real), None


def scan(folder: str | Path, outputs: Iterable[str | Path] = ()) -> Iterator[Candidate]:
    """Every file under `folder` (recursively, in a stable order), with why it is ignored if
    it is; xlcompare's state folder and anything in `outputs` are skipped."""
    root = Path(folder)
    real_root = os.path.realpath(root)
    given = [Path(p) for p in outputs]
    own = {p.resolve() for p in given}
    # a link to an output escapes this only under a third name, and the reader then knows
    # our workbooks by their author (OUTPUT_MARK)
    own_names = {p.name for p in own} | {p.name for p in given}
    for dirpath, dirnames, filenames in os.walk(root):
        here = os.path.relpath(dirpath, root)
        prefix = "" if here == os.curdir else here.replace(os.sep, "/") + "/"
        kept = []
        for d in sorted(dirnames):
            if d == STATE_DIR or d.startswith("."):
                continue
            full = os.path.join(dirpath, d)
            if os.path.islink(full):  # os.walk lists it, and does not go in: say so
                try:
                    mtime = os.lstat(full).st_mtime_ns
                except OSError:
                    continue
                yield Candidate(Path(full), 0, mtime, Message(_LINKED_FOLDER), prefix + d,
                                _LINKED_FOLDER)
                continue
            kept.append(d)
        dirnames[:] = kept
        for name in sorted(filenames):
            full = os.path.join(dirpath, name)
            path = Path(full)
            why: str | None
            try:
                # one call for a regular file: a province's folder holds 100,000 files
                info = os.lstat(full)
                why = None
                if stat.S_ISLNK(info.st_mode) and not _IGNORED_NAME.match(name):
                    info, why = _followed(full, real_root)
            except OSError:
                continue  # vanished between listing and looking: it will be seen next run
            if why is None and not stat.S_ISREG(info.st_mode) and not stat.S_ISLNK(info.st_mode):
                why = _SPECIAL_FILE
            code = why or _ignored(path, own, own_names)
            size = info.st_size if stat.S_ISREG(info.st_mode) else 0
            yield Candidate(path, size, info.st_mtime_ns, Message(code) if code else None,
                            prefix + name, code)
