"""The zip container of .xlsx/.xlsm/.ods files, checked before any parser reads it.

Checked from the central directory alone (no unpacking): the file is a whole zip (a missing
end record means it was cut short: still copying, or an interrupted download), no more than
`max_zip_parts` parts, no duplicate or encrypted parts, the declared unpacked size within
`max_unpacked_mb` and no large part packed more than `max_compression_ratio` times.

Parts are then unpacked by `read_part`, which trusts none of the declared sizes: it stops at
the declared size + 1 byte, refuses a part whose data goes on beyond it (a zip bomb that
lies about its size) and checks the CRC. XML parts are refused when they carry a DTD
(`<!DOCTYPE` / `<!ENTITY`): Office Open XML and OpenDocument never use one, and a DTD is how
entity-expansion bombs and external-entity (XXE) reads are delivered. (Parts the reader never
parses — macros, Basic modules, custom XML — are not unpacked at all: ooxml.py, ods.py.)

Part names are matched as the packaging standard (OPC) and calamine match them: without
regard to ASCII case and with `\\` read as `/` (some Windows and .NET writers store
`xl\\workbook.xml` or `[content_types].xml`). Two entries that name one part that way are a
duplicate, refused: one reader could see one of them, another the other.
"""

from __future__ import annotations

import struct
import zipfile
import zlib
from collections import Counter
from dataclasses import dataclass
from pathlib import Path
from typing import BinaryIO

from xlcompare.files.limits import Limits
from xlcompare.files.refuse import refuse

__all__ = ["PartNames", "ZipBox", "check_dtd", "check_well_formed", "open_zip", "part_name"]

_EOCD = b"PK\x05\x06"
_LOCAL = b"PK\x03\x04"


def part_name(entry: str) -> str:
    """A zip entry's name as a part name: `\\` read as `/`, no leading `/`."""
    return entry.replace("\\", "/").lstrip("/")


class PartNames(dict[str, zipfile.ZipInfo]):
    """The parts of a zip by part name (part_name), looked up without regard to ASCII case:
    `"xl/workbook.xml" in parts` finds `XL/Workbook.xml`. Iterating gives the names as the
    file spells them (separators made `/`)."""

    def __init__(self, infos: list[zipfile.ZipInfo]) -> None:
        super().__init__((part_name(i.filename), i) for i in infos)
        self._folded = {name.lower(): name for name in self}

    def key(self, name: str) -> str | None:
        """The name as this zip spells `name`, or None when it has no such part."""
        return self._folded.get(part_name(name).lower())

    def __contains__(self, name: object) -> bool:
        return isinstance(name, str) and self.key(name) is not None

    def __getitem__(self, name: str) -> zipfile.ZipInfo:
        key = self.key(name)
        if key is None:
            raise KeyError(name)
        return super().__getitem__(key)

    def get(self, name: str, default=None):
        key = self.key(name)
        return default if key is None else super().__getitem__(key)


@dataclass
class ZipBox:
    """An opened, checked zip: its parts by name, and a way to read them safely."""

    path: Path
    archive: zipfile.ZipFile
    handle: BinaryIO
    parts: PartNames

    def read(self, name: str) -> bytes:
        return read_part(self.handle, self.parts[name], str(self.path))

    def key(self, name: str) -> str:
        """`name` as this zip spells it (itself when the zip has no such part)."""
        return self.parts.key(name) or name

    def close(self) -> None:
        self.archive.close()
        self.handle.close()


def open_zip(path: Path, limits: Limits) -> ZipBox:
    name = str(path)
    try:
        archive = zipfile.ZipFile(path)
    except zipfile.BadZipFile:
        if _has_end_record(path):
            raise refuse("corrupt: the file is damaged (its zip directory cannot be read) "
                         "(文件已损坏)", "corrupt", name) from None
        raise refuse(
            "truncated: the file ends early — not copied completely, or the download was "
            "interrupted; copy it again (文件不完整，可能仍在复制或下载中断)", "truncated", name,
        ) from None
    except (OSError, EOFError, ValueError, NotImplementedError) as exc:
        raise refuse(f"corrupt: {exc} (文件已损坏)", "corrupt", name) from None
    try:
        parts = _check_directory(archive, limits, name)
        handle = path.open("rb")
    except BaseException:
        archive.close()
        raise
    return ZipBox(path, archive, handle, parts)


def _has_end_record(path: Path) -> bool:
    """Whether the zip's end-of-central-directory record is there (it is written last)."""
    with path.open("rb") as handle:
        handle.seek(0, 2)
        size = handle.tell()
        handle.seek(max(0, size - 65_557))  # the record is 22 bytes + up to 64 KiB comment
        return _EOCD in handle.read()


