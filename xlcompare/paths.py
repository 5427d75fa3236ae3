"""Names of places on disk that several layers agree on: xlcompare's state folder, the mark
on its own outputs, and the user files looked for beside the workbooks."""

from __future__ import annotations

from os import PathLike
from pathlib import Path

__all__ = ["OUTPUT_MARK", "STATE_DIR", "USER_TAXONOMY_NAMES", "PathArg",
           "find_user_taxonomy"]

PathArg = str | PathLike[str]

# written into the docProps of every workbook xlcompare writes, so a rerun can skip its outputs
OUTPUT_MARK = "xlcompare"
STATE_DIR = ".xlcompare"

# a user's own indicator names, looked for (in this order) beside the workbooks
USER_TAXONOMY_NAMES = ("xlcompare-taxonomy.toml", "taxonomy.toml")


def find_user_taxonomy(place: PathArg) -> Path | None:
    """The user's taxonomy file in the folder `place`, or beside the file `place`, or None."""
    path = Path(place)
    if not path.is_dir():
        path = path.parent
    for name in USER_TAXONOMY_NAMES:
        candidate = path / name
        if candidate.is_file():
            return candidate
    return None
