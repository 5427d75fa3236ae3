"""xlcompare: read social-work station workbooks, align indicators, flag what lags."""

from typing import TYPE_CHECKING

from xlcompare.errors import ConfigError, LayoutError, OutputError, ReadError, XlcompareError
from xlcompare.lazy import lazy_names

if TYPE_CHECKING:  # what a type checker sees; at run time each name loads on first use
    from xlcompare.batch import summarise
    from xlcompare.comparison import compare, judge_station
    from xlcompare.judge import Status, load_settings
    from xlcompare.model import (
        Attendance,
        AttendanceMonth,
        IndicatorRow,
        Problem,
        Source,
        Staffing,
        StationReport,
    )
    from xlcompare.prose import station_paragraph
    from xlcompare.readers import read_reports, read_station
    from xlcompare.taxonomy import Taxonomy, align, normalise
    from xlcompare.writers.diff_xlsx import write_diff
    from xlcompare.writers.summary_xlsx import write_summary

# imported on first use, so a command pays only for what it does (`batch` finding nothing
# changed must not load the readers, `inspect` must not load the writers)
_LAZY = {
    "Attendance": "xlcompare.model",
    "AttendanceMonth": "xlcompare.model",
    "IndicatorRow": "xlcompare.model",
    "Problem": "xlcompare.model",
    "Source": "xlcompare.model",
    "Staffing": "xlcompare.model",
    "StationReport": "xlcompare.model",
    "read_station": "xlcompare.readers",
    "read_reports": "xlcompare.readers",
    "Taxonomy": "xlcompare.taxonomy",
    "normalise": "xlcompare.taxonomy",
    "align": "xlcompare.taxonomy",
    "load_settings": "xlcompare.judge",
    "Status": "xlcompare.judge",
    "compare": "xlcompare.comparison",
    "judge_station": "xlcompare.comparison",
    "summarise": "xlcompare.batch",
    "station_paragraph": "xlcompare.prose",
    "write_diff": "xlcompare.writers.diff_xlsx",
    "write_summary": "xlcompare.writers.summary_xlsx",
}


__getattr__ = lazy_names(__name__, _LAZY)


__all__ = [
    "ConfigError",
    "LayoutError",
    "OutputError",
    "ReadError",
    "XlcompareError",
    "Attendance",
    "AttendanceMonth",
    "IndicatorRow",
    "Problem",
    "Source",
    "Staffing",
    "StationReport",
    "Status",
    "Taxonomy",
    "align",
    "compare",
    "judge_station",
    "load_settings",
    "normalise",
    "read_reports",
    "read_station",
    "station_paragraph",
    "summarise",
    "write_diff",
    "write_summary",
]
__version__ = "0.1.0"
