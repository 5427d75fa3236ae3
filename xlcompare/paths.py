"""Names of places on disk that several layers agree on: xlcompare's state folder, the mark
on its own outputs, and the user files looked for beside the workbooks."""

from __future__ import annotations

import hashlib
import tomllib
from os import PathLike
from pathlib import Path
from typing import Any

__all__ = ["OUTPUT_MARK", "ROSTER_STEM", "STATE_DIR", "USER_LAYOUT_NAMES", "USER_TAXONOMY_NAMES",
           "PathArg", "file_sha256", "find_user_layout", "find_user_taxonomy", "read_user_toml"]

PathArg = str | PathLike[str]

# written into the docProps of every workbook xlcompare writes, so a rerun can skip its outputs
OUTPUT_MARK = "xlcompare"
STATE_DIR = ".xlcompare"
# a roster of the stations that must report, in the folder under this name (any format)
ROSTER_STEM = "站点名单"

# a user's own indicator names, looked for (in this order) beside the workbooks
USER_TAXONOMY_NAMES = ("xlcompare-taxonomy.toml", "taxonomy.toml")


# a user's own header synonyms, meta labels and row kinds, looked for beside the workbooks
USER_LAYOUT_NAMES = ("xlcompare-layout.toml",)


def _find_beside(place: PathArg, names: tuple[str, ...]) -> Path | None:
    path = Path(place)
    if not path.is_dir():
        path = path.parent
    for name in names:
        candidate = path / name
        if candidate.is_file():
            return candidate
    return None


def find_user_taxonomy(place: PathArg) -> Path | None:
    """The user's taxonomy file in the folder `place`, or beside the file `place`, or None."""
    return _find_beside(place, USER_TAXONOMY_NAMES)


def find_user_layout(place: PathArg) -> Path | None:
    """The user's layout file (xlcompare-layout.toml) in the folder `place`, or beside the
    file `place`, or None."""
    return _find_beside(place, USER_LAYOUT_NAMES)


def read_user_toml(path: PathArg, key: str) -> dict[str, Any]:
    """A user's TOML file (settings, rules): ConfigError with the catalogue entry `key`
    (its `detail` the parser's or the system's words) when it cannot be read or parsed."""
    from xlcompare.errors import ConfigError
    from xlcompare.messages import Message

    try:
        return tomllib.loads(Path(path).read_text("utf-8"))
    except (OSError, UnicodeDecodeError, tomllib.TOMLDecodeError) as exc:
        code = "config-unreadable" if isinstance(exc, OSError) else "config-invalid"
        raise ConfigError(Message(key, detail=str(exc)), code=code, file=str(path)) from None


def file_sha256(path: PathArg) -> str:
    """The file's sha256, read a megabyte at a time."""
    digest = hashlib.sha256()
    with Path(path).open("rb") as handle:
        for chunk in iter(lambda: handle.read(1 << 20), b""):
            digest.update(chunk)
    return digest.hexdigest()
