"""A user's layout file (xlcompare-layout.toml) merged into the packaged layout.toml.

The file has the packaged file's schema, and may only add: header synonyms to a role that
exists (`[[annex1.columns]] role = "target"`, likewise annex2, annex2_people, wide, with `names` — whole header texts as written —
or `patterns` — regular expressions as in layout.toml), staffing labels, meta labels
(`[meta] cutoff / contract / operator / relative`) and row kinds (`[rows] subtotal / note /
annex1_title / annex2_title`). Text is compared in Simplified characters, so a synonym may
be written in either.

A synonym that clashes with another — a header it names would be read as another role, or
it would take another role's headers, or one meta label in two lists — is refused when the
file is loaded, with one line naming both, never left to decide a reading by its order.
"""

from __future__ import annotations

import copy
import re
import tomllib
from pathlib import Path
from typing import Any

from xlcompare.errors import ConfigError
from xlcompare.files.cells import clean_match, simplified
from xlcompare.readers.layout import Layout, RoleSet, build_layout, packaged_data

__all__ = ["merge_user_files", "samples"]

# table section → (the key naming its role, what people call it in a message)
_COLUMN_SETS = {"annex1": "附件1", "annex2": "附件2", "annex2_people": "附件2人员明细",
                "wide": "区汇总表"}
_META_LISTS = ("cutoff", "contract", "operator", "relative")
_ROW_KINDS = ("subtotal", "note", "annex1_title", "annex2_title")
_ROW_NAMES = {"subtotal": "合计/小计行", "note": "注释行", "annex1_title": "附件1标题",
              "annex2_title": "附件2标题"}
_META_NAMES = {"cutoff": "统计截止", "contract": "合同期", "operator": "承办机构",
               "relative": "相对日期说法"}


def _refuse(file: Path, message: str) -> ConfigError:
    return ConfigError(message, code="config-invalid", file=str(file))


def _clash(file: Path, message: str) -> ConfigError:
    return ConfigError(message, code="layout-clash", file=str(file))


def _strings(value: Any, file: Path, where: str) -> list[str]:
    if not isinstance(value, list) or not all(isinstance(v, str) and v.strip() for v in value):
        raise _refuse(file, f"{where} 应为文字列表")
    return value


def _regexes(items: list[str], file: Path, where: str) -> list[str]:
    """User patterns in Simplified characters, each checked to compile."""
    out = []
    for item in items:
        pattern = simplified(item)
        try:
            re.compile(pattern)
        except re.error as exc:
            raise _refuse(file, f"{where} 的正则表达式 “{item}” 有误: {exc}") from None
        out.append(pattern)
    return out


def _synonyms(entry: dict[str, Any], file: Path, where: str) -> list[str]:
    """`names` (whole header texts, as a cell holds them) and `patterns` (regexes) as the
    regexes the packaged file would hold."""
    unknown = set(entry) - {"role", "field", "names", "patterns"}
    if unknown:
        raise _refuse(file, f"{where} 有不认识的键: {', '.join(sorted(unknown))}")
    if "names" not in entry and "patterns" not in entry:
        raise _refuse(file, f"{where} 需要 names 或 patterns")
    names = _strings(entry.get("names", []), file, f"{where}.names")
    patterns = _strings(entry.get("patterns", []), file, f"{where}.patterns")
    return ([f"^{re.escape(clean_match(n))}$" for n in names]
            + _regexes(patterns, file, f"{where}.patterns"))


