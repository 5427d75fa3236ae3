"""Office Open XML (.xlsx/.xlsm) checked and, when needed, made safe before calamine reads it.

One pass over each worksheet's XML (a tokenizer, no DOM) finds what calamine would do with
it: the extent of cells holding a value (calamine allocates rows × columns from A1 for it,
so one cell at XFD1048576 aborts the process), the number of cells, error cells (#DIV/0!,
which calamine returns as blank) and formulas with their saved values (calamine returns a
formula without a saved value as blank).

Every cell reference is bounded before calamine sees it: calamine turns `A2147483648` or
`ZZZZZZ1` into a grid of billions of cells and aborts the process. A cell past Excel's grid
(extent.py) is set aside and reported (`cell-past-grid`), the rest of its sheet read.

When a sheet holds stray cells far outside its table or cells past the grid, a sheet part is
missing or damaged, the workbook lists a sheet calamine cannot open (an XLM macro sheet, a
sheet with no part), or the shared-string table declares more strings than it has (calamine
reserves memory for the declared count), a cleaned copy is built in memory — those cells
left out, a damaged sheet emptied, such sheets unlisted, counts corrected — and calamine
reads that. One broken sheet is a problem of that sheet (`sheet-unreadable`); the others
read. The file itself is never changed.

Parts no reader here parses — VBA, XLM macro sheets, form controls, custom XML — are not
unpacked, so what they hold (a DTD, say) is not held against the file; the cleaned copy
leaves them out.
"""

from __future__ import annotations

import contextlib
import html
import io
import re
import zipfile
from collections.abc import Callable
from dataclasses import dataclass, field
from posixpath import join as zjoin
from posixpath import normpath
from typing import TYPE_CHECKING
from xml.parsers import expat

from defusedxml import ElementTree as SafeET

from xlcompare.files.cells import a1, col_letter
from xlcompare.files.extent import (
    MAX_COLS,
    MAX_ROWS,
    PAST,
    Block,
    PastGrid,
    Stray,
    bound_sheet,
    past_grid,
    place,
    ref_position,
)
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
# any number of letters and digits: a reference past the grid must be seen to be set aside
_REF = re.compile(rb"""\br\s*=\s*["']\$?([A-Za-z]+)\$?(\d+)["']""")
_REF_TEXT = re.compile(rb"""\br\s*=\s*["']([^"']*)["']""")
_ANY_REF = re.compile(rb"""\br\s*=""")
_ROW_NUM = re.compile(rb"""\br\s*=\s*["'](\d+)["']""")
_TYPE = re.compile(rb"""\bt\s*=\s*["'](\w+)["']""")
_HAS_VALUE = re.compile(rb"<" + _P + rb"(v|is)(?=[\s/>])")
_VALUE = re.compile(rb"<" + _P + rb"v(?:\s[^>]*)?>(.*?)</" + _P + rb"v>", re.DOTALL)
_FORMULA = re.compile(rb"<" + _P + rb"f(?=[\s/>])[^>]*?(?:/>|>(.*?)</" + _P + rb"f>)", re.DOTALL)
_DIMENSION = re.compile(rb"<" + _P + rb"dimension\b[^>]*/>")
_DIMENSION_REF = re.compile(rb"""<""" + _P + rb"""dimension\b[^>]*?\bref\s*=\s*["']([^"']*)["']""")
_DIMENSION_OK = re.compile(rb"([A-Za-z]+)([0-9]+)(?::([A-Za-z]+)([0-9]+))?")
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
    past: PastGrid = field(default_factory=PastGrid)  # cells at no place on Excel's grid
    off_grid: bool = False  # a cell tag (with a value or not) or <dimension> past the grid
    broken: str | None = None  # why the sheet cannot be read: its part missing or damaged


@dataclass
class BookScan:
    sheets: list[SheetScan]
    recalc_on_load: bool  # the writer asks the reader to recompute: saved values may be 0s
    cleaned: bytes | None  # a safe copy for calamine, when the file itself is not safe
    notes: list[str] = field(default_factory=list)
    # sheets the workbook lists that calamine cannot open, left out of the cleaned copy's
    # list: (name, relationship id, why, whether it is a problem — a sheet with no part —
    # rather than a note — an XLM macro sheet, which holds no figures)
    dropped: list[tuple[str, str, str, bool]] = field(default_factory=list)

    @property
    def odd(self) -> bool:
        return any(s.odd for s in self.sheets)


