"""One drop folder over time: which files to read (folder), what was read before (store,
sqlite_store), whether the summary is current (freshness), the summary itself (pipeline),
bringing the workbook up to date (refresh) and following the folder (watch)."""

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

__all__ = ["CODE_KEY", "BatchResult", "FileRecord", "FileStatus", "Judging", "Refreshed",
           "Trend", "default_db", "judging", "no_full_collections", "output_is_current",
           "publish", "refresh", "remember_output", "summarise"]
