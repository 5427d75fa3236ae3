"""Build station workbooks in the shapes real stations send, from small Python literals.

Every layout builder writes the SAME figures: the canonical data set below (素社街, 13
indicators of 附件1, 7 months of 附件2). Tests read a layout and compare what the reader
returns with these constants, so a layout differs from the canonical one only in *how* the
figures are written; each builder's docstring says exactly how.

Builders take a directory and return the list of files they wrote (one file, or two for
the layout that keeps 附件1 and 附件2 apart). The bad-file builders (`build_shopping_list`,
`build_encrypted`...) return a single path.
"""

from __future__ import annotations

import hashlib
import io
import random
import re
from collections.abc import Callable, Sequence
from dataclasses import dataclass, field
from datetime import date, datetime
from pathlib import Path

__all__ = [
    "ATTENDANCE_FIGURES",
    "ATTENDANCE_TOTALS",
    "CONTRACT_END",
    "CONTRACT_STAFF",
    "CONTRACT_START",
    "CUTOFF",
    "CUTOFF_PHRASES",
    "ENCRYPTION_PASSWORD",
    "INDICATORS",
    "INDICATOR_COUNT",
    "LAYOUTS",
    "MONTHS",
    "MONTH_KEYS",
    "OPERATOR",
    "PEOPLE",
    "PEOPLE_COUNT",
    "PERIOD_START",
    "STATION",
    "TEXT_NUMBERS",
    "UNCACHED_FORMULA",
    "Indicator",
    "Layout",
    "Month",
    "Person",
    "build_bad_grand_total",
    "build_blank_workbook",
    "build_canonical",
    "build_empty_file",
    "build_encrypted",
    "build_random_bytes",
    "build_shopping_list",
    "build_truncated_zip",
    "build_uncached_formula",
    "cell_text",
    "files_in",
    "find_row",
    "layout",
    "rows_in",
    "sha256",
    "sheet_rows",
]

# --------------------------------------------------------------------------------------
# The canonical data set
# --------------------------------------------------------------------------------------

STATION = "素社街"
OPERATOR = "广州市素心社会工作服务中心"
CONTRACT_START = date(2024, 6, 1)
CONTRACT_END = date(2025, 5, 31)
PERIOD_START = date(2024, 6, 1)  # start of the statistics period (统计时间 …至…)
CUTOFF = date(2024, 12, 31)
CONTRACT_STAFF = 16  # 协议要求配备社工人数: 应到 = 16 a month, 持证应到 = 8 a month


@dataclass(frozen=True)
class Indicator:
    """One 附件1 row as the station means it."""

    category: str
    name: str
    unit: str
    target: int  # 协议指标量 (annual target): the denominator
    completed: int
    midterm: int | None = None  # 中期指标, only written by layouts with that column
    remarks: str | None = None

    @property
    def rate(self) -> float:
        return self.completed / self.target

    @property
    def stated_rate(self) -> float:
        """The rate as a station types it: a percentage with two decimals."""
        return round(self.rate, 4)


INDICATORS: tuple[Indicator, ...] = (
    Indicator("基础服务", "电话访问", "个", 2400, 1842, 1100),
    Indicator("基础服务", "入户探访", "个", 1200, 651, 550),
    Indicator("个案服务", "个案接案", "个", 60, 27, 25),
    Indicator("个案服务", "个案服务节数", "节", 360, 198),
    Indicator("个案服务", "个案结案", "个", 40, 13, 16, "部分个案跨年度跟进"),
    Indicator("小组服务", "小组个数", "个", 24, 14, 10),
    Indicator("小组服务", "小组节数", "节", 144, 80),
    Indicator("小组服务", "小组服务人次", "人次", 1152, 706),
    Indicator("社区活动", "社区活动次数", "次", 60, 39, 28),
    Indicator("社区活动", "社区活动人次", "人次", 1800, 2611, None, "含大型活动2场"),
    Indicator("志愿服务", "新登记志愿者", "名", 150, 58, 70),
    Indicator("志愿服务", "志愿者骨干", "名", 30, 17),
    Indicator("志愿服务", "志愿者队伍", "支", 2, 0, 1, "计划2025年3月前组建"),
)
INDICATOR_COUNT = len(INDICATORS)  # 13


@dataclass(frozen=True)
class Month:
    """One 附件2 month; certified + uncertified = total in every month."""

    key: str  # "2024-06"
    expected_total: float
    actual_total: float
    expected_certified: float
    actual_certified: float
    actual_uncertified: float

    @property
    def year(self) -> int:
        return int(self.key[:4])

    @property
    def month(self) -> int:
        return int(self.key[5:])


MONTHS: tuple[Month, ...] = (
    Month("2024-06", 16, 17, 8, 12, 5),
    Month("2024-07", 16, 16.5, 8, 12.5, 4),
    Month("2024-08", 16, 17, 8, 13, 4),
    Month("2024-09", 16, 16, 8, 12, 4),
    Month("2024-10", 16, 15.5, 8, 11.5, 4),
    Month("2024-11", 16, 17, 8, 13, 4),
    Month("2024-12", 16, 18, 8, 13, 5),
)
MONTH_KEYS = tuple(m.key for m in MONTHS)
ATTENDANCE_FIGURES = (
    "expected_total",
    "actual_total",
    "expected_certified",
    "actual_certified",
    "actual_uncertified",
)
ATTENDANCE_TOTALS: dict[str, float] = {
    "expected_total": 112,  # 16 × 7
    "actual_total": 117,
    "expected_certified": 56,  # 8 × 7
    "actual_certified": 87,
    "actual_uncertified": 30,
}


