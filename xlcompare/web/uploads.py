"""Files arriving through the page or the API, put into the drop folder without harm.

A name is taken as a name, never as a path: one with a folder in it (`../../x.xlsx`,
`C:\\x.xlsx`), a hidden or lock-file name, a character Windows forbids or a device name is
refused, not cleaned into something the sender did not write. Nothing is ever overwritten:
a file of the same content is not saved twice, another file of the same name is saved as
`名称 (2).xlsx` (the batch then keeps the newer report of a station and cut-off, and names
the other), and the history and its folder are out of reach. A file is written under a
temporary name the folder walk ignores and linked into place whole.

A .zip (as reports arrive by mail) is checked with the bounds of any zip (files/zipcheck.py:
parts, unpacked size, ratio, encryption), each part unpacked with its size and checksum
enforced, and only its workbooks kept, by their own names (the folders inside are dropped,
so no part can name a place outside the folder).
"""

from __future__ import annotations

import contextlib
import errno
import hashlib
import os
import re
import secrets
import shutil
import tempfile
import unicodedata
import zipfile
from collections.abc import Iterable, Iterator
from dataclasses import dataclass
from pathlib import Path
from typing import BinaryIO

from xlcompare.errors import ReadError
from xlcompare.files import SUFFIXES
from xlcompare.files.limits import load_limits
from xlcompare.files.zipcheck import ZipBox, open_zip
from xlcompare.messages import Message
from xlcompare.paths import file_sha256

__all__ = ["Arrival", "UploadLimits", "check_name", "receive"]

ZIP = ".zip"
# what Windows forbids in a file name, and the control characters
_FORBIDDEN = re.compile(r'[<>:"|?*\x00-\x1f\x7f]')
_DEVICES = re.compile(r"^(con|prn|aux|nul|com[0-9]|lpt[0-9])(\..*)?$", re.IGNORECASE)
_MAX_NAME_BYTES = 240  # most file systems allow 255 bytes; room for " (99)"
_TEMP_PREFIX = ".~xlcompare-upload-"  # batch/folder.py ignores .~xlcompare-* files


@dataclass(frozen=True)
class UploadLimits:
    """How much one request may bring: each file (a workbook, or a .zip) no larger than the
    reader would open (`max_file_mb` of [limits]), so many files, so much in all."""

    max_file_bytes: int
    max_files: int = 200
    max_request_bytes: int = 256 * 2**20

    @classmethod
    def default(cls) -> UploadLimits:
        return cls(load_limits().max_file_bytes)


@dataclass(frozen=True)
class Arrival:
    """What became of one file sent: saved (as `saved_as`, relative to the folder) or not,
    with the code and the words of why not."""

    name: str  # as sent
    saved_as: str | None = None
    code: str | None = None
    reason: str = ""
    inside: str | None = None  # the .zip it came in

    @property
    def saved(self) -> bool:
        return self.saved_as is not None


class Refused(Exception):
    def __init__(self, code: str, reason: Message) -> None:
        super().__init__(code)
        self.code, self.reason = code, reason.text()


def check_name(sent: str) -> str:
    """The name to save `sent` under (NFC), or Refused with the code of why not."""
    name = unicodedata.normalize("NFC", sent or "")
    if not name.strip():
        raise Refused("bad-file-name", Message("bad-file-name.empty"))
    if "/" in name or "\\" in name or name in (".", ".."):
        raise Refused("path-in-file-name", Message("path-in-file-name"))
    if _FORBIDDEN.search(name):
        raise Refused("bad-file-name", Message("bad-file-name.characters"))
    if name.startswith((".", "~")):
        raise Refused("bad-file-name", Message("bad-file-name.hidden"))
    if _DEVICES.match(name) or name != name.rstrip(". "):
        raise Refused("bad-file-name", Message("bad-file-name.device"))
    if len(name.encode("utf-8")) > _MAX_NAME_BYTES:
        raise Refused("bad-file-name", Message("bad-file-name.long"))
    suffix = Path(name).suffix.lower()
    if suffix not in SUFFIXES and suffix != ZIP:
        raise Refused("not-a-workbook-name", Message("not-a-workbook-name.suffixes",
                                                     suffixes=tuple(SUFFIXES)))
    return name


def receive(folder: Path, name: str, stream: BinaryIO, size: int, limits: UploadLimits,
            protected: Iterable[Path] = ()) -> list[Arrival]:
    """Save one file sent as `name` (its bytes in `stream`, `size` long) into `folder`: a
    workbook as itself, a .zip as the workbooks in it. Never raises for what was sent."""
    try:
        checked = check_name(name)
        if size > limits.max_file_bytes:
            raise Refused("upload-too-large", Message(
                "upload-too-large.size", mb=f"{size / 2**20:.1f}",
                limit=f"{limits.max_file_bytes / 2**20:g}"))
    except Refused as refused:
        return [Arrival(name, code=refused.code, reason=refused.reason)]
    shield = _Shield(folder, protected)
    if Path(checked).suffix.lower() == ZIP:
        return list(_unzip(folder, name, stream, limits, shield))
    return [_place(folder, checked, name, _chunks(stream), shield)]


class _Shield:
    """The places no upload may land: anywhere but directly in the folder, and the history
    with the files beside it that are its own (`-wal`, `-shm`, `.lock`). (A name has a
    workbook's suffix and no leading dot, so neither could be named anyway: this holds
    should that ever change.)"""

    def __init__(self, folder: Path, protected: Iterable[Path]) -> None:
        self.folder = folder.resolve()
        self.places = [Path(p).resolve() for p in protected]

    def covers(self, target: Path) -> bool:
        real = target.resolve()
        if real.parent != self.folder:
            return True
        return any(real.parent == p.parent and real.name.startswith(p.name)
                   for p in self.places)


