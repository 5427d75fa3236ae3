"""Find a table's header by what its cells say, not where they are.

A header is one row, or two rows when the first has merged group labels (完成情况 over
完成量 / 完成率; 持证社工 over 应到 / 实到). Each column gets a role from the synonyms in
layout.toml; the header is accepted when the roles a table needs are all there.
"""

from __future__ import annotations

import re
from collections.abc import Callable, Iterable
from dataclasses import dataclass, field
from datetime import date, datetime

from xlcompare.files.cells import clean_match, col_letter, parse_number, text_of
from xlcompare.files.workbook import Sheet
from xlcompare.readers.layout import RoleSet

__all__ = ["TOTAL_LABEL", "Header", "SheetScan", "find_header", "scan_sheet"]


@dataclass(frozen=True)
class Header:
    first_row: int
    last_row: int  # data starts below this row
    columns: dict[str, int]  # role → column index (first column with that role)
    labels: dict[int, str]  # column index → header text as read
    duplicates: tuple[str, ...] = ()  # roles claimed by more than one column (first kept)
    unassigned: dict[int, str] = field(default_factory=dict)  # labelled columns with no role
    # every column claiming a role that more than one claims (完成情况 over A片区 / B片区 / 合计)
    alternatives: dict[str, tuple[int, ...]] = field(default_factory=dict)

    def describe(self, sheet: str, roles: RoleSet | None = None) -> str:
        """`附件1: 表头第6行 (header row 6); 列 (columns) B=指标名称(name), …`"""
        rows = (
            f"第{self.first_row + 1}行 (header row {self.first_row + 1})"
            if self.first_row == self.last_row
            else f"第{self.first_row + 1}-{self.last_row + 1}行 (header rows "
                 f"{self.first_row + 1}-{self.last_row + 1})"
        )
        mapping = ", ".join(
            f"{col_letter(col)}={roles.name(role) if roles else role}"
            for role, col in sorted(self.columns.items(), key=lambda kv: kv[1])
        )
        return f"{sheet}: 表头{rows}; 列 (columns) {mapping}"


# a sub-column that sums its siblings: 完成情况 over A片区 / B片区 / 合计
TOTAL_LABEL = re.compile(r"(合计|总计|小计|汇总|总数)$")

# a part of a whole, under a group label: an area, a community, a team, a quarter
_PART_LABEL = re.compile(r"(片区|社区|村|居|分站|站点|小组|[一二三四1-4]季度|[上下]半年)$|^[A-Z甲乙丙丁]\S{0,3}$")

_TEXT_LINE = re.compile(r"[:：].{2,}|(19|20)\d{2}\s*年\s*\d{1,2}\s*月\s*\d{1,2}")


@dataclass
class SheetScan:
    """What every table locator asks of each row, worked out once per sheet."""

    texts: list[list[str]]  # every cell as clean text; merged cells repeat their owner's
    # title, operator and period lines ("承办机构：…", "合同期：2024年3月1日至…") are never
    # header rows, even when they hold words a header would
    text_line: list[bool]
    # a row with numeric cells is data or a label/value line, never a header row
    typed_numbers: list[bool]
    # text numbers count too (for "is the next row data?"): stations store figures as text
    any_numbers: list[bool]


