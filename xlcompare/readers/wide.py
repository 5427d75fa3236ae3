"""The district's own wide table: a row per station, each indicator a group of columns
(协议指标量 / 完成量 / 完成率) under its name, the station's facts (承接机构, 项目周期, 统计截止)
in columns of their own or in the title — read into one reading per station row.

    | 序号 | 站点 | 承接机构 | 项目周期 |      电话访问       |      入户探访       | …
    |      |      |          |          | 协议指标量|完成量|完成率 | 协议指标量|完成量|完成率 | …
    |  1   | 素社街 | …      | 2024.6.1-2025.5.31 | 3360 | 1842 | 54.82% | … |

Tried only on a sheet where no station table was found: the common sheet pays nothing.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date, datetime, timedelta

from xlcompare.files.cells import a1, text_of
from xlcompare.model import IndicatorRow, Problem
from xlcompare.readers.accounting import columns_span
from xlcompare.readers.annex1 import indicator_at, raw_text
from xlcompare.readers.dates import find_dates
from xlcompare.readers.figures import SheetFigures, check_total
from xlcompare.readers.meta import Meta, station_from_text

__all__ = ["WideTable", "find_wide", "read_wide_rows"]

_FIGURE_ROLES = ("target", "completed", "rate", "midterm_target")
_EXCEL_EPOCH = date(1899, 12, 30)


@dataclass(frozen=True)
class Group:
    """One indicator's columns: its name (the label over them) and a column per role."""

    name: str
    columns: dict[str, int]
    category: str | None


@dataclass(frozen=True)
class WideTable:
    first_row: int  # the header's first and last row
    last_row: int
    station_col: int
    facts: dict[str, int]  # station fact (operator, contract, contract_start, …) → column
    groups: tuple[Group, ...]

    def describe(self, sheet: str) -> str:
        names = "、".join(g.name for g in self.groups[:4])
        more = f" 等 {len(self.groups)} 项" if len(self.groups) > 4 else ""
        return (f"{sheet}: 表头第{self.first_row + 1}-{self.last_row + 1}行，站点在 "
                f"{a1(self.last_row, self.station_col)[:-len(str(self.last_row + 1))]} 列，"
                f"每项指标一组列：{names}{more}")


def find_wide(figs: SheetFigures) -> WideTable | None:
    """A header of two rows: indicator names over groups of 协议指标量 / 完成量 / 完成率,
    at least two groups, and a station column beside them."""
    layout, texts = figs.layout, figs.texts
    for r in range(min(figs.sheet.height - 1, layout.header_scan_rows)):
        groups = _groups(figs, r)
        if len(groups) < 2:
            continue
        first_group = min(min(g.columns.values()) for g in groups)
        station_col: int | None = None
        facts: dict[str, int] = {}
        for c in range(first_group):
            label = texts[r][c] or texts[r + 1][c]
            fact = layout.wide.classify(label)
            if fact == "station" and station_col is None:
                station_col = c
            elif fact and fact != "station":
                facts.setdefault(fact, c)
        if station_col is not None:
            return WideTable(r, r + 1, station_col, facts, tuple(groups))
    return None


def _groups(figs: SheetFigures, r: int) -> list[Group]:
    """The column groups of a header whose row r names indicators and row r + 1 the role
    of each column under them (a merged name covers its group)."""
    texts, sheet, roles = figs.texts, figs.sheet, figs.layout.annex1
    above = texts[r - 1] if r > 0 else []
    groups: list[Group] = []
    current: tuple[str, dict[str, int]] | None = None
    for c, sub in enumerate(texts[r + 1]):
        role = roles.classify(sub) if sub else None
        name = texts[r][c] if c < len(texts[r]) else ""
        if role not in _FIGURE_ROLES or not name or roles.classify(name) in _FIGURE_ROLES:
            current = None
            continue
        if current is None or current[0] != name or role in current[1]:
            current = (name, {})
            raw = raw_text(sheet.value(r, c)) or name
            category = raw_text(sheet.value(r - 1, c)) if above and above[c] and len(
                set(filter(None, above))) > 1 else None
            groups.append(Group(raw, current[1], category))
        current[1][role] = c
    return [g for g in groups if "completed" in g.columns
            and ("target" in g.columns or "rate" in g.columns)]


