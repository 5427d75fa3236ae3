"""A meta label with its value in the next cell: `项目承接单位 | 某某中心`, `统计截止日期 | 2024-12-31`
(a date cell, or an Excel day number that lost its format), or the value in the cell below.

The label and its value become one text line (`统计截止日期：2024年12月31日`) for readers/meta.py,
and the value's cell is marked meta in the cell map.
"""

from __future__ import annotations

import re

from xlcompare.files.cells import a1, match_text, text_of
from xlcompare.readers.dates import date_of_cell
from xlcompare.readers.figures import SheetFigures
from xlcompare.readers.meta import TextLine, label_pattern

__all__ = ["with_values"]

# what may follow a label word in a label cell with no value of its own (统计截止日期：)
_LABEL_TAIL = re.compile(r"^(日期|时间|月份|名称|单位|机构|周期|期限)?[\s:：.。]*$")


def _is_bare_label(text: str, words: tuple[str, ...]) -> str | None:
    """The label word when `text` is a meta label with nothing after it (项目承接单位,
    统计截止日期：), else None."""
    if len(text) > 14 or any(ch.isdigit() for ch in text):
        return None
    match = label_pattern(words).search(text)
    if match is None or not _LABEL_TAIL.match(text[match.end():]):
        return None
    return match.group(0)


def _value_text(value: object, dated: bool) -> str | None:
    if value is None or value == "":
        return None
    if dated:
        day = date_of_cell(value)
        if day is not None:
            return f"{day.year}年{day.month}月{day.day}日"
    text = text_of(value)
    return text or None


def with_values(figs: SheetFigures, lines: list[TextLine]) -> list[TextLine]:
    """`lines` with each bare meta label joined to the value beside it (the next filled
    cell to its right) or, failing that, below it (the same column, the next row); the
    value's cell is marked meta. A date label's value may be a date cell or a day number."""
    layout, sheet = figs.layout, figs.sheet
    words = layout.cutoff_words + layout.contract_words + layout.operator_words
    dated_words = set(layout.cutoff_words + layout.contract_words)
    out = []
    for line in lines:
        r, c = line.cell
        if r < 0:
            out.append(line)
            continue
        text = match_text(line.text)
        label = _is_bare_label(text, words)
        if label is None:
            out.append(line)
            continue
        found = _beside(figs, r, c, text) or _below(figs, r, c)
        if found is None:
            out.append(line)
            continue
        vr, vc = found
        value = _value_text(sheet.raw(vr, vc), label in dated_words)
        if value is None:
            out.append(line)
            continue
        figs.mark(vr, (vc,), "meta")
        stem = text_of(line.text).rstrip(":：")
        out.append(TextLine(line.where, f"{stem}：{value}", line.cell))
        figs.notes.append(f"{sheet.name}!{a1(r, c)} 的值在 {a1(vr, vc)} (a label's value "
                          f"in the cell {'beside' if vr == r else 'below'} it)")
    return out


def _beside(figs: SheetFigures, r: int, c: int, text: str) -> tuple[int, int] | None:
    sheet = figs.sheet
    for col in range(c + 1, min(sheet.width, c + 8)):
        if match_text(sheet.value(r, col)) == text:
            continue  # the label's own merged cells
        raw = sheet.raw(r, col)
        if raw is None or text_of(raw) == "":
            continue
        return r, col
    return None


def _below(figs: SheetFigures, r: int, c: int) -> tuple[int, int] | None:
    sheet = figs.sheet
    if r + 1 >= sheet.height:
        return None
    if len({t for t in figs.texts[r] if t}) != 1:
        return None  # a label alone on its line only: in a row of headers, below is data
    raw = sheet.raw(r + 1, c)
    if raw is None or text_of(raw) == "":
        return None
    # a label below is another line, not this one's value
    if raw.__class__ is str and figs.scan.text_line[r + 1]:
        return None
    return r + 1, c
