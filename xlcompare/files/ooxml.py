"""Office Open XML (.xlsx/.xlsm) checked and, when needed, made safe before calamine reads it.

One pass over each worksheet's XML (a tokenizer, no DOM) finds what calamine would do with
it: the extent of cells holding a value (calamine allocates rows × columns from A1 for it,
so one cell at XFD1048576 aborts the process), the number of cells, error cells (#DIV/0!,
which calamine returns as blank) and formulas with their saved values (calamine returns a
formula without a saved value as blank).

When a sheet holds stray cells far outside its table, or the shared-string table declares
more strings than it has (calamine reserves memory for the declared count), a cleaned copy
is built in memory — stray cells left out, counts corrected — and calamine reads that.
The file itself is never changed.
"""

from __future__ import annotations

import contextlib
import html
import io
import re
import zipfile
from dataclasses import dataclass, field
from posixpath import join as zjoin
from posixpath import normpath
from typing import TYPE_CHECKING
from xml.parsers import expat

from defusedxml import ElementTree as SafeET

from xlcompare.files.cells import a1
from xlcompare.files.extent import Block, Stray, bound_sheet
from xlcompare.files.limits import Limits
from xlcompare.files.refuse import refuse
from xlcompare.files.zipcheck import ZipBox, check_dtd, check_well_formed

if TYPE_CHECKING:
    from xlcompare.files.scan import ContainerScan

__all__ = ["ERROR_VALUES", "BookScan", "Formula", "SheetScan", "made_by", "scan_ooxml"]

_NS_MAIN = "{http://schemas.openxmlformats.org/spreadsheetml/2006/main}"
_NS_REL = "{http://schemas.openxmlformats.org/officeDocument/2006/relationships}"
_NS_PKG_REL = "{http://schemas.openxmlformats.org/package/2006/relationships}"
_NS_STRICT = "{http://purl.oclc.org/ooxml/spreadsheetml/main}"
_NS_STRICT_REL = "{http://purl.oclc.org/ooxml/officeDocument/relationships}"

ERROR_VALUES = ("#NULL!", "#DIV/0!", "#VALUE!", "#REF!", "#NAME?", "#NUM!", "#N/A",
                "#GETTING_DATA", "#SPILL!", "#CALC!")

_P = rb"(?:[A-Za-z_][\w.\-]*:)?"  # an optional namespace prefix
_TAG = re.compile(rb"<" + _P + rb"(row|c|sheetData)(?=[\s/>])([^>]*?)(/?)>")
_END_C = re.compile(rb"</" + _P + rb"c>")
_END_ROW = re.compile(rb"</" + _P + rb"row>")
_END_DATA = re.compile(rb"</" + _P + rb"sheetData>")
_REF = re.compile(rb"""\br\s*=\s*["']\$?([A-Za-z]{1,3})\$?(\d{1,7})["']""")
_ANY_REF = re.compile(rb"""\br\s*=""")
_ROW_NUM = re.compile(rb"""\br\s*=\s*["'](\d{1,9})["']""")
_TYPE = re.compile(rb"""\bt\s*=\s*["'](\w+)["']""")
_HAS_VALUE = re.compile(rb"<" + _P + rb"(v|is)(?=[\s/>])")
_VALUE = re.compile(rb"<" + _P + rb"v(?:\s[^>]*)?>(.*?)</" + _P + rb"v>", re.DOTALL)
_FORMULA = re.compile(rb"<" + _P + rb"f(?=[\s/>])[^>]*?(?:/>|>(.*?)</" + _P + rb"f>)", re.DOTALL)
_DIMENSION = re.compile(rb"<" + _P + rb"dimension\b[^>]*/>")
_SST_ROOT = re.compile(rb"<" + _P + rb"sst\b[^>]*>")
_SST_ITEM = re.compile(rb"<" + _P + rb"si(?=[\s/>])")
_UNIQUE_COUNT = re.compile(rb"""\b(uniqueCount)\s*=\s*["'](\d+)["']""")


@dataclass(frozen=True)
class Formula:
    text: str  # without the leading '='
    cached: bool  # whether the file stores a computed value
    value: float | None = None  # the saved value when it is a number


@dataclass
class SheetScan:
    """What one worksheet part holds, found without building it."""

    name: str
    part: str
    hidden: bool = False
    cells: int = 0
    row_runs: list[tuple[int, int]] = field(default_factory=list)
    col_runs: list[tuple[int, int]] = field(default_factory=list)
    errors: dict[tuple[int, int], str] = field(default_factory=dict)
    formulas: dict[tuple[int, int], Formula] = field(default_factory=dict)
    block: Block = field(default_factory=lambda: Block(0, 0))
    stray: Stray = field(default_factory=Stray)
    odd: bool = False  # a cell reference the tokenizer could not read: bounds not trusted


