"""Refusing a file: a ReadError that also says, in one word, what kind of refusal it is.

`kind` lets a folder walk tell a file that is still being copied ("empty", "truncated") or
held by another program ("locked") from one that will never read ("corrupt", "encrypted",
"unsupported", "too_large", "unsafe"); "missing" when it vanished; "own_output" for a
workbook xlcompare wrote, when the caller asked to skip those.
The message is for people: what is wrong and what to do, in English and Chinese.
"""

from __future__ import annotations

from typing import Literal

from xlcompare.errors import ReadError

__all__ = ["KINDS", "PASSWORD_MESSAGE", "Kind", "refuse"]

Kind = Literal["missing", "locked", "empty", "truncated", "corrupt", "encrypted", "unsupported",
               "too_large", "unsafe", "own_output"]
KINDS: tuple[str, ...] = ("missing", "locked", "empty", "truncated", "corrupt", "encrypted",
                          "unsupported", "too_large", "unsafe", "own_output")

PASSWORD_MESSAGE = ("password-protected: save a copy without a password "
                    "(文件有密码，请另存为无密码副本)")


def refuse(message: str, kind: Kind, file: str, sheet: str | None = None,
           cell: str | None = None) -> ReadError:
    """A ReadError carrying `kind` (an attribute: ReadError itself takes no such argument)."""
    assert kind in KINDS, kind
    error = ReadError(message, file=file, sheet=sheet, cell=cell)
    error.kind = kind  # type: ignore[attr-defined]
    return error
