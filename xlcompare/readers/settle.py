"""What a station's facts come to once its files are put together: the operators of the
contract year and the one running the station at the cut-off, a cut-off given as a month
without its year placed in the contract year, a cut-off that says "now" (never a date), and
what was assumed on the way — each said as a problem or a note with where it was found.
"""

from __future__ import annotations

import os
from collections.abc import Sequence

from xlcompare.files.cells import simplified
from xlcompare.model import AttendanceMonth, OperatorPeriod, Period, Problem
from xlcompare.readers.dates import month_end
from xlcompare.readers.meta import Meta
from xlcompare.readers.periods import assign_periods, merge_periods, operator_at, operator_periods

__all__ = ["attendance_periods", "settle_facts"]


def _where(where: str) -> tuple[str | None, str | None]:
    """A TextLine's `附件1!A2` as (sheet, cell)."""
    if "!" not in where:
        return None, None
    sheet, cell = where.rsplit("!", 1)
    return sheet, cell


def settle_facts(metas: Sequence[tuple[str, Meta]], hints: Sequence[str], merged: Meta,
                 notes: list[str], problems: list[Problem], *, cutoff_given: bool
                 ) -> tuple[OperatorPeriod, ...]:
    """Settle the merged facts of a station's files (`metas`: each file's path and meta;
    `hints`: the texts heading its period tables) in place; return its operators with
    their periods. Problems and notes are appended."""
    for path, meta in metas:
        for code, message, where in meta.doubts:
            sheet, cell = _where(where)
            problems.append(Problem(path, message, sheet, cell, "info", code=code))
    _month_only_cutoff(metas, merged, notes)
    _relative_cutoff(metas, merged, problems, cutoff_given)
    stated = [p for _, meta in metas for p in meta.operators]
    for hint in dict.fromkeys(hints):  # a period table's own heading (明心承办期间（…）)
        stated += operator_periods(hint, labelled=True)
    operators = tuple(merge_periods(stated))
    if operators:
        current = operator_at(operators, merged.cutoff)
        if current is not None and (merged.operator is None
                                    or simplified(merged.operator) != simplified(current.name)):
            if merged.operator is not None:
                notes.append(f"承办机构有变更：截至 {merged.cutoff or '统计截止'} 由 {current.name} 承办"
                             f"（表中先写的是 {merged.operator}）(the operator at the cut-off)")
            merged.operator = current.name
        notes.append("承办机构及其期间 (operators): " + "；".join(str(p) for p in operators))
    return operators


def _month_only_cutoff(metas: Sequence[tuple[str, Meta]], merged: Meta,
                       notes: list[str]) -> None:
    """`报表月份：12月`: the last day of that month in the contract year."""
    if merged.cutoff is not None:
        return
    stated = next((meta.cutoff_month for _, meta in metas if meta.cutoff_month), None)
    if stated is None or merged.contract_start is None:
        return
    month, where = stated
    start = merged.contract_start
    year = start.year if month >= start.month else start.year + 1
    merged.cutoff = month_end(year, month)
    notes.append(f"统计截止只写了 {month}月（{where}），按合同年度取 {merged.cutoff} (a month "
                 "without its year, placed in the contract year)")


def _relative_cutoff(metas: Sequence[tuple[str, Meta]], merged: Meta, problems: list[Problem],
                     cutoff_given: bool) -> None:
    """A cut-off line that says "now" (截至目前, 截至评估时, 上半年) is never a date: with no
    other cut-off it is unknown, and the problem says how to give it."""
    if cutoff_given:
        return
    for path, meta in metas:
        if meta.relative is None:
            continue
        text, where = meta.relative
        sheet, cell = _where(where)
        found = next((m.found.get("cut-off", "") for _, m in metas
                      if m.cutoff is not None and m.cutoff == merged.cutoff), "")
        if merged.cutoff is None:
            problems.append(Problem(path, (
                f"统计截止写作“{text}”，不是具体日期，截止日期未知：请在表中写明"
                "（如“截至2024年12月31日”），或用 --cutoff YYYY-MM-DD 指定"), sheet, cell, "error",
                code="relative-cutoff"))
        elif found.startswith("file name"):
            problems.append(Problem(path, (
                f"统计截止写作“{text}”，不是具体日期；截止日期 {merged.cutoff} 取自文件名"
                f"（{os.path.basename(path)}），请核对，或用 --cutoff 指定"), sheet, cell, "warning",
                code="relative-cutoff"))
        return


def attendance_periods(months: Sequence[AttendanceMonth], hints: dict[str, str],
                       operators: Sequence[OperatorPeriod], notes: list[str]
                       ) -> tuple[Period, ...]:
    """The months of each operator's period after a change of operator (two operators or
    more with their dates), `hints` naming the operator a month's table or section names;
    () with one operator."""
    if len(operators) < 2:
        return ()
    periods, said = assign_periods(months, operators, hints)
    notes.extend(said)
    return tuple(periods)