@dataclass(frozen=True)
class Person:
    """One row of a person-level 附件2: 1 / 0.5 / 0 per month, June to December."""

    name: str
    certified: bool
    days: tuple[float, ...]


_FULL = (1, 1, 1, 1, 1, 1, 1)
PEOPLE: tuple[Person, ...] = (
    *(Person(n, True, _FULL) for n in (
        "陈嘉怡", "黄志强", "李晓彤", "梁伟明", "何淑华", "罗家豪",
        "周慧敏", "吴俊杰", "郑丽娟", "冯子健", "邓雅琪",
    )),
    Person("谢文静", True, (1, 1, 1, 0, 0.5, 1, 1)),
    Person("曾宇航", True, (0, 0.5, 1, 1, 0, 1, 1)),
    *(Person(n, False, _FULL) for n in ("彭诗雨", "苏海涛", "卢美玲", "蒋浩然")),
    Person("蔡欣怡", False, (1, 0, 0, 0, 0, 0, 1)),
)
PEOPLE_COUNT = len(PEOPLE)  # 18


def _check_data_set() -> None:
    # The constants must agree with each other, or every test built on them is wrong.
    for m in MONTHS:
        assert m.actual_certified + m.actual_uncertified == m.actual_total, m
    for figure, total in ATTENDANCE_TOTALS.items():
        assert sum(getattr(m, figure) for m in MONTHS) == total, figure
    for i, m in enumerate(MONTHS):
        assert sum(p.days[i] for p in PEOPLE if p.certified) == m.actual_certified, m
        assert sum(p.days[i] for p in PEOPLE if not p.certified) == m.actual_uncertified, m
    for ind in INDICATORS:
        assert ind.midterm is None or ind.midterm != ind.target, ind


_check_data_set()

TITLE_ANNEX1 = "广州市素社街“双百工程”社工站购买服务项目指标完成情况统计表"
TITLE_ANNEX2 = "广州市素社街“双百工程”社工站社工到岗情况统计表"
LINE_OPERATOR = f"承办机构：{OPERATOR}"
LINE_CONTRACT = "项目周期：2024年6月1日至2025年5月31日"
LINE_PERIOD = "统计时间：2024年6月1日至2024年12月31日"
NOTE_SOURCE = "注：以上数据由社工站提供。"
NOTE_STAFF = "注：应到人数按协议配备社工16人计，持证社工应到人数按其50%计。"


def month_label(m: Month) -> str:
    return f"{m.year}年{m.month}月"


def categories() -> list[tuple[str, list[Indicator]]]:
    groups: dict[str, list[Indicator]] = {}
    for ind in INDICATORS:
        groups.setdefault(ind.category, []).append(ind)
    return list(groups.items())


# --------------------------------------------------------------------------------------
# A tiny grid model, written out by openpyxl, xlwt or xlsxwriter
# --------------------------------------------------------------------------------------


@dataclass(frozen=True)
class Pct:
    """A fraction written as a number with a percent format (0.5425 shown as 54.25%)."""

    value: float


@dataclass(frozen=True)
class Formula:
    """A formula; `cached` is written as its result where the library can (xlsxwriter)."""

    text: str
    cached: float | None = None
    pct: bool = False


@dataclass
class Grid:
    """One sheet: rows of values (0-based), merged ranges, and a column offset.

    `col0` shifts everything right, so a layout can start its table at column C while the
    code that fills it still thinks in table columns 0, 1, 2...
    """

    name: str
    col0: int = 0
    rows: list[list[object]] = field(default_factory=list)
    merges: list[tuple[int, int, int, int]] = field(default_factory=list)  # r1, c1, r2, c2

    def add(self, *values: object, span: int | None = None) -> int:
        """Append a row and return its 0-based index; `span` merges the first cell across."""
        self.rows.append([None] * self.col0 + list(values))
        r = len(self.rows) - 1
        if span:
            self.merge(r, 0, r, span - 1)
        return r

    def blank(self) -> None:
        self.rows.append([])

    def merge(self, r1: int, c1: int, r2: int, c2: int) -> None:
        if (r1, c1) != (r2, c2):
            self.merges.append((r1, c1 + self.col0, r2, c2 + self.col0))

    def ref(self, row: int, col: int) -> str:
        """A1 reference of a table cell (0-based row and table column)."""
        return f"{_letter(col + self.col0)}{row + 1}"


def _letter(col: int) -> str:
    s = ""
    col += 1
    while col:
        col, rem = divmod(col - 1, 26)
        s = chr(65 + rem) + s
    return s


def _covered(grid: Grid) -> set[tuple[int, int]]:
    """Cells hidden under a merge (all but the top-left one)."""
    out: set[tuple[int, int]] = set()
    for r1, c1, r2, c2 in grid.merges:
        out |= {(r, c) for r in range(r1, r2 + 1) for c in range(c1, c2 + 1)} - {(r1, c1)}
    return out


def write_openpyxl(path: Path, grids: Sequence[Grid]) -> Path:
    from openpyxl import Workbook

    wb = Workbook()
    wb.remove(wb.active)
    for grid in grids:
        ws = wb.create_sheet(grid.name)
        covered = _covered(grid)
        for r, row in enumerate(grid.rows):
            for c, value in enumerate(row):
                if value is None or (r, c) in covered:
                    continue
                cell = ws.cell(row=r + 1, column=c + 1)
                if isinstance(value, Pct):
                    cell.value = value.value
                    cell.number_format = "0.00%"
                elif isinstance(value, Formula):
                    cell.value = value.text  # openpyxl writes no cached result
                    if value.pct:
                        cell.number_format = "0.00%"
                elif isinstance(value, (date, datetime)):
                    cell.value = value
                    cell.number_format = 'yyyy"年"m"月"'
                else:
                    cell.value = value
        for r1, c1, r2, c2 in grid.merges:
            ws.merge_cells(start_row=r1 + 1, start_column=c1 + 1, end_row=r2 + 1, end_column=c2 + 1)
    wb.save(path)
    return path


