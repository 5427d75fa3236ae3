"""One file → what it says about a station; several files of one station → one report."""

from __future__ import annotations

import os
from collections.abc import Sequence
from dataclasses import dataclass, field, replace
from datetime import date, timedelta
from pathlib import Path

from xlcompare.errors import LayoutError
from xlcompare.files.cells import a1, col_letter, match_text, parse_number, text_of
from xlcompare.files.workbook import Sheet, open_workbook
from xlcompare.model import (
    Attendance,
    AttendanceMonth,
    CellMap,
    IndicatorRow,
    PersonAttendance,
    Problem,
    Source,
    Staffing,
    StationReport,
)
from xlcompare.paths import PathArg
from xlcompare.readers.accounting import account
from xlcompare.readers.annex1 import accepts_annex1, read_annex1
from xlcompare.readers.annex2 import (
    MonthFigures,
    accepts_across,
    accepts_annex2,
    accepts_people,
    read_across,
    read_annex2,
    read_people,
    to_attendance_months,
)
from xlcompare.readers.dates import parse_month
from xlcompare.readers.figures import SheetFigures
from xlcompare.readers.labels import with_values
from xlcompare.readers.layout import Layout, RoleSet, load_layout
from xlcompare.readers.locate import TOTAL_LABEL, Header, find_header
from xlcompare.readers.meta import (
    Meta,
    TextLine,
    fact_name,
    line_role,
    meta_from_filename,
    read_meta,
    station_from_text,
)
from xlcompare.readers.settle import attendance_periods, settle_facts
from xlcompare.readers.wide import find_wide, read_wide_rows

__all__ = ["FileReading", "assemble", "read_file", "read_workbook", "several_stations_error"]


@dataclass
class FileReading:
    """What one file holds, before files of the same station are put together."""

    path: str
    meta: Meta
    indicators: list[IndicatorRow] = field(default_factory=list)
    months: list[tuple[str, str, list[MonthFigures]]] = field(default_factory=list)  # sheet, kind
    people: int | None = None
    persons: list[PersonAttendance] = field(default_factory=list)  # only when names are asked
    staffing: dict[str, float] = field(default_factory=dict)
    problems: list[Problem] = field(default_factory=list)
    notes: list[str] = field(default_factory=list)
    cell_maps: list[CellMap] = field(default_factory=list)  # every sheet's cells by role


def read_file(path: PathArg, *, with_names: bool = False,
              skip_author: str | None = None, layout: Layout | None = None) -> FileReading:
    """read_workbook for a workbook of one station: raise LayoutError (`several-stations`)
    when it holds several, naming them."""
    readings = read_workbook(path, with_names=with_names, skip_author=skip_author,
                             layout=layout)
    if len(readings) > 1:
        raise several_stations_error(str(path), readings)
    return readings[0]