@dataclass
class BookScan:
    sheets: list[SheetScan]
    recalc_on_load: bool  # the writer asks the reader to recompute: saved values may be 0s
    cleaned: bytes | None  # a safe copy for calamine, when the file itself is not safe
    notes: list[str] = field(default_factory=list)

    @property
    def odd(self) -> bool:
        return any(s.odd for s in self.sheets)


def scan_ooxml(box: ZipBox, limits: Limits) -> BookScan:
    name = str(box.path)
    texts: dict[str, bytes] = {}
    for part in box.parts:
        if part.lower().endswith((".xml", ".rels", ".vml")):
            data = box.read(part)
            check_dtd(data, part, name)
            texts[part] = data
    try:
        sheets, recalc = _sheets_of(texts)
    except (expat.ExpatError, KeyError, ValueError) as exc:
        raise refuse(f"corrupt: the workbook's sheet list cannot be read ({exc}) (文件已损坏)",
                     "corrupt", name) from None
    for sheet in sheets:  # a sheet part with another extension is still a sheet to calamine
        if sheet.part not in texts and sheet.part in box.parts:
            texts[sheet.part] = box.read(sheet.part)
            check_dtd(texts[sheet.part], sheet.part, name)
    # any other part holding cells is scanned too: should calamine resolve a sheet's part
    # differently from us, it still cannot meet an unchecked one
    listed = {s.part for s in sheets}
    sheets += [SheetScan(f"({part})", part) for part, data in texts.items()
               if part not in listed and (b"sheetData" in data)]
    total = 0
    for sheet in sheets:
        found = texts.get(sheet.part)
        if found is None:
            continue
        data = found
        check_well_formed(data, sheet.part, name)
        _scan_sheet(data, sheet, limits)
        total, sheet.block = bound_sheet(total, sheet.cells, sheet.row_runs, sheet.col_runs,
                                         limits, name, sheet.name)
        if sheet.block.rows < _last(sheet.row_runs) or sheet.block.cols < _last(sheet.col_runs):
            _collect_strays(data, sheet, texts)
    notes: list[str] = []
    cleaned = None
    sst_part = _shared_strings_part(texts)
    if sst_part:
        check_well_formed(texts[sst_part], sst_part, name)
    sst_fix = _sst_fix(texts.get(sst_part, b"")) if sst_part else None
    dirty = [s for s in sheets if s.stray.count]
    if dirty or sst_fix is not None:
        cleaned = _cleaned_copy(box, texts, dirty, sst_part, sst_fix)
        if sst_fix is not None:
            notes.append("共享字符串表声明的条数多于实际所含，已从修正后的副本读取 (the "
                         "shared-string table declares more strings than it holds: read from a "
                         "corrected copy)")
    return BookScan(sheets, recalc, cleaned, notes)


def _last(runs: list[tuple[int, int]]) -> int:
    return max((stop for _, stop in runs), default=0)


def _expat(namespaced: str) -> str:
    """ElementTree's "{uri}local" as expat spells names with namespace_separator "}"."""
    return namespaced[1:]


def _elements(data: bytes, wanted: set[str]) -> list[tuple[str, dict[str, str]]]:
    """(tag, attributes) of every element named in `wanted` (expat spelling), in document
    order. One handler and no tree: the package parts are parsed for a few attributes only,
    and a DTD has already been refused (check_dtd) so no entity is ever expanded."""
    found: list[tuple[str, dict[str, str]]] = []

    def start(tag: str, attrs: dict[str, str]) -> None:
        if tag in wanted:
            found.append((tag, attrs))

    parser = expat.ParserCreate(namespace_separator="}")
    parser.StartElementHandler = start
    parser.Parse(data, True)
    return found


_RELATIONSHIP = _expat(f"{_NS_PKG_REL}Relationship")
_STRICT_SHEET, _STRICT_CALC = _expat(f"{_NS_STRICT}sheet"), _expat(f"{_NS_STRICT}calcPr")
_SHEET_TAGS = {_expat(f"{_NS_MAIN}sheet"), _STRICT_SHEET}
_CALC_TAGS = {_expat(f"{_NS_MAIN}calcPr"), _STRICT_CALC}
_REL_ID = {_expat(f"{_NS_MAIN}sheet"): _expat(f"{_NS_REL}id"),
           _STRICT_SHEET: _expat(f"{_NS_STRICT_REL}id")}


