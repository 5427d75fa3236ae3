"""Any file → a Workbook of plain Sheets, bounded before any parser runs.

`open_workbook` (files.workbook) is the entry; this package's own namespace holds only the
table of what it reads, so that listing a folder imports no parser.
"""

from xlcompare.files.formats import CONTAINERS, SUFFIXES

__all__ = ["CONTAINERS", "SUFFIXES"]
