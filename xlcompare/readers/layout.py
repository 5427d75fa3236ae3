"""The layout knowledge (column synonyms, row kinds, title phrases) loaded from layout.toml,
with a user's own file (xlcompare-layout.toml beside the workbooks, or --layout) on top."""

from __future__ import annotations

import re
import tomllib
from collections.abc import Iterable
from dataclasses import dataclass, field
from functools import cache, lru_cache
from importlib import resources
from pathlib import Path
from typing import Any

from xlcompare.errors import ConfigError
from xlcompare.paths import PathArg, find_user_layout

__all__ = ["Layout", "RoleSet", "layout_for", "load_layout"]


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
        found = self.first_match(label)
        found_role = found[0] if found else None
        if len(self._seen) < 100_000:
            self._seen[label] = found_role
        return found_role

    def first_match(self, label: str) -> tuple[str, re.Pattern[str]] | None:
        """The role a label is read as and the pattern that decides it (uncached)."""
        for role, patterns in self.roles:
            for pattern in patterns:
                if pattern.search(label):
                    return role, pattern
        return None


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
    # phrases that say "now" rather than a date (截至目前, 截至评估时, 上半年): never a cut-off
    relative_words: tuple[str, ...] = ()
    # the files this layout was made from: the packaged one, then the user's
    sources: tuple[str, ...] = ("layout.toml",)

    def is_subtotal(self, text: str) -> bool:
        return any(p.search(text) for p in self.subtotal)

    def is_note(self, text: str) -> bool:
        return any(p.search(text) for p in self.note)


def _patterns(items: list[str], where: str, file: str = "layout.toml"
              ) -> tuple[re.Pattern[str], ...]:
    try:
        return tuple(re.compile(p) for p in items)
    except re.error as exc:
        raise ConfigError(f"bad pattern in {where}: {exc}", file=file) from None


def _roles(entries: list[dict], key: str, file: str = "layout.toml") -> RoleSet:
    return RoleSet(tuple((e[key], _patterns(e["patterns"], e[key], file)) for e in entries),
                   {e[key]: e["label"] for e in entries if e.get("label")})


@cache
def packaged_data() -> dict[str, Any]:
    """The packaged layout.toml as parsed TOML (callers copy before changing it)."""
    text = resources.files("xlcompare").joinpath("data/layout.toml").read_text("utf-8")
    return tomllib.loads(text)


def build_layout(data: dict[str, Any], sources: tuple[str, ...] = ("layout.toml",),
                 file: str = "layout.toml") -> Layout:
    """A Layout from parsed TOML in the packaged schema."""
    settings = data["settings"]
    rows = data["rows"]
    meta = data["meta"]
    return Layout(
        annex1=_roles(data["annex1"]["columns"], "role", file),
        annex2=_roles(data["annex2"]["columns"], "role", file),
        people=_roles(data["annex2_people"]["columns"], "role", file),
        staffing=_roles(data["staffing"], "field", file),
        wide=_roles(data["wide"]["columns"], "role", file),
        certified_yes=frozenset(data["annex2_people"]["certified_yes"]),
        subtotal=_patterns(rows["subtotal"], "rows.subtotal", file),
        note=_patterns(rows["note"], "rows.note", file),
        annex1_title=_patterns(rows["annex1_title"], "rows.annex1_title", file),
        annex2_title=_patterns(rows["annex2_title"], "rows.annex2_title", file),
        cutoff_words=tuple(meta["cutoff"]),
        contract_words=tuple(meta["contract"]),
        operator_words=tuple(meta["operator"]),
        relative_words=tuple(meta.get("relative", ())),
        rate_tolerance=float(settings["rate_tolerance"]),
        sum_tolerance=float(settings["sum_tolerance"]),
        certified_expected_share=float(settings["certified_expected_share"]),
        header_scan_rows=int(settings["header_scan_rows"]),
        sources=sources,
    )


def load_layout(files: Iterable[PathArg] = ()) -> Layout:
    """The packaged layout.toml, with the user's layout files (in order) merged on top;
    parsed once per process and per version of each file. A malformed file, or a synonym
    that clashes with another, raises ConfigError with one line naming it."""
    paths = tuple(Path(p) for p in files)
    if not paths:
        return _packaged()
    stamps = []
    for path in paths:
        try:
            stat = path.stat()
        except OSError:
            raise ConfigError("版式文件不存在", code="config-not-found",
                              file=str(path)) from None
        stamps.append((str(path), stat.st_mtime_ns, stat.st_size))
    return _with_user_files(tuple(stamps))


@cache
def _packaged() -> Layout:
    return build_layout(packaged_data())


@lru_cache(maxsize=8)
def _with_user_files(stamps: tuple[tuple[str, int, int], ...]) -> Layout:
    from xlcompare.readers.layout_user import merge_user_files

    return merge_user_files([Path(name) for name, _, _ in stamps], _packaged())


def layout_for(workbooks: Iterable[PathArg], extra: Iterable[PathArg] = ()) -> Layout:
    """The packaged layout, then any xlcompare-layout.toml found beside the workbooks, then
    `extra` (files given with --layout win, being merged last): as taxonomy_for does."""
    return load_layout(layout_files(workbooks, extra))


def layout_files(workbooks: Iterable[PathArg], extra: Iterable[PathArg] = ()) -> tuple[Path, ...]:
    """The user layout files that apply to these workbooks, in the order they are merged."""
    found: list[Path] = []
    for book in workbooks:
        user = find_user_layout(book)
        if user is not None and user not in found:
            found.append(user)
    return (*found, *(Path(p) for p in extra if Path(p) not in found))