def write_xlwt(path: Path, grids: Sequence[Grid]) -> Path:
    import xlwt

    wb = xlwt.Workbook(encoding="utf-8")
    pct = xlwt.easyxf(num_format_str="0.00%")
    day = xlwt.easyxf(num_format_str="YYYY-MM-DD")  # a date cell: a day number, date-formatted
    plain = xlwt.Style.default_style
    for grid in grids:
        ws = wb.add_sheet(grid.name)
        covered = _covered(grid)
        anchors = {(r1, c1): (r2, c2) for r1, c1, r2, c2 in grid.merges}
        for r, row in enumerate(grid.rows):
            for c, value in enumerate(row):
                if (r, c) in covered:
                    continue
                style = plain
                if isinstance(value, Pct):
                    value, style = value.value, pct
                elif isinstance(value, date | datetime):
                    style = day
                elif isinstance(value, Formula):
                    raise TypeError(f"xls layout writes plain values only, not {value!r}")
                if (r, c) in anchors:
                    r2, c2 = anchors[(r, c)]
                    ws.write_merge(r, r2, c, c2, "" if value is None else value, style)
                elif value is not None:
                    ws.write(r, c, value, style)
    wb.save(str(path))
    return path


def write_xlsxwriter(path: Path, grids: Sequence[Grid]) -> Path:
    import xlsxwriter

    wb = xlsxwriter.Workbook(str(path))
    pct = wb.add_format({"num_format": "0.00%"})
    month = wb.add_format({"num_format": 'yyyy"年"m"月"'})
    for grid in grids:
        ws = wb.add_worksheet(grid.name)
        covered = _covered(grid)
        anchors = {(r1, c1): (r2, c2) for r1, c1, r2, c2 in grid.merges}
        for r, row in enumerate(grid.rows):
            for c, value in enumerate(row):
                if (r, c) in covered:
                    continue
                if (r, c) in anchors:
                    r2, c2 = anchors[(r, c)]
                    ws.merge_range(r, c, r2, c2, value if value is not None else "")
                elif isinstance(value, Pct):
                    ws.write_number(r, c, value.value, pct)
                elif isinstance(value, Formula):
                    fmt = pct if value.pct else None
                    ws.write_formula(r, c, value.text, fmt, value.cached)
                elif isinstance(value, (date, datetime)):
                    ws.write_datetime(r, c, value, month)
                elif value is not None:
                    ws.write(r, c, value)
    wb.close()
    return path


# --------------------------------------------------------------------------------------
# Table pieces shared by the layouts
# --------------------------------------------------------------------------------------

# Cell value of one indicator for one column key; `row` is the grid row being written.
Cell = Callable[[str, Indicator, int], object]


def plain_cell(rates: dict[str, float] | None = None) -> Cell:
    """Numbers as numbers, the rate as a fraction with a percent format."""
    rates = rates or {}

    def cell(key: str, ind: Indicator, row: int) -> object:
        if key == "rate":
            return Pct(rates.get(ind.name, ind.stated_rate))
        return getattr(ind, key)

    return cell


def indicator_rows(
    grid: Grid,
    columns: Sequence[str],
    cell: Cell,
    *,
    category: str = "merge",  # "merge" vertically, "first" row only (no merge), "repeat"
    subtotals: bool = False,
    blank_between: bool = False,
) -> tuple[int, int]:
    """Write the 13 indicator rows (and 小计 rows) under a header; return first/last row."""
    first = len(grid.rows)
    cat_col = columns.index("category") if "category" in columns else None
    name_col = columns.index("name")
    for g, (cat, inds) in enumerate(categories()):
        if blank_between and g:
            grid.blank()
        start = len(grid.rows)
        for i, ind in enumerate(inds):
            values: list[object] = []
            for key in columns:
                if key == "category":
                    values.append(cat if (i == 0 or category == "repeat") else None)
                else:
                    values.append(cell(key, ind, len(grid.rows)))
            grid.add(*values)
        if category == "merge" and cat_col is not None:
            grid.merge(start, cat_col, len(grid.rows) - 1, cat_col)
        if subtotals:
            t = sum(x.target for x in inds)
            c = sum(x.completed for x in inds)
            row = [None] * len(columns)
            if cat_col is not None:
                row[cat_col] = cat
            row[name_col] = "小计"
            for k, v in (("target", t), ("completed", c), ("rate", Pct(round(c / t, 4)))):
                if k in columns:
                    row[columns.index(k)] = v
            grid.add(*row)
    return first, len(grid.rows) - 1


def canonical_header(grid: Grid) -> None:
    """Two header rows: 完成情况 merged over 完成量 / 完成率, the rest merged vertically."""
    h = grid.add("服务类别", "指标名称", "单位", "协议指标量", "完成情况", None, "备注")
    grid.add(None, None, None, None, "完成量", "完成率", None)
    for c in (0, 1, 2, 3, 6):
        grid.merge(h, c, h + 1, c)
    grid.merge(h, 4, h, 5)


CANONICAL_COLUMNS = ("category", "name", "unit", "target", "completed", "rate", "remarks")


