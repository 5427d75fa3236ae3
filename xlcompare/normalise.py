"""Raw indicator names → canonical ids, and two stations' rows lined up by id.

Stations and contract years name one indicator differently (`新登记志愿` / `新登记志愿者`) and
split some between years (`社区活动` → `大型社区活动` + `中小型社区活动`). The knowledge of
names, aliases, units and roll-ups lives in `data/taxonomy.toml` (users extend it with their
own file); this module only cleans names, looks them up, and sums roll-ups.

Precision comes first: a wrong silent match is far worse than an unmatched row, so fuzzy
matching is guarded and a doubtful candidate is only ever a *suggestion* (id stays None).
"""

from __future__ import annotations

import copy
import re
import tomllib
import unicodedata
from collections import Counter
from collections.abc import Collection, Iterable, Iterator, Mapping, Sequence
from dataclasses import dataclass, field
from functools import cache, lru_cache
from importlib import resources
from os import PathLike
from pathlib import Path
from typing import Any, Literal

import zhconv_rs
from rapidfuzz import fuzz, process

from xlcompare.errors import ConfigError
from xlcompare.folder import USER_TAXONOMY_NAMES, find_user_taxonomy
from xlcompare.model import IndicatorRow

__all__ = [
    "USER_TAXONOMY_NAMES",
    "AlignedPair",
    "Category",
    "How",
    "Indicator",
    "Match",
    "NormalisedRow",
    "Rollup",
    "Settings",
    "Taxonomy",
    "align",
    "clean_name",
    "default_taxonomy",
    "derive_wholes",
    "find_user_taxonomy",
    "taxonomy_for",
    "normalise",
    "split_unit",
]

How = Literal[
    "exact", "alias", "cleaned", "context", "fuzzy", "suggestion", "unmatched", "derived"
]


PathArg = str | PathLike[str]


# --------------------------------------------------------------------------------------
# Cleaning names

# ①-⑳ ⓪ ⓫-⓿ ❶-➓ ㉑-㊿: NFKC turns these into bare digits glued to the name ("1电话访问"),
# which could no longer be told apart from a name starting with a number, so strip them first.
_CIRCLED_NUMBER = re.compile(
    r"^\s*[\u2460-\u2473\u24ea-\u24ff\u2776-\u2793\u3251-\u325f\u32b1-\u32bf]\s*[、.,]?\s*"
)
_NUMERAL = r"(?:\d{1,3}(?:\.\d{1,3})*|[一二三四五六七八九十]{1,3}|[a-zA-Z]|[ivxIVX]{1,4})"
# Leading numbering after NFKC: (1) (一) 【1】 / 1. 1、 一、 1.2 a) iv. / "1 " before a name.
# A numeral must be followed by punctuation or a space, so 一户一档 keeps its 一.
_NUMBERING = re.compile(
    rf"^(?:[(\[【〔]\s*{_NUMERAL}\s*[)\]】〕]|{_NUMERAL}\s*[、.,:;)]|\d{{1,3}}\s+(?=\D))\s*"
)
# A bracketed group whose content may be a unit: 电话访问(个) 小组【节】 (单位:人次).
_BRACKET = re.compile(r"[(\[【〔{]\s*([^()\[\]【】〔〕{}]{1,12}?)\s*[)\]】〕}]")
_UNIT_PREFIX = re.compile(r"^单位\s*[:]?\s*")
_EDGE = " \t\r\n\"'“”‘’「」『』《》"


@lru_cache(maxsize=1 << 16)
def _normalise_text(raw: str) -> str:
    """Full-width → half-width (NFKC), then traditional → simplified characters."""
    return zhconv_rs.zhconv(unicodedata.normalize("NFKC", raw), "zh-hans")


def _clean_unit(text: str | None) -> str | None:
    """A unit as written (`（人次）`, `單位：個`, ` 节 `) → its plain form, or None if blank."""
    if text is None:
        return None
    unit = "".join(_normalise_text(str(text)).split()).strip("()[]【】〔〕{}")
    unit = _UNIT_PREFIX.sub("", unit).casefold()
    return unit or None