def _sheets_of(texts: dict[str, bytes]) -> tuple[list[SheetScan], bool]:
    book_part = _main_part(texts)
    base, book_name = book_part.rsplit("/", 1) if "/" in book_part else ("", book_part)
    rels_part = zjoin(base, "_rels", book_name + ".rels")
    by_id = {attrs.get("Id"): attrs.get("Target", "")
             for _, attrs in _elements(texts[rels_part], {_RELATIONSHIP})}
    sheets = []
    recalc = False
    for tag, attrs in _elements(texts[book_part], _SHEET_TAGS | _CALC_TAGS):
        if tag in _CALC_TAGS:
            recalc = recalc or attrs.get("fullCalcOnLoad") in ("1", "true")
            continue
        target = by_id.get(attrs.get(_REL_ID[tag]), "")
        if not target:
            continue
        part = target.lstrip("/") if target.startswith("/") else normpath(zjoin(base, target))
        hidden = attrs.get("state", "visible") != "visible"
        sheets.append(SheetScan(attrs.get("name", ""), part, hidden))
    return sheets, recalc


def _main_part(texts: dict[str, bytes]) -> str:
    rels = texts.get("_rels/.rels")
    if rels is not None:
        for _, attrs in _elements(rels, {_RELATIONSHIP}):
            if attrs.get("Type", "").endswith("/officeDocument"):
                part = attrs.get("Target", "").lstrip("/")
                if part in texts:
                    return part
    return "xl/workbook.xml"


_CORE_PART = "docProps/core.xml"


def made_by(box: ZipBox, author: str) -> bool:
    """docProps/core.xml names `author` as the creator (how our own outputs are told). Ours
    is tiny; a large one is somebody else's and is not unpacked here."""
    info = box.parts.get(_CORE_PART)
    if info is None or info.file_size > 64 * 1024:
        return False
    return f"<dc:creator>{author}<".encode() in box.read(_CORE_PART)


def _col_number(letters: bytes) -> int:
    return _letters_to_col(letters.upper())


def _cells(data: bytes):
    """(row, col, tag start, tag end, attrs, inner or None, odd) for every <c> in <sheetData>,
    rows and columns 0-based, positions implied where `r` is left out; `odd` when an `r`
    is there but not a plain reference (an entity, say), so the position is not trusted."""
    row = -1
    col = -1
    pos = 0
    row_odd = False
    while True:
        match = _TAG.search(data, pos)
        if match is None:
            return
        kind, attrs, empty = match.group(1), match.group(2), match.group(3)
        pos = match.end()
        if kind == b"sheetData":
            continue
        if kind == b"row":
            number = _ROW_NUM.search(attrs)
            row_odd = number is None and _ANY_REF.search(attrs) is not None
            row = int(number.group(1)) - 1 if number else row + 1
            col = -1
            continue
        ref = _REF.search(attrs)
        odd = row_odd or (ref is None and _ANY_REF.search(attrs) is not None)
        if ref:
            col = _col_number(ref.group(1))
            row = int(ref.group(2)) - 1
        else:
            col += 1
        if empty:
            yield row, col, match.start(), match.end(), attrs, None, odd
            continue
        end = _END_C.search(data, pos)
        if end is None:
            return
        yield row, col, match.start(), end.end(), attrs, data[pos:end.start()], odd
        pos = end.end()


def _runs(indices: set[int]) -> list[tuple[int, int]]:
    return [(i, i + 1) for i in sorted(indices)]


# The shape Excel, WPS, LibreOffice, openpyxl and xlsxwriter all write: `<c r="B7" ...>`
# first attribute r, no prefix. When every cell has it, regexes find the cells holding
# something (styled empty cells, `<c r="B7" s="3"/>`, are most of a sheet and never reach
# Python) in C; otherwise the general tokenizer follows implied positions.
_PLAIN_REF = re.compile(rb'<c r="([A-Z]{1,3})([0-9]{1,7})"[^>]*?(?<!/)>')
_ANY_CELL_TAG = re.compile(rb"<c[\s/>]")
_PLAIN_CELL = re.compile(rb'<c r="([A-Z]{1,3})([0-9]{1,7})"([^>]*?)(?<!/)>(.*?)</c>', re.DOTALL)


def _plain(data: bytes) -> bool:
    """Every cell tag is `<c r="..."` (not `<c\nr=`, `<c r='..'`, `<x:c`)."""
    if b":c" in data and re.search(rb"<[\w.\-]+:c[\s/>]", data):
        return False
    return len(_ANY_CELL_TAG.findall(data)) == data.count(b'<c r="')