def _merge(data: dict[str, Any], user: dict[str, Any], file: Path,
           added: set[tuple[str, str, str]]) -> None:
    """Add the user's document to `data` in place; `added` collects (section, role, pattern)
    of every user pattern, for the clash check."""
    allowed = {*_COLUMN_SETS, "staffing", "meta", "rows"}
    unknown = set(user) - allowed
    if unknown:
        raise _refuse(file, f"不能在版式文件中设置: "
                            f"{', '.join(sorted(unknown))}；只能添加 annex1 / annex2 / "
                            "annex2_people / wide 的列名、staffing、meta、rows")
    for section in _COLUMN_SETS:
        if section not in user:
            continue
        part = user[section]
        if not isinstance(part, dict):
            raise _refuse(file, f"[{section}] 应为表")
        roles = {e["role"]: e for e in data[section]["columns"]}
        for key, value in part.items():
            if key == "certified_yes" and section == "annex2_people":
                data[section]["certified_yes"] += [simplified(v) for v in
                                                   _strings(value, file, "certified_yes")]
                continue
            if key != "columns" or not isinstance(value, list):
                raise _refuse(file, f"[{section}] 只能有 [[{section}.columns]]")
            for n, entry in enumerate(value, start=1):
                where = f"{section}.columns 第{n}项"
                role = entry.get("role") if isinstance(entry, dict) else None
                if not isinstance(role, str) or role not in roles:
                    raise _refuse(file, f"{where}: 没有这个 role “{role}”，可用: "
                                        f"{', '.join(roles)}")
                for pattern in _synonyms(entry, file, where):
                    roles[role]["patterns"].append(pattern)
                    added.add((section, role, pattern))
    if "staffing" in user:
        fields = {e["field"]: e for e in data["staffing"]}
        if not isinstance(user["staffing"], list):
            raise _refuse(file, "staffing 应写作 [[staffing]]")
        for n, entry in enumerate(user["staffing"], start=1):
            where = f"staffing 第{n}项"
            name = entry.get("field") if isinstance(entry, dict) else None
            if not isinstance(name, str) or name not in fields:
                raise _refuse(file, f"{where}: 没有这个 field “{name}”，可用: "
                                    f"{', '.join(fields)}")
            for pattern in _synonyms(entry, file, where):
                fields[name]["patterns"].append(pattern)
                added.add(("staffing", name, pattern))
    for section, keys in (("meta", _META_LISTS), ("rows", _ROW_KINDS)):
        if section not in user:
            continue
        part = user[section]
        bad = set(part) - set(keys) if isinstance(part, dict) else {"?"}
        if bad:
            raise _refuse(file, f"[{section}] 只能有 {', '.join(keys)}")
        for key, value in part.items():
            items = _strings(value, file, f"{section}.{key}")
            if section == "meta":
                words = [clean_match(w) for w in items]
            else:
                words = _regexes(items, file, f"{section}.{key}")
            data[section].setdefault(key, [])
            data[section][key] += [w for w in words if w not in data[section][key]]
            added.update((section, key, w) for w in words)


def merge_user_files(files: list[Path], packaged: Layout) -> Layout:
    """The packaged layout with each user file merged on top, in order; refused with one
    line (ConfigError) when a file is malformed or one of its synonyms clashes."""
    data = copy.deepcopy(packaged_data())
    added: set[tuple[str, str, str]] = set()
    for file in files:
        try:
            user = tomllib.loads(file.read_text(encoding="utf-8"))
        except OSError as exc:
            raise ConfigError(f"无法读取版式文件: {exc.strerror}",
                              code="config-unreadable", file=str(file)) from None
        except (tomllib.TOMLDecodeError, UnicodeDecodeError) as exc:
            raise _refuse(file, f"不是有效的 TOML: {exc}") from None
        mine: set[tuple[str, str, str]] = set()
        _merge(data, user, file, mine)
        layout = build_layout(data, (*packaged.sources, *(str(f) for f in files)), str(file))
        _check_clashes(packaged, layout, added | mine, file)
        added |= mine
    return build_layout(data, (*packaged.sources, *(str(f) for f in files)))


# ---------------------------------------------------------------------------- clashes

_GROUP = re.compile(r"(?<!\\)\((?:\?:)?([^()]*?)(?<!\\)\)(\?)?")