# where the parts no reader here parses live (lower case): VBA projects, XLM macro sheets,
# ActiveX and form controls, custom XML data; calamine reads none of them either
_NEVER_PARSED = ("xl/vbaproject", "xl/vbadata", "xl/macrosheets/", "xl/activex/",
                 "xl/ctrlprops/", "customxml/")
# what calamine lists as a sheet (the relationship type's last word); any other <sheet> of
# the workbook (an XLM macro sheet: xlMacrosheet) makes it refuse the whole workbook
_CALAMINE_SHEETS = ("worksheet", "chartsheet", "dialogsheet")
_EMPTY_SHEET = (b'<?xml version="1.0" encoding="UTF-8" standalone="yes"?>\n<worksheet '
                b'xmlns="http://schemas.openxmlformats.org/spreadsheetml/2006/main">'
                b"<sheetData/></worksheet>")


def never_parsed(part: str) -> bool:
    """A part no reader here (nor calamine) parses: left packed, and out of a cleaned copy."""
    return part.lower().startswith(_NEVER_PARSED)


def scan_ooxml(box: ZipBox, limits: Limits) -> BookScan:
    name = str(box.path)
    texts: dict[str, bytes] = {}
    for part in box.parts:
        if part.lower().endswith((".xml", ".rels", ".vml")) and not never_parsed(part):
            data = box.read(part)
            check_dtd(data, part, name)
            texts[part] = data
    try:
        sheets, recalc, dropped = _sheets_of(texts, box.key)
    except (expat.ExpatError, KeyError, ValueError) as exc:
        raise refuse(f"corrupt: the workbook's sheet list cannot be read ({exc}) (文件已损坏)",
                     "corrupt", name) from None
    for sheet in sheets:  # a sheet part with another extension is still a sheet to calamine
        if sheet.part not in texts and sheet.part in box.parts:
            texts[sheet.part] = box.read(sheet.part)
            check_dtd(texts[sheet.part], sheet.part, name)
        elif sheet.part not in texts:
            sheet.broken = f"its part {sheet.part} is missing from the file"
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
        damage = _not_well_formed(data)
        if damage is not None:
            # never tokenized (unclosed tags make a tokenizer rescan: quadratic); calamine
            # reads an empty sheet in its place
            sheet.broken = f"its XML ({sheet.part}) is damaged: {damage}"
            continue
        _scan_sheet(data, sheet, limits)
        total, sheet.block = bound_sheet(total, sheet.cells, sheet.row_runs, sheet.col_runs,
                                         limits, name, sheet.name)
        if (sheet.off_grid or sheet.block.rows < _last(sheet.row_runs)
                or sheet.block.cols < _last(sheet.col_runs)):
            _collect_outside(data, sheet, texts)
    notes = [f"工作表“{sheet}”未读取，不含数据 ({why}: not read)"
             for sheet, _, why, problem in dropped if not problem]
    cleaned = None
    sst_part = _shared_strings_part(texts)
    if sst_part:
        check_well_formed(texts[sst_part], sst_part, name)
    sst_fix = _sst_fix(texts.get(sst_part, b"")) if sst_part else None
    dirty = [s for s in sheets if s.stray.count or s.off_grid or (s.broken and s.part in texts)]
    if dirty or sst_fix is not None or dropped:
        cleaned = _cleaned_copy(texts, dirty, sst_part, sst_fix, _main_part(texts, box.key),
                                {rid for _, rid, _, _ in dropped})
        if sst_fix is not None:
            notes.append("共享字符串表声明的条数多于实际所含，已从修正后的副本读取 (the "
                         "shared-string table declares more strings than it holds: read from a "
                         "corrected copy)")
    return BookScan(sheets, recalc, cleaned, notes, dropped)


def _not_well_formed(data: bytes) -> str | None:
    """expat's complaint about a part, or None when it is well-formed XML (~80 MB/s)."""
    parser = expat.ParserCreate()
    try:
        parser.Parse(data, True)
    except expat.ExpatError as exc:
        return str(exc)
    return None


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


Resolve = Callable[[str], str]  # a part name as the zip spells it (ZipBox.key)