def canonical_annex1(
    name: str = "附件1", *, rates: dict[str, float] | None = None, cell: Cell | None = None,
) -> Grid:
    g = Grid(name)
    for line in (TITLE_ANNEX1, LINE_OPERATOR, LINE_CONTRACT, LINE_PERIOD):
        g.add(line, span=7)
    canonical_header(g)
    indicator_rows(g, CANONICAL_COLUMNS, cell or plain_cell(rates))
    g.blank()
    g.add(NOTE_SOURCE, span=7)
    g.add("填表人：王小明　　　　审核人：刘主任", span=7)
    return g


def attendance_values(m: Month) -> list[float]:
    return [m.expected_total, m.actual_total, m.expected_certified, m.actual_certified,
            m.actual_uncertified]


# 附件2's two header rows flattened into one (layouts b and f)
FLAT_ANNEX2_HEADER = ("月份", "社工总人数应到", "社工总人数实到", "持证社工应到", "持证社工实到",
                      "非持证社工实到")


def canonical_annex2(
    name: str = "附件2",
    *,
    months: Sequence[Month] = MONTHS,
    total_row: dict[str, float] | None = None,
) -> Grid:
    """Monthly 附件2; the 合计 row is the sum of `months` unless `total_row` overrides it."""
    g = Grid(name)
    g.add(TITLE_ANNEX2, span=6)
    g.add(LINE_PERIOD, span=6)
    h = g.add("月份", "社工总人数", None, "持证社工", None, "非持证社工")
    g.add(None, "应到", "实到", "应到", "实到", "实到")
    g.merge(h, 0, h + 1, 0)
    g.merge(h, 1, h, 2)
    g.merge(h, 3, h, 4)
    for m in months:
        g.add(month_label(m), *attendance_values(m))
    totals = {f: sum(getattr(m, f) for m in months) for f in ATTENDANCE_FIGURES}
    totals.update(total_row or {})
    g.add("合计", *(totals[f] for f in ATTENDANCE_FIGURES))
    g.add(NOTE_STAFF, span=6)
    return g


# --------------------------------------------------------------------------------------
# Layouts: each writes the canonical figures
# --------------------------------------------------------------------------------------


def build_canonical(
    directory: Path,
    *,
    rates: dict[str, float] | None = None,
    months: Sequence[Month] = MONTHS,
    total_row: dict[str, float] | None = None,
    name: str = "素社街2024年12月指标及到岗情况.xlsx",
) -> list[Path]:
    """a. openpyxl .xlsx; sheets 附件1 / 附件2.

    附件1: merged title in row 1, 承办机构 (row 2), 项目周期 2024-06-01…2025-05-31 (row 3),
    统计时间 2024-06-01…2024-12-31 (row 4), two merged header rows 5–6 (服务类别 | 指标名称 |
    单位 | 协议指标量 | 完成情况 → 完成量 / 完成率 | 备注), data rows 7–19 in columns A–G with
    the category merged vertically and the rate a fraction shown as a percent, a blank row,
    then two note lines (以上数据由社工站提供, 填表人).
    附件2: title, 统计时间, two merged header rows 3–4 (月份 | 社工总人数 应到/实到 | 持证社工
    应到/实到 | 非持证社工 实到), months 2024年6月…2024年12月 in rows 5–11, 合计 in row 12,
    a note. Options make it disagree with itself, for the problem tests: `rates` states a
    different rate for the named indicators, `months` replaces the months (合计 still their
    sum), `total_row` overrides figures of the 合计 row.
    """
    path = directory / name
    return [write_openpyxl(path, [canonical_annex1(rates=rates),
                                  canonical_annex2(months=months, total_row=total_row)])]


def build_single_header(directory: Path) -> list[Path]:
    """b. One header row, columns reordered and renamed; sheets Sheet1 / Sheet2.

    Sheet1: title in A1 (not merged), 统计时间 in A2, header in row 3:
    备注 | 服务领域 | 服务指标 | 单位 | 累计完成 | 年度指标 | 完成进度 (remarks first, completed
    before target). The category is written on the first row of its group only, with no
    merge. No 承办机构 / 项目周期 lines.
    Sheet2: one header row 月份 | 社工总人数应到 | 社工总人数实到 | 持证社工应到 | 持证社工实到 |
    非持证社工实到, month labels without the year (6月…12月), no 合计 row.
    """
    cols = ("remarks", "category", "name", "unit", "completed", "target", "rate")
    g1 = Grid("Sheet1")
    g1.add(TITLE_ANNEX1)
    g1.add(LINE_PERIOD)
    g1.add("备注", "服务领域", "服务指标", "单位", "累计完成", "年度指标", "完成进度")
    indicator_rows(g1, cols, plain_cell(), category="first")
    g2 = Grid("Sheet2")
    g2.add("社工到岗情况统计表")
    g2.add(*FLAT_ANNEX2_HEADER)
    for m in MONTHS:
        g2.add(f"{m.month}月", *attendance_values(m))
    return [write_openpyxl(directory / "素社街指标.xlsx", [g1, g2])]