def read_workbook(path: PathArg, *, with_names: bool = False,
                  skip_author: str | None = None,
                  layout: Layout | None = None) -> list[FileReading]:
    """Find every annex table in a workbook: one reading per station it holds (a sheet per
    street, or titled blocks one under another, each its own station); raise LayoutError
    when there is no table.

    Workers' names on a per-person 附件2 are kept only `with_names`; otherwise only counts.
    `skip_author`: see open_workbook. `layout`: the packaged one unless given (a user's
    layout file on top: readers.layout.layout_for)."""
    name = str(path)
    book = open_workbook(path, skip_author=skip_author)
    layout = layout or load_layout()
    units: list[_Unit] = []
    wide: list[FileReading] = []  # a reading per row of a district's wide table
    for sheet in book.sheets:
        unit = _read_unit(name, sheet, layout, with_names)
        if not (unit.reading.indicators or unit.reading.months):
            rows = _wide_readings(name, sheet, layout)
            if rows:
                wide.extend(rows)
                continue
        blocks = _titled_blocks(unit)
        units.extend([_read_unit(name, _rows_only(sheet, lo, hi), layout, with_names)
                      for lo, hi in blocks] if blocks else [unit])
    if wide:
        return _with_wide(wide, units, book.problems, book.notes, name, layout)
    if not any(u.reading.indicators or u.reading.months for u in units):
        problems = [p for u in units for p in u.unread]
        sheets = ", ".join(s.name for s in book.sheets) or "none"
        regions = [f"{p.sheet}!{p.cell}" for p in problems if p.code == "unread-cells"]
        raise LayoutError(
            "no 附件1 (指标名称/协议指标量/完成量) or 附件2 (月份/应到/实到) table found "
            f"in sheets: {sheets}"
            + (f"; 未读取的区域 (not read): {', '.join(regions[:6])}" if regions else ""),
            code="no-annex-table", file=name,
        )
    owners = _owners(units)
    stations = list(dict.fromkeys(s for s in owners if s is not None))
    if len(stations) < 2:
        reading = _combine(name, units, layout)
        reading.problems[:0] = book.problems  # strays, hidden sheets, formulas saved as 0, cut text
        reading.notes[:0] = book.notes  # "read as an HTML table", "read in a separate process"
        meta_from_filename(Path(name).stem, reading.meta)
        return [reading]
    # facts a cover sheet states (a cut-off for all) reach every station; the file name is
    # the workbook's, not a station's, so it gives no station name
    shared = [line for u, owner in zip(units, owners, strict=True) if owner is None
              for line in u.lines]
    readings = []
    for station in stations:
        mine = [u for u, owner in zip(units, owners, strict=True) if owner == station]
        reading = _combine(name, mine, layout, shared)
        fallback = Meta()
        meta_from_filename(Path(name).stem, fallback)
        if reading.meta.cutoff is None and fallback.cutoff is not None:
            reading.meta.cutoff = fallback.cutoff
            reading.meta.found["cut-off"] = fallback.found["cut-off"]
        where = "、".join(dict.fromkeys(u.sheet.name for u in mine))
        reading.notes.insert(0, f"本工作簿含 {len(stations)} 个站点（{'、'.join(stations)}），"
                                f"此为 {station}：{where}")
        readings.append(reading)
    # what concerns the file as a whole is said once, with its first station
    readings[0].problems[:0] = book.problems
    readings[0].notes[:0] = book.notes
    return readings


def _with_wide(wide: list[FileReading], units: list[_Unit], problems: list[Problem],
               notes: list[str], name: str, layout: Layout) -> list[FileReading]:
    """The wide table's stations, then those of any station table beside it; what the other
    sheets hold besides (their unread cells, their maps) is said with the first station."""
    others = [u for u in units if u.reading.indicators or u.reading.months]
    rest = [u for u in units if not (u.reading.indicators or u.reading.months)]
    first = wide[0]
    first.problems[:0] = problems
    first.notes[:0] = notes
    for unit in rest:
        first.problems.extend(unit.reading.problems + unit.unread)
        first.cell_maps.append(unit.cell_map)
    if others:
        table = _combine(name, others, layout)
        meta_from_filename(Path(name).stem, table.meta)
        wide.append(table)
    return wide


def _wide_readings(name: str, sheet: Sheet, layout: Layout) -> list[FileReading]:
    """The rows of a district's wide table on this sheet, a reading each; [] for a sheet
    without one. Facts a row does not state (a cut-off in the title) are the sheet's."""
    figs = SheetFigures(name, sheet, layout)
    table = find_wide(figs)
    if table is None:
        return []
    rows = read_wide_rows(figs, table)
    lines = with_values(figs, _text_lines(sheet, {r for r, _ in figs.roles}))
    shared = read_meta(lines, layout)
    meta_cells = {line.cell: role for line in lines
                  if (role := line_role(line.text, layout)) is not None}
    cell_map, unread = account(name, sheet, figs.roles, meta_cells)
    described = f"区汇总表，每行一个站点 (the district's wide table)：{table.describe(sheet.name)}"
    readings = []
    for meta, indicators, problems, r in rows:
        for fact in ("operator", "contract_start", "contract_end", "period_start", "cutoff"):
            if getattr(meta, fact) is None and getattr(shared, fact) is not None:
                setattr(meta, fact, getattr(shared, fact))
        meta.found = {**shared.found, **meta.found}
        readings.append(FileReading(name, meta, indicators, problems=problems,
                                    notes=[described, f"本站数据在 {sheet.name} 第{r + 1}行"]))
    if readings:
        readings[0].problems.extend(figs.problems + unread)  # the 合计 row's, the sheet's
        readings[0].notes.extend(figs.notes)
        readings[0].cell_maps.append(cell_map)
    return readings


