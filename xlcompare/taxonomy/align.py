"""Normalised rows, roll-ups derived, and two stations' rows lined up by id."""

from __future__ import annotations

from collections import Counter
from collections.abc import Iterable, Sequence
from dataclasses import dataclass

from xlcompare.model import IndicatorRow
from xlcompare.taxonomy.names import split_unit
from xlcompare.taxonomy.taxonomy import Match, Rollup, Taxonomy, _default_taxonomy

__all__ = ["AlignedPair", "NormalisedRow", "align", "derive_wholes", "normalise"]


# --------------------------------------------------------------------------------------
# Normalised rows and alignment


@dataclass(frozen=True, slots=True)
class NormalisedRow:
    """An IndicatorRow with the Match of its name.

    `duplicate` is set on every row of a station that shares its id with another row.
    `derived` rows are built by `align` from roll-up parts (`parts` names them).
    """

    row: IndicatorRow
    match: Match
    duplicate: bool = False
    derived: bool = False
    parts: tuple[str, ...] = ()
    notes: tuple[str, ...] = ()

    @property
    def id(self) -> str | None:
        return self.match.id

    @property
    def name(self) -> str:
        """The canonical name when matched, else the name as written."""
        return self.match.name or self.row.name

    @property
    def target(self) -> float | None:
        return self.row.target

    @property
    def completed(self) -> float | None:
        return self.row.completed

    @property
    def rate(self) -> float | None:
        """completed ÷ annual target, recomputed; None without a target."""
        return self.row.rate


@dataclass(frozen=True, slots=True)
class AlignedPair:
    """One indicator of station a beside the same indicator of station b (either may be
    None). For an unmatched name, `id` and `category` are None, `name` is the name as written
    and `category_name` the category cell as written."""

    id: str | None
    name: str
    category: str | None
    category_name: str | None
    a: NormalisedRow | None
    b: NormalisedRow | None
    note: str | None = None


def normalise(rows: Sequence[IndicatorRow], taxonomy: Taxonomy | None = None
              ) -> tuple[NormalisedRow, ...]:
    """Match every row's name; unmatched rows are kept (id None), never dropped.

    Rows of one station that map to the same id are all kept and marked `duplicate`.
    Without a taxonomy, the packaged one is used.
    """
    tax = taxonomy or _default_taxonomy()
    found = [_row_match(row, tax) for row in rows]
    ids = [m.id for m, _ in found if m.id]
    # a station rarely names one indicator twice: count only when some id repeats
    counts = Counter(ids) if len(set(ids)) < len(ids) else {}
    return tuple(
        NormalisedRow(row, m, duplicate=m.id is not None and counts.get(m.id, 0) > 1, notes=notes)
        for row, (m, notes) in zip(rows, found, strict=True)
    )


def _row_match(row: IndicatorRow, tax: Taxonomy) -> tuple[Match, tuple[str, ...]]:
    """A row's Match and unit notes: one lookup per row, since the same (name, category,
    unit) recurs in every station of a batch."""
    key = (row.name, row.category, row.unit)
    found = tax._rows.get(key)
    if found is None:
        m = tax.match(row.name, row.category, row.unit)
        found = (m, _unit_notes(row, m, tax) if m.id else ())
        if len(tax._rows) < 100_000:
            tax._rows[key] = found
    return found


def _unit_notes(row: IndicatorRow, m: Match, tax: Taxonomy) -> tuple[str, ...]:
    unit = split_unit(row.name, tax.units)[1] or tax.unit_of(row.unit)
    expected = tax[m.id].unit if m.id is not None else None
    if unit and expected and not tax.units_compatible(unit, expected):
        return (f"单位“{unit}”与指标单位“{expected}”不一致",)
    return ()


def align(a: Sequence[NormalisedRow], b: Sequence[NormalisedRow],
          taxonomy: Taxonomy | None = None, labels: tuple[str, str] = ("a", "b")
          ) -> tuple[AlignedPair, ...]:
    """Line up two stations' rows by id, in taxonomy order, unmatched names last.

    Unmatched rows pair up by cleaned name, so one unknown name in both still lines up.
    When one side has a roll-up's parts and the other only its whole, the parts' side gains
    a derived whole (targets and completed summed; None if any part lacks one).
    """
    tax = taxonomy or _default_taxonomy()
    side_a, side_b = list(a), list(b)
    notes: dict[tuple[str, str], list[str]] = {}
    for rollup in tax.rollups:
        for label, side, other in ((labels[0], side_a, side_b), (labels[1], side_b, side_a)):
            note = _roll_up(rollup, side, other, tax, label)
            if note:
                notes.setdefault(("id", rollup.whole), []).append(note)
    groups = _group(side_a, side_b, tax)
    pairs = []
    for key, (rows_a, rows_b) in groups.items():
        for n in range(max(len(rows_a), len(rows_b))):
            x = rows_a[n] if n < len(rows_a) else None
            y = rows_b[n] if n < len(rows_b) else None
            pairs.append(_pair(x, y, tax, [*notes.get(key, []), *_pair_notes(x, y, tax, labels)]))
    return tuple(pairs)


