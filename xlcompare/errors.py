"""One error family; each carries the file (and sheet/cell where known) it is about.

The CLI turns any XlcompareError into one line and a non-zero exit, never a traceback.
"""

from __future__ import annotations

__all__ = ["XlcompareError", "ReadError", "LayoutError", "ConfigError", "OutputError"]


class XlcompareError(Exception):
    """Base of every error xlcompare raises on purpose."""

    exit_code = 2

    def __init__(
        self, message: str, *, file: str | None = None, sheet: str | None = None,
        cell: str | None = None,
    ) -> None:
        super().__init__(message)
        self.message = message
        self.file = file
        self.sheet = sheet
        self.cell = cell

    def __str__(self) -> str:
        where = " / ".join(p for p in (self.file, self.sheet, self.cell) if p)
        return f"{where}: {self.message}" if where else self.message


class ReadError(XlcompareError):
    """The file cannot be opened as a workbook (empty, corrupt, encrypted, unknown format)."""


class LayoutError(XlcompareError):
    """The workbook opens but holds no table xlcompare recognises."""


class ConfigError(XlcompareError):
    """A taxonomy or settings file is malformed."""


class OutputError(XlcompareError):
    """An output cannot be written (target open in another program, disk full...)."""