@dataclass
class _Unit:
    """A sheet, or one titled block of a sheet, as read: its tables, the text lines around
    them, its cell map and the station its own title names."""

    sheet: Sheet
    reading: FileReading  # tables, staffing, their problems and notes; meta still empty
    lines: list[TextLine]
    cell_map: CellMap
    unread: list[Problem]
    titles: list[tuple[int, str]]  # row, station a title line names


def _read_unit(name: str, sheet: Sheet, layout: Layout, with_names: bool) -> _Unit:
    figs = SheetFigures(name, sheet, layout, persons=[] if with_names else None)
    part = FileReading(name, Meta())
    used = _read_tables(figs, part)
    part.persons.extend(figs.persons or ())
    lines = with_values(figs, _text_lines(sheet, used))
    _read_staffing(figs, used, part)
    part.problems.extend(figs.problems)
    part.notes.extend(figs.notes)
    # what no table, meta or staffing line took: prose or unread
    meta_cells = {line.cell: role for line in lines
                  if (role := line_role(line.text, layout)) is not None}
    titles = [(line.cell[0], found) for line in lines if meta_cells.get(line.cell) == "title"
              and (found := station_from_text(text_of(line.text)))]
    cell_map, unread = account(name, figs.sheet, figs.roles, meta_cells)
    return _Unit(sheet, part, lines, cell_map, unread, titles)


def _titled_blocks(unit: _Unit) -> list[tuple[int, int]]:
    """Rows of each station's block where titles on one sheet name different stations, one
    under another; [] for a sheet of one station. What stands above the first title is the
    first block's."""
    starts: list[tuple[int, str]] = []
    for row, station in sorted(unit.titles):
        if not starts or starts[-1][1] != station:
            starts.append((row, station))
    if len({station for _, station in starts}) < 2:
        return []
    bounds = [0] + [row for row, _ in starts[1:]] + [unit.sheet.height]
    return list(zip(bounds, bounds[1:], strict=False))


def _rows_only(sheet: Sheet, lo: int, hi: int) -> Sheet:
    """The sheet with only rows lo..hi-1 left, each cell in its place, so that references
    stay the sheet's own."""
    return Sheet(sheet.name, [row if lo <= r < hi else [] for r, row in enumerate(sheet.rows)],
                 [m for m in sheet.merges if lo <= m[0] and m[2] < hi],
                 {k: f for k, f in sheet.formulas.items() if lo <= k[0] < hi}, sheet.hidden)


def _owners(units: list[_Unit]) -> list[str | None]:
    """Whose each unit is: the station its title names; a unit with tables but no title is
    the station before it (a street's 附件2 sheet after its 附件1), or the first one after;
    None for a unit without tables or stations (a cover sheet), shared by all."""
    named = [u.titles[0][1] if u.titles else None for u in units]
    if len(set(named) - {None}) < 2:
        return named
    owners: list[str | None] = []
    last: str | None = None
    for unit, station in zip(units, named, strict=True):
        if station is not None:
            last = station
        has_tables = bool(unit.reading.indicators or unit.reading.months)
        owners.append(station or (last if has_tables else None))
    first = next(s for s in named if s is not None)
    return [first if o is None and (u.reading.indicators or u.reading.months) else o
            for u, o in zip(units, owners, strict=True)]


def _combine(name: str, units: list[_Unit], layout: Layout,
             shared: Sequence[TextLine] = ()) -> FileReading:
    """One reading from the units of one station, in the order of the sheets."""
    reading = FileReading(name, Meta())
    for unit in units:
        part = unit.reading
        reading.indicators.extend(part.indicators)
        reading.months.extend(part.months)
        if part.people is not None:
            reading.people = (reading.people or 0) + part.people
        reading.persons.extend(part.persons)
        reading.problems.extend(part.problems)
        reading.notes.extend(part.notes)
        for key, value in part.staffing.items():
            previous = reading.staffing.setdefault(key, value)
            if previous != value:
                reading.problems.append(Problem(
                    name, f"{layout.staffing.name(key)}：工作表 {unit.sheet.name} 为 {value:g}，"
                    f"前面已写 {previous:g}，取前者 (stated twice)", unit.sheet.name,
                    code="staffing-stated-twice"))
        reading.cell_maps.append(unit.cell_map)
    for unit in units:  # after every table's own problems, as the 问题 sheet lists them
        reading.problems.extend(unit.unread)
    reading.meta = read_meta([line for u in units for line in u.lines] + list(shared), layout)
    return reading


