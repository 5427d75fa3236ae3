"""click in the officer's language: its own words (usage, errors, help headings) and the help
of our commands, from the one catalogue, in the language of the moment.

click marks every message it shows for gettext (`_("Usage:")` in each of its modules).
gettext's own route to a translation needs compiled .mo catalogues on disk and takes the
language from the process locale, so instead the catalogue's CLICK table is installed as the
`_` (and `ngettext`) that click's modules look up when they speak: `install()`, done by the
`xlcompare` group before it parses anything. English is click's own msgid. A click upgrade
that rewords a message shows that one in English, and tests/test_language.py fails on it.

Our help texts, metavars and option help are catalogue keys, rendered when shown (the Group,
Command, Option and Argument classes below), so `--lang en` given anywhere on the line
changes all of it: `language_in(args)` finds it before click parses.
"""

from __future__ import annotations

import contextlib
import importlib
import sys
from collections.abc import Iterable, Sequence
from typing import Any

import click

from xlcompare.catalogue import CLICK
from xlcompare.display import width, wrap
from xlcompare.messages import LANGUAGES, is_key, language, say

__all__ = ["Argument", "Command", "Context", "Group", "HelpFormatter", "Option", "Path",
           "click_gettext", "click_ngettext", "install", "language_in", "tolerant_streams"]

# click's modules that call `_`; the two private ones are imported by click only where used
CLICK_MODULES = ("core", "decorators", "exceptions", "formatting", "parser", "types", "termui",
                 "utils", "shell_completion", "_termui_impl", "_winconsole")


def click_gettext(message: str) -> str:
    """click's gettext: its msgid in Chinese when Chinese is spoken (and known), else as is."""
    if language() == "zh":
        return CLICK.get(message, message)
    return message


def click_ngettext(singular: str, plural: str, n: int) -> str:
    if language() == "zh" and singular in CLICK:
        return CLICK[singular if n == 1 else plural] if plural in CLICK else CLICK[singular]
    return singular if n == 1 else plural


def install() -> None:
    """Make click's modules speak through the catalogue (idempotent)."""
    for name in CLICK_MODULES:
        module = sys.modules.get(f"click.{name}")
        if module is None and not name.startswith("_"):
            module = importlib.import_module(f"click.{name}")
        if module is None:
            continue
        if hasattr(module, "_"):
            module._ = click_gettext  # type: ignore[attr-defined]
        if hasattr(module, "ngettext"):
            module.ngettext = click_ngettext  # type: ignore[attr-defined]


def language_in(args: Sequence[str]) -> str | None:
    """The language a command line asks for with `--lang X` / `--lang=X` (anywhere before
    `--`), or None. An unknown value is left for click to refuse."""
    for n, arg in enumerate(args):
        if arg == "--":
            break
        value = args[n + 1] if arg == "--lang" and n + 1 < len(args) else None
        if arg.startswith("--lang="):
            value = arg.split("=", 1)[1]
        if value in LANGUAGES:
            return value
    return None


def _shown(value: str | None) -> str | None:
    """A catalogue key as its text now; anything else as it is."""
    return say(value) if value and is_key(value) else value


class _SaidName:
    """A click type's name, set in English when the type is made, said in the language of
    the moment."""

    def __get__(self, obj: Any, owner: Any = None) -> Any:
        if obj is None:
            return self
        return click_gettext(obj.__dict__.get("_said_name", ""))

    def __set__(self, obj: Any, value: str) -> None:
        obj.__dict__["_said_name"] = value


class _SaidHelp:
    """`help` (and `short_help`, `metavar`, `options_metavar`) given as catalogue keys and
    rendered whenever click reads them."""

    def __init__(self, name: str) -> None:
        self.slot = f"_said_{name}"

    def __get__(self, obj: Any, owner: Any = None) -> Any:
        if obj is None:
            return self
        return _shown(getattr(obj, self.slot, None))

    def __set__(self, obj: Any, value: Any) -> None:
        setattr(obj, self.slot, value)