def build_units_in_names(directory: Path) -> list[Path]:
    """c. No 单位 column: each name carries its unit, `电话访问（个）` (full-width brackets)
    or `个案服务节数(节)` (ASCII brackets, every other row). Otherwise as canonical (a):
    two merged header rows, merged categories, canonical 附件2.
    """

    def cell(key: str, ind: Indicator, row: int) -> object:
        if key == "name":
            return f"{ind.name}（{ind.unit}）" if row % 2 else f"{ind.name}({ind.unit})"
        return plain_cell()(key, ind, row)

    g = Grid("附件1")
    for line in (TITLE_ANNEX1, LINE_OPERATOR, LINE_CONTRACT, LINE_PERIOD):
        g.add(line, span=6)
    h = g.add("服务类别", "指标名称", "协议指标量", "完成情况", None, "备注")
    g.add(None, None, None, "完成量", "完成率", None)
    for c in (0, 1, 2, 5):
        g.merge(h, c, h + 1, c)
    g.merge(h, 3, h, 4)
    indicator_rows(g, ("category", "name", "target", "completed", "rate", "remarks"), cell)
    g.blank()
    g.add(NOTE_SOURCE, span=6)
    return [write_openpyxl(directory / "素社街-单位在名称中.xlsx", [g, canonical_annex2()])]


_FULLWIDTH = str.maketrans("0123456789", "０１２３４５６７８９")

# How layout d writes each indicator: (target, completed, rate) exactly as typed.
TEXT_NUMBERS: dict[str, tuple[object, object, object]] = {
    "电话访问": ("2,400", "1,842", "76.75%"),
    "入户探访": ("1,200", " 651", 54.25),  # plain percent number
    "个案接案": ("６０", "２７", "45%"),  # full-width digits
    "个案服务节数": (" 360 ", "198", "55.00%"),
    "个案结案": ("４０", "１３", " 32.5% "),
    "小组个数": ("24 ", "14", "58.33"),  # plain percent number stored as text
    "小组节数": ("144", "80 ", "55.56%"),
    "小组服务人次": ("1,152", "706", "61.28%"),
    "社区活动次数": ("60", "39", "65%"),
    "社区活动人次": ("1,800", "2,611", "145.06%"),
    "新登记志愿者": ("150", "58", "38.67%"),
    "志愿者骨干": ("30", "17", "56.67%"),
    "志愿者队伍": ("2", "0", "0%"),
}


def build_text_numbers(directory: Path) -> list[Path]:
    """d. Canonical (a) shape, but every figure is text: thousands separators (`1,842`),
    full-width digits (`２７`), stray spaces (` 651`), and in the rate column percent strings
    (`76.75%`), a plain percent number (54.25) and a plain percent string (`58.33`), per
    TEXT_NUMBERS. Names, categories and units carry stray spaces. 附件2 figures are text too
    (`１７`, ` 16.5 `).
    """

    def cell(key: str, ind: Indicator, row: int) -> object:
        target, completed, rate = TEXT_NUMBERS[ind.name]
        return {
            "name": f" {ind.name} ",
            "unit": f"{ind.unit} ",
            "target": target,
            "completed": completed,
            "rate": rate,
            "remarks": ind.remarks,
        }[key]

    g1 = canonical_annex1(cell=cell)
    # category cells: stray trailing space
    for row in g1.rows:
        if row and isinstance(row[0], str) and row[0] in {c for c, _ in categories()}:
            row[0] = row[0] + " "
    g2 = canonical_annex2()
    # month and 合计 rows: every figure as text, cycling plain / padded / full-width digits
    styles = (str, lambda t: f" {t} ", lambda t: t.translate(_FULLWIDTH))
    for r, row in enumerate(g2.rows):
        if row and isinstance(row[0], str) and (row[0].startswith("2024年") or row[0] == "合计"):
            for c in range(1, 6):
                row[c] = styles[(r + c) % 3](f"{row[c]:g}")
    return [write_openpyxl(directory / "素社街（文本数字）.xlsx", [g1, g2])]


def build_midterm_column(directory: Path) -> list[Path]:
    """e. A 中期指标 column placed BEFORE 协议指标量; one header row:
    服务类别 | 指标名称 | 单位 | 中期指标 | 协议指标量 | 完成量 | 完成率 | 备注. 中期指标 is
    blank for the indicators without one (个案服务节数, 小组节数...). The rate is completed ÷
    协议指标量. Otherwise canonical (title lines, merged categories, canonical 附件2).
    """
    cols = ("category", "name", "unit", "midterm", "target", "completed", "rate", "remarks")
    g = Grid("附件1")
    for line in (TITLE_ANNEX1, LINE_OPERATOR, LINE_CONTRACT, LINE_PERIOD):
        g.add(line, span=8)
    g.add("服务类别", "指标名称", "单位", "中期指标", "协议指标量", "完成量", "完成率", "备注")
    indicator_rows(g, cols, plain_cell())
    g.blank()
    g.add(NOTE_SOURCE, span=8)
    return [write_openpyxl(directory / "素社街含中期指标.xlsx", [g, canonical_annex2()])]


SUBTOTAL_TITLE = "素社街社工站指标完成情况表（2024—2025年度）"
CUTOFF_PHRASES = {
    "jiezhi": "截至2024年12月31日",
    "jiezhi_riqi": "统计截止日期：2024-12-31",
    "tongjiqi": "数据统计期：2024.06.01-2024.12.31",
}


