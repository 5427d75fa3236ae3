"""One error family; each carries a stable `code` and the file (and sheet/cell where known)
it is about.

The CLI turns any XlcompareError into one line and a non-zero exit, never a traceback. The
`code` (kebab-case English, listed in codes.py) says what went wrong in a word a script, a
filter or a translation can key on; the `message` (messages.Message: a catalogue key and its
arguments) says it to people, rendered in their language when shown.

The exit codes of the command are defined here, once (the README's "Commands" lists them):
each error class carries the one it ends a command with.
"""

from __future__ import annotations

from typing import ClassVar, Literal

from xlcompare.codes import ALL_CODES
from xlcompare.messages import Lang, Message

__all__ = ["EXIT_ENVIRONMENT", "EXIT_INTERNAL", "EXIT_OK", "EXIT_SOME_FAILED", "EXIT_USAGE",
           "KINDS", "ConfigError", "Kind", "LayoutError", "OutputError", "ReadError",
           "XlcompareError", "notice", "said"]

# exit codes of the `xlcompare` command
EXIT_OK = 0  # everything read (and written)
EXIT_SOME_FAILED = 1  # some inputs could not be read; what could be read was shown/written
EXIT_USAGE = 2  # bad options or settings, or nothing could be read at all
# the machine, not the inputs: disk full, an output or history that cannot be written or
# used, a lock that is not released; the message says what to do (-o, --db, --no-history)
EXIT_ENVIRONMENT = 3
EXIT_INTERNAL = 4  # an error no one foresaw: a bug (XLCOMPARE_TRACEBACK=1 shows where)

# What kind of refusal a ReadError is, in one word: a folder walk tells a file still being
# copied ("empty", "truncated") or held by another program ("locked") from one that will never
# read ("corrupt", "encrypted", "unsupported", "too_large", "unsafe"); "missing" when it
# vanished; "own_output" for a workbook xlcompare wrote, when the caller asked to skip those.
Kind = Literal["missing", "locked", "empty", "truncated", "corrupt", "encrypted", "unsupported",
               "too_large", "unsafe", "own_output"]
KINDS: tuple[str, ...] = ("missing", "locked", "empty", "truncated", "corrupt", "encrypted",
                          "unsupported", "too_large", "unsafe", "own_output")


def said(message: Message | str) -> Message:
    """`message` as a Message: text that is not the catalogue's (a library's own words) is
    kept as it is."""
    return message if isinstance(message, Message) else Message("text", text=message)


class XlcompareError(Exception):
    """Base of every error xlcompare raises on purpose. Its code is the one given, else its
    message's (the key `corrupt.part-damaged` words the code `corrupt`), else the class's."""

    exit_code = EXIT_USAGE
    # the code of an error raised without one; None: every raise names its code
    default_code: ClassVar[str | None] = None

    def __init__(
        self, message: Message | str, *, code: str | None = None, file: str | None = None,
        sheet: str | None = None, cell: str | None = None,
    ) -> None:
        message = said(message)
        super().__init__(message.key)
        code = code or (message.code if message.code in ALL_CODES else None) or self.default_code
        if not code:
            raise TypeError(f"{type(self).__name__} needs a code")
        self.message: Message = message
        self.code: str = code
        self.file = file
        self.sheet = sheet
        self.cell = cell

    @property
    def where(self) -> str:
        return " / ".join(p for p in (self.file, self.sheet, self.cell) if p)

    def text(self, lang: Lang | None = None) -> str:
        """The error in `lang` (default: the language of the moment), after its place."""
        if self.where:
            return Message("where", where=self.where, text=self.message).text(lang)
        return self.message.text(lang)

    def __str__(self) -> str:
        return self.text()


class ReadError(XlcompareError):
    """The file cannot be opened as a workbook (empty, corrupt, encrypted, unknown format).

    `kind` is what a folder walk acts on (read again later, or never); `code` is the precise
    reason (`password-protected`, `zip-bomb`, `word-document` ...). Both are required: made
    by files.refuse.refuse, which derives a code from the kind when none is given."""

    def __init__(
        self, message: Message | str, *, kind: Kind, code: str, file: str | None = None,
        sheet: str | None = None, cell: str | None = None,
    ) -> None:
        if kind not in KINDS:
            raise ValueError(f"unknown refusal kind {kind!r}")
        super().__init__(message, code=code, file=file, sheet=sheet, cell=cell)
        self.kind: Kind = kind


class LayoutError(XlcompareError):
    """The workbook opens but holds no table xlcompare recognises."""

    default_code = "no-annex-table"


class ConfigError(XlcompareError):
    """A taxonomy or settings file is malformed."""

    default_code = "config-invalid"


class OutputError(XlcompareError):
    """An output or the history cannot be written or used (target open in another program,
    disk full, no permission, a damaged or foreign history, a lock that is not released):
    the environment, not the inputs."""

    exit_code = EXIT_ENVIRONMENT


def notice(message: Message | str, *, code: str | None = None) -> Message:
    """A warning for the user that is not an error (the run goes on), its code (by default
    its message's) at the end in brackets as the one-line errors of the command show theirs."""
    message = said(message)
    return Message("notice", text=message, code=code or message.code)
