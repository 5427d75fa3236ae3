"""Golden text dumps of what xlcompare writes: workbooks and terminal output, as plain text.

A refactor that must not change any output runs tests/test_golden.py: each output is dumped
here to deterministic text and compared with tests/golden/<name>.txt. Only what depends on
the run is masked:

- in workbooks, a date-time of the run (the 说明 sheet's `生成  xlcompare diff，2025-01-02 10:30`
  of `xlcompare diff`, from datetime.now()) becomes `<now>`; dates of the data (cut-offs,
  contract periods) are dates without a time and stay as they are. Of docProps only the
  creator is dumped: the created/modified times are the run's;
- in terminal text, elapsed seconds (`（0.05 秒）`, `(0.05 s)`) become `（<elapsed> 秒）`
  (`(<elapsed> s)`), the test's temporary folder `<tmp>`, and the installed package's folder (where the packaged taxonomy is read
  from) `<xlcompare>`.

Regenerate the goldens with `XLCOMPARE_UPDATE_GOLDEN=1 python -m pytest tests/test_golden.py`
or `python -m pytest tests/test_golden.py --update-golden`.
"""

from __future__ import annotations

import difflib
import os
import re
from collections.abc import Iterable
from datetime import datetime, time
from pathlib import Path
from typing import Any

import openpyxl
import pytest
from openpyxl.utils import get_column_letter
from openpyxl.worksheet.worksheet import Worksheet

import xlcompare

__all__ = ["GOLDEN_DIR", "NOW", "check_golden", "dump_text", "dump_workbook", "mask_now",
           "update_requested"]

GOLDEN_DIR = Path(__file__).resolve().parent / "golden"
UPDATE_ENV = "XLCOMPARE_UPDATE_GOLDEN"
NOW = "<now>"
DIFF_LINES = 80

# a date followed by a time of day: what datetime.now() gives when formatted (`%Y-%m-%d %H:%M`,
# isoformat). The data's own dates are written without a time, so they never match.
_DATETIME = re.compile(r"\d{4}-\d{2}-\d{2}[ T]\d{2}:\d{2}(?::\d{2}(?:\.\d+)?)?")
_ELAPSED = re.compile(r"\((\d+(?:\.\d+)?) s\)|（(\d+(?:\.\d+)?) 秒）")
_PACKAGE = Path(xlcompare.__file__).parent  # where the packaged taxonomy.toml is read from


# ----------------------------------------------------------------------------------- workbooks

def mask_now(value: Any) -> Any:
    """A timestamp of the run as `<now>`: a date-time string inside text, or a datetime with
    a time of day. A date (or a datetime at midnight: a date cell) is data and is kept."""
    if isinstance(value, str):
        return _DATETIME.sub(NOW, value)
    if isinstance(value, datetime) and value.time() != time(0, 0):
        return NOW
    return value


def _colour(colour: Any) -> str | None:
    """An openpyxl Color as text (`FFC6EFCE`, `theme1`, `indexed64`), None when unset."""
    if colour is None:
        return None
    kind = getattr(colour, "type", None)
    if kind == "rgb":
        return None if colour.rgb == "00000000" else str(colour.rgb)  # openpyxl's unset
    if kind == "theme":
        tint = f"{colour.tint:+g}" if colour.tint else ""
        return f"theme{colour.theme}{tint}"
    if kind == "indexed":
        return None if colour.indexed == 64 else f"indexed{colour.indexed}"  # 64: automatic
    return None


def _fill(fill: Any) -> str | None:
    """A cell's or rule's fill: its colour (`FFD9E1F2`, the foreground of a solid fill), or
    `fg:… bg:…` for anything else; None when it has no colour."""
    if fill is None:
        return None
    fg, bg = _colour(fill.fgColor), _colour(fill.bgColor)
    if fg is None and bg is None:
        return None
    if fill.fill_type == "solid" and bg is None:
        return fg
    text = " ".join(f"{k}:{v}" for k, v in (("fg", fg), ("bg", bg)) if v)
    return text if fill.fill_type in (None, "solid") else f"{fill.fill_type} {text}"


def _font_colour(font: Any) -> str | None:
    colour = _colour(getattr(font, "color", None)) if font is not None else None
    return None if colour in (None, "FF000000", "theme1") else colour


def _cell_line(cell: Any) -> str:
    parts = [cell.coordinate, repr(mask_now(cell.value))]
    if cell.number_format and cell.number_format != "General":
        parts.append(f"fmt={cell.number_format}")
    if cell.font is not None and cell.font.b:
        parts.append("bold")
    fill = _fill(cell.fill)
    if fill:
        parts.append(f"fill={fill}")
    font = _font_colour(cell.font)
    if font:
        parts.append(f"font={font}")
    return " | ".join(parts)


