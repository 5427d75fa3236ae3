"""附件1: indicator rows under a located header.

Skips blank, subtotal (合计/小计, checked against their rows), section-heading and note rows;
carries category cells down; reads the sheet's own rate and checks it against
completed ÷ annual target.
"""

from __future__ import annotations

import re
from functools import lru_cache

from xlcompare.files.cells import Parsed, match_text, shared_text, text_of
from xlcompare.model import IndicatorRow, Source
from xlcompare.readers.figures import SheetFigures, check_total
from xlcompare.readers.locate import Header
from xlcompare.readers.measures import TextFigure, same_unit, split_compound, text_figure

__all__ = ["accepts_annex1", "indicator_at", "raw_text", "read_annex1"]

_UNIT_IN_NAME = re.compile(r"[（(【\[]\s*([^（）()【】\[\]]{1,4})\s*[）)】\]]\s*$")
_HEADING = re.compile(r"^([一二三四五六七八九十]+[、.．]|[（(][一二三四五六七八九十]+[)）]|第[一二三四五六七八九十]+)")


def accepts_annex1(columns: dict[str, int], unassigned: dict[int, str]) -> bool:
    return "name" in columns and ("target" in columns or "completed" in columns)


def _another_header(figs: SheetFigures, r: int, name_col: int) -> bool:
    """A row that reads as an 附件1 header again (its own 指标名称 over the name column, and
    another role beside it): a table stacked under this one, with its own header. A header
    cell merged down from above is this table's own."""
    roles, texts = figs.layout.annex1, figs.texts[r]
    return (roles.classify(texts[name_col]) == "name"
            and not figs.sheet.is_merged_follower(r, name_col)
            and sum(1 for c, text in enumerate(texts)
                    if text and not figs.sheet.is_merged_follower(r, c)
                    and roles.classify(text)) >= 2)


def _rate(parsed: Parsed, recomputed: float | None) -> float | None:
    """The sheet's rate as a fraction: `51.29%` and 0.5129 say it plainly; a bare 51.29 is
    taken as percent points when that is nearer to what the figures give."""
    if parsed.value is None:
        return None
    if parsed.percent:
        return parsed.value
    value = parsed.value
    if recomputed is not None:
        return value if abs(value - recomputed) <= abs(value / 100 - recomputed) else value / 100
    return value / 100 if value > 10 else value


def read_annex1(figs: SheetFigures, header: Header) -> tuple[list[IndicatorRow], int]:
    """Indicator rows below `header`, and the last row that belongs to the table."""
    sheet, layout, cols = figs.sheet, figs.layout, header.columns
    name_col, cat_col = cols["name"], cols.get("category")
    figure_cols = [cols[r] for r in ("target", "completed", "rate", "midterm_target") if r in cols]
    rows: list[IndicatorRow] = []
    category: str | None = None
    block_start, block_ends = 0, False
    last_row = header.last_row
    read_cols, span = figs.mark_header(header)
    for r in range(header.last_row + 1, sheet.height):
        texts = figs.texts[r]
        nonblank = [t for t in texts if t]
        if not nonblank:
            continue
        joined = "".join(dict.fromkeys(nonblank))
        # raw cells, not merge-filled ones: a note merged across the row is not a figure
        has_figures = any(not _blank_cell(sheet.raw(r, c)) for c in figure_cols)
        if (not has_figures and (any(p.search(joined) for p in layout.annex2_title)
                                 or any(p.search(joined) for p in layout.annex1_title))
                or _another_header(figs, r, name_col)):
            break  # another table starts below: an 附件2, or an 附件1 of its own (a station each)
        name = texts[name_col]
        cat_text = texts[cat_col] if cat_col is not None else ""
        label = name or cat_text or nonblank[0]
        if layout.is_subtotal(label) or (not name and layout.is_subtotal(nonblank[0])):
            scopes = _subtotal_scopes(rows[block_start:] if "小计" in label else rows, label,
                                      texts[cols["unit"]] if "unit" in cols else "")
            for role, what in (("target", "协议指标量"), ("completed", "完成量")):
                check_total(figs, r, cols.get(role), [[getattr(x, role) for x in scope]
                                                      for scope in scopes], f"{label} {what}")
            # several 小计 in a row (次, then 人次) cover the same block
            block_ends = True
            last_row = r
            figs.mark(r, span, "total")
            continue
        if layout.is_note(nonblank[0]) and not has_figures:
            figs.mark(r, [c for c, text in enumerate(texts) if text], "note")
            continue
        if not has_figures and len(set(nonblank)) == 1 and (
            _HEADING.match(nonblank[0]) or _spans_columns(figs, r, name_col) or not cat_col
        ):
            category = re.sub(_HEADING, "", nonblank[0]) or nonblank[0]
            block_start = len(rows)
            last_row = r
            figs.mark(r, span, "data")  # a section heading: the category of the rows below
            continue
        if cat_col is not None and cat_text and cat_text != match_text(category):
            if category is not None:
                block_start = len(rows)
            category = shared_text(raw_text(sheet.value(r, cat_col)))
        if not name:
            if has_figures:
                figs.report("有数字但没有指标名称，此行未读 (figures without an indicator name; row skipped)", r,
                            code="unnamed-row")
            continue
        if block_ends:
            block_start, block_ends = len(rows), False
        rows.extend(_indicators(figs, header, r, category))
        figs.mark(r, read_cols, "data")
        last_row = r
    return rows, last_row


