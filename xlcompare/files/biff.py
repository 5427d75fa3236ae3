"""Legacy .xls (BIFF in a CFB container) checked, and made safe, before calamine reads it.

calamine parses every sheet of an .xls when it opens it, and for each sheet allocates rows ×
columns from A1 (plus as much again for formulas), reserves what the DIMENSIONS record
declares, and reserves the number of shared strings the SST record declares. One stray cell
at IV65536 costs ~1 GB and a second; a forged count aborts the process. So the record
stream is walked first (~0.1 ms for a station file): it finds encryption (FILEPASS), each
sheet's cells, error cells (calamine returns them blank), formulas without a saved value
(xlwt writes none: calamine returns blank), and forged counts. Stray cells and oversized
DIMENSIONS records are neutralised in an in-memory copy of the file (their record type is
changed to BLANK, which calamine skips): the file itself is never changed. A BIFF8 row is
at most 65,535, but a column may be written up to 65,535 too: a cell past XFD is set aside
like a stray and reported as past Excel's grid (`cell-past-grid`).
"""

from __future__ import annotations

import struct
from dataclasses import dataclass, field
from pathlib import Path
from typing import TYPE_CHECKING

from xlcompare.files.cells import a1
from xlcompare.files.extent import MAX_COLS, Block, PastGrid, Stray, block_end, past_grid
from xlcompare.files.limits import Limits
from xlcompare.files.ooxml import Formula
from xlcompare.files.refuse import PASSWORD_MESSAGE, refuse
from xlcompare.messages import Message

if TYPE_CHECKING:
    from xlcompare.files.scan import ContainerScan

__all__ = ["CfbScan", "XlsSheet", "scan_cfb"]

_BLANK = 0x0201
_ERRORS = {0x00: "#NULL!", 0x07: "#DIV/0!", 0x0F: "#VALUE!", 0x17: "#REF!", 0x1D: "#NAME?",
           0x24: "#NUM!", 0x2A: "#N/A", 0x2B: "#GETTING_DATA"}
_ENDOFCHAIN = 0xFFFFFFFA  # sector numbers from here up mark ends / free / FAT sectors


@dataclass
class XlsSheet:
    name: str
    offset: int
    typ: int  # 0 worksheet, 1 macro sheet, 2 chart, 6 VBA module
    cells: int = 0
    rows: set[int] = field(default_factory=set)
    cols: set[int] = field(default_factory=set)
    errors: dict[tuple[int, int], str] = field(default_factory=dict)
    formulas: dict[tuple[int, int], Formula] = field(default_factory=dict)
    # stream offsets of records: (row, col, offset, kind) for cells, offset for DIMENSIONS
    records: list[tuple[int, int, int, int]] = field(default_factory=list)
    dimensions: list[tuple[int, int]] = field(default_factory=list)  # (offset, declared cells)
    block: Block = field(default_factory=lambda: Block(0, 0))
    stray: Stray = field(default_factory=Stray)
    past: PastGrid = field(default_factory=PastGrid)  # cells past column XFD


@dataclass
class CfbScan:
    sheets: list[XlsSheet]
    cleaned: bytes | None  # the file with stray cells neutralised, when it needed it


def scan_cfb(path: Path, limits: Limits) -> CfbScan:
    """Check a CFB file: refuse what is not a readable .xls, find what calamine would miss."""
    import olefile  # the container reader msoffcrypto-tool is built on

    name = str(path)
    data = path.read_bytes()
    try:
        ole = olefile.OleFileIO(data)
    except Exception as exc:  # noqa: BLE001 - olefile raises plain OSError/ValueError variants
        raise _container_error(data, exc, name) from None
    try:
        if ole.exists("EncryptionInfo") or ole.exists("EncryptedPackage"):
            raise refuse(PASSWORD_MESSAGE, "encrypted", name)
        stream_name = next((s for s in ("Workbook", "Book", "WORKBOOK", "BOOK")
                            if ole.exists(s)), None)
        if stream_name is None:
            raise refuse(_foreign_cfb(ole), "unsupported", name)
        try:
            stream = ole.openstream(stream_name).read()
        except Exception as exc:  # noqa: BLE001
            raise _container_error(data, exc, name) from None
        sheets = _walk(stream, limits, name)
        total = 0
        patches: list[int] = []
        for sheet in sheets:
            total += sheet.cells
            if total > limits.max_cells:
                raise refuse(Message("too-many-cells.limit", limit=limits.max_cells),
                             "too_large", name, sheet.name)
            sheet.block = Block(block_end(((r, r + 1) for r in sheet.rows), limits.stray_gap_rows),
                                block_end(((c, c + 1) for c in sheet.cols),
                                          limits.stray_gap_columns))
            if sheet.block.cells > limits.max_sheet_cells:
                raise refuse(Message("sheet-too-large.spans", rows=sheet.block.rows,
                                     cols=sheet.block.cols, limit=limits.max_sheet_cells),
                             "too_large", name, sheet.name)
            patches += _patches(sheet, stream, limits)
        cleaned = _patched(data, ole, stream_name, patches) if patches else None
    finally:
        ole.close()
    return CfbScan(sheets, cleaned)