def scan_sheet(sheet: Sheet) -> SheetScan:
    width = sheet.width
    filled = [list(row) + [None] * (width - len(row)) for row in sheet.rows]
    for r0, c0, r1, c1 in sheet.merges:  # a merged range shows its owner's value everywhere
        if r0 >= len(filled) or c0 >= width:
            continue
        owner = filled[r0][c0]
        for r in range(r0, min(r1, len(filled) - 1) + 1):
            row = filled[r]
            for c in range(c0, min(c1, width - 1) + 1):
                row[c] = owner
    texts, text_line, typed, numbers = [], [], [], []
    clean = clean_match
    for raw_row, row in zip(sheet.rows, filled, strict=True):
        # most cells of a sheet are empty (calamine gives ""): they skip match_text, and
        # text goes straight to the cache match_text would consult. Texts are compared in
        # Simplified characters (指標名稱 is 指标名称); the model keeps them as written.
        row_texts = ["" if v == "" or v is None else clean(v) if v.__class__ is str
                     else text_of(v) for v in row]  # a number or a date: nothing to convert
        texts.append(row_texts)
        joined = "".join(row_texts)
        kinds = set(map(type, raw_row))  # bool is its own type: True is not a figure
        text_line.append((("：" in joined or ":" in joined or "年" in joined)
                          and any(t and _TEXT_LINE.search(t) for t in row_texts))
                         # a label with a date cell beside it (统计截止日期 | 2024-12-31); a
                         # header of months as dates has three or more
                         or ((datetime in kinds or date in kinds)
                             and sum(map(bool, row_texts)) <= 2))
        has_typed = float in kinds or int in kinds
        typed.append(has_typed)
        numbers.append(has_typed or (str in kinds and any(
            v.__class__ is str and v and parse_number(v).value is not None for v in raw_row)))
    return SheetScan(texts, text_line, typed, numbers)


def _two_row_labels(texts: list[list[str]], row: int) -> list[str]:
    labels = []
    for parent, child in zip(texts[row], texts[row + 1], strict=True):
        # a vertically merged cell repeats its text in the second row: say it once
        labels.append(parent if child == parent or not child else parent + child)
    return labels


def _assign(labels: list[str], roles: RoleSet, parents: list[str] | None = None
            ) -> tuple[dict[str, int], tuple[str, ...], dict[int, str], dict[str, tuple[int, ...]]]:
    columns: dict[str, int] = {}
    duplicates: list[str] = []
    unassigned: dict[int, str] = {}
    seen_text: dict[int, str] = {}
    claims: dict[str, list[int]] = {}
    for col, label in enumerate(labels):
        role = roles.classify(label)
        if role is None and parents is not None and parents[col] and label != parents[col]:
            # 完成情况 over A片区 / B片区 / 合计: a part of a role, or its total, has the
            # group's role
            child = label[len(parents[col]):]
            if TOTAL_LABEL.search(child) or _PART_LABEL.search(child):
                role = roles.classify(parents[col])
        if role is None:
            if label:
                unassigned[col] = label
            continue
        if role in columns:
            # a horizontally merged label repeats in each column it covers; not a duplicate
            if seen_text.get(columns[role]) != label:
                duplicates.append(role)
                claims[role].append(col)
            continue
        columns[role] = col
        seen_text[col] = label
        claims[role] = [col]
    alternatives = {role: tuple(cols) for role, cols in claims.items() if len(cols) > 1}
    return columns, tuple(duplicates), unassigned, alternatives


def find_header(
    scan: SheetScan,
    roles: RoleSet,
    accept: Callable[[dict[str, int], dict[int, str]], bool],
    rows: Iterable[int],
) -> Header | None:
    """The first header among `rows` whose column roles satisfy `accept`."""
    texts = scan.texts
    for row in rows:
        single = texts[row]
        if scan.text_line[row] or scan.typed_numbers[row] or sum(map(bool, single)) < 2:
            continue
        candidates = [(row, single)]
        if (row + 1 < len(texts) and not scan.any_numbers[row + 1]
                and not scan.text_line[row + 1]):
            candidates.append((row + 1, _two_row_labels(texts, row)))
        best = None
        for last, labels in candidates:
            parents = texts[row] if last > row else None
            columns, duplicates, unassigned, alternatives = _assign(labels, roles, parents)
            if not accept(columns, unassigned):
                continue
            # a role claimed by several columns costs, unless one of them is their total
            # (完成情况 over A片区 / B片区 / 合计): then the second row is the sub-header it
            # looks like, and is preferred to reading it as a row of data
            settled = sum(len(cols) - 1 for cols in alternatives.values()
                          if sum(bool(TOTAL_LABEL.search(labels[c])) for c in cols) == 1)
            score = len(columns) - len(duplicates) + settled + (0.5 if settled else 0)
            if best is None or score > best[0]:
                best = (score, Header(row, last, columns, dict(enumerate(labels)), duplicates,
                                      unassigned, alternatives))
        if best is not None:
            return best[1]
    return None