def _strip_numbering(text: str) -> str:
    # a name can carry two levels ("1.（一）电话访问"), so strip until nothing changes
    for _ in range(3):
        stripped = _NUMBERING.sub("", text, count=1).strip(_EDGE)
        if stripped == text:
            break
        text = stripped
    return text


def split_unit(raw: str, units: Collection[str] | None = None) -> tuple[str, str | None]:
    """Take a unit in brackets out of a name: `电话访问（个）` → (`电话访问`, `个`).

    The name comes back NFKC-normalised and in simplified characters, otherwise as written.
    Only a bracket holding a known unit (the taxonomy's unit families, by default the packaged
    one) is removed; `社区活动（大型）` keeps its bracket. When several units are bracketed the
    last one is returned.
    """
    known = _packaged_units() if units is None else units
    found: list[str] = []

    def drop(m: re.Match[str]) -> str:
        unit = _clean_unit(m.group(1))
        if unit is None or unit not in known:
            return m.group(0)
        found.append(unit)
        return ""

    name = _BRACKET.sub(drop, _normalise_text(raw)).strip()
    return name, (found[-1] if found else None)


def clean_name(raw: str, units: Collection[str] | None = None) -> str:
    """Reduce a name as written to the form names are compared in.

    Full-width → half-width, traditional → simplified, leading numbering (`1.` `1、` `（一）`
    `一、` `①` `(1)`) and units in brackets removed, then every space, punctuation mark,
    quote and symbol dropped and Latin letters case-folded:
    `（三）電 話 訪 問（個）：` → `电话访问`.
    """
    known = _packaged_units() if units is None else frozenset(units)
    return _clean(raw, known)


@lru_cache(maxsize=8192)
def _clean(raw: str, units: frozenset[str]) -> str:
    # the same few hundred names recur in every station's workbook: cache them
    text = _normalise_text(_CIRCLED_NUMBER.sub("", raw)).strip(_EDGE)
    name, _ = split_unit(_strip_numbering(text), units)
    kept = (ch for ch in name if unicodedata.category(ch)[0] in "LN")
    return "".join(kept).casefold()


# --------------------------------------------------------------------------------------
# The taxonomy as typed data


@dataclass(frozen=True)
class Settings:
    """Matching settings from `[settings]`; see the comments in data/taxonomy.toml."""

    fuzzy_threshold: float = 80.0
    suggestion_threshold: float = 60.0
    anchor_length: int = 1
    strip_prefixes: tuple[str, ...] = ()
    suffix_rewrites: Mapping[str, str] = field(default_factory=dict, hash=False)
    fuzzy_blockers: tuple[str, ...] = ()
    unit_families: Mapping[str, tuple[str, ...]] = field(default_factory=dict, hash=False)


@dataclass(frozen=True)
class Category:
    """A service category (服务类别): `basic` / 基础服务 ..., with the words seen for it."""

    id: str
    name: str
    label: str
    aliases: tuple[str, ...] = ()


@dataclass(frozen=True)
class Indicator:
    """A canonical indicator and every name it is known by."""

    id: str
    name: str
    label: str
    category: str
    unit: str | None = None
    aliases: tuple[str, ...] = ()
    # names that mean this indicator only when the row's unit is in this unit's family
    unit_aliases: tuple[str, ...] = ()
    # category id → names that mean this indicator only under that category
    contextual_aliases: Mapping[str, tuple[str, ...]] = field(default_factory=dict, hash=False)
    # how evaluators name it in a sentence ("个案结案数", "新登记志愿者数量")
    prose: str | None = None

    @property
    def sentence_name(self) -> str:
        return self.prose or self.name


@dataclass(frozen=True)
class Rollup:
    """`whole` is the sum of `parts` (event_count = large_event_count + small_event_count)."""

    whole: str
    parts: tuple[str, ...]


