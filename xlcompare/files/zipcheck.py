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
from xlcompare.messages import Message

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
            raise refuse(Message("corrupt.zip-directory"), "corrupt", name) from None
        raise refuse(Message("truncated.ends-early"), "truncated", name) from None
    except (OSError, EOFError, ValueError, NotImplementedError) as exc:
        raise refuse(Message("corrupt.detail", detail=str(exc)), "corrupt", name) from None
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
        raise refuse(Message("too-many-parts.count", count=len(infos),
                             limit=limits.max_zip_parts), "too_large", name)
    twice = [n for n, count in Counter(part_name(i.filename).lower() for i in infos).items()
             if count > 1]
    if twice:
        # two parts of one name: one reader could see one, another the other
        raise refuse(Message("duplicate-part.named", part=twice[0]), "corrupt", name)
    total = 0
    for info in infos:
        if info.flag_bits & 0x1:
            raise refuse(Message("password-protected.zip"), "encrypted", name)
        if info.compress_type not in (zipfile.ZIP_STORED, zipfile.ZIP_DEFLATED):
            raise refuse(Message("unsupported-compression.method", part=info.filename,
                                 method=info.compress_type), "unsupported", name)
        total += info.file_size
        if info.file_size >= limits.ratio_from_bytes:
            ratio = info.file_size / max(info.compress_size, 1)
            if ratio > limits.max_compression_ratio:
                raise refuse(Message("zip-bomb.ratio", part=info.filename, ratio=ratio,
                                     limit=limits.max_compression_ratio), "unsafe", name)
    if total > limits.max_unpacked_bytes:
        raise refuse(Message("unpacked-too-large.size", mb=total / 2**20,
                             limit=limits.max_unpacked_mb), "too_large", name)
    return PartNames(infos)


def read_part(handle: BinaryIO, info: zipfile.ZipInfo, name: str) -> bytes:
    """One part's bytes, refusing data beyond its declared size and checking its CRC."""
    handle.seek(info.header_offset)
    header = handle.read(30)
    if len(header) < 30 or not header.startswith(_LOCAL):
        raise refuse(Message("corrupt.part", part=info.filename), "corrupt", name)
    name_len, extra_len = struct.unpack("<HH", header[26:30])
    handle.seek(info.header_offset + 30 + name_len + extra_len)
    raw = handle.read(info.compress_size)
    if len(raw) < info.compress_size:
        raise refuse(Message("truncated.part", part=info.filename), "truncated", name)
    if info.compress_type == zipfile.ZIP_STORED:
        data = raw
    else:
        inflater = zlib.decompressobj(-15)
        try:
            data = inflater.decompress(raw, info.file_size + 1)
        except zlib.error:
            raise refuse(Message("corrupt.part", part=info.filename), "corrupt", name) from None
        if len(data) > info.file_size:
            raise refuse(Message("zip-bomb.oversize", part=info.filename, size=info.file_size),
                         "unsafe", name)
        if not inflater.eof:
            raise refuse(Message("corrupt.part", part=info.filename), "corrupt", name)
    if len(data) != info.file_size or zlib.crc32(data) != info.CRC:
        raise refuse(Message("corrupt.part-checksum", part=info.filename), "corrupt", name)
    return data


def check_dtd(data: bytes, part: str, name: str) -> None:
    """Refuse XML carrying a DTD: the carrier of entity bombs and external-entity reads."""
    if b"<!DOCTYPE" in data or b"<!ENTITY" in data:
        raise refuse(Message("entity-declaration.part", part=part), "unsafe", name)


def check_well_formed(data: bytes, part: str, name: str) -> None:
    """Refuse XML that is not well-formed before any regex scans it: with unclosed tags a
    tokenizer can be made to rescan the rest of the part at every tag (quadratic time).
    expat with no handlers checks ~80 MB/s; the DTD check has already run."""
    import xml.parsers.expat

    parser = xml.parsers.expat.ParserCreate()
    try:
        parser.Parse(data, True)
    except xml.parsers.expat.ExpatError as exc:
        raise refuse(Message("corrupt.xml", part=part, detail=str(exc)), "corrupt",
                     name) from None