def _text_of(title: Any) -> str | None:
    """The plain text of a chart or axis title (rich text runs), or its formula reference."""
    if title is None or title.tx is None:
        return None
    if title.tx.strRef is not None:
        return f"={title.tx.strRef.f}"
    if title.tx.rich is None:
        return None
    return "".join(run.t or "" for p in title.tx.rich.p for run in (p.r or ()))


def _ref(data: Any) -> str | None:
    if data is None:
        return None
    for attr in ("strRef", "numRef", "multiLvlStrRef"):
        ref = getattr(data, attr, None)
        if ref is not None:
            return ref.f
    if getattr(data, "v", None) is not None:
        return repr(data.v)
    return None


def _chart_lines(sheet: Worksheet) -> list[str]:
    lines: list[str] = []
    for n, chart in enumerate(sheet._charts):  # openpyxl keeps the charts it read here
        anchor = getattr(chart.anchor, "_from", None)
        where = (f"{get_column_letter(anchor.col + 1)}{anchor.row + 1}"
                 if anchor is not None else "?")
        lines.append(f"  chart {n + 1} at {where}: title={_text_of(chart.title)!r}")
        for part in getattr(chart, "_charts", None) or [chart]:
            kind = type(part).__name__
            details = [f"{name}={getattr(part, name)}" for name in ("barDir", "grouping")
                       if getattr(part, name, None) is not None]
            lines.append(f"    {kind}" + (f" ({', '.join(details)})" if details else ""))
            for s in part.series:
                name = _ref(s.tx) if s.tx is not None else None
                lines.append(f"      series name={name} cat={_ref(s.cat)} val={_ref(s.val)}")
        for axis_name in ("x_axis", "y_axis"):
            axis = getattr(chart, axis_name, None)
            if axis is None:
                continue
            title = _text_of(axis.title) if axis.title is not None else None
            scaling = axis.scaling
            bounds = [f"{k}={getattr(scaling, k)!r}" for k in ("min", "max")
                      if scaling is not None and getattr(scaling, k) is not None]
            fmt = axis.numFmt.formatCode if getattr(axis, "numFmt", None) is not None else None
            extra = ([f"title={title!r}"] if title else []) + bounds + (
                [f"numFmt={fmt}"] if fmt else [])
            if extra:
                lines.append(f"    {axis_name}: " + " ".join(extra))
    return lines


def _print_lines(sheet: Worksheet) -> list[str]:
    setup = sheet.page_setup
    fit = sheet.sheet_properties.pageSetUpPr
    lines = [(f"  print: orientation={setup.orientation} paperSize={setup.paperSize} "
              f"fitToPage={bool(fit is not None and fit.fitToPage)} "
              f"fitToWidth={setup.fitToWidth} fitToHeight={setup.fitToHeight}"),
             (f"  print titles: rows={sheet.print_title_rows} cols={sheet.print_title_cols}; "
              f"print area: {sheet.print_area}")]
    m = sheet.page_margins
    lines.append(f"  margins: left={m.left} right={m.right} top={m.top} bottom={m.bottom}")
    footer = sheet.oddFooter
    parts = [f"{side}={getattr(footer, side).text!r}" for side in ("left", "center", "right")
             if getattr(footer, side).text]
    if parts:
        lines.append("  footer: " + " ".join(parts))
    return lines


def _cf_lines(sheet: Worksheet) -> list[str]:
    lines = []
    for cf in sheet.conditional_formatting:
        for rule in cf.rules:
            dxf = rule.dxf
            fill = _fill(dxf.fill) if dxf is not None else None
            font = _colour(dxf.font.color) if dxf is not None and dxf.font is not None else None
            lines.append(f"  cf {cf.sqref} | type={rule.type} operator={rule.operator} "
                         f"formula={[mask_now(f) for f in rule.formula]!r} "
                         f"priority={rule.priority} stopIfTrue={rule.stopIfTrue} "
                         f"fill={fill} font={font}")
    return lines


def _dv_lines(sheet: Worksheet) -> list[str]:
    validations = sheet.data_validations.dataValidation if sheet.data_validations else []
    return [f"  validation {dv.sqref} | type={dv.type} operator={dv.operator} "
            f"formula1={dv.formula1!r} formula2={dv.formula2!r} allowBlank={dv.allow_blank}"
            for dv in validations]


def _column_lines(sheet: Worksheet) -> list[str]:
    dims = sorted(sheet.column_dimensions.values(), key=lambda d: d.min or 0)
    shown = []
    for d in dims:
        if d.min is None or not (d.customWidth or d.hidden):
            continue
        span = get_column_letter(d.min) + ("" if d.max in (None, d.min)
                                           else f":{get_column_letter(d.max)}")
        shown.append(f"{span}={d.width!r}" + (" hidden" if d.hidden else ""))
    return ["  column widths: " + (", ".join(shown) or "(default)")]


def _row_height_lines(sheet: Worksheet) -> list[str]:
    heights = [f"{r}={d.ht!r}" for r, d in sorted(sheet.row_dimensions.items())
               if d.ht is not None]
    return ["  row heights: " + (", ".join(heights) or "(default)")]


