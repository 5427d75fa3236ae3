"""One drop folder over time: which files to read (folder), what was read before (store,
sqlite_store), whether the summary is current (freshness), the summary itself (pipeline),
bringing the workbook up to date (refresh) and following the folder (watch).

Names load on first use: `xlcompare batch` on an unchanged folder asks freshness and stops,
and must not pay for importing the readers, the taxonomy and the writers."""

from typing import TYPE_CHECKING

from xlcompare.lazy import lazy_names

if TYPE_CHECKING:
    from xlcompare.batch.pipeline import (
        CODE_KEY,
        BatchResult,
        default_db,
        no_full_collections,
        output_is_current,
        remember_output,
        summarise,
    )
    from xlcompare.batch.refresh import Judging, Refreshed, judging, publish, refresh
    from xlcompare.summary import FileRecord, FileStatus, Trend

_LAZY = {
    **dict.fromkeys(("CODE_KEY", "BatchResult", "default_db", "no_full_collections",
                     "output_is_current", "remember_output", "summarise"),
                    "xlcompare.batch.pipeline"),
    **dict.fromkeys(("Judging", "Refreshed", "judging", "publish", "refresh"),
                    "xlcompare.batch.refresh"),
    **dict.fromkeys(("FileRecord", "FileStatus", "Trend"), "xlcompare.summary"),
}


__getattr__ = lazy_names(__name__, _LAZY)


__all__ = [
    "CODE_KEY",
    "BatchResult",
    "FileRecord",
    "FileStatus",
    "Judging",
    "Refreshed",
    "Trend",
    "default_db",
    "judging",
    "no_full_collections",
    "output_is_current",
    "publish",
    "refresh",
    "remember_output",
    "summarise",
]