def build_subtotals(
    directory: Path, *, phrase: str = "jiezhi", grand_total_delta: float = 0,
) -> list[Path]:
    """f. Other title and cut-off phrasing, blank rows, 小计 and 合计 rows.

    Sheet 指标完成情况: row 1 blank; title `素社街社工站指标完成情况表（2024—2025年度）` in
    row 2; the cut-off line (CUTOFF_PHRASES[phrase]) in row 3; a blank row; one header row
    (服务类别 | 指标名称 | 单位 | 协议指标量 | 完成量 | 完成率 | 备注); a blank row; then per
    category its rows with the category repeated on every row, a `小计` row (category in A,
    小计 in B, sums of target and completed, rate) and a blank row; a `合计` row (A:C merged)
    with the sums over all 13 rows (completed off by `grand_total_delta`); a note. No
    承办机构 / 项目周期.
    Sheet 到岗情况: blank row, title, the same cut-off line, one header row, months labelled
    `2024.06`…`2024.12`, a blank row, then 合计.
    """
    line = CUTOFF_PHRASES[phrase]
    g = Grid("指标完成情况")
    g.blank()
    g.add(SUBTOTAL_TITLE, span=7)
    g.add(line, span=7)
    g.blank()
    g.add("服务类别", "指标名称", "单位", "协议指标量", "完成量", "完成率", "备注")
    g.blank()
    indicator_rows(g, CANONICAL_COLUMNS, plain_cell(), category="repeat", subtotals=True,
                   blank_between=True)
    g.blank()
    t = sum(x.target for x in INDICATORS)
    c = sum(x.completed for x in INDICATORS) + grand_total_delta
    r = g.add("合计", None, None, t, c, Pct(round(c / t, 4)), None)
    g.merge(r, 0, r, 2)
    g.add(NOTE_SOURCE, span=7)

    g2 = Grid("到岗情况")
    g2.blank()
    g2.add("素社街社工站社工到岗情况表（2024—2025年度）", span=6)
    g2.add(line, span=6)
    g2.add(*FLAT_ANNEX2_HEADER)
    for m in MONTHS:
        g2.add(f"{m.year}.{m.month:02d}", *attendance_values(m))
    g2.blank()
    g2.add("合计", *(ATTENDANCE_TOTALS[f] for f in ATTENDANCE_FIGURES))
    return [write_openpyxl(directory / f"素社街指标完成情况表-{phrase}.xlsx", [g, g2])]


def build_legacy_xls(directory: Path) -> list[Path]:
    """g. Canonical (a) figures and shape, written as legacy .xls by xlwt (merges by
    write_merge, the rate a fraction with a 0.00% format)."""
    path = directory / "素社街2024年12月指标及到岗情况.xls"
    return [write_xlwt(path, [canonical_annex1(), canonical_annex2()])]


def build_two_files(directory: Path) -> list[Path]:
    """h. Canonical (a) sheets, but 附件1 and 附件2 each in its own .xlsx file."""
    f1 = write_openpyxl(directory / "素社街-附件1指标完成情况统计表.xlsx", [canonical_annex1()])
    f2 = write_openpyxl(directory / "素社街-附件2社工到岗情况统计表.xlsx", [canonical_annex2()])
    return [f1, f2]


def build_xlsxwriter_offset(directory: Path) -> list[Path]:
    """i. Written by xlsxwriter, every table starting at column C (A and B empty) and the
    title in row 2 (row 1 empty). The rate is the formula `=G{r}/F{r}` with its exact
    result cached. 附件2 months are real dates (format yyyy年m月) and its 合计 row is SUM
    formulas with cached results. Same title and meta lines as canonical (a).
    """

    def cell(key: str, ind: Indicator, row: int) -> object:
        if key == "rate":
            return Formula(f"={g.ref(row, 4)}/{g.ref(row, 3)}", ind.rate, pct=True)
        return getattr(ind, key)

    g = Grid("附件1", col0=2)
    g.blank()
    for line in (TITLE_ANNEX1, LINE_OPERATOR, LINE_CONTRACT, LINE_PERIOD):
        g.add(line, span=7)
    canonical_header(g)
    indicator_rows(g, CANONICAL_COLUMNS, cell)
    g.blank()
    g.add(NOTE_SOURCE, span=7)

    g2 = Grid("附件2", col0=2)
    g2.blank()
    g2.add(TITLE_ANNEX2, span=6)
    g2.add(LINE_PERIOD, span=6)
    h = g2.add("月份", "社工总人数", None, "持证社工", None, "非持证社工")
    g2.add(None, "应到", "实到", "应到", "实到", "实到")
    g2.merge(h, 0, h + 1, 0)
    g2.merge(h, 1, h, 2)
    g2.merge(h, 3, h, 4)
    first = len(g2.rows)
    for m in MONTHS:
        g2.add(datetime(m.year, m.month, 1), *attendance_values(m))
    last = len(g2.rows) - 1
    g2.add("合计", *(
        Formula(f"=SUM({g2.ref(first, c)}:{g2.ref(last, c)})", ATTENDANCE_TOTALS[f])
        for c, f in enumerate(ATTENDANCE_FIGURES, start=1)
    ))
    return [write_xlsxwriter(directory / "素社街_xlsxwriter.xlsx", [g, g2])]


def person_grid(name: str = "附件2") -> Grid:
    """Person-level 附件2: 协议要求配备社工人数 | 16, then 序号 | 姓名 | 是否持证 | one column
    per month (2024年6月…2024年12月) with 1 / 0.5 / 0, and a 合计 row of monthly sums."""
    g = Grid(name)
    g.add(TITLE_ANNEX2, span=10)
    g.add(LINE_PERIOD, span=10)
    g.add("协议要求配备社工人数", CONTRACT_STAFF)
    g.add("序号", "姓名", "是否持证", *(month_label(m) for m in MONTHS))
    for i, p in enumerate(PEOPLE, start=1):
        g.add(i, p.name, "是" if p.certified else "否", *p.days)
    g.add("合计", None, None, *(m.actual_total for m in MONTHS))
    g.add("注：1为当月全月在岗，0.5为半月在岗，0为未到岗。", span=10)
    return g