def _sheets_of(texts: dict[str, bytes], key: Resolve
               ) -> tuple[list[SheetScan], bool, list[tuple[str, str, str, bool]]]:
    """The sheets of the workbook part, in order, each with its part as the zip spells it;
    whether the writer asks for recomputing; and the sheets calamine cannot open."""
    book_part = _main_part(texts, key)
    base, book_name = book_part.rsplit("/", 1) if "/" in book_part else ("", book_part)
    rels_part = key(zjoin(base, "_rels", book_name + ".rels"))
    by_id = {attrs.get("Id"): (attrs.get("Target", ""), attrs.get("Type", ""))
             for _, attrs in _elements(texts[rels_part], {_RELATIONSHIP})}
    sheets = []
    dropped: list[tuple[str, str, str, bool]] = []
    recalc = False
    for tag, attrs in _elements(texts[book_part], _SHEET_TAGS | _CALC_TAGS):
        if tag in _CALC_TAGS:
            recalc = recalc or attrs.get("fullCalcOnLoad") in ("1", "true")
            continue
        rid = attrs.get(_REL_ID[tag], "")
        sheet_name = attrs.get("name", "")
        target, rel_type = by_id.get(rid, ("", ""))
        kind = rel_type.rsplit("/", 1)[-1]
        if not target:
            dropped.append((sheet_name, rid, "it is listed in the workbook, but the file "
                            "holds no part for it", True))
            continue
        if kind.lower() not in _CALAMINE_SHEETS:
            what = "an Excel 4.0 (XLM) macro sheet" if "macro" in kind.lower() else (
                f"a sheet of the kind {kind[:40]!r}")
            dropped.append((sheet_name, rid, what, False))
            continue
        part = target.lstrip("/") if target.startswith("/") else normpath(zjoin(base, target))
        hidden = attrs.get("state", "visible") != "visible"
        sheets.append(SheetScan(sheet_name, key(part), hidden))
    return sheets, recalc, dropped


def _main_part(texts: dict[str, bytes], key: Resolve) -> str:
    rels = texts.get(key("_rels/.rels"))
    if rels is not None:
        for _, attrs in _elements(rels, {_RELATIONSHIP}):
            if attrs.get("Type", "").endswith("/officeDocument"):
                part = key(attrs.get("Target", "").lstrip("/"))
                if part in texts:
                    return part
    return key("xl/workbook.xml")


_CORE_PART = "docProps/core.xml"


def made_by(box: ZipBox, author: str) -> bool:
    """docProps/core.xml names `author` as the creator (how our own outputs are told). Ours
    is tiny; a large one is somebody else's and is not unpacked here."""
    info = box.parts.get(_CORE_PART)
    if info is None or info.file_size > 64 * 1024:
        return False
    return f"<dc:creator>{author}<".encode() in box.read(_CORE_PART)


# what _markup yields: a <row> opening, or a <c> with how its place was found
_ROW, _CELL = 0, 1
_PLACED, _JUNK_REF, _IMPLIED = 0, 1, 2


def _markup(data: bytes):
    """<sheetData> as the tokenizer reads it, every place worked out here and only here, so
    that the scan (_cells) and the cutter (_without_strays) cannot disagree:

    - (_ROW, row, match, number): a <row> opens; `row` 0-based, from its `r` (`number`, the
      match of its digits) or implied as the one after the last;
    - (_CELL, row, col, match, how, inner, end): a <c>; `how` is _PLACED (its `r` a plain
      reference), _JUNK_REF (an `r` that is no reference: at no place on the grid, extent.PAST,
      and so are the cells after it whose place would follow from it) or _IMPLIED (no `r`:
      the column after the last); `inner` its content (None for an empty tag); `end` where it
      ends, None for a cell whose end tag never comes (nothing after it is read as cells, but
      a cutter keeps the rest as it is).
    """
    search = _TAG.search
    row = -1
    col = -1
    pos = 0
    while (match := search(data, pos)) is not None:
        kind, attrs, empty = match.group(1, 2, 3)
        pos = match.end()
        if kind == b"sheetData":
            continue
        if kind == b"row":
            number = _ROW_NUM.search(attrs)
            row = _row_number(number.group(1)) if number else row + 1
            col = -1
            yield _ROW, row, match, number
            continue
        ref = _REF.search(attrs)
        if ref:
            row, col = ref_position(ref.group(1), ref.group(2))
            how = _PLACED
        elif _ANY_REF.search(attrs) is not None:
            row, col, how = PAST, PAST, _JUNK_REF
        else:
            col += 1
            how = _IMPLIED
        if empty:
            yield _CELL, row, col, match, how, None, match.end()
            continue
        closing = _END_C.search(data, pos)
        if closing is None:
            yield _CELL, row, col, match, how, None, None
            continue
        yield _CELL, row, col, match, how, data[pos:closing.start()], closing.end()
        pos = closing.end()


