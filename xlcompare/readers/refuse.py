"""Refusing a file: a ReadError that also says, in one word, what kind of refusal it is.

`kind` lets a folder walk tell a file that is still being copied ("empty", "truncated") from
one that will never read ("corrupt", "encrypted", "unsupported", "too_large", "unsafe").
The message is for people: what is wrong and what to do, in English and Chinese.
"""

from __future__ import annotations

from typing import Literal

from xlcompare.errors import ReadError

__all__ = ["KINDS", "Kind", "refuse", "PASSWORD_MESSAGE"]

Kind = Literal["missing", "empty", "truncated", "corrupt", "encrypted", "unsupported",
               "too_large", "unsafe"]
KINDS: tuple[str, ...] = ("missing", "empty", "truncated", "corrupt", "encrypted", "unsupported",
                          "too_large", "unsafe")

PASSWORD_MESSAGE = ("password-protected: save a copy without a password "
                    "(文件有密码，请另存为无密码副本)")


def refuse(message: str, kind: Kind, file: str, sheet: str | None = None,
           cell: str | None = None) -> ReadError:
    """A ReadError carrying `kind` (an attribute: ReadError itself takes no such argument)."""
    assert kind in KINDS, kind
    error = ReadError(message, file=file, sheet=sheet, cell=cell)
    error.kind = kind  # type: ignore[attr-defined]
    return error
