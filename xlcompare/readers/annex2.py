"""附件2: attendance per month, or per person per month aggregated to months.

Per-person sheets carry names; only counts leave this module.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from datetime import date
from functools import lru_cache

from xlcompare.files.cells import a1, text_of
from xlcompare.model import AttendanceMonth, PersonAttendance, Source
from xlcompare.readers.accounting import columns_span
from xlcompare.readers.dates import find_range, month_end, month_label, parse_month
from xlcompare.readers.figures import SheetFigures, check_total
from xlcompare.readers.locate import Header
from xlcompare.readers.periods import operator_periods, range_label

__all__ = [
    "MonthFigures",
    "accepts_across",
    "accepts_annex2",
    "accepts_people",
    "read_across",
    "read_annex2",
    "read_people",
    "to_attendance_months",
]

FIGURES = ("expected_total", "actual_total", "expected_certified", "actual_certified",
           "actual_uncertified")
_NAMES = {
    "expected_total": "社工总人数应到", "actual_total": "社工总人数实到",
    "expected_certified": "持证社工应到", "actual_certified": "持证社工实到",
    "actual_uncertified": "非持证社工实到",
}


@dataclass(slots=True)
class MonthFigures:
    """A month as read, before its year is known for labels like `7月`."""

    year: int | None
    month: int
    figures: dict[str, float | None]
    row: int
    col: int
    # a row covering days rather than a month (2024年6月9日至7月8日: the first operator's
    # period): its label, `2024-06-09…2024-07-08`
    label: str | None = None
    # the text naming the operator or period the row falls under (a section row above it,
    # or the row's own label), as written
    period: str | None = None


def accepts_across(columns: dict[str, int], unassigned: dict[int, str]) -> bool:
    """附件2 on its side: months across the header (three or more different ones: a merged
    title naming one month repeats it), the figures down the first column (总应到, 总实到,
    …), no column of months."""
    if "month" in columns:
        return False
    months = {parse_month(label) for label in unassigned.values()}
    months.discard(None)
    return len(months) >= 3


def read_across(figs: SheetFigures, header: Header) -> tuple[list[MonthFigures], int]:
    """Months across the columns: each row a figure (its label read as 附件2's column names
    are), each month column a month; a 合计 column is checked against the months."""
    sheet, layout = figs.sheet, figs.layout
    month_cols = {c: when for c, label in header.unassigned.items()
                  if (when := parse_month(label))}
    first_month = min(month_cols)
    label_col = min((c for c, label in header.labels.items() if label and c < first_month),
                    default=max(first_month - 1, 0))
    total_col = next((c for c, label in header.labels.items()
                      if c > first_month and layout.is_subtotal(label)), None)
    span = columns_span([label_col, *month_cols, *([total_col] if total_col is not None else [])])
    figures: dict[int, dict[str, float | None]] = {c: {} for c in month_cols}
    last_row = header.last_row
    for r in range(header.last_row + 1, sheet.height):
        label = figs.texts[r][label_col]
        if not label:
            if any(figs.texts[r]):
                break
            continue
        role = layout.annex2.classify(label)
        if role not in FIGURES:
            break  # the table ends: a note, a staffing line or another table follows
        values = []
        for c in month_cols:
            value = figs.number(r, c, f"{_NAMES[role]} {header.labels[c]}").value
            figures[c][role] = value
            values.append(value)
        if total_col is not None:
            check_total(figs, r, total_col, [values], f"{label} {header.labels[total_col]}")
            figs.mark(r, (total_col,), "total")
        figs.mark(r, [label_col, *month_cols], "data")
        last_row = r
    if last_row == header.last_row:
        # months across a header, but no row below names a figure (a cross table of
        # something else): not an attendance table
        return [], header.first_row - 1
    for r in range(header.first_row, header.last_row + 1):
        figs.mark(r, span, "header")
    months = [MonthFigures(when[0], when[1], figures[c], header.first_row, c)
              for c, when in month_cols.items() if any(v is not None for v in figures[c].values())]
    for month in months:  # 持证 + 非持证 = 总实到, each month (reported at its column's head)
        _check_month(figs, month.row, {"actual_total": month.col}, month.figures)
    return months, last_row


def accepts_annex2(columns: dict[str, int], unassigned: dict[int, str]) -> bool:
    return "month" in columns and any(f in columns for f in FIGURES)


def accepts_people(columns: dict[str, int], unassigned: dict[int, str]) -> bool:
    return "person" in columns and any(parse_month(label) for label in unassigned.values())


def read_annex2(figs: SheetFigures, header: Header, earlier: Sequence[MonthFigures] = ()
                ) -> tuple[list[MonthFigures], int]:
    """Month rows below `header` and the last row of the table. A 小计 is checked against
    the months since the last 小计 (one operator's period), a 合计 against every month of
    the sheet's 附件2 tables (`earlier`: the period tables above this one) or of this table.
    A row naming an operator or a period between months starts that operator's months."""
    sheet, layout, cols = figs.sheet, figs.layout, header.columns
    month_col = cols["month"]
    months: list[MonthFigures] = []
    block: list[MonthFigures] = []  # the months since the last 小计 or period row
    period: str | None = None
    last_row = header.last_row
    read_cols, span = figs.mark_header(header)
    for r in range(header.last_row + 1, sheet.height):
        texts = figs.texts[r]
        label = texts[month_col]
        if not label and not any(texts):
            continue
        if layout.is_subtotal(label):
            if "小计" in label:
                scopes = [block, months]
            else:
                scopes = [[*earlier, *months], months] if earlier else [months]
            for name in FIGURES:
                check_total(figs, r, cols.get(name),
                            [[m.figures.get(name) for m in scope] for scope in scopes],
                            f"{label} {_NAMES[name]}")
            block = []
            last_row = r
            figs.mark(r, span, "total")
            continue
        days = _range(label) if label else ()
        cell = sheet.value(r, month_col)
        when = parse_month(cell)
        own = text_of(cell)
        if not figs.scan.any_numbers[r] and _names_period(
                own or "".join(dict.fromkeys(filter(None, texts)))):
            # 明心承办期间（2024年6月9日至7月8日）: the months below are that operator's
            period = next((text_of(v) for v in sheet.rows[r] if text_of(v)), None)
            block = []
            figs.mark(r, [c for c, t in enumerate(texts) if t], "meta")
            continue
        if when is None and len(days) != 2:
            break  # the table ends: a note, a staffing line or another table follows
        figures = {name: figs.number(r, cols.get(name), _NAMES[name]).value
                   for name in FIGURES if name in cols}
        _check_month(figs, r, cols, figures)
        hint = own if _names_period(own) else period
        if len(days) == 2 and not _whole_month(days[0], days[1]):
            found = MonthFigures(days[0].year, days[0].month, figures, r, month_col,
                                 range_label(days[0], days[1]), hint)
        else:
            year, month = when if when is not None else (days[0].year, days[0].month)
            found = MonthFigures(year, month, figures, r, month_col, None, hint)
        months.append(found)
        block.append(found)
        figs.mark(r, read_cols, "data")
        last_row = r
    return months, last_row


@lru_cache(maxsize=1 << 10)
def _range(label: str) -> tuple[date, ...]:
    """The days a row label covers, when it is a range (2024年6月9日至7月8日); labels repeat
    in every station's file."""
    return tuple(find_range(label)) if any(ch.isdigit() for ch in label) else ()


def _names_period(text: str) -> bool:
    """A row's text names an operator with its dates (明心承办期间（2024.6.9-7.8）)."""
    return bool(text) and bool(operator_periods(text, labelled=True))


def _whole_month(start: date, end: date) -> bool:
    return start.day == 1 and end == month_end(start.year, start.month)


def _check_month(figs: SheetFigures, r: int, cols: dict[str, int],
                 figures: dict[str, float | None]) -> None:
    total = figures.get("actual_total")
    certified = figures.get("actual_certified")
    uncertified = figures.get("actual_uncertified")
    if total is None or certified is None or uncertified is None:
        return
    if abs(certified + uncertified - total) > figs.layout.sum_tolerance:
        figs.report(
            f"持证实到 {certified:g} + 非持证实到 {uncertified:g} = "
            f"{certified + uncertified:g}，与总实到 {total:g} 不符 (certified + uncertified "
            "≠ total)",
            r, cols["actual_total"], code="attendance-split-mismatch",
        )


def read_people(figs: SheetFigures, header: Header) -> tuple[list[MonthFigures], int, int]:
    """Aggregate a per-person sheet (1 / 0.5 / 0 per month) to actual attendance per month.

    Returns the months, the number of people and the last row of the table. Expected figures
    need the contract staff number, which the caller takes from the staffing lines.
    """
    sheet, layout, cols = figs.sheet, figs.layout, header.columns
    month_cols = {c: when for c, label in header.unassigned.items()
                  if (when := parse_month(label))}
    actual = {c: 0.0 for c in month_cols}
    certified = {c: 0.0 for c in month_cols}
    people = 0
    last_row = header.last_row
    person_col = cols["person"]
    flag_col = cols.get("certified_flag")
    totals_seen = False
    read_cols, span = figs.mark_header(header, month_cols, parts=False)
    for r in range(header.last_row + 1, sheet.height):
        texts = figs.texts[r]
        person = texts[person_col]
        if not any(texts):
            if people:
                break  # a blank line ends the list of people
            continue
        if not person:  # a total labelled in the 序号 column, left of the names
            person = next((t for t in texts[:person_col] if layout.is_subtotal(t)), "")
        if layout.is_subtotal(person):
            # "合计" adds up everyone, "其中：持证社工" the certified
            sums = certified if "持证" in person else actual
            for c in month_cols:
                check_total(figs, r, c, [[sums[c]]], f"{person} {header.labels[c]}")
            totals_seen = True
            last_row = r
            figs.mark(r, span, "total")
            continue
        if (totals_seen or not person or layout.is_note(person)
                or layout.staffing.classify(person)):
            break
        people += 1
        is_certified = flag_col is not None and texts[flag_col] in layout.certified_yes
        mine: list[tuple[str, float | None]] = []
        for c in month_cols:
            value = figs.number(r, c, f"到岗 {header.labels[c]}",
                                quote=figs.persons is not None).value
            mine.append((month_label(*month_cols[c]), value))
            if value is None:
                continue
            if not 0 <= value <= 1:
                # a person is present for a whole month at most; anything else is a typo
                figs.report(f"到岗 {value:g} 不在0–1之间，每人每月最多为1 (is outside 0–1 for one person-month)", r, c,
                            code="attendance-out-of-range")
            actual[c] += value
            if is_certified:
                certified[c] += value
        if figs.persons is not None:
            figs.persons.append(PersonAttendance(str(sheet.value(r, person_col)).strip(),
                                                 is_certified, tuple(mine)))
        figs.mark(r, read_cols, "data")
        last_row = r
    if flag_col is None:
        figs.report("人员明细没有“是否持证”列，持证人数未知 (per-person sheet has no 是否持证 column)",
                    header.first_row, None, code="no-certified-column")
    months = []
    for c, (year, month) in month_cols.items():
        figures: dict[str, float | None] = {"actual_total": actual[c]}
        if flag_col is not None:
            figures["actual_certified"] = certified[c]
            figures["actual_uncertified"] = actual[c] - certified[c]
        months.append(MonthFigures(year, month, figures, header.first_row, c))
    return months, people, last_row


def to_attendance_months(months: list[MonthFigures], year_of: dict[int, int], figs_file: str,
                         sheet: str) -> list[AttendanceMonth]:
    """Label each month with its year (inferred from the contract period where missing)."""
    out = []
    for m in months:
        year = m.year if m.year is not None else year_of.get(m.month)
        out.append(AttendanceMonth(month=m.label or month_label(year, m.month),
                                   source=Source(figs_file, sheet, a1(m.row, m.col)),
                                   **{k: m.figures.get(k) for k in FIGURES}))
    return out
