"""The layout knowledge (column synonyms, row kinds, title phrases) loaded from layout.toml."""

from __future__ import annotations

import re
import tomllib
from dataclasses import dataclass, field
from functools import cache
from importlib import resources

from xlcompare.errors import ConfigError

__all__ = ["Layout", "RoleSet", "load_layout"]


@dataclass(frozen=True)
class RoleSet:
    """Ordered (role, patterns) pairs: the first role with a matching pattern wins."""

    roles: tuple[tuple[str, tuple[re.Pattern[str], ...]], ...]
    # role → what a Chinese reader calls it (layout.toml `label`), for notes and messages
    labels: dict[str, str] = field(default_factory=dict, compare=False, hash=False)
    # labels repeat across every file of a batch; classify each once per process
    _seen: dict[str, str | None] = field(default_factory=dict, compare=False, hash=False,
                                         repr=False)

    def name(self, role: str) -> str:
        """`协议指标量(target)`: the label people know, with the role a user configures."""
        label = self.labels.get(role)
        return f"{label}({role})" if label else role

    def classify(self, label: str) -> str | None:
        if not label:
            return None
        try:
            return self._seen[label]
        except KeyError:
            pass
        found = None
        for role, patterns in self.roles:
            if any(p.search(label) for p in patterns):
                found = role
                break
        if len(self._seen) < 100_000:
            self._seen[label] = found
        return found


@dataclass(frozen=True)
class Layout:
    annex1: RoleSet
    annex2: RoleSet
    people: RoleSet
    staffing: RoleSet
    wide: RoleSet  # the station's facts in the district's wide table
    certified_yes: frozenset[str]
    subtotal: tuple[re.Pattern[str], ...]
    note: tuple[re.Pattern[str], ...]
    annex1_title: tuple[re.Pattern[str], ...]
    annex2_title: tuple[re.Pattern[str], ...]
    cutoff_words: tuple[str, ...]
    contract_words: tuple[str, ...]
    operator_words: tuple[str, ...]
    rate_tolerance: float
    sum_tolerance: float
    certified_expected_share: float
    header_scan_rows: int

    def is_subtotal(self, text: str) -> bool:
        return any(p.search(text) for p in self.subtotal)

    def is_note(self, text: str) -> bool:
        return any(p.search(text) for p in self.note)


def _patterns(items: list[str], where: str) -> tuple[re.Pattern[str], ...]:
    try:
        return tuple(re.compile(p) for p in items)
    except re.error as exc:
        raise ConfigError(f"bad pattern in {where}: {exc}", file="layout.toml") from None


def _roles(entries: list[dict], key: str) -> RoleSet:
    return RoleSet(tuple((e[key], _patterns(e["patterns"], e[key])) for e in entries),
                   {e[key]: e["label"] for e in entries if e.get("label")})


@cache
def load_layout() -> Layout:
    """The packaged layout.toml, parsed once per process."""
    text = resources.files("xlcompare").joinpath("data/layout.toml").read_text("utf-8")
    data = tomllib.loads(text)
    settings = data["settings"]
    rows = data["rows"]
    meta = data["meta"]
    return Layout(
        annex1=_roles(data["annex1"]["columns"], "role"),
        annex2=_roles(data["annex2"]["columns"], "role"),
        people=_roles(data["annex2_people"]["columns"], "role"),
        staffing=_roles(data["staffing"], "field"),
        wide=_roles(data["wide"]["columns"], "role"),
        certified_yes=frozenset(data["annex2_people"]["certified_yes"]),
        subtotal=_patterns(rows["subtotal"], "rows.subtotal"),
        note=_patterns(rows["note"], "rows.note"),
        annex1_title=_patterns(rows["annex1_title"], "rows.annex1_title"),
        annex2_title=_patterns(rows["annex2_title"], "rows.annex2_title"),
        cutoff_words=tuple(meta["cutoff"]),
        contract_words=tuple(meta["contract"]),
        operator_words=tuple(meta["operator"]),
        rate_tolerance=float(settings["rate_tolerance"]),
        sum_tolerance=float(settings["sum_tolerance"]),
        certified_expected_share=float(settings["certified_expected_share"]),
        header_scan_rows=int(settings["header_scan_rows"]),
    )