def several_stations_error(name: str, readings: list[FileReading]) -> LayoutError:
    listing = "、".join(r.meta.station or "?" for r in readings)
    return LayoutError(
        f"此工作簿含 {len(readings)} 个站点（{listing}），请逐站读取（read_reports / "
        "batch），或用 --station 选一个 (the workbook holds several stations)",
        code="several-stations", file=name)


_TABLES = (
    ("annex1", "annex1", accepts_annex1),
    ("annex2", "annex2", accepts_annex2),
    ("people", "people", accepts_people),
    ("across", "annex2", accepts_across),  # last: a per-person header has months across too
)


def _read_tables(figs: SheetFigures, reading: FileReading, depth: int = 0) -> set[int]:
    """Read the tables of one sheet top to bottom, then any table placed to the right of
    them on the same rows; return the rows they occupy."""
    sheet, layout = figs.sheet, figs.layout
    used: set[int] = set()
    beside: list[tuple[int, int, int]] = []  # first row, last row, last column of a table
    start = 0
    while start < sheet.height:
        window = range(start, min(sheet.height, start + layout.header_scan_rows))
        found: list[tuple[int, str, Header, RoleSet]] = []
        for kind, roles_name, accept in _TABLES:
            roles = getattr(layout, roles_name)
            header = find_header(figs.scan, roles, accept, window)
            if header is not None:
                found.append((header.first_row, kind, header, roles))
        if not found:
            break
        _, kind, header, roles = min(found, key=lambda f: f[0])
        header, choices = _choose_columns(header)
        notes, problems, rows = len(reading.notes), len(figs.problems), len(reading.indicators)
        reading.notes.append(f"{_KIND_NAMES[kind]}：{header.describe(sheet.name, roles)}")
        last = _read_table(figs, kind, header, reading)
        if last < header.first_row:  # the header led to no table: look further down
            del reading.notes[notes:]
            start = header.last_row + 1
            continue
        for role in header.duplicates:
            figs.report(f"有多列可作为 {roles.name(role)}，取第一列 (more than one column reads "
                        f"as {role})", header.first_row, header.columns[role], "info",
                        code="duplicate-column")
        for role, chosen, parts in choices:
            _check_parts(figs, header, roles.name(role), chosen, parts, last)
        _confidence(figs, reading, kind, header, last, figs.problems[problems:],
                    reading.indicators[rows:])
        used.update(range(header.first_row, last + 1))
        beside.append((header.first_row, last, _last_column(kind, header)))
        start = last + 1
    if depth < _MAX_BESIDE:
        for first, last, column in beside:
            used |= _read_beside(figs, reading, first, last, column, depth)
    return used


def _choose_columns(header: Header) -> tuple[Header, list[tuple[str, int, list[int]]]]:
    """Where several columns claim a role and one of them is their total (合计), read that
    one; the others are its parts, checked against it once the rows are read."""
    choices: list[tuple[str, int, list[int]]] = []
    for role, cols in header.alternatives.items():
        totals = [c for c in cols if TOTAL_LABEL.search(header.labels.get(c, ""))]
        if len(totals) != 1:
            continue  # no evidence which one: the first is kept, the others stay unread
        chosen = totals[0]
        choices.append((role, chosen, [c for c in cols if c != chosen]))
        header = replace(header, columns={**header.columns, role: chosen},
                         duplicates=tuple(d for d in header.duplicates if d != role))
    # only a total's parts count as read; other rival columns stay unread, and are named
    resolved = {role for role, _, _ in choices}
    header = replace(header, alternatives={role: cols for role, cols in header.alternatives.items()
                                           if role in resolved})
    return header, choices