def _cells(data: bytes):
    """(row, col, tag start, tag end, attrs, inner or None, odd, ref) for every <c> in
    <sheetData>, rows and columns 0-based (extent.PAST or -1 for a place past or before the
    grid), positions implied where `r` is left out; `odd` when an `r` is there but not a
    plain reference (an entity, say), so the position is not trusted; `ref` the reference
    as written, when there is one."""
    row_odd = False
    row_digits: bytes | None = None
    for event in _markup(data):
        if event[0] == _ROW:
            match, number = event[2], event[3]
            row_odd = number is None and _ANY_REF.search(match.group(2)) is not None
            row_digits = number.group(1)[:24] if number else None
            continue
        _, row, col, match, how, inner, end = event
        if end is None:
            return
        attrs = match.group(2)
        written: bytes | None = None
        if how == _PLACED:
            ref = _REF.search(attrs)
            assert ref is not None  # _markup placed it by this very reference
            written = ref.group(1) + ref.group(2)
            odd = row_odd
        elif how == _JUNK_REF:
            text = _REF_TEXT.search(attrs)
            written = text.group(1) if text else b"?"
            odd = True
        else:
            odd = row_odd
            if row_digits is not None and 0 <= col < MAX_COLS:
                written = col_letter(col).encode() + row_digits  # the place it would have
        yield row, col, match.start(), end, attrs, inner, odd, written


def _row_number(digits: bytes) -> int:
    """A <row r>'s 0-based index: -1 for r="0", PAST for more digits than any grid has."""
    return int(digits) - 1 if len(digits) <= 9 else PAST


def _runs(indices: set[int]) -> list[tuple[int, int]]:
    return [(i, i + 1) for i in sorted(indices)]


# The shape Excel, WPS, LibreOffice, openpyxl and xlsxwriter all write: `<c r="B7" ...>`
# first attribute r, no prefix. When every cell has it, regexes find the cells holding
# something (styled empty cells, `<c r="B7" s="3"/>`, are most of a sheet and never reach
# Python) in C; otherwise the general tokenizer follows implied positions.
_PLAIN_REF = re.compile(rb'<c r="([A-Z]{1,3})([0-9]{1,7})"[^>]*?(?<!/)>')
_ANY_CELL_TAG = re.compile(rb"<c[\s/>]")
_PLAIN_CELL = re.compile(rb'<c r="([A-Z]{1,3})([0-9]{1,7})"([^>]*?)(?<!/)>(.*?)</c>', re.DOTALL)
# a cell tag whose reference is not 1–3 capitals and a row number from 1 (A0, a1, A99999999,
# ZZZZZZ1, $A$1, …): the general tokenizer looks at that sheet
_UNUSUAL_REF = re.compile(rb'<c r="(?![A-Z]{1,3}[1-9][0-9]{0,6}")')


def _plain(data: bytes) -> bool:
    """Every cell tag is `<c r="..."` (not `<c\nr=`, `<c r='..'`, `<x:c`) with an ordinary
    reference."""
    if b":c" in data and re.search(rb"<[\w.\-]+:c[\s/>]", data):
        return False
    if _UNUSUAL_REF.search(data) is not None:
        return False
    return len(_ANY_CELL_TAG.findall(data)) == data.count(b'<c r="')


def _letters_to_col(letters: bytes) -> int:
    col = 0
    for ch in letters:
        col = col * 26 + ch - 64
    return col - 1


def _scan_sheet(data: bytes, sheet: SheetScan, limits: Limits) -> None:
    has_formulas = b"<f" in data or b":f" in data
    sheet.off_grid = _dimension_off_grid(data)
    if _plain(data) and _scan_plain(data, sheet, limits, has_formulas):
        return
    rows: set[int] = set()
    cols: set[int] = set()
    count = 0
    for row, col, _start, _end, attrs, inner, odd, _ref in _cells(data):
        if odd:
            sheet.odd = True
        if past_grid(row, col):
            sheet.off_grid = True  # left out of the copy calamine reads, valued or not
            continue
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