def samples(pattern: str, limit: int = 16) -> list[str]:
    """Texts a pattern is written to match, when it is simple enough to say: its words
    (`协议指标` → 协议指标), each choice of a group (`(两|二|2)年(及)?以上` → 两年以上, 两年及以上, …),
    `.*` as nothing (`持证.*应到` → 持证应到). [] for anything cleverer."""
    text = pattern.removeprefix("^").removesuffix("$")
    text = text.replace(".*", "").replace(".+", "")
    texts = [text]
    while any(_GROUP.search(t) for t in texts):
        expanded = []
        for t in texts:
            match = _GROUP.search(t)
            if match is None:
                expanded.append(t)
                continue
            choices = match.group(1).split("|") + ([""] if match.group(2) else [])
            expanded += [t[:match.start()] + c + t[match.end():] for c in choices]
        texts = expanded[:limit]
    out = []
    for t in texts:
        plain = re.sub(r"\\(.)", r"\1", t)
        if t and not re.search(r"(?<!\\)[\[\]{}()|?*+^$.]", t) and plain:
            out.append(plain)
    return out


def _pattern_text(pattern: re.Pattern[str]) -> str:
    return pattern.pattern


def _check_roles(section: str, what: str, packaged: RoleSet, merged: RoleSet,
                 added: set[tuple[str, str, str]], file: Path) -> None:
    """Every header each pattern is written for must still be read as its role with the
    user's synonyms in: a synonym that another role's pattern takes first is never used,
    and one that takes another role's headers changes a reading nobody asked to change."""
    mine = {(role, p) for s, role, p in added if s == section}
    for role, patterns in merged.roles:
        for pattern in patterns:
            text = _pattern_text(pattern)
            for sample in samples(text):
                found = merged.first_match(sample)
                if found is None or found[0] == role:
                    continue
                got, by = found
                if (role, text) not in mine and (got, by.pattern) not in mine:
                    continue  # the packaged file's own order decides, as it always has
                ours, theirs = ((role, text), (got, by.pattern)) if (role, text) in mine \
                    else ((got, by.pattern), (role, text))
                raise _clash(file, (
                    f"版式冲突: {what}的 “{_shown(ours[1])}”({ours[0]}) 与 "
                    f"“{_shown(theirs[1])}”({theirs[0]}) 冲突：表头“{sample}”会读作 {got}，"
                    f"而不是 {role}；请改用更完整的写法"))


def _shown(pattern: str) -> str:
    """A pattern as the user wrote it, when it came from `names`."""
    plain = pattern.removeprefix("^").removesuffix("$")
    unescaped = re.sub(r"\\(.)", r"\1", plain)
    return unescaped if re.escape(unescaped) == plain else pattern


def _check_clashes(packaged: Layout, merged: Layout, added: set[tuple[str, str, str]],
                   file: Path) -> None:
    for section, what in _COLUMN_SETS.items():
        attr = {"annex1": "annex1", "annex2": "annex2", "annex2_people": "people",
                "wide": "wide"}[section]
        _check_roles(section, f"{what}列名", getattr(packaged, attr), getattr(merged, attr),
                     added, file)
    _check_roles("staffing", "人员配置", packaged.staffing, merged.staffing, added, file)
    # one meta label in two lists: its lines would be read as both
    lists = {key: getattr(merged, f"{key}_words") for key in _META_LISTS}
    for section, key, word in sorted(added):
        if section != "meta":
            continue
        for other, words in lists.items():
            if other != key and word in words:
                raise _clash(file, (
                    f"版式冲突: “{word}” 同时是{_META_NAMES[key]}({key}) 和"
                    f"{_META_NAMES[other]}({other}) 的标签"))
    # a row kind's pattern that takes another kind's rows: a total read as a note or the like
    kinds = {kind: getattr(merged, kind) for kind in _ROW_KINDS}
    for section, key, text in sorted(added):
        if section != "rows":
            continue
        mine = re.compile(text)
        for other, patterns in kinds.items():
            if other == key:
                continue
            for pattern in patterns:
                hit = next((s for s in samples(pattern.pattern) if mine.search(s)), None)
                if hit is None:
                    hit = next((s for s in samples(text) if pattern.search(s)), None)
                if hit is not None:
                    raise _clash(file, (
                        f"版式冲突: {_ROW_NAMES[key]}({key}) 的 “{text}” 与 "
                        f"{_ROW_NAMES[other]}({other}) 的 “{pattern.pattern}” 都匹配“{hit}”"))