@dataclass(frozen=True, slots=True)
class Match:
    """How one raw name matched.

    `id` is None unless the match is accepted. A `suggestion` is the nearest candidate that
    missed the threshold or a guard: shown to the user, never used. `score` is 100 for
    deterministic matches, the fuzzy score for "fuzzy" and "suggestion", 0 when unmatched.
    `via` is the canonical name or alias that matched (or was suggested).
    """

    id: str | None
    name: str | None
    how: How
    score: float = 100.0
    suggestion: str | None = None
    via: str | None = None

    @property
    def matched(self) -> bool:
        return self.id is not None


_UNMATCHED = Match(None, None, "unmatched", 0.0)


# --------------------------------------------------------------------------------------
# Reading and checking taxonomy documents

_ID = re.compile(r"^[a-z][a-z0-9_]*$")


def _is_text(v: object) -> bool:
    return isinstance(v, str) and v.strip() != ""


def _is_texts(v: object) -> bool:
    return isinstance(v, list) and all(_is_text(x) for x in v)


def _is_id(v: object) -> bool:
    return isinstance(v, str) and _ID.match(v) is not None


def _is_number(v: object) -> bool:
    return isinstance(v, int | float) and not isinstance(v, bool) and 0 <= v <= 100


# kind → (what the message says it must be, check)
_KINDS: dict[str, tuple[str, Any]] = {
    "text": ("a non-empty string", _is_text),
    "texts": ("a list of non-empty strings", _is_texts),
    "id": ("a snake_case id (a-z, 0-9, _)", _is_id),
    "ids": ("a list of at least two snake_case ids",
            lambda v: isinstance(v, list) and len(v) >= 2 and all(_is_id(x) for x in v)),
    "number": ("a number from 0 to 100", _is_number),
    "small": ("a whole number from 0 to 4",
              lambda v: isinstance(v, int) and not isinstance(v, bool) and 0 <= v <= 4),
    "rewrites": ("a table of strings",
                 lambda v: isinstance(v, dict) and all(isinstance(x, str) for x in v.values())),
    "lists": ("a table of lists of strings",
              lambda v: isinstance(v, dict) and all(_is_texts(x) for x in v.values())),
}
_FIELDS: dict[str, dict[str, str]] = {
    "settings": {
        "fuzzy_threshold": "number", "suggestion_threshold": "number", "anchor_length": "small",
        "strip_prefixes": "texts", "suffix_rewrites": "rewrites", "fuzzy_blockers": "texts",
        "unit_families": "lists",
    },
    "categories": {"id": "id", "name": "text", "label": "text", "aliases": "texts"},
    "indicators": {
        "id": "id", "name": "text", "label": "text", "unit": "text", "category": "id",
        "aliases": "texts", "unit_aliases": "texts", "contextual_aliases": "lists",
        "prose": "text",
    },
    "rollups": {"whole": "id", "parts": "ids"},
}
# what a *new* entry must state; an entry naming an existing id only adds to it
_REQUIRED = {"categories": ("id", "name"), "indicators": ("id", "name", "category"),
             "rollups": ("whole", "parts")}
_KEY_OF = {"categories": "id", "indicators": "id", "rollups": "whole"}


def _check(table: object, section: str, where: str) -> dict[str, Any]:
    if not isinstance(table, dict):
        raise ConfigError(f"{where} must be a table")
    fields = _FIELDS[section]
    for key, value in table.items():
        if key not in fields:
            raise ConfigError(f"{where}: unknown key {key!r} (allowed: {', '.join(fields)})")
        what, ok = _KINDS[fields[key]]
        if not ok(value):
            raise ConfigError(f"{where}: {key!r} must be {what}, got {value!r}")
    return table


def _merge_entry(existing: dict[str, Any], new: Mapping[str, Any]) -> None:
    # lists are extended (a user adds aliases), tables merged key by key, scalars replaced
    for key, value in new.items():
        old = existing.get(key)
        if isinstance(value, list) and isinstance(old, list):
            existing[key] = old + [v for v in value if v not in old]
        elif isinstance(value, dict) and isinstance(old, dict):
            _merge_entry(old, value)
        else:
            existing[key] = copy.deepcopy(value)