def _scan_plain(data: bytes, sheet: SheetScan, limits: Limits, has_formulas: bool) -> bool:
    """The fast path over a plain sheet: extent and count from the opening tags of non-empty
    cells (a cell opened and closed with nothing inside counts too, which only makes the
    extent cautious). False, with nothing noted, when a reference lies past the grid."""
    refs = _PLAIN_REF.findall(data)
    sheet.cells = len(refs)
    if sheet.cells > limits.max_cells:
        return True
    rows = {int(digits) - 1 for _, digits in refs}
    cols = {_letters_to_col(letters) for letters in {ref[0] for ref in refs}}
    if max(rows, default=0) >= MAX_ROWS or max(cols, default=0) >= MAX_COLS:
        return False
    sheet.row_runs = _runs(rows)
    sheet.col_runs = _runs(cols)
    if has_formulas or b't="e"' in data:
        for match in _PLAIN_CELL.finditer(data):
            letters, digits, attrs, inner = match.groups()
            if b"<f" in inner or b't="e"' in attrs:
                _note_cell(sheet, int(digits) - 1, _letters_to_col(letters), attrs, inner,
                           has_formulas)
    return True


def _dimension_off_grid(data: bytes) -> bool:
    """A <dimension ref> calamine cannot take (it fails the whole sheet on `A0`, junk or a
    reversed range) or that reaches past the grid: the copy calamine reads leaves it out."""
    head = data[:data.find(b"sheetData")] if b"sheetData" in data else data
    found = _DIMENSION_REF.search(head)
    if found is None:
        return False
    match = _DIMENSION_OK.fullmatch(found.group(1))
    if match is None:
        return True
    r0, c0 = ref_position(match.group(1), match.group(2))
    if match.group(3) is None:
        return past_grid(r0, c0)
    r1, c1 = ref_position(match.group(3), match.group(4))
    return past_grid(r0, c0) or past_grid(r1, c1) or r1 < r0 or c1 < c0


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


def _collect_outside(data: bytes, sheet: SheetScan, texts: dict[str, bytes]) -> None:
    """The valued cells outside the sheet's block, with their text: past the grid, or strays."""
    strings: list[str] | None = None
    for row, col, _start, _end, attrs, inner, _odd, ref in _cells(data):
        if inner is None or sheet.block.holds(row, col):
            continue
        if not _HAS_VALUE.search(inner) and _FORMULA.search(inner) is None:
            continue
        off = past_grid(row, col)
        named = sheet.past.named if off else sheet.stray.named
        text = ""
        if len(named) < 5:
            value = _VALUE.search(inner)
            text = html.unescape(value.group(1).decode("utf-8", "replace")) if value else ""
            kind = _TYPE.search(attrs)
            if kind and kind.group(1) == b"s":
                strings = strings if strings is not None else _shared_strings(texts)
                with contextlib.suppress(ValueError, IndexError):
                    text = strings[int(text)]
            elif kind and kind.group(1) == b"inlineStr":
                text = html.unescape(re.sub(rb"<[^>]*>", b"", inner).decode("utf-8", "replace"))
        if off:
            where = ref.decode("ascii", "replace") if ref else place(row, col)
            sheet.past.add(where, text)
        else:
            sheet.stray.add(row, col, text)
    sheet.formulas = {k: f for k, f in sheet.formulas.items() if sheet.block.holds(*k)}
    sheet.errors = {k: e for k, e in sheet.errors.items() if sheet.block.holds(*k)}