def _sheet_lines(sheet: Worksheet) -> list[str]:
    merged = sorted(sheet.merged_cells.ranges, key=lambda r: (r.min_row, r.min_col,
                                                               r.max_row, r.max_col))
    lines = [f"== sheet {sheet.title!r} ({sheet.sheet_state})",
             f"  dimensions: {sheet.dimensions}",
             f"  freeze panes: {sheet.freeze_panes}",
             "  merged: " + (", ".join(str(r) for r in merged) or "(none)")]
    lines += _print_lines(sheet)
    lines += _column_lines(sheet)
    lines += _row_height_lines(sheet)
    lines.append(f"  autofilter: {sheet.auto_filter.ref}")
    lines += _cf_lines(sheet)
    lines += _dv_lines(sheet)
    lines += _chart_lines(sheet)
    lines.append("  cells:")
    for row in sheet.iter_rows():
        for cell in row:
            if cell.value is None or cell.value == "":
                continue
            lines.append("    " + _cell_line(cell))
    return lines


def dump_workbook(path: str | Path) -> str:
    """Every sheet of an .xlsx, in order, as deterministic text (see the module's doc)."""
    book = openpyxl.load_workbook(path)  # not read-only: merged cells, charts, rules
    try:
        lines = [f"creator: {book.properties.creator!r}",
                 "sheets: " + ", ".join(repr(s.title) for s in book.worksheets)]
        for sheet in book.worksheets:
            lines += _sheet_lines(sheet)
    finally:
        book.close()
    return "\n".join(lines) + "\n"


# ------------------------------------------------------------------------------ terminal text

def dump_text(text: str, tmp: str | Path | Iterable[str | Path] | None = None) -> str:
    """Terminal output with what depends on the run masked: elapsed seconds `(0.12 s)`, the
    temporary folder(s) `tmp` (as given and resolved) as `<tmp>`, the package's own folder as
    `<xlcompare>`. Lines a mask changed lose their trailing spaces: rich pads a title to its
    table's width, and the padding would depend on the masked path's length."""
    if tmp is None:
        tmps: list[str | Path] = []
    elif isinstance(tmp, (str, Path)):
        tmps = [tmp]
    else:
        tmps = list(tmp)
    paths: dict[str, str] = {}
    for folder in tmps:
        for form in (str(folder), str(Path(folder).resolve()), Path(folder).as_posix()):
            paths[form] = "<tmp>"
    for form in (str(_PACKAGE), str(_PACKAGE.resolve()), _PACKAGE.as_posix()):
        paths[form] = "<xlcompare>"
    ordered = sorted(paths, key=len, reverse=True)  # the longest (most specific) first
    out = []
    for line in text.replace("\r\n", "\n").split("\n"):
        masked = _ELAPSED.sub(lambda m: "（<elapsed> 秒）" if m.group(2) else "(<elapsed> s)",
                              line)
        for form in ordered:
            masked = masked.replace(form, paths[form])
        out.append(masked.rstrip() if masked != line else masked)
    return "\n".join(out)


# ---------------------------------------------------------------------------------- comparing

def update_requested() -> bool:
    return os.environ.get(UPDATE_ENV, "") not in ("", "0")


def check_golden(name: str, text: str, update: bool | None = None) -> None:
    """Compare `text` with tests/golden/<name>.txt; fail with a unified diff on a mismatch.
    With `update` (default: the XLCOMPARE_UPDATE_GOLDEN environment variable) rewrite the
    file instead."""
    if update is None:
        update = update_requested()
    path = GOLDEN_DIR / f"{name}.txt"
    if update:
        path.parent.mkdir(parents=True, exist_ok=True)
        old = path.read_bytes() if path.exists() else None
        new = text.encode("utf-8")
        if old != new:
            path.write_bytes(new)
        return
    if not path.exists():
        pytest.fail(f"no golden file tests/golden/{name}.txt; create it with "
                    f"{UPDATE_ENV}=1 python -m pytest tests/test_golden.py (or --update-golden)",
                    pytrace=False)
    expected = path.read_bytes().decode("utf-8").replace("\r\n", "\n")
    if expected == text:
        return
    diff = list(difflib.unified_diff(expected.splitlines(keepends=True),
                                     text.splitlines(keepends=True),
                                     fromfile=f"tests/golden/{name}.txt",
                                     tofile=f"{name} (this run)"))
    shown = "".join(line if line.endswith("\n") else line + "\n" for line in diff[:DIFF_LINES])
    more = f"... {len(diff) - DIFF_LINES} more diff lines\n" if len(diff) > DIFF_LINES else ""
    pytest.fail(f"output differs from tests/golden/{name}.txt:\n{shown}{more}"
                f"(if the change is intended: {UPDATE_ENV}=1 python -m pytest "
                "tests/test_golden.py, or --update-golden)", pytrace=False)