def _merge(spec: dict[str, Any], doc: Mapping[str, Any]) -> None:
    """Merge one parsed document into the accumulated spec (raises ConfigError)."""
    unknown = sorted(set(doc) - set(_FIELDS))
    if unknown:
        raise ConfigError(
            f"unknown top-level key(s) {', '.join(unknown)}; expected [settings], "
            "[[categories]], [[indicators]], [[rollups]]"
        )
    if "settings" in doc:
        _merge_entry(spec["settings"], _check(doc["settings"], "settings", "[settings]"))
    for section in ("categories", "indicators", "rollups"):
        entries = doc.get(section, [])
        if not isinstance(entries, list):
            raise ConfigError(f"{section!r} must be an array of tables: write [[{section}]]")
        for number, entry in enumerate(entries, 1):
            _merge_one(spec[section], section, _check(entry, section, f"[[{section}]] #{number}"),
                       f"[[{section}]] #{number}")


def _merge_one(known: dict[str, dict[str, Any]], section: str, entry: dict[str, Any],
               where: str) -> None:
    key = _KEY_OF[section]
    if key not in entry:
        raise ConfigError(f"{where}: missing {key!r}")
    ident = entry[key]
    if ident in known and section != "rollups":
        _merge_entry(known[ident], entry)
        return
    missing = [k for k in _REQUIRED[section] if k not in entry]
    if missing:
        raise ConfigError(f"{where} (new {key} {ident!r}): missing {', '.join(missing)}")
    known[ident] = copy.deepcopy(entry)  # a roll-up restated replaces its parts


def _read_doc(path: Path) -> dict[str, Any]:
    try:
        # utf-8-sig: Windows Notepad saves a BOM that tomllib would reject
        text = path.read_text(encoding="utf-8-sig")
    except FileNotFoundError:
        raise ConfigError("taxonomy file not found", file=str(path)) from None
    except (OSError, UnicodeDecodeError) as exc:
        raise ConfigError(f"cannot read taxonomy file: {exc}", file=str(path)) from None
    try:
        return tomllib.loads(text)
    except tomllib.TOMLDecodeError as exc:
        raise ConfigError(f"not valid TOML: {exc}", file=str(path)) from None


def _packaged_path() -> Path:
    return Path(str(resources.files("xlcompare") / "data" / "taxonomy.toml"))


@cache
def _default_taxonomy() -> Taxonomy:
    return Taxonomy.load()


def default_taxonomy() -> Taxonomy:
    """The packaged taxonomy, loaded once per process."""
    return _default_taxonomy()


def _packaged_units() -> frozenset[str]:
    return _default_taxonomy().units


def taxonomy_for(workbooks: Iterable[PathArg], extra: Iterable[PathArg] = ()) -> Taxonomy:
    """The packaged taxonomy, then any user file found beside the workbooks, then `extra`
    (files given on the command line win, being merged last)."""
    found: list[Path] = []
    for book in workbooks:
        user = find_user_taxonomy(book)
        if user is not None and user not in found:
            found.append(user)
    files = [*found, *(Path(p) for p in extra if Path(p) not in found)]
    return Taxonomy.load(files) if files else _default_taxonomy()


# --------------------------------------------------------------------------------------
# The taxonomy and matching