def _without_strays(data: bytes, block: Block) -> bytes:
    """The sheet XML with every cell outside `block` left out (strays, and cells past the
    grid, valued or not), `r` written out where it was implied, a row number past the grid
    taken off its row (calamine fails the sheet on r="0"), and no <dimension>."""
    out: list[bytes] = []
    cursor = 0
    for event in _markup(data):
        if event[0] == _ROW:
            _, row, match, number = event
            written = _REF_TEXT.search(match.group(2))
            if written is not None and (number is None or past_grid(row, 0)):
                start = match.start(2) + written.start()
                out.append(data[cursor:start])
                cursor = match.start(2) + written.end()
            elif number is None:
                name_end = match.start(1) + len(match.group(1))
                out.append(data[cursor:name_end] + f' r="{row + 1}"'.encode()
                           if 0 <= row < MAX_ROWS else data[cursor:name_end])
                cursor = name_end
            continue
        _, row, col, match, how, _inner, end = event
        if not block.holds(row, col):
            out.append(data[cursor:match.start()])
            cursor = end if end is not None else match.end()
        elif how != _PLACED:
            name_end = match.start(1) + len(match.group(1))
            out.append(data[cursor:name_end] + f' r="{a1(row, col)}"'.encode())
            cursor = name_end
    out.append(data[cursor:])
    return _DIMENSION.sub(b"", b"".join(out))


_SHEET_ELEMENT = re.compile(rb"<(" + _P + rb"sheet)(?=[\s/>])(?:[^>\"']|\"[^\"]*\"|'[^']*')*>")
_SHEET_REL_ID = re.compile(rb"""(?<![\w.\-])[\w.\-]+:id\s*=\s*["']([^"']*)["']""")


def _without_sheets(data: bytes, rids: set[str]) -> bytes:
    """The workbook part with the <sheet> elements of these relationship ids left out."""
    out: list[bytes] = []
    cursor = 0
    for match in _SHEET_ELEMENT.finditer(data):
        rid = _SHEET_REL_ID.search(match.group(0))
        if rid is None or rid.group(1).decode("utf-8", "replace") not in rids:
            continue
        end = match.end()
        if not match.group(0).endswith(b"/>"):
            closing = re.compile(rb"\s*</" + re.escape(match.group(1)) + rb"\s*>").match(data, end)
            end = closing.end() if closing else end
        out.append(data[cursor:match.start()])
        cursor = end
    out.append(data[cursor:])
    return b"".join(out)


def _cleaned_copy(texts: dict[str, bytes], dirty: list[SheetScan], sst_part: str | None,
                  sst_fix: int | None, book_part: str, unlisted: set[str]) -> bytes:
    """An in-memory workbook holding the XML parts, stray cells and cells past the grid
    removed, damaged sheets emptied, sheets calamine cannot open unlisted, false counts
    corrected. Binary parts (pictures, macros, printer settings) are left out: calamine
    needs none."""
    replaced = {s.part: _EMPTY_SHEET if s.broken else _without_strays(texts[s.part], s.block)
                for s in dirty}
    if sst_part is not None and sst_fix is not None:
        data = texts[sst_part]
        root = _SST_ROOT.search(data)
        assert root is not None
        fixed = _UNIQUE_COUNT.sub(lambda m: m.group(1) + b'="' + str(sst_fix).encode() + b'"',
                                  root.group(0))
        replaced[sst_part] = data[:root.start()] + fixed + data[root.end():]
    if unlisted and book_part in texts:
        replaced[book_part] = _without_sheets(texts[book_part], unlisted)
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w", zipfile.ZIP_STORED) as out:
        for part, data in texts.items():
            out.writestr(part, replaced.get(part, data))
    return buffer.getvalue()


def container_scan(box: ZipBox, limits: Limits) -> ContainerScan:
    """scan_ooxml in the shape every container scanner gives the opener."""
    from xlcompare.files.scan import ContainerScan, SheetFacts

    scan = scan_ooxml(box, limits)
    fmt = "xlsm" if any(p.lower().endswith("vbaproject.bin") for p in box.parts) else "xlsx"
    facts = {s.name: SheetFacts(s.formulas, s.errors, s.stray, s.block, past=s.past,
                                broken=s.broken) for s in scan.sheets}
    missing = [(sheet, why) for sheet, _, why, problem in scan.dropped if problem]
    if scan.odd:
        # a cell reference the tokenizer could not follow: the file is read apart (what
        # the scan could set aside already left out of the copy read there)
        return ContainerScan(fmt, facts, cleaned=scan.cleaned, recalc_on_load=scan.recalc_on_load,
                             notes=scan.notes, unreadable=missing,
                             isolate="有工作表的单元格位置无法逐一核对 (a sheet whose cell "
                                     "references could not be followed)")
    return ContainerScan(fmt, facts, cleaned=scan.cleaned, recalc_on_load=scan.recalc_on_load,
                         notes=scan.notes, unreadable=missing)