def build_person_level(directory: Path) -> list[Path]:
    """j. Canonical 附件1; 附件2 is person-level (one row per worker, 18 workers, 13
    certified), with the contract staff stated as `协议要求配备社工人数 | 16` and a 合计 row.
    Aggregated, it gives the canonical monthly actual figures; 应到 is not written (it is
    16 × months and half of that for certified workers, if the reader derives it)."""
    return [write_openpyxl(directory / "素社街到岗明细.xlsx", [canonical_annex1(), person_grid()])]


# --------------------------------------------------------------------------------------
# The registry of layouts, with what each one states
# --------------------------------------------------------------------------------------


@dataclass(frozen=True)
class Layout:
    key: str
    build: Callable[[Path], list[Path]]
    annex1_sheet: str
    unit_column: bool = True  # False: the unit is only inside the name
    midterm: bool = False  # has a 中期指标 column
    remarks: bool = True
    metadata: bool = True  # states 承办机构 and 项目周期
    period_start: date | None = PERIOD_START  # None: the cut-off line states no start
    month_keys: bool = True  # month labels carry the year
    person_level: bool = False


def _phrase(key: str) -> Callable[[Path], list[Path]]:
    def build(directory: Path) -> list[Path]:
        return build_subtotals(directory, phrase=key)

    build.__doc__ = f"f. 小计/合计/blank rows; cut-off written `{CUTOFF_PHRASES[key]}`."
    return build


LAYOUTS: tuple[Layout, ...] = (
    Layout("a_canonical", build_canonical, "附件1"),
    Layout("b_single_header", build_single_header, "Sheet1", metadata=False, month_keys=False),
    Layout("c_units_in_names", build_units_in_names, "附件1", unit_column=False),
    Layout("d_text_numbers", build_text_numbers, "附件1"),
    Layout("e_midterm_column", build_midterm_column, "附件1", midterm=True),
    Layout("f1_jiezhi", _phrase("jiezhi"), "指标完成情况", metadata=False, period_start=None),
    Layout("f2_jiezhi_riqi", _phrase("jiezhi_riqi"), "指标完成情况", metadata=False,
           period_start=None),
    Layout("f3_tongjiqi", _phrase("tongjiqi"), "指标完成情况", metadata=False),
    Layout("g_legacy_xls", build_legacy_xls, "附件1"),
    Layout("h_two_files", build_two_files, "附件1"),
    Layout("i_xlsxwriter_offset", build_xlsxwriter_offset, "附件1"),
    Layout("j_person_level", build_person_level, "附件1", person_level=True),
)


def layout(key: str) -> Layout:
    return next(x for x in LAYOUTS if x.key == key)


# --------------------------------------------------------------------------------------
# Workbooks that disagree with themselves, beyond the canonical options
# --------------------------------------------------------------------------------------


def build_bad_grand_total(directory: Path) -> Path:
    """Layout f1 with the 合计 row's completed 10 more than the sum of the 13 rows."""
    return build_subtotals(directory, grand_total_delta=10)[0]


UNCACHED_FORMULA = "=SUM(明细!B2,明细!B3)"


def build_uncached_formula(directory: Path) -> Path:
    """Canonical (a), but 电话访问's completed (附件1!E7) is the openpyxl-written formula
    `=SUM(明细!B2,明细!B3)` with NO cached value; sheet 明细 holds 1000 and 842 (= 1842)."""

    def cell(key: str, ind: Indicator, row: int) -> object:
        if key == "completed" and ind.name == "电话访问":
            return Formula(UNCACHED_FORMULA)
        return plain_cell()(key, ind, row)

    detail = Grid("明细")
    detail.add("时段", "电话访问")
    detail.add("2024年6月至9月", 1000)
    detail.add("2024年10月至12月", 842)
    path = directory / "素社街-公式无缓存.xlsx"
    return write_openpyxl(path, [canonical_annex1(cell=cell), canonical_annex2(), detail])


# --------------------------------------------------------------------------------------
# Files that are not readable station workbooks
# --------------------------------------------------------------------------------------


def build_shopping_list(directory: Path) -> Path:
    """A valid .xlsx with a table that is not an annex (商品 | 数量 | 单价 | 备注)."""
    g = Grid("购物清单")
    g.add("周末购物清单", span=4)
    g.add("商品", "数量", "单价", "备注")
    for row in (("苹果", 3, 5.5, "红富士"), ("大米", 1, 49.9, "5公斤"), ("牛奶", 2, 12.8, None)):
        g.add(*row)
    return write_openpyxl(directory / "购物清单.xlsx", [g])


def build_blank_workbook(directory: Path) -> Path:
    """A valid .xlsx with one empty sheet."""
    return write_openpyxl(directory / "Book1.xlsx", [Grid("Sheet1")])


def build_random_bytes(directory: Path, suffix: str = ".xlsx") -> Path:
    """4 KiB of seeded random bytes (neither a zip nor an OLE file) named like a workbook."""
    data = random.Random(20241231).randbytes(4096)
    assert not data.startswith((b"PK", b"\xd0\xcf\x11\xe0"))
    path = directory / f"素社街-随机{suffix}"
    path.write_bytes(data)
    return path


