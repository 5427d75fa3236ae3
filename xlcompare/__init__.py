"""xlcompare: read social-work station workbooks, align indicators, flag what lags."""

from xlcompare.errors import ConfigError, LayoutError, OutputError, ReadError, XlcompareError
from xlcompare.model import (
    Attendance,
    AttendanceMonth,
    IndicatorRow,
    Problem,
    Source,
    Staffing,
    StationReport,
)
from xlcompare.readers import read_reports, read_station

__all__ = [
    "Attendance",
    "AttendanceMonth",
    "ConfigError",
    "IndicatorRow",
    "LayoutError",
    "OutputError",
    "Problem",
    "ReadError",
    "Source",
    "Staffing",
    "StationReport",
    "XlcompareError",
    "read_reports",
    "read_station",
]
__version__ = "0.1.0"
