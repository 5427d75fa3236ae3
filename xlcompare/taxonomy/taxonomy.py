"""The taxonomy as typed data, with its lookups: a raw indicator name → a canonical id.

Stations and contract years name one indicator differently (`新登记志愿` / `新登记志愿者`) and
split some between years (`社区活动` → `大型社区活动` + `中小型社区活动`). The knowledge of
names, aliases, units and roll-ups lives in `data/taxonomy.toml` (users extend it with their
own file); this module only cleans names, looks them up, and sums roll-ups.

Precision comes first: a wrong silent match is far worse than an unmatched row, so fuzzy
matching is guarded and a doubtful candidate is only ever a *suggestion* (id stays None).
"""

from __future__ import annotations

from collections.abc import Iterable, Iterator, Mapping, Sequence
from dataclasses import dataclass, field
from functools import cache
from pathlib import Path
from typing import Any, Literal

from rapidfuzz import fuzz, process

from xlcompare.errors import ConfigError
from xlcompare.messages import Message
from xlcompare.paths import PathArg, find_user_taxonomy
from xlcompare.taxonomy.names import _clean, _clean_unit, split_unit
from xlcompare.taxonomy.spec import merge_doc, packaged_path, read_doc

__all__ = ["Category", "How", "Indicator", "Match", "MatchSettings", "Rollup", "Taxonomy", "default_taxonomy", "taxonomy_for"]


How = Literal[
    "exact", "alias", "cleaned", "context", "fuzzy", "suggestion", "unmatched", "derived"
]


# --------------------------------------------------------------------------------------
# The taxonomy as typed data


@dataclass(frozen=True)
class MatchSettings:
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
        settings: MatchSettings | None = None,
        sources: Iterable[str] = (),
    ) -> None:
        self.settings = settings or MatchSettings()
        self.sources = tuple(sources)
        self._matches: dict[tuple[str, str | None, str | None], Match] = {}
        self._rows: dict[tuple[str, str | None, str | None], tuple[Match, tuple[str, ...]]] = {}
        self.categories = tuple(categories)
        self._categories = {c.id: c for c in self.categories}
        rank = {c.id: n for n, c in enumerate(self.categories)}
        indicators = tuple(indicators)
        for ind in indicators:
            if ind.category not in rank:
                raise ConfigError(Message("config-invalid.unknown-category", ident=ind.id,
                                          category=ind.category))
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
        for path in (packaged_path(), *map(Path, extra)):
            doc = read_doc(path)
            sources.append(str(path))
            try:
                merge_doc(spec, doc)
                # rebuilt after each file so that a clash is blamed on the file that made it
                taxonomy = cls._from_spec(spec, sources)
            except ConfigError as exc:
                raise ConfigError(exc.message, code=exc.code, file=str(path)) from None
        assert taxonomy is not None
        return taxonomy

    @classmethod
    def _from_spec(cls, spec: Mapping[str, Any], sources: Sequence[str]) -> Taxonomy:
        s = spec["settings"]
        defaults = MatchSettings()
        settings = MatchSettings(
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
            raise ConfigError(Message("config-invalid.thresholds",
                                      suggestion=s.suggestion_threshold, fuzzy=s.fuzzy_threshold))
        for suffix, replacement in s.suffix_rewrites.items():
            # a rewrite must shorten the name, or stripping would never end
            if not suffix or len(replacement) >= len(suffix):
                raise ConfigError(Message("config-invalid.rewrite-longer", suffix=suffix,
                                          replacement=replacement))

    def _check_rollups(self) -> None:
        for rollup in self.rollups:
            for ident in (rollup.whole, *rollup.parts):
                if ident not in self._indicators:
                    raise ConfigError(Message("config-invalid.rollup-unknown",
                                              whole=rollup.whole, ident=ident))
            if rollup.whole in rollup.parts:
                raise ConfigError(Message("config-invalid.rollup-itself", whole=rollup.whole))

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
            names: list[tuple[str, How]] = [(ind.name, "exact"),
                                            *((a, "alias") for a in ind.aliases)]
            for text, how in names:
                self._exact.setdefault(text.strip(), (ind.id, how))
                cleaned = self._claim(self._cleaned, self.clean(text), ind.id, text,
                                      Message("config-invalid.what-name"))
                key = self.key(cleaned)
                keys.setdefault(key, {}).setdefault(ind.id, text)
                self._fuzzy_keys.append(key)
                self._fuzzy_meta.append((ind.id, text))
            for text in ind.unit_aliases:
                self._add_unit_alias(ind, text)
            for category, texts in ind.contextual_aliases.items():
                if category not in self._categories:
                    raise ConfigError(Message("config-invalid.context-category", ident=ind.id,
                                              category=category))
                for text in texts:
                    key = self.key(self.clean(text))
                    self._claim(self._contextual, (category, key) if key else "", ind.id, text,
                                Message("config-invalid.what-context", category=category))
        # a key that two indicators share would make a guess of the lookup: such keys are unused
        self.ambiguous_keys = frozenset(k for k, ids in keys.items() if len(ids) > 1)
        self._keys = {k: next(iter(ids.items())) for k, ids in keys.items() if len(ids) == 1}

    def _claim(self, index: dict[Any, tuple[str, str]], key: Any, ident: str, text: str,
               what: Message) -> Any:
        """Record that `key` names `ident`; two indicators claiming one name is an error."""
        if not key:
            raise ConfigError(Message("config-invalid.empty-name", ident=ident, what=what,
                                      text=text))
        owner = index.setdefault(key, (ident, text))
        if owner[0] != ident:
            raise ConfigError(Message("config-invalid.name-taken", what=what, text=text,
                                      ident=ident, owner=owner[0], owner_text=owner[1]))
        return key

    def _add_unit_alias(self, ind: Indicator, text: str) -> None:
        cleaned = self.clean(text)
        for other, _ in self._unit_aliases.get(cleaned, []):
            if self.units_compatible(self[other].unit, ind.unit):
                raise ConfigError(Message("config-invalid.unit-alias", text=text, ident=ind.id,
                                          other=other, unit=self[other].unit, own=ind.unit))
        self._unit_aliases.setdefault(cleaned, []).append((ind.id, text))

    def _build_categories(self) -> None:
        self._category_names: dict[str, tuple[str, str]] = {}
        for cat in self.categories:
            for text in (cat.name, *cat.aliases):
                self._claim(self._category_names, self.clean(text), cat.id, text,
                            Message("config-invalid.what-category"))

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