def _check_directory(archive: zipfile.ZipFile, limits: Limits, name: str) -> PartNames:
    infos = archive.infolist()
    if len(infos) > limits.max_zip_parts:
        raise refuse(f"too large: {len(infos)} parts inside the zip (limit "
                     f"{limits.max_zip_parts}) (文件过大)", "too_large", name,
                     code="too-many-parts")
    twice = [n for n, count in Counter(part_name(i.filename).lower() for i in infos).items()
             if count > 1]
    if twice:
        # two parts of one name: one reader could see one, another the other
        raise refuse(f"corrupt: the part {twice[0]} appears twice inside the file (文件已损坏)",
                     "corrupt", name, code="duplicate-part")
    total = 0
    for info in infos:
        if info.flag_bits & 0x1:
            raise refuse("encrypted zip: save a copy without a password "
                         "(文件有密码，请另存为无密码副本)", "encrypted", name)
        if info.compress_type not in (zipfile.ZIP_STORED, zipfile.ZIP_DEFLATED):
            raise refuse(f"unsupported: part {info.filename} uses compression method "
                         f"{info.compress_type}; save it again from Excel or WPS", "unsupported",
                         name, code="unsupported-compression")
        total += info.file_size
        if info.file_size >= limits.ratio_from_bytes:
            ratio = info.file_size / max(info.compress_size, 1)
            if ratio > limits.max_compression_ratio:
                raise refuse(
                    f"unsafe: part {info.filename} unpacks {ratio:.0f}× (limit "
                    f"{limits.max_compression_ratio:g}×): a zip bomb, not a workbook "
                    "(疑似压缩炸弹，已拒绝)", "unsafe", name, code="zip-bomb")
    if total > limits.max_unpacked_bytes:
        raise refuse(f"too large: {total / 2**20:.0f} MB once unpacked (limit "
                     f"{limits.max_unpacked_mb:g} MB) (文件过大)", "too_large", name,
                     code="unpacked-too-large")
    return PartNames(infos)


def read_part(handle: BinaryIO, info: zipfile.ZipInfo, name: str) -> bytes:
    """One part's bytes, refusing data beyond its declared size and checking its CRC."""
    handle.seek(info.header_offset)
    header = handle.read(30)
    if len(header) < 30 or not header.startswith(_LOCAL):
        raise refuse(f"corrupt: part {info.filename} is damaged (文件已损坏)", "corrupt", name)
    name_len, extra_len = struct.unpack("<HH", header[26:30])
    handle.seek(info.header_offset + 30 + name_len + extra_len)
    raw = handle.read(info.compress_size)
    if len(raw) < info.compress_size:
        raise refuse(f"truncated: part {info.filename} ends early (文件不完整)", "truncated", name)
    if info.compress_type == zipfile.ZIP_STORED:
        data = raw
    else:
        inflater = zlib.decompressobj(-15)
        try:
            data = inflater.decompress(raw, info.file_size + 1)
        except zlib.error:
            raise refuse(f"corrupt: part {info.filename} is damaged (文件已损坏)", "corrupt",
                         name) from None
        if len(data) > info.file_size:
            raise refuse(f"unsafe: part {info.filename} holds more than the {info.file_size} "
                         "bytes it declares (疑似压缩炸弹，已拒绝)", "unsafe", name,
                         code="zip-bomb")
        if not inflater.eof:
            raise refuse(f"corrupt: part {info.filename} is damaged (文件已损坏)", "corrupt", name)
    if len(data) != info.file_size or zlib.crc32(data) != info.CRC:
        raise refuse(f"corrupt: part {info.filename} is damaged (checksum) (文件已损坏)",
                     "corrupt", name)
    return data


def check_dtd(data: bytes, part: str, name: str) -> None:
    """Refuse XML carrying a DTD: the carrier of entity bombs and external-entity reads."""
    if b"<!DOCTYPE" in data or b"<!ENTITY" in data:
        raise refuse(f"unsafe: part {part} declares a DTD/entities (<!DOCTYPE>), which "
                     "workbooks never do: refused to protect against entity bombs and file "
                     "reads (文件含可疑XML声明，已拒绝)", "unsafe", name, code="entity-declaration")


def check_well_formed(data: bytes, part: str, name: str) -> None:
    """Refuse XML that is not well-formed before any regex scans it: with unclosed tags a
    tokenizer can be made to rescan the rest of the part at every tag (quadratic time).
    expat with no handlers checks ~80 MB/s; the DTD check has already run."""
    import xml.parsers.expat

    parser = xml.parsers.expat.ParserCreate()
    try:
        parser.Parse(data, True)
    except xml.parsers.expat.ExpatError as exc:
        raise refuse(f"corrupt: part {part} is not well-formed XML ({exc}) (文件已损坏)",
                     "corrupt", name) from None