def _indicators(figs: SheetFigures, header: Header, r: int, category: str | None
                ) -> list[IndicatorRow]:
    """The row's indicator, or one per measure of a compound target cell
    (`个案≥4个、个案服务≥20人次` beside `个案5个、个案服务25人次`); none when such a cell cannot
    be split with certainty (a `compound-cell` problem says so)."""
    cols = header.columns
    target_col = cols.get("target")
    if target_col is None or figs.sheet.value(r, target_col).__class__ is not str:
        return [_indicator(figs, header, r, category)]  # a number: the common case
    name = shared_text(raw_text(figs.sheet.value(r, cols["name"])) or "")
    parts = split_compound(figs, r, target_col, cols.get("completed"), name)
    if parts is None:
        return [_indicator(figs, header, r, category)]
    source = figs.source(r, cols["name"])
    rows = []
    for part in parts:
        target = part.target.value if part.target.comparator not in ("≤", "<") else None
        completed = part.completed.value if part.completed else None
        rows.append(IndicatorRow(
            name=shared_text(part.name), category=category or name, unit=part.unit,
            target=target, completed=completed, source=source,
            target_text=text_of(figs.sheet.value(r, cols["target"])),
            completed_text=text_of(figs.sheet.value(r, cols["completed"]))
            if "completed" in cols else None))
    return rows


def _indicator(figs: SheetFigures, header: Header, r: int, category: str | None) -> IndicatorRow:
    sheet, cols = figs.sheet, header.columns
    raw_name = shared_text(raw_text(sheet.value(r, cols["name"])) or "")
    unit = shared_text(raw_text(sheet.value(r, cols["unit"]))) if "unit" in cols else None
    remarks = raw_text(sheet.value(r, cols["remarks"])) if "remarks" in cols else None
    return indicator_at(figs, r, cols, raw_name, category, unit, remarks,
                        figs.source(r, cols["name"]))


