"""Where a folder's history lives, so that trends work the way officers keep their months.

Officers keep one folder per month side by side (`月报/2023-12`, `月报/2024-03`) and run
`xlcompare batch 月报/2024-03` with no option. For its 趋势 to compare with December, both
months must share one history. So the history is found the way git finds a repository:

1. an existing state folder (`.xlcompare/`) in FOLDER or in a folder above it is used — the
   search stops below the home folder, the file-system root, a mount boundary and any folder
   of `XLCOMPARE_CEILING_DIRECTORIES` (like `GIT_CEILING_DIRECTORIES`), so that a history
   never gathers unrelated folders from far above;
2. else, when FOLDER's own name is a month (`2024-03`, `2024年3月`, `202403`, `2024.03`,
   `3月` …), a new one is made in its parent, where the sibling months will find it;
3. else in FOLDER itself (as before);

and `--db PATH` still puts it anywhere. Because one history may serve several folders, the
paths it stores are relative to its root (the folder holding `.xlcompare/`, or with `--db`
the folder holding the database file); a folder outside that root is named by its full path.
"""

from __future__ import annotations

import os
import re
from dataclasses import dataclass
from pathlib import Path

from xlcompare.batch.sqlite_store import HISTORY_NAME
from xlcompare.messages import Message
from xlcompare.paths import STATE_DIR, PathArg

__all__ = ["CEILING_ENV", "HistoryPlace", "is_month_name", "locate_history"]

CEILING_ENV = "XLCOMPARE_CEILING_DIRECTORIES"

# a folder named for a month: 2024-03, 2024_3, 2024.03, 2024年3月, 2024年03月报表, 202403,
# 2024-03-31, 20240331, 3月, 03月份, 三月 (the year may be a parent folder's name)
_DAY = r"(?:0?[1-9]|[12]\d|3[01])"
_MONTH = r"(?:0?[1-9]|1[0-2])"
_MONTH_NAME = re.compile(
    r"^\s*(?:"
    r"(?:19|20)\d{2}(?:0[1-9]|1[0-2])(?:0[1-9]|[12]\d|3[01])?"  # 202403, 20240331
    rf"|(?:19|20)\d{{2}}\s*[-_./]\s*{_MONTH}(?:\s*[-_./]\s*{_DAY})?"  # 2024-03, 2024.3.31
    rf"|(?:19|20)\d{{2}}\s*年\s*{_MONTH}\s*月份?(?:\s*{_DAY}\s*日)?"  # 2024年3月(31日)
    rf"|{_MONTH}\s*月份?"  # 3月, 03月份
    r"|(?:十[一二]?|[一二三四五六七八九])月份?"  # 三月, 十二月
    r")(?![\d.])")


def is_month_name(name: str) -> bool:
    """True when a folder's name says it holds one month's reports."""
    match = _MONTH_NAME.match(name)
    if match is None:
        return False
    rest = name[match.end():].strip()
    # 2024-03, 2024年3月报表, 2024.03 月报; not 2024-2025年度 (a contract year) or 202403号
    return not rest or not rest[0].isdigit() and not rest.startswith(("-", "—", "~", "至"))


@dataclass(frozen=True)
class HistoryPlace:
    """The history a folder's batch uses: the database file, the root its paths are relative
    to, the folder's own prefix under that root, and how it was chosen."""

    db: Path
    root: Path
    # the folder's files are stored as scope + their path in the folder: '' for the root
    # itself, '2024-03/' for a month under it, or the folder's full path when outside it
    scope: str
    # found (an existing one, in the folder or above) | month (new, in the parent of a
    # month folder) | folder (new, in the folder) | given (--db)
    how: str
    state_folder: bool  # in a `.xlcompare` state folder (never reached through a link)

    def describe(self) -> Message:
        """One line for the terminal: which history, and why that one."""
        if self.how == "given":
            return Message("history.place-given", db=str(self.db))
        if self.how == "month":
            return Message("history.place-month", db=str(self.db), root=str(self.root))
        if self.how == "found" and self.scope:
            return Message("history.place-found", db=str(self.db), root=str(self.root))
        return Message("history.place", db=str(self.db))


def _ceilings() -> set[str]:
    """Folders the search never looks in: the home folder, the root, and the user's own."""
    found = {os.path.abspath(os.sep)}
    home = os.path.expanduser("~")
    if home != "~":  # no home folder known
        found.add(os.path.abspath(home))
    for part in os.environ.get(CEILING_ENV, "").split(os.pathsep):
        if part.strip():
            found.add(os.path.abspath(part.strip()))
    return found


def _device(path: str) -> int | None:
    try:
        return os.stat(path).st_dev
    except OSError:
        return None


def _found_upward(folder: str) -> str | None:
    """The nearest folder at or above `folder` that holds a state folder, within bounds."""
    ceilings = _ceilings()
    device = _device(folder)
    here = folder
    while True:
        if os.path.lexists(os.path.join(here, STATE_DIR)):  # a link too: it is refused later
            return here
        parent = os.path.dirname(here)
        if parent == here or parent in ceilings or _device(parent) != device:
            return None
        here = parent


def _scope(folder: str, root: str) -> str:
    relative = os.path.relpath(folder, root)
    if relative == os.curdir:
        return ""
    if relative == os.pardir or relative.startswith(os.pardir + os.sep):
        return Path(folder).as_posix().rstrip("/") + "/"  # outside the root: its full path
    return relative.replace(os.sep, "/") + "/"


def locate_history(folder: PathArg, db: PathArg | None = None) -> HistoryPlace:
    """The history `xlcompare batch FOLDER` uses (see the module's doc). Looks only: nothing
    is created here."""
    here = os.path.abspath(folder)
    if db is not None:
        given = Path(os.path.abspath(db))
        root = given.parent.parent if given.parent.name == STATE_DIR else given.parent
        return HistoryPlace(given, root, _scope(here, str(root)), "given", False)
    found = _found_upward(here)
    how = "found"
    if found is None:
        parent = os.path.dirname(here)
        sharable = (parent != here and parent not in _ceilings()
                    and _device(parent) == _device(here))
        if sharable and is_month_name(os.path.basename(here)):
            found, how = parent, "month"
        else:
            found, how = here, "folder"
    root = Path(found)
    return HistoryPlace(root / STATE_DIR / HISTORY_NAME, root, _scope(here, found), how, True)