def _container_error(data: bytes, exc: Exception, name: str):
    """Truncated (still copying, interrupted download) when the file is shorter than its
    own header says — not a whole number of sectors, or FAT sectors beyond its end;
    corrupt otherwise."""
    sector = 512
    needed = 512
    if len(data) >= 512:
        shift = struct.unpack_from("<H", data, 0x1E)[0]
        sector = 1 << shift if 7 <= shift <= 16 else 512
        fat = [s for s in struct.unpack_from("<109I", data, 0x4C) if s < _ENDOFCHAIN]
        needed = max(sector, (max(fat, default=0) + 2) * sector)
    if len(data) < needed or (len(data) - sector) % sector:
        return refuse(Message("truncated.ends-early"), "truncated", name)
    return refuse(Message("corrupt.damaged", detail=str(exc)[:80]), "corrupt", name)


def _foreign_cfb(ole) -> Message:
    """What an Office file without a workbook stream is (its message words its code)."""
    if ole.exists("WordDocument"):
        return Message("word-document.named", suffix=".doc")
    if ole.exists("PowerPoint Document"):
        return Message("powerpoint.named")
    return Message("office-no-workbook.save")


def _walk(stream: bytes, limits: Limits, name: str) -> list[XlsSheet]:
    """The globals substream: encryption, SST sanity, sheet offsets; then each sheet."""
    sheets: list[XlsSheet] = []
    for typ, _offset, body in _records(stream, 0, name):
        if typ == 0x002F:  # FILEPASS; calamine would read XOR-obfuscated (type 0) cells as garbage
            raise refuse(PASSWORD_MESSAGE, "encrypted", name)
        if typ == 0x0085 and len(body) >= 8:
            # every sheet, in order: calamine lists them in this same order
            sheets.append(XlsSheet(_sheet_name(body), struct.unpack_from("<I", body)[0], body[5]))
        if typ == 0x00FC and len(body) >= 8:
            unique = struct.unpack_from("<i", body, 4)[0]
            if unique < 0 or unique * 3 > len(stream):
                raise refuse(Message("corrupt.shared-strings"), "corrupt", name)
        if typ == 0x000A:
            break
    for sheet in sheets:
        if not 0 <= sheet.offset < len(stream):
            raise refuse(Message("corrupt.sheet-outside", sheet=sheet.name), "corrupt", name)
        _walk_sheet(stream, sheet, limits, name)
    return sheets


def _records(stream: bytes, pos: int, name: str):
    end = len(stream)
    while pos + 4 <= end:
        typ, length = struct.unpack_from("<HH", stream, pos)
        if pos + 4 + length > end:
            raise refuse(Message("truncated.record"), "truncated", name)
        yield typ, pos, stream[pos + 4:pos + 4 + length]
        pos += 4 + length


def _sheet_name(body: bytes) -> str:
    length, flags = body[6], body[7] if len(body) > 7 else 0
    raw = body[8:]
    if flags & 1:
        return raw[:length * 2].decode("utf-16-le", "replace")
    return raw[:length].decode("latin-1")


def _walk_sheet(stream: bytes, sheet: XlsSheet, limits: Limits, name: str) -> None:
    formula_at: tuple[int, int] | None = None
    for typ, offset, body in _records(stream, sheet.offset, name):
        if typ == 0x000A:
            return
        if typ == 0x0200:
            rows, cols = _declared(body)
            sheet.dimensions.append((offset, rows * cols))
            continue
        if typ == 0x00E5:
            count = struct.unpack_from("<H", body)[0] if len(body) >= 2 else 0
            if 2 + 8 * count > len(body):
                raise refuse(Message("corrupt.merged-cells"), "corrupt", name, sheet.name)
            continue
        if typ == 0x0207 and formula_at is not None:
            sheet.records.append((*formula_at, offset, typ))
            continue
        if typ not in (0x0203, 0x0204, 0x0205, 0x027E, 0x00FD, 0x00BD, 0x0006) or len(body) < 6:
            continue
        row, col = struct.unpack_from("<HH", body)
        last = col
        if typ == 0x00BD:
            last = struct.unpack_from("<H", body, len(body) - 2)[0]
            if last < col:
                raise refuse(Message("corrupt.number-record"), "corrupt", name, sheet.name)
        if typ == 0x0205 and len(body) >= 8 and body[7] == 1:
            sheet.errors[(row, col)] = _ERRORS.get(body[6], "#ERROR")
        if typ == 0x0006:
            formula_at = (row, col)
            _formula(sheet, row, col, body)
        sheet.records.append((row, col, offset, typ))
        sheet.rows.add(row)
        for c in range(col, min(last + 1, MAX_COLS)):
            sheet.cols.add(c)
        sheet.cells += last - col + 1
        if sheet.cells > limits.max_cells:
            raise refuse(Message("too-many-cells.limit", limit=limits.max_cells), "too_large",
                         name, sheet.name)


