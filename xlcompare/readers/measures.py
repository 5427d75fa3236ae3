"""Targets and completions written as words: `≥700人次`, `4次`, `约7.62万元` (76200 元),
`个案≥4个、个案服务≥20人次` (two measures in one cell), `探访774人次` (prose with the number inside).

A cell is read as number + unit (+ comparator). A cell holding two measures is split into
two indicator rows only when each measure of its target pairs with exactly one of its
completion (by the words before it, else by its unit); prose is read only when exactly one
number with a compatible unit is in it. Anything else is a problem naming the cell, never a
guess.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from functools import lru_cache
from typing import NamedTuple

from xlcompare.files.cells import Parsed, a1, parse_number, simplified, text_of
from xlcompare.readers.figures import SheetFigures

__all__ = ["Measure", "TextFigure", "measures", "same_unit", "split_compound", "text_figure"]


@dataclass(frozen=True, slots=True)
class Measure:
    """One number of a cell with what is written around it."""

    value: float  # money in 元 (7.62万元 → 76200)
    unit: str | None  # 人次, 个, 元 …; None when the number stands alone
    comparator: str | None  # ≥ > ≤ < ≈ (约, 左右), or None
    label: str  # the words before it (个案, 探访), "" when none


_COMPARATORS = {
    "≥": ("≥", ">=", "≧", "不少于", "不低于", "不小于", "至少", "最少", "以上", "及以上"),
    ">": (">", "超过", "多于", "逾", "大于"),
    "≤": ("≤", "<=", "≦", "不超过", "不多于", "不高于", "最多", "以下", "及以下"),
    "<": ("<", "少于", "低于", "小于"),
    "≈": ("约", "大约", "近", "左右", "余", "约为"),
}
_COMPARATOR_OF = {word: sign for sign, words in _COMPARATORS.items() for word in words}
_BEFORE = "|".join(re.escape(w) for w in sorted(
    (w for w in _COMPARATOR_OF if w not in ("以上", "及以上", "以下", "及以下", "左右", "余")),
    key=len, reverse=True))
_UNITS = ("人次", "户次", "场次", "课时", "小时", "个", "次", "节", "名", "支", "人", "户", "场",
          "期", "元", "份", "篇", "项", "天", "家", "条", "所", "队", "组", "h")
_MEASURE = re.compile(
    r"(?P<label>[\u4e00-\u9fffA-Za-z]*?)\s*(?P<cmp>" + _BEFORE + r")?\s*"
    r"(?P<num>\d+(?:\.\d+)?)\s*(?P<scale>万|千)?\s*"
    r"(?P<unit>" + "|".join(_UNITS) + r")?\s*(?P<post>及以上|以上|及以下|以下|左右|余)?"
    r"(?P<pct>\s*%)?")
# dates and years are not figures: 2024年, 2024年12月31日, 2024.12, 12月31日
_DATE_PARTS = re.compile(
    r"(19|20)\d{2}\s*(年|[./\-]\s*\d{1,2})(\s*\d{1,2}\s*月)?(\s*[./\-]?\s*\d{1,2}\s*[日号]?)?"
    r"|\d{1,2}\s*月(\s*\d{1,2}\s*[日号])?|第\s*\d+\s*[季期周次]")
_THOUSANDS = re.compile(r"(?<=\d),(?=\d{3}(?!\d))")
# units that count the same thing
_SAME = {"h": "小时", "课时": "小时", "名": "人"}


def same_unit(a: str | None, b: str | None) -> bool:
    """Whether two units count the same thing (名 and 人 do; 次 and 人次 do not)."""
    if a is None or b is None:
        return True
    a, b = simplified(a).strip("()（）"), simplified(b).strip("()（）")
    if a in ("万元", "千元"):
        a = "元"
    if b in ("万元", "千元"):
        b = "元"
    return _SAME.get(a, a) == _SAME.get(b, b)


@lru_cache(maxsize=1 << 12)
def measures(text: str) -> tuple[Measure, ...]:
    """Every number of a cell's text with its unit, comparator and the words before it;
    dates, years and percentages are left out."""
    clean = _THOUSANDS.sub("", simplified(text_of(text)))
    clean = _DATE_PARTS.sub("、", clean)
    found = []
    for match in _MEASURE.finditer(clean):
        if match.group("pct"):
            continue
        value = float(match.group("num"))
        scale = match.group("scale")
        unit = match.group("unit")
        if scale:
            value *= 10000 if scale == "万" else 1000
            value = round(value, 6)
        sign = match.group("cmp") or match.group("post")
        found.append(Measure(value, unit, _COMPARATOR_OF.get(sign) if sign else None,
                             match.group("label")))
    return tuple(found)


class TextFigure(NamedTuple):
    """What a figure cell gives: the number (Parsed, as figs.number gives it), the unit the
    cell states, its comparator, and its text when the number was read out of words. A
    tuple: one is made per figure cell."""

    parsed: Parsed
    unit: str | None = None
    comparator: str | None = None
    text: str | None = None


_PLAIN = re.compile(r"^\s*[+-]?[\d,.，]+\s*(万|千)?\s*(" + "|".join(_UNITS) + r")?\s*$")


def text_figure(figs: SheetFigures, r: int, col: int | None, what: str, unit: str | None,
                *, target: bool, value: object = None) -> TextFigure:
    """The figure of a cell of 附件1, text included: `≥700人次` is 700 (≥, 人次), `探访774人次`
    is 774 when it is the one number with a unit like the row's. Problems as figs.number
    reports them, plus the doubts of words: several numbers (`ambiguous-figure`), a
    target that is a ceiling (`upper-bound-target`), a unit unlike the row's
    (`unit-mismatch`), an approximate figure (`approximate-figure`)."""
    if col is None:
        return TextFigure(Parsed(None))
    raw = figs.sheet.value(r, col) if value is None else value
    if raw.__class__ is not str or (figs.sheet.formulas and (r, col) in figs.sheet.formulas):
        # a number (or a formula): as ever
        return TextFigure(figs.number(r, col, what, value=raw))
    assert isinstance(raw, str)
    plain = parse_number(raw)
    if plain.value is not None or (plain.error is None and plain.code is None):
        found = measures(raw) if plain.value is not None and _PLAIN.match(text_of(raw)) else ()
        return TextFigure(plain, found[0].unit if len(found) == 1 else None)
    if plain.code != "not-a-number":
        return TextFigure(figs.number(r, col, what))
    found = measures(raw)
    written = " ".join(raw.split())  # as the cell holds it, its spacing made plain
    if not found:
        return TextFigure(figs.number(r, col, what))
    fitting = [m for m in found if same_unit(m.unit, unit)]
    if len(fitting) != 1:
        shown = "、".join(f"{m.value:g}{m.unit or ''}" for m in (fitting or found))
        why = (f"有 {len(fitting)} 个单位与本行（{unit}）相符的数字（{shown}），无法确定取哪一个"
               if unit and fitting else
               f"没有单位与本行（{unit}）相符的数字（{shown}）" if unit else
               f"有 {len(found)} 个数字（{shown}），无法确定取哪一个")
        figs.report(f"{what}：“{written}” {why}，未读取，请在此格只填一个数字", r, col,
                    code="ambiguous-figure")
        return TextFigure(Parsed(None, error="ambiguous", code="ambiguous-figure"), text=written)
    measure = fitting[0]
    said = (f"{what}：“{written}” 读作 {measure.value:g}"
            f"{'（' + measure.unit + '）' if measure.unit else ''}")
    if target and measure.comparator in ("≤", "<"):
        figs.report(f"{said}，但这是上限（{measure.comparator}），不是要完成的量，不按完成率判断",
                    r, col, code="upper-bound-target")
        return TextFigure(Parsed(None), measure.unit, measure.comparator, written)
    if measure.comparator == "≈" or (not target and measure.comparator):
        figs.report(f"{said}，原文为约数或范围，请核对", r, col, "info",
                    code="approximate-figure")
    else:
        figs.notes.append(f"{figs.sheet.name}!{a1(r, col)}: {said}")
    return TextFigure(Parsed(measure.value), measure.unit, measure.comparator, written)


@dataclass(frozen=True, slots=True)
class Part:
    """One measure of a compound cell, paired with its completion."""

    name: str
    unit: str | None
    target: Measure
    completed: Measure | None


def split_compound(figs: SheetFigures, r: int, target_col: int | None,
                   completed_col: int | None, name: str) -> list[Part] | None:
    """A target cell holding several measures (`个案≥4个、个案服务≥20人次`), paired with
    the completion cell's measures one to one: by the words before each, else by unit.
    None when the target cell is not compound; [] (with a `compound-cell` problem) when it
    is but the pairing is not certain."""
    if target_col is None:
        return None
    raw = figs.sheet.value(r, target_col)
    if not isinstance(raw, str):
        return None
    targets = measures(raw)
    if len(targets) < 2:
        return None
    written = text_of(raw)
    done_raw = figs.sheet.value(r, completed_col) if completed_col is not None else None
    done: tuple[Measure, ...] = ()
    if isinstance(done_raw, str):
        done = measures(done_raw)
    elif isinstance(done_raw, int | float) and not isinstance(done_raw, bool):
        done = (Measure(float(done_raw), None, None, ""),)
    pairs = _pair(targets, done)
    if pairs is None:
        shown = text_of(done_raw) if done_raw not in (None, "") else "空"
        figs.report(f"{name}：协议指标量“{written}”含 {len(targets)} 项，完成量“{shown}”无法逐项对应，"
                    "此行未读；请每项一行填写", r, target_col, code="compound-cell")
        return []
    parts: list[Part] = []
    for target, completed in pairs:
        label = target.label or (completed.label if completed else "")
        part_name = label or name
        if any(p.name == part_name for p in parts) or sum(
                1 for t in targets if (t.label or name) == part_name) > 1:
            part_name = f"{part_name}（{target.unit}）" if target.unit else part_name
        parts.append(Part(part_name, target.unit or (completed.unit if completed else None),
                          target, completed))
    figs.report(f"{name}：协议指标量“{written}”含 {len(parts)} 项，已分为 "
                f"{'、'.join(p.name for p in parts)} 各读一行", r, target_col, "info",
                code="compound-split")
    return parts


def _pair(targets: tuple[Measure, ...], done: tuple[Measure, ...]
          ) -> list[tuple[Measure, Measure | None]] | None:
    """Each target with the one completion it can only mean, or None when any is unsure."""
    if not done:
        return None
    if len(done) != len(targets):
        return None
    labels = [t.label for t in targets]
    if all(labels) and len(set(labels)) == len(labels):
        by_label = {m.label: m for m in done}
        if len(by_label) == len(done) and set(by_label) == set(labels):
            return [(t, by_label[t.label]) for t in targets]
    units = [t.unit for t in targets]
    if all(units) and len(set(units)) == len(units):
        by_unit: dict[str | None, Measure] = {}
        for m in done:
            matches = [u for u in units if same_unit(u, m.unit) and m.unit is not None]
            if len(matches) != 1 or matches[0] in by_unit:
                return None
            by_unit[matches[0]] = m
        return [(t, by_unit[t.unit]) for t in targets]
    return None