def build_truncated_zip(directory: Path) -> Path:
    """The canonical .xlsx cut to its first half (a zip with no central directory)."""
    source = build_canonical(directory, name="完整.xlsx")[0]
    data = source.read_bytes()
    source.unlink()
    path = directory / "素社街-下载中断.xlsx"
    path.write_bytes(data[: len(data) // 2])
    return path


ENCRYPTION_PASSWORD = "1234"


def build_encrypted(directory: Path) -> Path:
    """The canonical .xlsx encrypted with a password (msoffcrypto, ECMA-376 agile)."""
    from msoffcrypto.format.ooxml import OOXMLFile

    source = build_canonical(directory, name="明文.xlsx")[0]
    out = io.BytesIO()
    with source.open("rb") as f:
        OOXMLFile(f).encrypt(ENCRYPTION_PASSWORD, out)
    source.unlink()
    path = directory / "素社街-需口令.xlsx"
    path.write_bytes(out.getvalue())
    return path


def build_empty_file(directory: Path) -> Path:
    """A 0-byte file named .xlsx."""
    path = directory / "素社街-零字节.xlsx"
    path.write_bytes(b"")
    return path


# --------------------------------------------------------------------------------------
# Helpers for tests
# --------------------------------------------------------------------------------------


def sha256(path: Path) -> str:
    return hashlib.sha256(path.read_bytes()).hexdigest()


def cell_text(value: object) -> str:
    """A cell value as comparable text: ASCII digits, no separators or spaces."""
    if isinstance(value, float) and value.is_integer():
        value = int(value)
    return re.sub(r"[\s,]", "", str(value).translate({0xFF10 + i: 48 + i for i in range(10)}))


def sheet_rows(path: Path) -> dict[str, list[list[object]]]:
    """Every sheet's values as python-calamine reads them (cached results for formulas)."""
    from python_calamine import CalamineWorkbook

    wb = CalamineWorkbook.from_path(str(path))
    return {name: wb.get_sheet_by_name(name).to_python(skip_empty_area=False)
            for name in wb.sheet_names}


def find_row(path: Path, sheet: str, text: str) -> int:
    """1-based row number of the first row with a cell equal to `text` after stripping;
    raises LookupError when there is none."""
    for r, row in enumerate(sheet_rows(path)[sheet], start=1):
        if any(str(v).strip() == text for v in row):
            return r
    raise LookupError(f"{text!r} not in {path.name} / {sheet}")


def rows_in(cell: str | None) -> set[int]:
    """Row numbers named by an A1 cell, range or row reference ('F8', 'D8:F8', '8')."""
    return {int(n) for n in re.findall(r"\d+", cell or "")}


def files_in(directory: Path) -> dict[str, str]:
    return {p.name: sha256(p) for p in sorted(directory.iterdir()) if p.is_file()}


# ------------------------------------------------------------------------------ a district's own name

LOCAL_NAME = "长者饭堂助餐配送"  # a name no packaged taxonomy knows: a district's own indicator
LOCAL_ALIAS = (
    '[[indicators]]\nid = "meal_delivery"\nname = "长者助餐配送"\nlabel = "Meals delivered"\n'
    f'unit = "人次"\ncategory = "volunteer"\naliases = ["{LOCAL_NAME}"]\n'
)


def with_local_indicator(path: Path) -> Path:
    """瑞宝街's sample workbook with one extra row under 志愿服务 that no taxonomy knows,
    saved at `path`."""
    import openpyxl

    ruibao = Path(__file__).resolve().parents[1] / "sample_workbooks" / "瑞宝街_2023-2024_中期.xlsx"
    book = openpyxl.load_workbook(ruibao)
    sheet = book["附件1"]
    row = next(r for r in range(1, sheet.max_row + 1) if sheet.cell(r, 2).value == "发展志愿者队伍")
    sheet.insert_rows(row + 1)
    for col, value in enumerate(["志愿服务", LOCAL_NAME, "人次", 500, 260, 0.52], start=1):
        sheet.cell(row + 1, col, value)
    book.save(path)
    return path


RUIBAO_SAMPLE = Path(__file__).resolve().parents[1] / "sample_workbooks" / "瑞宝街_2023-2024_中期.xlsx"


def ruibao_month(path: Path, cutoff: date, completed: dict[str, float] | None = None) -> Path:
    """瑞宝街's sample workbook as the station would have sent it for another month, saved at
    `path`: the 统计时间 lines end on `cutoff`, the indicators named in `completed` (by their
    name in the sheet: 电话访问, 发展志愿者队伍 …) have that 完成量 with a 完成率 to match, and
    附件2 keeps only the months up to the cut-off, its 合计 row summed again.

    The sample itself is the month ending 2023-12-31 (电话访问 3092 of 6028)."""
    import openpyxl

    book = openpyxl.load_workbook(RUIBAO_SAMPLE)
    line = f"统计时间：2023年6月15日至{cutoff.year}年{cutoff.month}月{cutoff.day}日"
    annex1, annex2 = book["附件1"], book["附件2"]
    annex1["A4"] = line
    annex2["A2"] = line
    for row in range(8, annex1.max_row + 1):
        name = annex1.cell(row, 2).value
        if completed and name in completed:
            annex1.cell(row, 5).value = completed[name]
            target = annex1.cell(row, 4).value
            annex1.cell(row, 6).value = round(completed[name] / target, 4) if target else 0
    month_rows = [r for r in range(6, annex2.max_row + 1)
                  if str(annex2.cell(r, 1).value or "").startswith("20")]
    total_row = next(r for r in range(6, annex2.max_row + 1) if annex2.cell(r, 1).value == "合计")
    for r in month_rows:
        year, month = (int(x) for x in re.findall(r"\d+", str(annex2.cell(r, 1).value))[:2])
        if (year, month) > (cutoff.year, cutoff.month):
            for col in range(1, 8):
                annex2.cell(r, col).value = None
    for col in range(2, 7):
        annex2.cell(total_row, col).value = sum(
            annex2.cell(r, col).value or 0 for r in month_rows)
    book.save(path)
    return path