def _declared(body: bytes) -> tuple[int, int]:
    """Rows and columns calamine reserves room for from a DIMENSIONS record, computed as it
    does: last = declared end - 1, rows = last - first + 1 in wrapping u32 arithmetic (an
    end before the start wraps to ~4 billion; Rust release builds do not trap)."""
    if len(body) >= 14:
        first, end, c0, c1 = struct.unpack_from("<IIHH", body)
    elif len(body) >= 10:
        first, end, c0, c1 = struct.unpack_from("<HHHH", body)
    else:
        return 0, 0
    if end < 1 or c1 < 1:
        return 1, 1
    rows = ((end - 1) - first + 1) & 0xFFFFFFFF
    cols = ((c1 - 1) - c0 + 1) & 0xFFFFFFFF
    return rows, cols


def _formula(sheet: XlsSheet, row: int, col: int, body: bytes) -> None:
    """A FORMULA record: its saved result (a number, an error, or none) and its text."""
    if len(body) < 20:
        return
    result = body[6:14]
    number: float | None = None
    cached = True
    if result[6:8] == b"\xff\xff":
        kind = result[0]
        if kind == 2:
            sheet.errors[(row, col)] = _ERRORS.get(result[2], "#ERROR")
        elif kind == 3:  # an empty string: what xlwt writes for "not computed"
            cached = False
    else:
        number = struct.unpack("<d", result)[0]
    size = struct.unpack_from("<H", body, 20)[0] if len(body) >= 22 else 0
    text = formula_text(body[22:22 + size])
    if not cached or number == 0:
        sheet.formulas[(row, col)] = Formula(text, cached, number)


_BINARY = {0x03: "+", 0x04: "-", 0x05: "*", 0x06: "/", 0x07: "^", 0x08: "&", 0x09: "<",
           0x0A: "<=", 0x0B: "=", 0x0C: ">=", 0x0D: ">", 0x0E: "<>"}
_FUNCTIONS = {4: "SUM", 5: "AVERAGE", 6: "MIN", 7: "MAX"}


def formula_text(tokens: bytes) -> str:
    """The A1 text of a BIFF8 formula made of the tokens scripts and simple sheets use
    (cell and area references, numbers, + - * /, parentheses, SUM/AVERAGE/MIN/MAX);
    "" for anything else, which the caller then reports rather than recomputes."""
    from xlcompare.files.cells import a1

    stack: list[str] = []
    pos = 0
    try:
        while pos < len(tokens):
            ptg = tokens[pos]
            pos += 1
            base = ptg & 0x1F if ptg >= 0x20 else ptg
            if ptg in _BINARY:
                right, left = stack.pop(), stack.pop()
                stack.append(f"{left}{_BINARY[ptg]}{right}")
            elif ptg == 0x12:
                pass
            elif ptg == 0x13:
                stack.append("-" + stack.pop())
            elif ptg == 0x15:
                stack.append(f"({stack.pop()})")
            elif ptg == 0x1E:
                stack.append(str(struct.unpack_from("<H", tokens, pos)[0]))
                pos += 2
            elif ptg == 0x1F:
                stack.append(repr(struct.unpack_from("<d", tokens, pos)[0]))
                pos += 8
            elif ptg == 0x19:  # tAttr: only "SUM of one argument" and spacing are kept
                flags = tokens[pos]
                if flags & 0x10:
                    stack.append(f"SUM({stack.pop()})")
                elif flags & ~0x40:
                    return ""
                pos += 3
            elif ptg >= 0x20 and base == 0x04:  # ptgRef
                r, c = struct.unpack_from("<HH", tokens, pos)
                stack.append(a1(r, c & 0x3FFF))
                pos += 4
            elif ptg >= 0x20 and base == 0x05:  # ptgArea
                r0, r1, c0, c1 = struct.unpack_from("<HHHH", tokens, pos)
                stack.append(f"{a1(r0, c0 & 0x3FFF)}:{a1(r1, c1 & 0x3FFF)}")
                pos += 8
            elif ptg >= 0x20 and base == 0x02:  # ptgFuncVar
                count, index = tokens[pos], struct.unpack_from("<H", tokens, pos + 1)[0] & 0x7FFF
                pos += 3
                if index not in _FUNCTIONS or count > len(stack):
                    return ""
                args = stack[len(stack) - count:]
                del stack[len(stack) - count:]
                stack.append(f"{_FUNCTIONS[index]}({','.join(args)})")
            else:
                return ""
    except (IndexError, struct.error):
        return ""
    return stack[0] if len(stack) == 1 else ""