def _check_parts(figs: SheetFigures, header: Header, what: str, chosen: int, parts: list[int],
                 last: int) -> None:
    """Say which column was read and whether its parts add up to it, row by row."""
    sheet, tolerance = figs.sheet, figs.layout.sum_tolerance
    agree, differ = 0, []
    for r in range(header.last_row + 1, last + 1):
        total = parse_number(sheet.value(r, chosen)).value
        values = [parse_number(sheet.value(r, c)).value for c in parts]
        if total is None or any(v is None for v in values):
            continue
        if abs(sum(v for v in values if v is not None) - total) <= tolerance:
            agree += 1
        else:
            differ.append(r)
    names = "、".join(header.labels.get(c, col_letter(c)) for c in parts)
    said = (f"{what} 有 {len(parts) + 1} 列，读取 {col_letter(chosen)} 列“{header.labels[chosen]}”，"
            f"其余为其组成部分（{names}）")
    if differ:
        rows = "、".join(str(r + 1) for r in differ[:8])
        figs.report(f"{said}；但第 {rows} 行各部分相加不等于合计，请核对 (the parts do not add up to "
                    f"the total in {len(differ)} row(s))", differ[0], chosen,
                    code="parts-differ-from-total")
    else:
        figs.report(f"{said}；{agree}/{agree} 行各部分相加等于合计 (the total column is read; its "
                    "parts add up to it)", header.first_row, chosen, "info",
                    code="column-chosen")


_MAX_BESIDE = 3  # tables side by side on one sheet, at the most
# a figure cell that could not be read, in a table's own problems
_UNREADABLE = {"not-a-number", "not-finite", "error-value", "date-not-number",
               "uncomputed-formula"}


def _confidence(figs: SheetFigures, reading: FileReading, kind: str, header: Header, last: int,
                problems: list[Problem], rows: list[IndicatorRow]) -> None:
    """How far a table's own arithmetic bears out the reading of it: its rates against
    completed ÷ target, its totals against their rows, its figure cells readable. Said as a
    note; a table whose evidence mostly disagrees is a warning wherever problems are listed."""
    codes = [p.code for p in problems]
    marked: dict[str, set[int]] = {"data": set(), "total": set()}
    for (r, _), role in figs.roles.items():
        if role in marked and header.last_row < r <= last:
            marked[role].add(r)
    data_rows, total_rows = len(marked["data"]), len(marked["total"])
    rated = sum(1 for row in rows if row.sheet_rate is not None and row.rate is not None)
    rates_off, totals_off = codes.count("rate-mismatch"), codes.count("total-mismatch")
    unreadable = sum(code in _UNREADABLE for code in codes)
    rows_of_header = (f"{header.first_row + 1}" if header.first_row == header.last_row
                      else f"{header.first_row + 1}-{header.last_row + 1}")
    reasons = [f"表头第{rows_of_header}行 (header)",
               f"{data_rows} 行数据 (data rows)"]
    if rated:
        reasons.append(f"{rated - rates_off}/{rated} 行完成率与 完成量÷协议指标量 一致 (rates agree)")
    if total_rows:
        reasons.append(f"{total_rows - totals_off}/{total_rows} 个合计行核对无误 (totals check)")
    if unreadable:
        reasons.append(f"{unreadable} 个数字单元格无法读取 (figure cells not read)")
    low = ((rated >= 3 and rates_off * 2 > rated) or (total_rows and totals_off * 2 > total_rows)
           or (data_rows and unreadable * 2 > data_rows) or not data_rows)
    level = "低 (low)" if low else "中 (medium)" if rates_off or totals_off or unreadable else "高 (high)"
    said = "；".join(reasons)
    reading.notes.append(f"{figs.sheet.name}: {_KIND_NAMES[kind]} 可信度 {level}：{said}")
    if low:
        figs.report(f"此表读取可信度低，请核对：{said} (low confidence in this table's reading)",
                    header.first_row, None, code="low-confidence")


def _last_column(kind: str, header: Header) -> int:
    columns = [*header.columns.values(), *(c for cs in header.alternatives.values() for c in cs)]
    if kind in ("people", "across"):  # the months are columns without a role of their own
        columns += [c for c, label in header.unassigned.items() if parse_month(label)]
    return max(columns)


