"""What xlcompare says to people, in their language: one catalogue (catalogue.py) keyed by
the codes of codes.py, rendered in Chinese by default and in English on request.

A `Message` is a catalogue key and its arguments (figures, cells, names), not words: a
Problem, a refusal or an error carries one, and it becomes text only when shown, in the
language of that moment. So a reading stored in the history in one run is shown in the
language of the next, and a workbook (always Chinese: it is for the district) and the
terminal (the officer's language) render the same Message differently.

A key is a code (`rate-mismatch`), a code and the case it words (`corrupt.part-damaged`:
the code is what comes before the dot), or a text of the interface (`cli.wrote`,
`help.batch`). `say(key, **args)` is the text at once.

The language: `set_language("en")` (the command's `--lang`), else XLCOMPARE_LANG, else the
locale (LC_ALL, LC_MESSAGES, LANG, the first set): one starting with `en` is English, any
other or none is Chinese.

Plain values: this module imports only codes.py and the catalogue.
"""

from __future__ import annotations

import os
from collections.abc import Iterator, Mapping
from contextlib import contextmanager
from dataclasses import dataclass
from typing import Any, Literal

from xlcompare.catalogue import TEXTS
from xlcompare.codes import ALL_CODES

__all__ = ["LANGUAGES", "Lang", "Message", "from_environment", "is_key", "language",
           "say", "set_language", "speaking", "template"]

Lang = Literal["zh", "en"]
LANGUAGES: tuple[Lang, ...] = ("zh", "en")
# what the environment is asked, in order: ours, then the POSIX locale's precedence
LANGUAGE_VARIABLES = ("XLCOMPARE_LANG", "LC_ALL", "LC_MESSAGES", "LANG")

_chosen: Lang | None = None


def from_environment(environ: Mapping[str, str] | None = None) -> Lang:
    """The language the environment asks for: the first of LANGUAGE_VARIABLES that is set;
    `en…` (en, en_US.UTF-8) is English, anything else (zh_CN, C.UTF-8, POSIX) Chinese."""
    env = os.environ if environ is None else environ
    for name in LANGUAGE_VARIABLES:
        value = env.get(name, "").strip()
        if value:
            return "en" if value.lower().startswith("en") else "zh"
    return "zh"


def language() -> Lang:
    """The language text is rendered in now."""
    return _chosen or from_environment()


def set_language(lang: str | None) -> None:
    """Speak `lang` ("zh" or "en") from now on; None: as the environment says."""
    global _chosen
    if lang is not None and lang not in LANGUAGES:
        raise ValueError(f"unknown language {lang!r}: one of {', '.join(LANGUAGES)}")
    _chosen = next((known for known in LANGUAGES if known == lang), None)


@contextmanager
def speaking(lang: str | None) -> Iterator[None]:
    """Speak `lang` inside the block, as before after it."""
    global _chosen
    before = _chosen
    set_language(lang)
    try:
        yield
    finally:
        _chosen = before


def is_key(key: str) -> bool:
    """Whether `key` names a text of the catalogue (its own, or a code's line in codes.py)."""
    return key in TEXTS or key in ALL_CODES


def template(key: str, lang: Lang) -> str:
    """The catalogue's wording of `key` in `lang`: its own entry, else its code's line."""
    pair = TEXTS.get(key) or ALL_CODES[key]
    return pair[0] if lang == "zh" else pair[1]


def _frozen(value: Any) -> Any:
    if isinstance(value, list | tuple):
        return tuple(_frozen(v) for v in value)
    return value


@dataclass(frozen=True, slots=True, init=False)
class Message:
    """A catalogue key and its arguments: what a Problem, refusal or error says, rendered
    when shown (`text()`, `str()`). Arguments are plain values (numbers, text, dates), other
    Messages (rendered in the same language) or lists of them (joined as the language
    joins: 、 or , ). Hashable, picklable, and written by orjson as {"key", "args"}."""

    key: str
    args: tuple[tuple[str, Any], ...]

    def __init__(self, key: str, /, **args: Any) -> None:
        if not is_key(key):
            raise KeyError(f"{key!r} is not in the message catalogue (xlcompare/catalogue.py)")
        object.__setattr__(self, "key", key)
        object.__setattr__(self, "args", tuple((k, _frozen(v)) for k, v in args.items()))

    @property
    def code(self) -> str:
        """The code the message words (its key up to the first dot)."""
        return self.key.split(".", 1)[0]

    def arg(self, name: str, default: Any = None) -> Any:
        return next((v for k, v in self.args if k == name), default)

    def text(self, lang: Lang | None = None) -> str:
        """The message in `lang` (default: the language of the moment)."""
        lang = lang or language()
        values = {name: _shown(value, lang) for name, value in self.args}
        wording = template(self.key, lang)
        try:
            return wording.format(**values)
        except (KeyError, IndexError, ValueError, TypeError):
            # a template and its arguments that disagree (a catalogue mistake) still say
            # what is known rather than stop a run
            shown = ", ".join(f"{k}={v}" for k, v in values.items())
            return f"{wording} ({shown})" if shown else wording

    def __str__(self) -> str:
        return self.text()

    def as_json(self) -> dict[str, Any]:
        """{"key": …, "args": {name: value}} with nested Messages the same."""
        return {"key": self.key, "args": {k: _json(v) for k, v in self.args}}

    @classmethod
    def from_json(cls, data: Any) -> Message:
        """A Message back from `as_json` or from orjson's writing of the dataclass (args as
        [name, value] pairs); plain text (a history written before messages had keys) is
        kept as it was."""
        if isinstance(data, Message):
            return data
        if isinstance(data, str):
            return cls("text", text=data)
        args = data.get("args") or {}
        pairs = args.items() if isinstance(args, dict) else args
        key = data["key"] if is_key(data["key"]) else "text"
        if key != data["key"]:  # a key this version does not know: its arguments, as text
            return cls("text", text=f"{data['key']}: {dict(pairs)}")
        return cls(key, **{name: _unjson(value) for name, value in pairs})


def _json(value: Any) -> Any:
    if isinstance(value, Message):
        return value.as_json()
    if isinstance(value, tuple):
        return [_json(v) for v in value]
    return value


def _unjson(value: Any) -> Any:
    if isinstance(value, dict) and value.keys() == {"key", "args"}:
        return Message.from_json(value)
    if isinstance(value, list):
        return tuple(_unjson(v) for v in value)
    return value


_JOINS = {"zh": "、", "en": ", "}


def _shown(value: Any, lang: Lang) -> Any:
    if isinstance(value, Message):
        return value.text(lang)
    if isinstance(value, tuple):
        return _JOINS[lang].join(str(_shown(v, lang)) for v in value)
    return value


def say(key: str, /, **args: Any) -> str:
    """The text of `key` with `args`, in the language of the moment."""
    return Message(key, **args).text()