def read_wide_rows(figs: SheetFigures, table: WideTable
                   ) -> list[tuple[Meta, list[IndicatorRow], list[Problem], int]]:
    """Each station row: the facts its own cells state, its indicators, its problems, and
    its row; a 合计 row is checked against the station rows above it."""
    sheet, layout, texts = figs.sheet, figs.layout, figs.texts
    read_cols = [table.station_col, *table.facts.values(),
                 *(c for g in table.groups for c in g.columns.values())]
    span = columns_span(read_cols)
    for r in range(table.first_row, table.last_row + 1):
        figs.mark(r, span, "header")
    out: list[tuple[Meta, list[IndicatorRow], list[Problem], int]] = []
    for r in range(table.last_row + 1, sheet.height):
        row_texts = texts[r]
        if not any(row_texts):
            continue
        label = row_texts[table.station_col]
        if layout.is_subtotal(label) or label.startswith(("全区", "全镇", "区合计")):
            _check_totals(figs, table, r, [row for *_, row in out])
            figs.mark(r, span, "total")
            continue
        if layout.is_note(next(t for t in row_texts if t)) or not label:
            if not label and any(not _blank(sheet.raw(r, c)) for g in table.groups
                                 for c in g.columns.values()):
                figs.report("有数字但没有站点名称，此行未读 (figures without a station name)", r,
                            code="unnamed-row")
            continue
        before = len(figs.problems)
        meta = _row_meta(figs, table, r)
        indicators = [indicator_at(figs, r, g.columns, g.name, g.category, None, None,
                                   figs.source(r, g.columns["completed"]))
                      for g in table.groups]
        figs.mark(r, span, "data")
        problems = figs.problems[before:]
        del figs.problems[before:]
        out.append((meta, indicators, problems, r))
    return out


def _check_totals(figs: SheetFigures, table: WideTable, r: int, rows: list[int]) -> None:
    for group in table.groups:
        for role, what in (("target", "协议指标量"), ("completed", "完成量")):
            col = group.columns.get(role)
            if col is not None:
                values = [figs.number(row, col).value for row in rows]
                check_total(figs, r, col, [values], f"{group.name} {what} 合计")


def _row_meta(figs: SheetFigures, table: WideTable, r: int) -> Meta:
    sheet = figs.sheet
    station_cell = raw_text(sheet.value(r, table.station_col)) or ""
    meta = Meta(station=station_from_text(station_cell) or station_cell)
    meta.found["station"] = f"{sheet.name}!{a1(r, table.station_col)}"
    for fact, col in table.facts.items():
        value, where = sheet.value(r, col), f"{sheet.name}!{a1(r, col)}"
        if fact == "seq":
            continue
        if fact == "operator":
            name = raw_text(value)
            if name:
                meta.operator, meta.found["operator"] = name, where
            continue
        dates = _dates(value)
        if not dates:
            continue
        if fact == "contract" and len(dates) >= 2:
            meta.contract_start, meta.contract_end = dates[0], dates[-1]
            meta.found["contract period"] = where
        elif fact == "contract_start":
            meta.contract_start = dates[0]
            meta.found["contract period"] = where
        elif fact == "contract_end":
            meta.contract_end = dates[-1]
        elif fact == "cutoff":
            meta.cutoff = dates[-1]
            if len(dates) >= 2:
                meta.period_start = dates[0]
            meta.found["cut-off"] = where
    return meta


def _dates(value: object) -> list[date]:
    """A date cell, an Excel day number, or dates written in text (`2024.6.1-2025.5.31`)."""
    if isinstance(value, datetime):
        return [value.date()]
    if isinstance(value, date):
        return [value]
    if isinstance(value, int | float) and not isinstance(value, bool) and 20000 < value < 80000:
        return [_EXCEL_EPOCH + timedelta(days=int(value))]
    return find_dates(text_of(value)) if value is not None else []


def _blank(value: object) -> bool:
    return text_of(value) == ""