def _read_beside(figs: SheetFigures, reading: FileReading, first: int, last: int,
                 column: int, depth: int) -> set[int]:
    """A table to the right of one just read, on its rows (附件2 beside 附件1): read on a
    copy of the sheet with the columns up to `column` blanked, with the same problems and
    cell map, so that its cells keep their own references."""
    sheet = figs.sheet
    if not any(value is not None and value != "" for r in range(first, last + 1)
               for value in sheet.rows[r][column + 1:]):
        return set()
    blank = [[None] * (column + 1) + row[column + 1:] if len(row) > column + 1 else []
             for row in sheet.rows]
    masked = Sheet(sheet.name, blank,
                   [m for m in sheet.merges if m[1] > column],
                   {k: f for k, f in sheet.formulas.items() if k[1] > column}, sheet.hidden)
    right = SheetFigures(figs.file, masked, figs.layout, persons=figs.persons, roles=figs.roles)
    used = _read_tables(right, reading, depth + 1)
    figs.problems.extend(right.problems)
    figs.notes.extend(right.notes)
    return used


_KIND_NAMES = {"annex1": "附件1 指标完成情况 (indicators)", "annex2": "附件2 每月到岗 (attendance per month)",
               "people": "附件2 人员到岗明细 (attendance per person)",
               "across": "附件2 每月到岗，月份横排 (attendance, months across the columns)"}


def _read_table(figs: SheetFigures, kind: str, header: Header, reading: FileReading) -> int:
    if kind == "annex1":
        rows, last = read_annex1(figs, header)
        if not rows:
            figs.report("附件1表头下没有指标行 (an 附件1 header with no indicator rows below it)",
                        header.first_row, code="empty-annex1")
        reading.indicators.extend(rows)
        return last
    if kind == "annex2":
        # the period tables above this one on the sheet: a 合计 below may cover them all
        earlier = [m for sheet, k, found in reading.months if sheet == figs.sheet.name
                   and k == "annex2" for m in found]
        months, last = read_annex2(figs, header, earlier)
        reading.months.append((figs.sheet.name, kind, months))
        return last
    if kind == "across":
        months, last = read_across(figs, header)
        if months:
            reading.months.append((figs.sheet.name, "annex2", months))
        return last
    months, people, last = read_people(figs, header)
    reading.months.append((figs.sheet.name, kind, months))
    reading.people = (reading.people or 0) + people
    return last


def _text_lines(sheet: Sheet, used: set[int]) -> list[TextLine]:
    lines = []
    for r, row in enumerate(sheet.rows):
        if r in used:
            continue
        for c, value in enumerate(row):
            if value.__class__ is str and value.strip():
                lines.append(TextLine(f"{sheet.name}!{a1(r, c)}", value, (r, c)))
    return lines


def _read_staffing(figs: SheetFigures, used: set[int], reading: FileReading) -> None:
    """Label / value lines outside the tables: `协议要求配备社工人数 | 20`, `督导时数：18小时`."""
    sheet, roles = figs.sheet, figs.layout.staffing
    # the sheet's clean texts; a merged range repeats its owner's, whose other cells are
    # skipped so a label merged across three columns is read once
    for r, texts in enumerate(figs.texts):
        if r in used:
            continue
        for c, label in enumerate(texts):
            if not label or label[0].isdigit() or sheet.is_merged_follower(r, c):
                continue
            field_name = roles.classify(label)
            if field_name is None:
                continue
            value = _value_right_of(figs, r, c, label)
            if value is None:
                continue
            figs.mark(r, (c,), "meta")
            previous = reading.staffing.get(field_name)
            if previous is not None and previous != value:
                figs.report(f"{label}：此处为 {value:g}，前面已写 {previous:g}，取前者 (stated twice)",
                            r, c, code="staffing-stated-twice")
                continue
            reading.staffing[field_name] = value
            reading.notes.append(f"{roles.name(field_name)} = {value:g}，来自 (from) "
                                 f"{sheet.name}!{a1(r, c)}")
            break


def _value_right_of(figs: SheetFigures, r: int, c: int, label: str) -> float | None:
    inline = label.split("：")[-1].split(":")[-1] if ("：" in label or ":" in label) else ""
    if inline:
        parsed = parse_number(inline)
        if parsed.value is not None:
            return parsed.value
    for col in range(c + 1, figs.sheet.width):
        if match_text(figs.sheet.value(r, col)) == label:
            continue  # the label's own merged cells
        raw = figs.sheet.raw(r, col)
        if text_of(raw) == "":
            continue
        figs.mark(r, (col,), "meta")
        return figs.number(r, col, label).value
    return None


