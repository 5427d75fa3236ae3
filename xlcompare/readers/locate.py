"""Find a table's header by what its cells say, not where they are.

A header is one row, or two rows when the first has merged group labels (完成情况 over
完成量 / 完成率; 持证社工 over 应到 / 实到). Each column gets a role from the synonyms in
layout.toml; the header is accepted when the roles a table needs are all there.
"""

from __future__ import annotations

import re
from collections.abc import Callable, Iterable
from dataclasses import dataclass, field

from xlcompare.readers.cells import col_letter, parse_number, text_of
from xlcompare.readers.layout import RoleSet
from xlcompare.readers.workbook import Sheet

__all__ = ["Header", "find_header"]


@dataclass(frozen=True)
class Header:
    first_row: int
    last_row: int  # data starts below this row
    columns: dict[str, int]  # role → column index (first column with that role)
    labels: dict[int, str]  # column index → header text as read
    duplicates: tuple[str, ...] = ()  # roles claimed by more than one column (first kept)
    unassigned: dict[int, str] = field(default_factory=dict)  # labelled columns with no role

    def describe(self, sheet: str) -> str:
        rows = (
            f"row {self.first_row + 1}"
            if self.first_row == self.last_row
            else f"rows {self.first_row + 1}-{self.last_row + 1}"
        )
        mapping = ", ".join(
            f"{col_letter(col)}={role}"
            for role, col in sorted(self.columns.items(), key=lambda kv: kv[1])
        )
        return f"{sheet}: header {rows}; columns {mapping}"


def _labels(sheet: Sheet, row: int) -> list[str]:
    return [text_of(sheet.value(row, c)) for c in range(sheet.width)]


def _two_row_labels(sheet: Sheet, row: int) -> list[str]:
    labels = []
    for c in range(sheet.width):
        parent = text_of(sheet.value(row, c))
        child = text_of(sheet.value(row + 1, c))
        # a vertically merged cell repeats its text in the second row: say it once
        labels.append(parent if child == parent or not child else parent + child)
    return labels


_TEXT_LINE = re.compile(r"[:：].{2,}|(19|20)\d{2}\s*年\s*\d{1,2}\s*月\s*\d{1,2}")


def _is_text_line(labels: list[str]) -> bool:
    """Title, operator and period lines ("承办机构：…", "合同期：2024年3月1日至…") are never
    header rows, even when they hold words a header would."""
    return any(_TEXT_LINE.search(label) for label in labels)


def _has_typed_numbers(sheet: Sheet, row: int) -> bool:
    """A row with numeric cells is data or a label/value line, never a header row."""
    return any(isinstance(sheet.raw(row, c), int | float) and not isinstance(sheet.raw(row, c), bool)
               for c in range(sheet.width))


def _has_numbers(sheet: Sheet, row: int) -> bool:
    # text numbers count too: stations often store figures as text
    return any(parse_number(sheet.raw(row, c)).value is not None for c in range(sheet.width))


def _assign(labels: list[str], roles: RoleSet) -> tuple[dict[str, int], tuple[str, ...], dict[int, str]]:
    columns: dict[str, int] = {}
    duplicates: list[str] = []
    unassigned: dict[int, str] = {}
    seen_text: dict[int, str] = {}
    for col, label in enumerate(labels):
        role = roles.classify(label)
        if role is None:
            if label:
                unassigned[col] = label
            continue
        if role in columns:
            # a horizontally merged label repeats in each column it covers; not a duplicate
            if seen_text.get(columns[role]) != label:
                duplicates.append(role)
            continue
        columns[role] = col
        seen_text[col] = label
    return columns, tuple(duplicates), unassigned


def find_header(
    sheet: Sheet,
    roles: RoleSet,
    accept: Callable[[dict[str, int], dict[int, str]], bool],
    rows: Iterable[int],
) -> Header | None:
    """The first header among `rows` whose column roles satisfy `accept`."""
    for row in rows:
        single = _labels(sheet, row)
        if (sum(1 for label in single if label) < 2 or _is_text_line(single)
                or _has_typed_numbers(sheet, row)):
            continue
        candidates = [(row, single)]
        if (row + 1 < sheet.height and not _has_numbers(sheet, row + 1)
                and not _is_text_line(_labels(sheet, row + 1))):
            candidates.append((row + 1, _two_row_labels(sheet, row)))
        best = None
        for last, labels in candidates:
            columns, duplicates, unassigned = _assign(labels, roles)
            if not accept(columns, unassigned):
                continue
            score = len(columns) - len(duplicates)
            if best is None or score > best[0]:
                best = (score, Header(row, last, columns, dict(enumerate(labels)), duplicates,
                                      unassigned))
        if best is not None:
            return best[1]
    return None
