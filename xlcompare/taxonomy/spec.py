"""Reading and checking taxonomy documents (TOML): the packaged file and users' own, merged."""

from __future__ import annotations

import copy
import re
import tomllib
from collections.abc import Mapping
from importlib import resources
from pathlib import Path
from typing import Any

from xlcompare.errors import ConfigError
from xlcompare.messages import Message

__all__ = ["packaged_path", "read_doc", "merge_doc"]


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


# kind → (the catalogue's words for what it must be, check)
_KINDS: dict[str, tuple[str, Any]] = {
    "text": ("config-invalid.kind-text", _is_text),
    "texts": ("config-invalid.kind-texts", _is_texts),
    "id": ("config-invalid.kind-id", _is_id),
    "ids": ("config-invalid.kind-ids",
            lambda v: isinstance(v, list) and len(v) >= 2 and all(_is_id(x) for x in v)),
    "number": ("config-invalid.kind-number", _is_number),
    "small": ("config-invalid.kind-small",
              lambda v: isinstance(v, int) and not isinstance(v, bool) and 0 <= v <= 4),
    "rewrites": ("config-invalid.kind-rewrites",
                 lambda v: isinstance(v, dict) and all(isinstance(x, str) for x in v.values())),
    "lists": ("config-invalid.kind-lists",
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
        raise ConfigError(Message("config-invalid.not-a-table", where=where))
    fields = _FIELDS[section]
    for key, value in table.items():
        if key not in fields:
            raise ConfigError(Message("config-invalid.unknown-key", where=where, key=key,
                                      allowed=list(fields)))
        what, ok = _KINDS[fields[key]]
        if not ok(value):
            raise ConfigError(Message("config-invalid.wrong-kind", where=where, key=key,
                                      what=Message(what), value=repr(value)))
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


def merge_doc(spec: dict[str, Any], doc: Mapping[str, Any]) -> None:
    """Merge one parsed document into the accumulated spec (raises ConfigError)."""
    unknown = sorted(set(doc) - set(_FIELDS))
    if unknown:
        raise ConfigError(Message("config-invalid.top-level", keys=unknown))
    if "settings" in doc:
        _merge_entry(spec["settings"], _check(doc["settings"], "settings", "[settings]"))
    for section in ("categories", "indicators", "rollups"):
        entries = doc.get(section, [])
        if not isinstance(entries, list):
            raise ConfigError(Message("config-invalid.not-an-array", section=section))
        for number, entry in enumerate(entries, 1):
            _merge_one(spec[section], section, _check(entry, section, f"[[{section}]] #{number}"),
                       f"[[{section}]] #{number}")


def _merge_one(known: dict[str, dict[str, Any]], section: str, entry: dict[str, Any],
               where: str) -> None:
    key = _KEY_OF[section]
    if key not in entry:
        raise ConfigError(Message("config-invalid.missing-key", where=where, key=key))
    ident = entry[key]
    if ident in known and section != "rollups":
        _merge_entry(known[ident], entry)
        return
    missing = [k for k in _REQUIRED[section] if k not in entry]
    if missing:
        raise ConfigError(Message("config-invalid.missing-keys", where=where, key=key,
                                  ident=ident, missing=missing))
    known[ident] = copy.deepcopy(entry)  # a roll-up restated replaces its parts


def read_doc(path: Path) -> dict[str, Any]:
    try:
        # utf-8-sig: Windows Notepad saves a BOM that tomllib would reject
        text = path.read_text(encoding="utf-8-sig")
    except FileNotFoundError:
        raise ConfigError(Message("config-not-found.taxonomy"), file=str(path)) from None
    except (OSError, UnicodeDecodeError) as exc:
        raise ConfigError(Message("config-unreadable.taxonomy", detail=str(exc)),
                          file=str(path)) from None
    try:
        return tomllib.loads(text)
    except tomllib.TOMLDecodeError as exc:
        raise ConfigError(Message("config-invalid.toml", detail=str(exc)), file=str(path)) from None


def packaged_path() -> Path:
    return Path(str(resources.files("xlcompare") / "data" / "taxonomy.toml"))