class Taxonomy:
    """Canonical indicators, their names, categories and roll-ups, with the lookups built.

    Build it with `Taxonomy.load()`; the constructor checks references and name clashes and
    raises ConfigError.
    """

    def __init__(
        self,
        categories: Iterable[Category],
        indicators: Iterable[Indicator],
        rollups: Iterable[Rollup] = (),
        settings: Settings | None = None,
        sources: Iterable[str] = (),
    ) -> None:
        self.settings = settings or Settings()
        self.sources = tuple(sources)
        self._matches: dict[tuple[str, str | None, str | None], Match] = {}
        self._rows: dict[tuple[str, str | None, str | None], tuple[Match, tuple[str, ...]]] = {}
        self.categories = tuple(categories)
        self._categories = {c.id: c for c in self.categories}
        rank = {c.id: n for n, c in enumerate(self.categories)}
        indicators = tuple(indicators)
        for ind in indicators:
            if ind.category not in rank:
                raise ConfigError(f"indicator {ind.id!r}: unknown category {ind.category!r}")
        # taxonomy order: by category, then as listed, so a user's new indicator sits with its
        # category rather than at the end
        self.indicators = tuple(sorted(indicators, key=lambda i: rank[i.category]))
        self._indicators = {i.id: i for i in self.indicators}
        self._order = {i.id: n for n, i in enumerate(self.indicators)}
        self.rollups = tuple(rollups)
        self._check_settings()
        self._check_rollups()
        self._build_units()
        self._build_names()
        self._build_categories()

    # -- loading -------------------------------------------------------------------------

    @classmethod
    def load(cls, extra: Iterable[PathArg] = ()) -> Taxonomy:
        """The packaged taxonomy, with each user file in `extra` merged on top, in order.

        A user file has the packaged file's schema: new indicators and categories are added,
        an existing id gains the aliases listed, settings are overridden (lists extended).
        A malformed file raises ConfigError naming the file and what is wrong.
        """
        spec: dict[str, Any] = {"settings": {}, "categories": {}, "indicators": {},
                                "rollups": {}}
        sources: list[str] = []
        taxonomy: Taxonomy | None = None
        for path in (_packaged_path(), *map(Path, extra)):
            doc = _read_doc(path)
            sources.append(str(path))
            try:
                _merge(spec, doc)
                # rebuilt after each file so that a clash is blamed on the file that made it
                taxonomy = cls._from_spec(spec, sources)
            except ConfigError as exc:
                raise ConfigError(exc.message, file=str(path)) from None
        assert taxonomy is not None
        return taxonomy

    @classmethod
    def _from_spec(cls, spec: Mapping[str, Any], sources: Sequence[str]) -> Taxonomy:
        s = spec["settings"]
        defaults = Settings()
        settings = Settings(
            fuzzy_threshold=float(s.get("fuzzy_threshold", defaults.fuzzy_threshold)),
            suggestion_threshold=float(
                s.get("suggestion_threshold", defaults.suggestion_threshold)),
            anchor_length=int(s.get("anchor_length", defaults.anchor_length)),
            strip_prefixes=tuple(s.get("strip_prefixes", ())),
            suffix_rewrites=dict(s.get("suffix_rewrites", {})),
            fuzzy_blockers=tuple(s.get("fuzzy_blockers", ())),
            unit_families={k: tuple(v) for k, v in s.get("unit_families", {}).items()},
        )
        categories = [
            Category(id=c["id"], name=c["name"], label=c.get("label", c["id"]),
                     aliases=tuple(c.get("aliases", ())))
            for c in spec["categories"].values()
        ]
        indicators = [
            Indicator(
                id=i["id"], name=i["name"], label=i.get("label", i["id"]),
                category=i["category"], unit=_clean_unit(i.get("unit")),
                aliases=tuple(i.get("aliases", ())),
                unit_aliases=tuple(i.get("unit_aliases", ())),
                contextual_aliases={k: tuple(v)
                                    for k, v in i.get("contextual_aliases", {}).items()},
                prose=i.get("prose"),
            )
            for i in spec["indicators"].values()
        ]
        rollups = [Rollup(r["whole"], tuple(r["parts"])) for r in spec["rollups"].values()]
        return cls(categories, indicators, rollups, settings, sources)

    # -- checks and lookups built once ---------------------------------------------------

    def _check_settings(self) -> None:
        s = self.settings
        if s.suggestion_threshold > s.fuzzy_threshold:
            raise ConfigError(
                f"suggestion_threshold ({s.suggestion_threshold:g}) is above fuzzy_threshold "
                f"({s.fuzzy_threshold:g})"
            )
        for suffix, replacement in s.suffix_rewrites.items():
            # a rewrite must shorten the name, or stripping would never end
            if not suffix or len(replacement) >= len(suffix):
                raise ConfigError(
                    f"suffix_rewrites: {suffix!r} = {replacement!r} must make the name shorter")

    def _check_rollups(self) -> None:
        for rollup in self.rollups:
            for ident in (rollup.whole, *rollup.parts):
                if ident not in self._indicators:
                    raise ConfigError(f"roll-up {rollup.whole!r}: unknown indicator {ident!r}")
            if rollup.whole in rollup.parts:
                raise ConfigError(f"roll-up {rollup.whole!r} lists itself as a part")

    def _build_units(self) -> None:
        families: dict[str, set[str]] = {}
        for family, units in self.settings.unit_families.items():
            for unit in units:
                cleaned = _clean_unit(unit)
                if cleaned:
                    families.setdefault(cleaned, set()).add(family)
        self._unit_families = {u: frozenset(f) for u, f in families.items()}
        self.units: frozenset[str] = frozenset(families)
        s = self.settings
        self._prefixes = sorted((self.clean(p) for p in s.strip_prefixes), key=len, reverse=True)
        self._suffixes = sorted(((self.clean(k), self.clean(v) if v else "")
                                 for k, v in s.suffix_rewrites.items()),
                                key=lambda kv: len(kv[0]), reverse=True)
        self._blockers = tuple(self.clean(b) for b in s.fuzzy_blockers)

    def _build_names(self) -> None:
        self._exact: dict[str, tuple[str, How]] = {}
        self._cleaned: dict[str, tuple[str, str]] = {}
        keys: dict[str, dict[str, str]] = {}  # key → {id: the name it came from}
        self._fuzzy_keys: list[str] = []
        self._fuzzy_meta: list[tuple[str, str]] = []
        self._unit_aliases: dict[str, list[tuple[str, str]]] = {}
        self._contextual: dict[tuple[str, str], tuple[str, str]] = {}
        for ind in self.indicators:
            for text, how in [(ind.name, "exact"), *((a, "alias") for a in ind.aliases)]:
                self._exact.setdefault(text.strip(), (ind.id, how))
                cleaned = self._claim(self._cleaned, self.clean(text), ind.id, text, "name")
                key = self.key(cleaned)
                keys.setdefault(key, {}).setdefault(ind.id, text)
                self._fuzzy_keys.append(key)
                self._fuzzy_meta.append((ind.id, text))
            for text in ind.unit_aliases:
                self._add_unit_alias(ind, text)
            for category, texts in ind.contextual_aliases.items():
                if category not in self._categories:
                    raise ConfigError(
                        f"indicator {ind.id!r}: contextual_aliases for unknown category "
                        f"{category!r}")
                for text in texts:
                    key = self.key(self.clean(text))
                    self._claim(self._contextual, (category, key) if key else "", ind.id, text,
                                f"contextual alias under {category!r}")
        # a key that two indicators share would make a guess of the lookup: such keys are unused
        self.ambiguous_keys = frozenset(k for k, ids in keys.items() if len(ids) > 1)
        self._keys = {k: next(iter(ids.items())) for k, ids in keys.items() if len(ids) == 1}

    def _claim(self, index: dict[Any, tuple[str, str]], key: Any, ident: str, text: str,
               what: str) -> Any:
        """Record that `key` names `ident`; two indicators claiming one name is an error."""
        if not key:
            raise ConfigError(f"indicator {ident!r}: {what} {text!r} is empty once cleaned")
        owner = index.setdefault(key, (ident, text))
        if owner[0] != ident:
            raise ConfigError(
                f"{what} {text!r} of {ident!r} is already a name of {owner[0]!r} "
                f"({owner[1]!r}); one name cannot mean two indicators"
            )
        return key

    def _add_unit_alias(self, ind: Indicator, text: str) -> None:
        cleaned = self.clean(text)
        for other, _ in self._unit_aliases.get(cleaned, []):
            if self.units_compatible(self[other].unit, ind.unit):
                raise ConfigError(
                    f"unit alias {text!r} of {ind.id!r} clashes with {other!r}: their units "
                    f"({self[other].unit}, {ind.unit}) are in one family")
        self._unit_aliases.setdefault(cleaned, []).append((ind.id, text))

    def _build_categories(self) -> None:
        self._category_names: dict[str, tuple[str, str]] = {}
        for cat in self.categories:
            for text in (cat.name, *cat.aliases):
                self._claim(self._category_names, self.clean(text), cat.id, text,
                            "category name")

    # -- public lookups ------------------------------------------------------------------

    def __getitem__(self, ident: str) -> Indicator:
        return self._indicators[ident]

    def __contains__(self, ident: object) -> bool:
        return ident in self._indicators

    def __iter__(self) -> Iterator[Indicator]:
        return iter(self.indicators)

    def __len__(self) -> int:
        return len(self.indicators)

    def __repr__(self) -> str:
        return f"<Taxonomy {len(self.indicators)} indicators from {', '.join(self.sources)}>"

    def category(self, ident: str) -> Category:
        """The category with this id (KeyError if unknown)."""
        return self._categories[ident]

    def order(self, ident: str) -> int:
        """Position of an indicator in taxonomy order (for sorting output)."""
        return self._order[ident]

    def clean(self, raw: str) -> str:
        """`clean_name` with this taxonomy's units."""
        return _clean(raw, self.units)

    def key(self, cleaned: str) -> str:
        """A cleaned name with generic prefixes and endings stripped (入户探访数量 → 入户探访).

        Never strips a name to nothing: `个数` stays `个数`.
        """
        text = cleaned
        changed = True
        while changed:
            changed = False
            for prefix in self._prefixes:
                if text.startswith(prefix) and len(text) > len(prefix):
                    text, changed = text[len(prefix):], True
                    break
            for suffix, replacement in self._suffixes:
                if text.endswith(suffix) and len(text) > len(suffix):
                    text, changed = text[: -len(suffix)] + replacement, True
                    break
        return text

    def unit_of(self, text: str | None) -> str | None:
        """A unit as written → its plain form (`（人次）` → `人次`); None if blank."""
        return _clean_unit(text)

    def units_compatible(self, a: str | None, b: str | None) -> bool:
        """True when either unit is unknown or both are in one unit family (个 and 次)."""
        if a is None or b is None:
            return True
        fa, fb = self._unit_families.get(a), self._unit_families.get(b)
        if not fa or not fb:
            return a == b
        return bool(fa & fb)

    def resolve_category(self, text: str | None) -> str | None:
        """The category a 服务类别 cell names: by its name or an alias, else by the longest
        alias it contains (`小组工作服务` → group); None when unknown or ambiguous."""
        cleaned = self.clean(text) if text else ""
        if not cleaned:
            return None
        if cleaned in self._category_names:
            return self._category_names[cleaned][0]
        hits = [(len(name), cid) for name, (cid, _) in self._category_names.items()
                if name in cleaned]
        if not hits:
            return None
        longest = max(length for length, _ in hits)
        ids = {cid for length, cid in hits if length == longest}
        return ids.pop() if len(ids) == 1 else None

    def match(self, raw_name: str, category: str | None = None, unit: str | None = None
              ) -> Match:
        """Match one raw indicator name, in order: unit alias → exact name or alias →
        cleaned → category context → guarded fuzzy; else a suggestion or unmatched.

        `category` is the 服务类别 cell the row sits under and `unit` its unit column; a unit
        in brackets in the name wins over the column, since it is written on the row itself.
        """
        key = (raw_name, category, unit)
        found = self._matches.get(key)
        if found is None:
            found = self._match(raw_name, category, unit)
            if len(self._matches) < 100_000:  # names repeat across every station of a batch
                self._matches[key] = found
        return found

    def _match(self, raw_name: str, category: str | None, unit: str | None) -> Match:
        raw = (raw_name or "").strip()
        cleaned = self.clean(raw)
        if not cleaned:
            return _UNMATCHED
        _, bracket_unit = split_unit(raw, self.units)
        unit = bracket_unit or self.unit_of(unit)
        cat = self.resolve_category(category)
        return (
            self._match_unit_alias(cleaned, unit)
            or self._match_exact(raw)
            or self._match_cleaned(cleaned)
            or self._match_context(cleaned, category, cat)
            or self._match_fuzzy(cleaned, cat, unit)
        )

    # -- matching steps ------------------------------------------------------------------

    def _found(self, ident: str, how: How, via: str, score: float = 100.0) -> Match:
        return Match(ident, self[ident].name, how, score, via=via)

    def _match_unit_alias(self, cleaned: str, unit: str | None) -> Match | None:
        if unit is None:
            return None
        hits = [(ident, text) for ident, text in self._unit_aliases.get(cleaned, [])
                if self._unit_families.get(unit) and self.units_compatible(unit, self[ident].unit)]
        return self._found(hits[0][0], "context", hits[0][1]) if len(hits) == 1 else None

    def _match_exact(self, raw: str) -> Match | None:
        hit = self._exact.get(raw)
        return self._found(hit[0], hit[1], raw) if hit else None

    def _match_cleaned(self, cleaned: str) -> Match | None:
        if cleaned in self._cleaned:
            ident, text = self._cleaned[cleaned]
            return self._found(ident, "cleaned", text)
        hit = self._keys.get(self.key(cleaned))
        return self._found(hit[0], "cleaned", hit[1]) if hit else None

    def _match_context(self, cleaned: str, category: str | None, cat: str | None
                       ) -> Match | None:
        # the category cell completes a short name: "大型社区活动" + "人次"
        combined = self.clean(category) + cleaned if category else ""
        if combined and combined != cleaned:
            hit = self._match_cleaned(combined)
            if hit:
                return Match(hit.id, hit.name, "context", via=hit.via)
        hit_ctx = self._contextual.get((cat, self.key(cleaned))) if cat else None
        return self._found(hit_ctx[0], "context", hit_ctx[1]) if hit_ctx else None

    def _match_fuzzy(self, cleaned: str, cat: str | None, unit: str | None) -> Match:
        query = self.key(cleaned)
        s = self.settings
        results = process.extract(query, self._fuzzy_keys, scorer=fuzz.ratio, limit=None,
                                  score_cutoff=s.suggestion_threshold)
        if not results:
            return _UNMATCHED
        passing = [(score, idx) for choice, score, idx in results
                   if score >= s.fuzzy_threshold
                   and self._fuzzy_guard(query, choice, self._fuzzy_meta[idx][0], cat, unit)]
        # accept only when every candidate that passes names the same indicator
        if passing and len({self._fuzzy_meta[idx][0] for _, idx in passing}) == 1:
            score, idx = passing[0]
            ident, text = self._fuzzy_meta[idx]
            return self._found(ident, "fuzzy", text, round(score, 1))
        _, score, idx = results[0]
        ident, text = self._fuzzy_meta[idx]
        return Match(None, None, "suggestion", round(score, 1), suggestion=ident, via=text)

    def _fuzzy_guard(self, query: str, choice: str, ident: str, cat: str | None,
                     unit: str | None) -> bool:
        """Short Chinese names differ by one meaningful character (接案/结案), so a fuzzy
        match may only *insert* characters inside the name, never change one."""
        short, long = sorted((query, choice), key=len)
        n = self.settings.anchor_length
        indicator = self[ident]
        return (
            _is_subsequence(short, long)
            and long[:n] == short[:n]
            and long[len(long) - n:] == short[len(short) - n:]
            and not any((word in query) != (word in choice) for word in self._blockers)
            and (cat is None or indicator.category == cat)
            and self.units_compatible(unit, indicator.unit)
        )


def _is_subsequence(short: str, long: str) -> bool:
    chars = iter(long)
    return all(ch in chars for ch in short)


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
        NormalisedRow(row, m, duplicate=counts.get(m.id, 0) > 1, notes=notes)
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
    expected = tax[m.id].unit
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