def _roll_up(rollup: Rollup, side: list[NormalisedRow], other: list[NormalisedRow],
             tax: Taxonomy, label: str) -> str | None:
    """Append a derived whole to `side` when it has the parts and `other` only the whole;
    return a note when that cannot be done."""
    ids = Counter(r.id for r in side)
    if ids[rollup.whole] or not any(r.id == rollup.whole for r in other):
        return None
    if not any(ids[p] for p in rollup.parts):
        return None
    missing = [tax[p].name for p in rollup.parts if not ids[p]]
    doubled = [tax[p].name for p in rollup.parts if ids[p] > 1]
    if missing or doubled:
        why = f"缺少{'、'.join(missing)}" if missing else f"{'、'.join(doubled)}重复"
        return f"{label} 只有部分分项（{why}），未合计"
    side.append(_derived(rollup, [next(r for r in side if r.id == p) for p in rollup.parts], tax))
    return None


def derive_wholes(rows: Sequence[NormalisedRow], taxonomy: Taxonomy | None = None
                  ) -> tuple[NormalisedRow, ...]:
    """`rows` plus a derived whole for every roll-up whose parts are all there once and whose
    whole is not, so one station's 大型 + 中小型社区活动 can sit in a 社区活动次数 column."""
    tax = taxonomy or _default_taxonomy()
    out = list(rows)
    ids = Counter(r.id for r in out)
    # a roll-up is derived only from parts that are there once, so one row per id finds them;
    # a derived whole is added to both, since it may be a part of a later roll-up
    by_id = {r.id: r for r in out}
    for rollup in tax.rollups:
        if not ids[rollup.whole] and all(ids[p] == 1 for p in rollup.parts):
            derived = _derived(rollup, [by_id[p] for p in rollup.parts], tax)
            out.append(derived)
            ids[rollup.whole] += 1
            by_id[rollup.whole] = derived
    return tuple(out)


def _derived(rollup: Rollup, parts: Sequence[NormalisedRow], tax: Taxonomy) -> NormalisedRow:
    whole = tax[rollup.whole]
    row = IndicatorRow(
        name=whole.name,
        category=parts[0].row.category,
        unit=whole.unit,
        target=_sum(p.target for p in parts),
        completed=_sum(p.completed for p in parts),
        midterm_target=_sum(p.row.midterm_target for p in parts),
        remarks=" + ".join(p.row.name for p in parts),
    )
    return NormalisedRow(row, Match(whole.id, whole.name, "derived"), derived=True,
                         parts=tuple(p.row.name for p in parts))


def _sum(values: Iterable[float | None]) -> float | None:
    # a sum with an unknown term is unknown, not an undercount
    total = 0.0
    for v in values:
        if v is None:
            return None
        total += v
    return total


def _group(side_a: list[NormalisedRow], side_b: list[NormalisedRow], tax: Taxonomy
           ) -> dict[tuple[str, str], tuple[list[NormalisedRow], list[NormalisedRow]]]:
    groups: dict[tuple[str, str], tuple[list[NormalisedRow], list[NormalisedRow]]] = {}
    for index, side in ((0, side_a), (1, side_b)):
        for row in side:
            key = ("id", row.id) if row.id else ("raw", tax.clean(row.row.name) or row.row.name)
            groups.setdefault(key, ([], []))[index].append(row)
    # matched ids in taxonomy order; unmatched names after them, in the order first seen
    seen = {k: n for n, k in enumerate(groups)}
    ordered = sorted(groups, key=lambda k: (0, tax.order(k[1])) if k[0] == "id" else (1, seen[k]))
    return {k: groups[k] for k in ordered}


def _pair(x: NormalisedRow | None, y: NormalisedRow | None, tax: Taxonomy,
          notes: list[str]) -> AlignedPair:
    first = x or y
    assert first is not None
    note = "；".join(notes) or None
    if first.id:
        ind = tax[first.id]
        return AlignedPair(ind.id, ind.name, ind.category, tax.category(ind.category).name,
                           x, y, note)
    return AlignedPair(None, first.row.name, None, first.row.category, x, y, note)


def _pair_notes(x: NormalisedRow | None, y: NormalisedRow | None, tax: Taxonomy,
                labels: tuple[str, str]) -> list[str]:
    notes = []
    for label, row in ((labels[0], x), (labels[1], y)):
        if row is None:
            continue
        if row.derived:
            notes.append(f"{label} 由 {' + '.join(row.parts)} 合计")
        if row.duplicate:
            notes.append(f"{label} 有多行对应此指标")
        if row.match.how == "suggestion" and row.match.suggestion:
            hint = tax[row.match.suggestion].name
            notes.append(f"{label} 未识别（可能是“{hint}”，{row.match.score:g} 分）")
        elif row.match.how == "unmatched":
            notes.append(f"{label} 未识别")
    return notes