def _year_of_month(contract_start: date | None, cutoff: date | None) -> dict[int, int]:
    if contract_start is not None:
        return {m: contract_start.year + (m < contract_start.month) for m in range(1, 13)}
    if cutoff is not None:
        return {m: cutoff.year - (m > cutoff.month) for m in range(1, 13)}
    return {}


def assemble(
    readings: list[FileReading],
    *,
    station: str | None = None,
    cutoff: date | None = None,
    contract_start: date | None = None,
    contract_end: date | None = None,
) -> StationReport:
    """Put the files of one station together; overrides win over what the files state."""
    layout = load_layout()
    problems: list[Problem] = [p for r in readings for p in r.problems]
    notes: list[str] = []
    merged = Meta()
    for reading in readings:
        for fact in ("station", "operator", "contract_start", "contract_end", "period_start",
                     "cutoff"):
            mine, theirs = getattr(merged, fact), getattr(reading.meta, fact)
            if theirs is None:
                continue
            if mine is None:
                setattr(merged, fact, theirs)
            elif mine != theirs:
                problems.append(Problem(reading.path, f"{fact_name(fact)} 此文件为 {theirs}，本站另一文件为 "
                                        f"{mine}，取前者 ({fact} differs between this "
                                        "station's files)", code="conflicting-facts"))
        name = os.path.basename(reading.path)
        notes.extend(f"{name}: {n}" for n in reading.meta.notes())
        notes.extend(f"{name}: {n}" for n in reading.notes)
    for fact, value in (("station", station), ("cutoff", cutoff),
                        ("contract_start", contract_start), ("contract_end", contract_end)):
        if value is not None:
            setattr(merged, fact, value)
            notes.append(f"{fact_name(fact)} 由命令行指定 (set on the command line): {value}")
    _assume_contract(merged, notes, readings)
    hints = [m.period for r in readings for _, _, found in r.months for m in found if m.period]
    operators = settle_facts([(r.path, r.meta) for r in readings], hints, merged, notes,
                             problems, cutoff_given=cutoff is not None)
    first = readings[0].path if readings else ""
    if merged.station is None:
        problems.append(Problem(first, "标题和文件名中都找不到站点名称，请用 --station 指定 "
                                "(station name not found)", severity="error",
                                code="no-station-name"))
    if merged.cutoff is None and not any(p.code == "relative-cutoff" for p in problems):
        problems.append(Problem(first, "找不到统计截止日期（统计时间/截至…），请用 --cutoff 指定 "
                                "(cut-off date not found)",
                                severity="error", code="no-cutoff"))
    _duplicate_indicators([row for r in readings for row in r.indicators], problems)
    staffing = _staffing(readings)
    attendance = _attendance(readings, merged, staffing, layout, notes, problems)
    if attendance is not None and len(operators) > 1:
        attendance = replace(attendance, periods=attendance_periods(
            attendance.months, _period_hints(readings, merged), operators, notes))
    return StationReport(
        station=merged.station,
        operator=merged.operator,
        contract_start=merged.contract_start,
        contract_end=merged.contract_end,
        period_start=merged.period_start,
        cutoff=merged.cutoff,
        sources=tuple(r.path for r in readings),
        indicators=tuple(row for r in readings for row in r.indicators),
        attendance=attendance,
        staffing=staffing,
        problems=tuple(problems),
        notes=tuple(notes),
        cell_maps=tuple(m for r in readings for m in r.cell_maps),
        operators=operators,
    )


def _period_hints(readings: list[FileReading], meta: Meta) -> dict[str, str]:
    """Month label → the text naming the operator of its period table or section."""
    year_of = _year_of_month(meta.contract_start, meta.cutoff)
    hints: dict[str, str] = {}
    for reading in readings:
        for sheet, _, found in reading.months:
            rows = to_attendance_months(found, year_of, reading.path, sheet)
            for month, figures in zip(rows, found, strict=True):
                if figures.period:
                    hints.setdefault(month.month, figures.period)
    return hints


def _assume_contract(meta: Meta, notes: list[str], readings: list[FileReading]) -> None:
    """Without a 项目周期 line, a statistics period starting the contract year implies it."""
    if meta.contract_start is None and meta.period_start is not None:
        meta.contract_start = meta.period_start
        notes.append(f"未写合同期，合同开始取统计开始日 {meta.period_start} (contract start assumed "
                     "= start of the statistics period)")
    if meta.contract_start is not None and meta.contract_end is None:
        start = meta.contract_start
        try:
            meta.contract_end = start.replace(year=start.year + 1) - timedelta(days=1)
        except ValueError:  # 29 February
            meta.contract_end = start.replace(year=start.year + 1, day=28)
        notes.append(f"未写合同结束日，按合同开始后一年计：{meta.contract_end} (contract end assumed "
                     "one year after its start)")