def _patches(sheet: XlsSheet, stream: bytes, limits: Limits) -> list[int]:
    """Stream offsets of the records to neutralise: stray cells, and DIMENSIONS records that
    would make calamine reserve too much."""
    stray_at = [(r, c, off, typ) for r, c, off, typ in sheet.records
                if not sheet.block.holds(r, c)]
    offsets = [offset for offset, cells in sheet.dimensions
               if stray_at or cells > limits.max_sheet_cells]
    for r, c, off, typ in stray_at:
        offsets.append(off)
        if typ != 0x0207:
            length = struct.unpack_from("<H", stream, off + 2)[0]
            text = _cell_text(typ, stream[off + 4:off + 4 + length])
            if past_grid(r, c):
                sheet.past.add(a1(r, c), text)
            else:
                sheet.stray.add(r, c, text)
    if stray_at:
        sheet.formulas = {k: f for k, f in sheet.formulas.items() if sheet.block.holds(*k)}
        sheet.errors = {k: e for k, e in sheet.errors.items() if sheet.block.holds(*k)}
    return offsets


def _cell_text(typ: int, body: bytes) -> str:
    """A stray cell's value as text, for the message naming it (numbers and inline text;
    shared strings and formulas are only named)."""
    try:
        if typ == 0x0203:
            return f"{struct.unpack_from('<d', body, 6)[0]:g}"
        if typ == 0x027E:
            return f"{_rk(struct.unpack_from('<I', body, 6)[0]):g}"
        if typ == 0x0204:
            length, flags = struct.unpack_from("<HB", body, 6)
            raw = body[9:]
            return raw[:length * 2].decode("utf-16-le") if flags & 1 else raw[:length].decode(
                "latin-1")
    except (struct.error, UnicodeDecodeError):
        pass
    return {0x00FD: "text", 0x0006: "formula", 0x0205: "value", 0x00BD: "numbers"}.get(typ, "value")


def _rk(rk: int) -> float:
    if rk & 2:
        value = float((rk if rk < 2**31 else rk - 2**32) >> 2)
    else:
        value = struct.unpack("<d", struct.pack("<Q", (rk & 0xFFFFFFFC) << 32))[0]
    return value / 100 if rk & 1 else value


def _patched(data: bytes, ole, stream_name: str, offsets: list[int]) -> bytes:
    """A copy of the file with the records at `offsets` (in the workbook stream) turned into
    BLANK records. The record type is 2 bytes at the record's start; sectors are mapped
    through the FAT (or the mini-FAT for a stream under 4 KiB)."""
    at = _locator(ole, stream_name, len(data))
    copy = bytearray(data)
    blank = struct.pack("<H", _BLANK)
    for offset in offsets:
        for i in range(2):
            copy[at(offset + i)] = blank[i]
    return bytes(copy)


def _chain(table, start: int, limit: int) -> list[int]:
    chain: list[int] = []
    sector = start
    while sector < _ENDOFCHAIN and sector < len(table) and len(chain) <= limit:
        chain.append(sector)
        sector = table[sector]
    return chain


def _locator(ole, stream_name: str, size: int):
    entry = ole.direntries[ole._find(stream_name)]
    sector_size = ole.sectorsize
    limit = size // 64 + 1
    if entry.size < ole.minisectorcutoff:
        if getattr(ole, "minifat", None) is None or not len(ole.minifat):
            ole.loadminifat()
        mini = _chain(ole.minifat, entry.isectStart, limit)
        root = _chain(ole.fat, ole.root.isectStart, limit)
        mini_size = ole.minisectorsize

        def at(offset: int) -> int:
            inner = mini[offset // mini_size] * mini_size + offset % mini_size
            return (root[inner // sector_size] + 1) * sector_size + inner % sector_size

        return at
    chain = _chain(ole.fat, entry.isectStart, limit)

    def at_sector(offset: int) -> int:
        return (chain[offset // sector_size] + 1) * sector_size + offset % sector_size

    return at_sector


def container_scan(path: Path, limits: Limits) -> ContainerScan:
    """scan_cfb in the shape every container scanner gives the opener: calamine lists an
    .xls's sheets in the order of its BOUNDSHEET records, so facts go by position."""
    from xlcompare.files.scan import ContainerScan, SheetFacts

    scan = scan_cfb(path, limits)
    return ContainerScan("xls", by_position=[
        SheetFacts(s.formulas, s.errors, s.stray, s.block, past=s.past) for s in scan.sheets],
        cleaned=scan.cleaned)