def indicator_at(figs: SheetFigures, r: int, cols: dict[str, int], raw_name: str,
                 category: str | None, unit: str | None, remarks: str | None,
                 source: Source) -> IndicatorRow:
    """The indicator whose figures stand in row `r`, in the columns `cols` names (target,
    completed, rate, midterm_target): its figures parsed, its own rate checked against
    completed ÷ target. Its name comes from the caller (a name column, or the header of a
    group of columns in the district's wide table)."""
    sheet = figs.sheet
    if not unit:
        match = _UNIT_IN_NAME.search(text_of(raw_name))
        unit = match.group(1) if match else None
    target_col, done_col = cols.get("target"), cols.get("completed")
    read_target = text_figure(figs, r, target_col, "协议指标量", unit, target=True,
                              value=sheet.value(r, target_col) if target_col is not None else None)
    read_done = text_figure(figs, r, done_col, "完成量", unit or read_target.unit, target=False,
                            value=sheet.value(r, done_col) if done_col is not None else None)
    unit = _unit_of(figs, r, cols, raw_name, unit, read_target, read_done)
    target, completed = read_target.parsed, read_done.parsed
    if unit in _SCALED and (target.value is not None or completed.value is not None):
        # a 万元 column of plain numbers: money is kept in 元
        scale, unit = _SCALED[unit]
        target, completed = _scaled(target, read_target, scale), _scaled(completed, read_done,
                                                                           scale)
    midterm = figs.number(r, cols.get("midterm_target"), "中期指标")
    recomputed = (
        completed.value / target.value if completed.value is not None and target.value else None
    )
    sheet_rate = _rate(figs.number(r, cols.get("rate"), "完成率"), recomputed)
    if "target" in cols and target.value is None and not target.error:
        figs.report(f"{raw_name}：无协议指标量，未计算完成率 (no annual target; completion rate not computed)", r,
                    cols["target"], "info", code="no-target")
    elif target.value == 0:
        figs.report(f"{raw_name}：协议指标量为0，未计算完成率 (annual target is 0; completion rate not computed)", r,
                    cols["target"], "info", code="zero-target")
    if "completed" in cols and completed.value is None and not completed.error:
        figs.report(f"{raw_name}：完成量为空 (completed is blank)", r, cols["completed"],
                    code="blank-completed")
    if (
        sheet_rate is not None and recomputed is not None
        and abs(sheet_rate - recomputed) > figs.layout.rate_tolerance
    ):
        figs.report(
            f"{raw_name}：表内完成率 {sheet_rate:.2%} 与 完成量÷协议指标量 = {completed.value:g} ÷ "
            f"{target.value:g} = {recomputed:.2%} 不符 (the sheet's rate differs from "
            "completed ÷ target)",
            r, cols["rate"], code="rate-mismatch",
        )
    return IndicatorRow(
        name=raw_name,
        category=category,
        unit=unit or None,
        target=target.value,
        completed=completed.value,
        sheet_rate=sheet_rate,
        midterm_target=midterm.value,
        remarks=remarks or None,
        source=source,
        target_text=read_target.text,
        completed_text=read_done.text,
    )


# a money unit kept as 元: the figures of a 万元 row are scaled to 元
_SCALED = {"万元": (10000.0, "元"), "千元": (1000.0, "元")}


def _scaled(parsed: Parsed, read: TextFigure, scale: float) -> Parsed:
    if parsed.value is None or read.unit is not None:  # a unit in the cell was applied
        return parsed
    return parsed._replace(value=round(parsed.value * scale, 6))


def _unit_of(figs: SheetFigures, r: int, cols: dict[str, int], name: str, unit: str | None,
             target: TextFigure, done: TextFigure) -> str | None:
    """The row's unit: its unit column or name, else the one its figure cells state; a
    cell whose unit counts something else is reported."""
    stated = target.unit or done.unit
    if unit is None:
        return shared_text(stated) if stated else None
    for read, role in ((target, "target"), (done, "completed")):
        if read.unit is not None and read.parsed.value is not None and not same_unit(
                read.unit, unit) and not (unit in _SCALED and read.unit == "元"):
            figs.report(f"{name}：此格单位为“{read.unit}”，本行单位为“{unit}”，请核对", r,
                        cols[role], code="unit-mismatch")
    return unit


def _subtotal_scopes(rows: list[IndicatorRow], label: str, unit: str) -> list[list[IndicatorRow]]:
    """The rows a subtotal may cover: all of its block, or only those of its unit, since
    stations add up counts (次) apart from attendances (人次) under one 小计."""
    unit = unit or ("人次" if "人次" in label else "次" if "次" in label else "")
    same_unit = [x for x in rows if x.unit == unit] if unit else []
    return [same_unit, rows] if same_unit else [rows]


def raw_text(value: object) -> str | None:
    if value is None:
        return None
    if value.__class__ is str:
        return _spaced(value)
    return _spaced(str(value).strip() if not isinstance(value, float) else text_of(value))


_SPACES = re.compile(r"\s+")


@lru_cache(maxsize=1 << 14)
def _spaced(text: str) -> str | None:
    # cached: names, units and categories repeat in every station's file
    return _SPACES.sub(" ", text.strip()) or None


def _blank_cell(value: object) -> bool:
    return text_of(value) == ""


def _spans_columns(figs: SheetFigures, row: int, col: int) -> bool:
    span = figs.sheet.merge_span(row, col)
    return span is not None and span[3] > span[1]
