"""Taking a file out of the drop folder from the 文件 page: only a file the folder's own list
names (what the batch saw), moved, not deleted, into `.已移除/` inside the folder (a hidden
folder the batch does not read), where it can be fetched back; never the history."""

from __future__ import annotations

import os
from collections.abc import Iterable
from pathlib import Path

__all__ = ["REMOVED_DIR", "Removal", "remove"]

REMOVED_DIR = ".已移除"


class Removal(Exception):
    def __init__(self, code: str, reason: str) -> None:
        super().__init__(reason)
        self.code, self.reason = code, reason


def remove(folder: Path, rel: str, listed: Iterable[str], history: Path) -> str:
    """Move the file `rel` (as the folder's list names it) into REMOVED_DIR; returns where it
    went, relative to the folder. Removal(code, reason) when it may not be moved."""
    if rel not in set(listed):
        raise Removal("file-not-listed", "文件不在本文件夹的清单中 (not in this folder's list)")
    root = Path(os.path.realpath(folder))
    source = folder / rel
    parent = Path(os.path.realpath(source.parent))  # the link itself is moved, not its target
    if os.path.commonpath([parent, root]) != str(root) or rel.startswith("."):
        raise Removal("file-not-listed", "文件不在本文件夹中 (outside the folder)")
    real = Path(os.path.realpath(source))
    state = Path(os.path.realpath(history)).parent
    if real == Path(os.path.realpath(history)) or parent == state:
        raise Removal("protected-path", "不能移除历史数据库 (the history is never removed)")
    target_dir = folder / REMOVED_DIR / Path(rel).parent
    target_dir.mkdir(parents=True, exist_ok=True)
    name = Path(rel).name
    stem, suffix = Path(name).stem, Path(name).suffix
    for n in range(1, 1000):
        target = target_dir / (name if n == 1 else f"{stem} ({n}){suffix}")
        if not os.path.lexists(target):
            os.rename(source, target)
            return target.relative_to(folder).as_posix()
    raise Removal("bad-file-name", "已移除的同名文件过多 (too many removed files of this name)")