def _staffing(readings: list[FileReading]) -> Staffing | None:
    facts: dict[str, float] = {}
    for reading in readings:
        for key, value in reading.staffing.items():
            facts.setdefault(key, value)
    return Staffing(**facts) if facts else None


def _attendance(readings: list[FileReading], meta: Meta, staffing: Staffing | None,
                layout: Layout, notes: list[str], problems: list[Problem]) -> Attendance | None:
    year_of = _year_of_month(meta.contract_start, meta.cutoff)
    months: list[AttendanceMonth] = []
    person_level = False
    for reading in readings:
        for sheet, kind, found in reading.months:
            rows = to_attendance_months(found, year_of, reading.path, sheet)
            if kind == "people":
                person_level = True
                rows = _expected_from_contract(rows, staffing, layout, notes, reading.path, sheet,
                                               problems)
            months.extend(rows)
    if not months:
        return None
    months = _first_of_each_month(months, problems)
    people = sum(r.people or 0 for r in readings) or None
    persons = tuple(p for r in readings for p in r.persons)
    return Attendance(tuple(months), person_level=person_level, people=people, persons=persons)


def _first_of_each_month(months: list[AttendanceMonth], problems: list[Problem]
                         ) -> list[AttendanceMonth]:
    """A month stated twice in one report (two sheets, two tables) is reported with both
    cells and counted once: summing the two would double the month's attendance."""
    first: dict[str, AttendanceMonth] = {}
    kept = []
    for month in months:
        seen = first.get(month.month)
        if seen is None:
            first[month.month] = month
            kept.append(month)
            continue
        where = month.source or Source("")
        problems.append(Problem(
            where.file, f"{month.month} 已在 {seen.source.sheet}!{seen.source.cell} 出现，此处再次出现，"
            "只取前者、不相加 (the month is stated twice; the first is used, never the sum)"
            if seen.source else f"{month.month} 出现两次，只取前者 (the month is stated twice)",
            where.sheet, where.cell, code="duplicate-month"))
    return kept


def _duplicate_indicators(rows: list[IndicatorRow], problems: list[Problem]) -> None:
    """An indicator stated twice in one report (two tables, two files) is reported with
    both cells; both rows are kept as stated, never added together."""
    first: dict[tuple[str, str | None, str | None], IndicatorRow] = {}
    for row in rows:
        key = (row.name, row.category, row.unit)
        seen = first.setdefault(key, row)
        if seen is row:
            continue
        where, there = row.source or Source(""), seen.source
        at = f"{there.sheet}!{there.cell}" if there else "前面"
        problems.append(Problem(
            where.file, f"{row.name}：已在 {at} 出现，此处再次出现；两行都保留、不相加，请核对 "
            "(the indicator is stated twice in one report)", where.sheet, where.cell,
            code="duplicate-indicator"))


def _expected_from_contract(rows: list[AttendanceMonth], staffing: Staffing | None,
                            layout: Layout, notes: list[str], path: str, sheet: str,
                            problems: list[Problem]) -> list[AttendanceMonth]:
    """A per-person sheet has no 应到: it is the contract's staff number each month."""
    if staffing is None or not staffing.contract_staff:
        problems.append(Problem(path, "人员明细缺少“协议要求配备社工人数”，应到人数未知 "
                                "(per-person attendance without contract staff)", sheet,
                                code="no-contract-staff"))
        return rows
    staff = staffing.contract_staff
    share = layout.certified_expected_share
    notes.append(f"{Path(path).name}: 人员明细表 {sheet} 没有应到：每月应到 = 协议配备社工 {staff:g}，"
                 f"持证应到 = 其 {share:g} 倍 (per-person sheet: expected = contract staff each "
                 "month)")
    return [
        AttendanceMonth(r.month, staff, r.actual_total, staff * share, r.actual_certified,
                        r.actual_uncertified, r.source)
        for r in rows
    ]