def _chunks(stream: BinaryIO) -> Iterator[bytes]:
    while chunk := stream.read(1 << 20):
        yield chunk


def _place(folder: Path, name: str, sent: str, data: Iterable[bytes], shield: _Shield,
           inside: str | None = None) -> Arrival:
    """Write `data` under a temporary name, then link it in as `name`, or `name (2)` …
    when another file has that name; a file of the same content is not saved again."""
    fd, temp = _temporary(folder)
    digest = hashlib.sha256()
    try:
        with os.fdopen(fd, "wb") as out:
            for chunk in data:
                digest.update(chunk)
                out.write(chunk)
        stem, suffix = Path(name).stem, Path(name).suffix
        for n in range(1, 100):
            candidate = name if n == 1 else f"{stem} ({n}){suffix}"
            target = folder / candidate
            if shield.covers(target):
                return Arrival(sent, code="protected-path", inside=inside,
                               reason=Message("protected-path").text())
            if os.path.lexists(target):
                if target.is_file() and not target.is_symlink() and file_sha256(target) == digest.hexdigest():
                    return Arrival(sent, code="same-file-there", inside=inside,
                                   reason=Message("same-file-there.named",
                                                  name=candidate).text())
                continue
            if _link(temp, target):
                return Arrival(sent, saved_as=candidate, inside=inside,
                               reason=Message("note.saved").text() if n == 1 else
                               Message("note.saved-as", name=candidate).text())
        return Arrival(sent, code="bad-file-name", inside=inside,
                       reason=Message("bad-file-name.many").text())
    finally:
        with contextlib.suppress(OSError):
            temp.unlink()


def _temporary(folder: Path) -> tuple[int, Path]:
    while True:
        temp = folder / f"{_TEMP_PREFIX}{secrets.token_hex(6)}"
        try:
            return os.open(temp, os.O_WRONLY | os.O_CREAT | os.O_EXCL
                           | getattr(os, "O_NOFOLLOW", 0), 0o644), temp
        except FileExistsError:
            continue


def _link(temp: Path, target: Path) -> bool:
    """Put `temp` at `target` unless something is there: a hard link never replaces; where
    the file system has none (some shares), copy into a file created exclusively."""
    try:
        os.link(temp, target)
        return True
    except FileExistsError:
        return False
    except OSError as exc:
        if exc.errno not in (errno.EPERM, errno.ENOTSUP, errno.EOPNOTSUPP, errno.EXDEV,
                             errno.EMLINK):
            raise
    try:
        fd = os.open(target, os.O_WRONLY | os.O_CREAT | os.O_EXCL | getattr(os, "O_NOFOLLOW", 0),
                     0o644)
    except FileExistsError:
        return False
    with os.fdopen(fd, "wb") as out, temp.open("rb") as source:
        shutil.copyfileobj(source, out)
    return True


def _entry_name(info: zipfile.ZipInfo) -> str:
    """A zip entry's name as its sender typed it: Windows' zip tools store Chinese names in
    GBK without saying so (no UTF-8 flag), which Python reads as cp437."""
    name = info.filename
    if not info.flag_bits & 0x800:
        raw = name.encode("cp437", errors="replace")
        for encoding in ("utf-8", "gb18030"):
            try:
                name = raw.decode(encoding)
                break
            except UnicodeDecodeError:
                continue
    return name.replace("\\", "/")


def _unzip(folder: Path, sent: str, stream: BinaryIO, limits: UploadLimits,
           shield: _Shield) -> Iterator[Arrival]:
    fd, temp = tempfile.mkstemp(suffix=ZIP)
    try:
        with os.fdopen(fd, "wb") as out:
            shutil.copyfileobj(stream, out)
        try:
            box = open_zip(Path(temp), load_limits())
        except ReadError as exc:
            yield Arrival(sent, code=exc.code,
                          reason=Message("note.zip-unopened", why=exc.message).text())
            return
        try:
            yield from _entries(folder, sent, box, limits, shield)
        finally:
            box.close()
    finally:
        with contextlib.suppress(OSError):
            os.unlink(temp)


def _entries(folder: Path, sent: str, box: ZipBox, limits: UploadLimits,
             shield: _Shield) -> Iterator[Arrival]:
    taken = 0
    for key, info in box.parts.items():
        if info.is_dir():
            continue
        full = _entry_name(info)
        if full.startswith("__MACOSX/"):
            continue  # the Mac's resource forks beside each file
        base = full.rsplit("/", 1)[-1]
        try:
            name = check_name(base)
            if Path(name).suffix.lower() == ZIP:
                raise Refused("not-a-workbook-name", Message("not-a-workbook-name.zip-in-zip"))
            if info.file_size > limits.max_file_bytes:
                raise Refused("upload-too-large", Message("upload-too-large"))
            taken += 1
            if taken > limits.max_files:
                raise Refused("too-many-files", Message("too-many-files.zip",
                                                        limit=limits.max_files))
            data = box.read(key)
        except Refused as refused:
            yield Arrival(full, code=refused.code, reason=refused.reason, inside=sent)
            continue
        except ReadError as exc:
            yield Arrival(full, code=exc.code, reason=exc.message.text(), inside=sent)
            continue
        yield _place(folder, name, full, [data], shield, inside=sent)