def _letters_to_col(letters: bytes) -> int:
    col = 0
    for ch in letters:
        col = col * 26 + ch - 64
    return col - 1


def _scan_sheet(data: bytes, sheet: SheetScan, limits: Limits) -> None:
    has_formulas = b"<f" in data or b":f" in data
    if _plain(data):
        # extent and count from the opening tags of non-empty cells; a cell opened and
        # closed with nothing inside counts too, which only makes the extent cautious
        refs = _PLAIN_REF.findall(data)
        sheet.cells = len(refs)
        if sheet.cells > limits.max_cells:
            return
        sheet.row_runs = _runs({int(digits) - 1 for _, digits in refs})
        sheet.col_runs = _runs({_letters_to_col(letters) for letters in {ref[0] for ref in refs}})
        if has_formulas or b't="e"' in data:
            for match in _PLAIN_CELL.finditer(data):
                letters, digits, attrs, inner = match.groups()
                if b"<f" in inner or b't="e"' in attrs:
                    _note_cell(sheet, int(digits) - 1, _letters_to_col(letters), attrs, inner,
                               has_formulas)
        return
    rows: set[int] = set()
    cols: set[int] = set()
    count = 0
    for row, col, _start, _end, attrs, inner, odd in _cells(data):
        if odd:
            sheet.odd = True
        if inner is None:
            continue
        if not _HAS_VALUE.search(inner) and _FORMULA.search(inner) is None:
            continue
        count += 1
        if count > limits.max_cells:
            break
        rows.add(row)
        cols.add(col)
        _note_cell(sheet, row, col, attrs, inner, has_formulas)
    sheet.cells = count
    sheet.row_runs = _runs(rows)
    sheet.col_runs = _runs(cols)


def _note_cell(sheet: SheetScan, row: int, col: int, attrs: bytes, inner: bytes,
               has_formulas: bool) -> None:
    """Record an error cell's text and a formula with its saved value."""
    formula = _FORMULA.search(inner) if has_formulas else None
    is_error = b't="e"' in attrs or b"t='e'" in attrs
    if formula is None and not is_error:
        return
    kind = _TYPE.search(attrs)
    kind_text = kind.group(1) if kind else b"n"
    value = _VALUE.search(inner)
    value_text = html.unescape(value.group(1).decode("utf-8", "replace")) if value else ""
    if kind_text == b"e":
        sheet.errors[(row, col)] = value_text.strip() or "#ERROR"
    if formula is not None:
        number = None
        if kind_text == b"n" and value_text.strip():
            try:
                number = float(value_text)
            except ValueError:
                number = None
        text = html.unescape((formula.group(1) or b"").decode("utf-8", "replace"))
        sheet.formulas[(row, col)] = Formula(text, value_text != "", number)


def _shared_strings_part(texts: dict[str, bytes]) -> str | None:
    for part in ("xl/sharedStrings.xml", "xl/SharedStrings.xml"):
        if part in texts:
            return part
    return next((p for p in texts if p.lower().endswith("sharedstrings.xml")), None)


def _sst_fix(data: bytes) -> int | None:
    """The true number of shared strings when `uniqueCount` declares more (calamine reserves
    memory for it: 2 000 000 000 aborts the process; `count`, the number of references, is
    not used for that); None when honest."""
    root = _SST_ROOT.search(data)
    if root is None:
        return None
    declared = max((int(m.group(2)) for m in _UNIQUE_COUNT.finditer(root.group(0))), default=0)
    actual = len(_SST_ITEM.findall(data))
    return actual if declared > actual else None


def _shared_strings(texts: dict[str, bytes]) -> list[str]:
    """The shared strings as text (runs joined, phonetic guides left out)."""
    part = _shared_strings_part(texts)
    if part is None:
        return []
    strings = []
    for item in SafeET.fromstring(texts[part]):
        pieces = []
        for child in item:
            if child.tag.endswith("}t"):
                pieces.append(child.text or "")
            elif child.tag.endswith("}r"):
                pieces.extend(t.text or "" for t in child if t.tag.endswith("}t"))
        strings.append("".join(pieces))
    return strings


