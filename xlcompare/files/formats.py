"""What the opener reads: each container kind (as sniff.py tells it from the first bytes) and
the file names a drop folder offers for it.

The content decides what a file is; the suffixes only decide which files a folder walk hands
to the reader, so `SUFFIXES`, derived from this table, is the one list of what counts as a
spreadsheet. Text formats (an HTML table or a CSV saved as `.xls` by a web system) arrive
under a workbook's name and are read by content; a bare `.csv` or `.html` is not offered.
This module imports nothing, so a folder walk costs no parser's import.
"""

from __future__ import annotations

__all__ = ["CONTAINERS", "SUFFIXES", "TEXT_KINDS"]

TEXT_KINDS = ("html", "mhtml", "spreadsheetml", "csv")

CONTAINERS: dict[str, tuple[str, ...]] = {
    "zip": (".xlsx", ".xlsm", ".ods", ".xlsb"),
    "cfb": (".xls",),
    **{kind: () for kind in TEXT_KINDS},
}

SUFFIXES: tuple[str, ...] = tuple(s for suffixes in CONTAINERS.values() for s in suffixes)
