"""Refusing a file: a ReadError that says in one word what kind of refusal it is (`kind`,
which a folder walk acts on) and in a stable code why (`code`, which people and scripts key on).

Kinds (declared with ReadError in errors.py): a file that is still being copied ("empty",
"truncated") or held by another program ("locked"), one that will never read ("corrupt",
"encrypted", "unsupported", "too_large", "unsafe"), "missing" when it vanished, "own_output"
for a workbook xlcompare wrote, when the caller asked to skip those. Codes are listed in
codes.REFUSAL_CODES: a refusal names one where its reason differs from its kind's usual one
(`zip-bomb`, `word-document`, `sheet-too-large` ...).
The message is for people: what is wrong and what to do, a catalogue Message (said in the
reader's language when shown); its key words the code (`zip-bomb.ratio` is a `zip-bomb`).
"""

from __future__ import annotations

from xlcompare.codes import REFUSAL_CODES
from xlcompare.errors import KINDS, Kind, ReadError
from xlcompare.messages import Message

__all__ = ["KINDS", "KIND_CODES", "PASSWORD_MESSAGE", "Kind", "refuse"]

# the code of a refusal that names none: its kind's usual reason
KIND_CODES: dict[str, str] = {
    "missing": "file-not-found",
    "locked": "file-locked",
    "empty": "empty-file",
    "truncated": "truncated",
    "corrupt": "corrupt",
    "encrypted": "password-protected",
    "unsupported": "unknown-format",
    "too_large": "file-too-large",
    "unsafe": "unsafe-content",
    "own_output": "own-output",
}
assert KIND_CODES.keys() == set(KINDS)

PASSWORD_MESSAGE = Message("password-protected.save-copy")


def refuse(message: Message, kind: Kind, file: str, sheet: str | None = None,
           cell: str | None = None, *, code: str | None = None) -> ReadError:
    """A ReadError of `kind` with `code`: by default the code its message words, else the
    kind's usual one (KIND_CODES)."""
    code = code or (message.code if message.code in REFUSAL_CODES else KIND_CODES[kind])
    assert code in REFUSAL_CODES, code
    return ReadError(message, kind=kind, code=code, file=file, sheet=sheet, cell=cell)