def _collect_strays(data: bytes, sheet: SheetScan, texts: dict[str, bytes]) -> None:
    strings: list[str] | None = None
    for row, col, _start, _end, attrs, inner, _odd in _cells(data):
        if inner is None or sheet.block.holds(row, col):
            continue
        if not _HAS_VALUE.search(inner) and _FORMULA.search(inner) is None:
            continue
        value = _VALUE.search(inner)
        text = html.unescape(value.group(1).decode("utf-8", "replace")) if value else ""
        kind = _TYPE.search(attrs)
        if kind and kind.group(1) == b"s" and len(sheet.stray.named) < 5:
            strings = strings if strings is not None else _shared_strings(texts)
            with contextlib.suppress(ValueError, IndexError):
                text = strings[int(text)]
        elif kind and kind.group(1) == b"inlineStr":
            text = html.unescape(re.sub(rb"<[^>]*>", b"", inner).decode("utf-8", "replace"))
        sheet.stray.add(row, col, text)
    sheet.formulas = {k: f for k, f in sheet.formulas.items() if sheet.block.holds(*k)}
    sheet.errors = {k: e for k, e in sheet.errors.items() if sheet.block.holds(*k)}


def _without_strays(data: bytes, block: Block) -> bytes:
    """The sheet XML with every cell outside `block` left out (and rows below it), `r`
    written out where it was implied, and no <dimension>."""
    out: list[bytes] = []
    cursor = 0
    row = -1
    col = -1
    pos = 0
    while True:
        match = _TAG.search(data, pos)
        if match is None:
            break
        kind, attrs, empty = match.group(1), match.group(2), match.group(3)
        pos = match.end()
        if kind == b"sheetData":
            continue
        if kind == b"row":
            number = _ROW_NUM.search(attrs)
            row = int(number.group(1)) - 1 if number else row + 1
            col = -1
            if empty:
                end = match.end()
            else:
                closing = _END_ROW.search(data, pos)
                end = closing.end() if closing else match.end()
            if row >= block.rows:
                out.append(data[cursor:match.start()])
                cursor = end
                pos = end
            elif number is None:
                name_end = match.start(1) + len(kind)
                out.append(data[cursor:name_end] + f' r="{row + 1}"'.encode())
                cursor = name_end
            continue
        ref = _REF.search(attrs)
        if ref:
            col = _col_number(ref.group(1))
            row = int(ref.group(2)) - 1
        else:
            col += 1
        if empty:
            end = match.end()
        else:
            closing = _END_C.search(data, pos)
            end = closing.end() if closing else match.end()
        if not block.holds(row, col):
            out.append(data[cursor:match.start()])
            cursor = end
        elif ref is None:
            name_end = match.start(1) + len(kind)
            out.append(data[cursor:name_end] + f' r="{a1(row, col)}"'.encode())
            cursor = name_end
        pos = end
    out.append(data[cursor:])
    return _DIMENSION.sub(b"", b"".join(out))


def _cleaned_copy(box: ZipBox, texts: dict[str, bytes], dirty: list[SheetScan],
                  sst_part: str | None, sst_fix: int | None) -> bytes:
    """An in-memory workbook holding the XML parts, stray cells and false counts removed.
    Binary parts (pictures, macros, printer settings) are left out: calamine needs none."""
    replaced = {s.part: _without_strays(texts[s.part], s.block) for s in dirty}
    if sst_part is not None and sst_fix is not None:
        data = texts[sst_part]
        root = _SST_ROOT.search(data)
        assert root is not None
        fixed = _UNIQUE_COUNT.sub(lambda m: m.group(1) + b'="' + str(sst_fix).encode() + b'"',
                                root.group(0))
        replaced[sst_part] = data[:root.start()] + fixed + data[root.end():]
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w", zipfile.ZIP_STORED) as out:
        for part, data in texts.items():
            out.writestr(part, replaced.get(part, data))
    return buffer.getvalue()


def container_scan(box: ZipBox, limits: Limits) -> ContainerScan:
    """scan_ooxml in the shape every container scanner gives the opener."""
    from xlcompare.files.scan import ContainerScan, SheetFacts

    scan = scan_ooxml(box, limits)
    fmt = "xlsm" if any(p.endswith("vbaProject.bin") for p in box.parts) else "xlsx"
    facts = {s.name: SheetFacts(s.formulas, s.errors, s.stray, s.block) for s in scan.sheets}
    if scan.odd:
        # a cell reference the tokenizer could not follow: the file is read as it is, apart
        return ContainerScan(fmt, facts, recalc_on_load=scan.recalc_on_load, notes=scan.notes,
                             isolate="有工作表的单元格位置无法逐一核对 (a sheet whose cell "
                                     "references could not be followed)")
    return ContainerScan(fmt, facts, cleaned=scan.cleaned, recalc_on_load=scan.recalc_on_load,
                         notes=scan.notes)