class HelpFormatter(click.HelpFormatter):
    """click's help layout measured in terminal columns, not characters: a Chinese
    character takes two, and Chinese text breaks between characters (it has no spaces)."""

    def _fill(self, text: str, columns: int, first: str = "", rest: str = "") -> str:
        paragraphs = [" ".join(p.split()) for p in text.split("\n\n")]
        return "\n\n".join("\n".join(wrap(p, columns, first, rest)) for p in paragraphs)

    def write_usage(self, prog: str, args: str = "", prefix: str | None = None) -> None:
        if prefix is None:
            prefix = f"{click_gettext('Usage:')} "
        head = f"{prefix:>{self.current_indent}}{prog} "
        self.write(self._fill(args, self.width - self.current_indent, head,
                              " " * min(width(head), 20)) if args else head.rstrip())
        self.write("\n")

    def write_text(self, text: str) -> None:
        indent = " " * self.current_indent
        self.write(self._fill(text, self.width, indent, indent))
        self.write("\n")

    def write_dl(self, rows: Iterable[tuple[str, str]], col_max: int = 30,
                 col_spacing: int = 2) -> None:
        rows = list(rows)
        first_col = min(max((width(first) for first, _ in rows), default=0), col_max)
        first_col += col_spacing
        columns = max(self.width - first_col - 2, 10)
        for first, second in rows:
            self.write(f"{'':>{self.current_indent}}{first}")
            if not second:
                self.write("\n")
                continue
            if width(first) <= first_col - col_spacing:
                self.write(" " * (first_col - width(first)))
            else:
                self.write("\n" + " " * (first_col + self.current_indent))
            lines = self._fill(second, columns).splitlines()
            self.write(lines[0] + "\n")
            for line in lines[1:]:
                self.write(f"{'':>{first_col + self.current_indent}}{line}\n")


def _help_option(command: click.Command, ctx: click.Context) -> click.Option | None:
    """click makes the -h/--help option once per command, its help said in the language of
    that first moment: said again each time it is shown."""
    found = click.Command.get_help_option(command, ctx)
    if found is not None:
        found.help = click_gettext("Show this message and exit.")
    return found


class Context(click.Context):
    formatter_class = HelpFormatter


class Path(click.Path):
    """click.Path whose name in its messages ("file", "directory") is said when shown."""

    name = _SaidName()


class Option(click.Option):
    help = _SaidHelp("help")
    metavar = _SaidHelp("metavar")


class Argument(click.Argument):
    metavar = _SaidHelp("metavar")


class Command(click.Command):
    context_class = Context
    help = _SaidHelp("help")
    short_help = _SaidHelp("short_help")
    options_metavar = _SaidHelp("options_metavar")

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        kwargs.setdefault("options_metavar", "metavar.options")
        super().__init__(*args, **kwargs)

    def get_help_option(self, ctx: click.Context) -> click.Option | None:
        return _help_option(self, ctx)


class Group(click.Group):
    """The `xlcompare` group: picks the language and installs it into click before parsing,
    and makes its subcommands `Command`s."""

    command_class = Command
    context_class = Context
    help = _SaidHelp("help")
    short_help = _SaidHelp("short_help")
    options_metavar = _SaidHelp("options_metavar")
    subcommand_metavar = _SaidHelp("subcommand_metavar")

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        kwargs.setdefault("options_metavar", "metavar.options")
        kwargs.setdefault("subcommand_metavar", "metavar.command")
        super().__init__(*args, **kwargs)

    def get_help_option(self, ctx: click.Context) -> click.Option | None:
        return _help_option(self, ctx)

    def main(self, args: Sequence[str] | None = None, *rest: Any, **extra: Any) -> Any:
        from xlcompare.messages import set_language

        given = list(sys.argv[1:] if args is None else args)
        set_language(language_in(given))
        install()
        tolerant_streams()
        return super().main(args, *rest, **extra)


def tolerant_streams() -> None:
    """A character the console cannot show (Chinese on a cp1252 or ASCII console) is
    written as '?' instead of ending the command with UnicodeEncodeError. Streams that
    already say what to do with such characters (surrogateescape) are left as they are."""
    for stream in (sys.stdout, sys.stderr):
        if getattr(stream, "errors", None) != "strict":
            continue
        # not a text stream of io's (a test's capture, a closed stream): left alone
        with contextlib.suppress(AttributeError, ValueError, OSError):
            stream.reconfigure(errors="replace")  # type: ignore[union-attr]
