"""Reading figures from one sheet with every doubt written down as a Problem."""

from __future__ import annotations

from collections.abc import Iterable, Sequence
from dataclasses import dataclass, field

from xlcompare.files.cells import Parsed, a1, parse_number
from xlcompare.files.formulas import evaluate
from xlcompare.files.workbook import Sheet
from xlcompare.model import PersonAttendance, Problem, Severity, Source
from xlcompare.readers.accounting import columns_span
from xlcompare.readers.layout import Layout
from xlcompare.readers.locate import Header, SheetScan, scan_sheet

__all__ = ["SheetFigures"]


# what a per-person sheet's cell holds is not repeated without --with-names: a worker's name
# typed where a month's figure belongs would otherwise reach every output and the history
_UNQUOTED = ("此处应为数字，内容未显示：人员明细可能含姓名，加 --with-names 可显示 (not a number; "
             "its text is not shown, as a per-person sheet holds names)")


_UNREAD = object()  # SheetFigures.number: the caller did not fetch the cell's value


@dataclass
class SheetFigures:
    """A sheet plus the file it came from; collects problems as figures are read."""

    file: str
    sheet: Sheet
    layout: Layout
    problems: list[Problem] = field(default_factory=list)
    notes: list[str] = field(default_factory=list)
    _resolving: set[tuple[int, int]] = field(default_factory=set)
    _scan: SheetScan | None = None
    # per-person rows (names included) are collected only when the caller asks for names
    persons: list[PersonAttendance] | None = None
    # the role each cell was read in (readers/accounting.py); the first mark stands
    roles: dict[tuple[int, int], str] = field(default_factory=dict)

    def mark_header(self, header: Header, extra: Iterable[int] = (), *, parts: bool = True
                    ) -> tuple[list[int], Sequence[int]]:
        """Mark a table's header rows read; return the columns its rows are read in (with
        `parts`, those of a total column too: A片区 / B片区 under 合计; and `extra`, such as
        the months of a per-person sheet) and their span."""
        read_cols = [*header.columns.values(),
                     *(c for cols in header.alternatives.values() for c in cols if parts),
                     *extra]
        span = columns_span(read_cols)
        for r in range(header.first_row, header.last_row + 1):
            self.mark(r, span, "header")
        return read_cols, span

    def mark(self, row: int, columns: Iterable[int], role: str) -> None:
        """Cells of `row` in `columns` were read as `role` (empty cells are skipped later)."""
        roles = self.roles
        for col in columns:
            roles.setdefault((row, col), role)

    @property
    def scan(self) -> SheetScan:
        """Per-row facts (clean texts, number flags) of the sheet, computed on first use."""
        if self._scan is None:
            self._scan = scan_sheet(self.sheet)
        return self._scan

    @property
    def texts(self) -> list[list[str]]:
        return self.scan.texts

    def source(self, row: int, col: int | None = None) -> Source:
        cell = a1(row, col) if col is not None else f"row {row + 1}"
        return Source(self.file, self.sheet.name, cell)

    def report(self, message: str, row: int | None = None, col: int | None = None,
               severity: Severity = "warning", *, code: str) -> None:
        """A Problem at a cell (or a row, without `col`) of this sheet, with its code
        (codes.PROBLEM_CODES)."""
        cell = self.source(row, col).cell if row is not None else None
        self.problems.append(Problem(self.file, message, self.sheet.name, cell, severity,
                                     code=code))

    def number(self, row: int, col: int | None, what: str = "", *, quote: bool = True,
               value: object = _UNREAD) -> Parsed:
        """The figure in a cell. A formula the file holds no value for is recomputed when it
        is simple arithmetic, else reported; text that is not a number is reported — quoted,
        unless `quote` is False (a per-person sheet, where the text may be a worker's name).
        `value`: the cell's value when the caller has it already."""
        if col is None:
            return Parsed(None)
        formulas = self.sheet.formulas
        formula = formulas.get((row, col)) if formulas else None
        if formula is not None and not formula.cached:
            value = self._recompute(row, col)
            if value is None:
                self.report(
                    f"公式 ={formula.text} 没有保存计算结果，也无法在此重算"
                    f"{'（' + what + '）' if what else ''}：请在Excel或WPS中打开并保存 (formula "
                    "has no saved value and cannot be recomputed here)",
                    row, col, "error", code="uncomputed-formula",
                )
                return Parsed(None, error="uncomputed formula", code="uncomputed-formula")
            self.notes.append(f"{self.sheet.name}!{a1(row, col)}: 公式未存结果，已重算 (recomputed) "
                              f"={formula.text} → {value:g}")
            return Parsed(value)
        parsed = parse_number(self.sheet.value(row, col) if value is _UNREAD else value)
        if parsed.error:
            assert parsed.code, parsed  # every error of parse_number names its code
            error = parsed.error if quote or parsed.code == "error-value" else _UNQUOTED
            self.report(f"{what + ': ' if what else ''}{error}", row, col, code=parsed.code)
        return parsed

    def _recompute(self, row: int, col: int) -> float | None:
        formula = self.sheet.formulas[(row, col)]
        if (row, col) in self._resolving:  # a circular reference
            return None
        self._resolving.add((row, col))
        try:
            return evaluate(formula.text, self._value_for_formula)
        finally:
            self._resolving.discard((row, col))

    def _value_for_formula(self, row: int, col: int) -> float | None:
        formula = self.sheet.formulas.get((row, col))
        if formula is not None and not formula.cached:
            return self._recompute(row, col)
        return parse_number(self.sheet.value(row, col)).value


def check_total(figs: SheetFigures, row: int, col: int | None,
                scopes: list[list[float | None]], what: str) -> None:
    """Report a stated total that matches the sum of none of the row sets it may cover
    (give one list per plausible scope; the first is the one named in the message)."""
    if col is None:
        return
    stated = figs.number(row, col, what).value
    sums = [sum(v for v in scope if v is not None) for scope in scopes
            if any(v is not None for v in scope)]
    if stated is None or not sums:
        return
    if all(abs(stated - total) > figs.layout.sum_tolerance for total in sums):
        figs.report(f"{what}：表内合计为 {stated:g}，各行相加为 {sums[0]:g} (the sheet's total "
                    "differs from its rows)",
                    row, col, code="total-mismatch")
