"""How big a workbook may be before it is refused or read in a separate process.

The values live in the `[limits]` table of layout.toml so a district can raise them without
code; every key is optional and falls back to the default below. The defaults are far above
what a station sends (a station workbook is ~10 KB, ~40 rows, ~500 cells) and far below what
would hurt the machine reading it.
"""

from __future__ import annotations

import tomllib
from dataclasses import dataclass, fields
from functools import cache
from importlib import resources
from typing import Any

from xlcompare.errors import ConfigError
from xlcompare.messages import Message

__all__ = ["Limits", "load_limits"]

ISOLATE_MODES = ("suspicious", "always", "never")


@dataclass(frozen=True)
class Limits:
    # the file on disk
    max_file_mb: float = 100
    # the parts of an .xlsx/.ods zip once unpacked, all together
    max_unpacked_mb: float = 300
    # unpacked ÷ packed size of one part; checked only for parts above ratio_from_kb, because
    # a small part of repeated XML may legitimately shrink 100×. Measured: a 100 000-row
    # sheet of one repeated formula packs 11×, 120 000 numbered cells 8×; deflate bombs ~1000×
    max_compression_ratio: float = 200
    ratio_from_kb: float = 1024
    max_zip_parts: int = 10_000
    # cells holding a value, over the whole workbook
    max_cells: int = 1_000_000
    # rows × columns of the grid one sheet becomes (the rectangle from A1 to its last cell)
    max_sheet_cells: int = 5_000_000
    # a cell separated from the cells above / left of it by more than this many empty rows
    # (columns) is a stray cell: reported with its value, not read into the grid
    stray_gap_rows: int = 10_000
    stray_gap_columns: int = 200
    # Excel's own limit for the text of one cell; longer text is cut and reported
    max_cell_chars: int = 32_767
    # formats the cheap checks cannot bound (.xlsb, .ods with huge repeats) are read in a child
    # process with this much address space and time; "always" reads every file that way,
    # "never" reads them in-process (and refuses what cannot be bounded)
    isolate: str = "suspicious"
    isolate_memory_mb: int = 1024
    isolate_seconds: float = 60
    # web pages larger than this are parsed in the child too: html.parser before Python
    # 3.13.4/3.12.11 takes quadratic time on some unterminated markup (CVE-2025-6069)
    isolate_html_from_mb: float = 2

    @property
    def max_file_bytes(self) -> int:
        return int(self.max_file_mb * 1024 * 1024)

    @property
    def max_unpacked_bytes(self) -> int:
        return int(self.max_unpacked_mb * 1024 * 1024)

    @property
    def ratio_from_bytes(self) -> int:
        return int(self.ratio_from_kb * 1024)


def limits_from(table: dict) -> Limits:
    """A Limits from a `[limits]` table; unknown keys and bad values are a ConfigError."""
    known = {f.name for f in fields(Limits)}
    unknown = sorted(set(table) - set(known))
    if unknown:
        raise ConfigError(Message("config-invalid.limits-unknown", names=unknown),
                          file="layout.toml")
    values: dict[str, Any] = {}
    for key, value in table.items():
        default = getattr(Limits, key)
        if isinstance(default, str):
            if value not in ISOLATE_MODES:
                raise ConfigError(Message("config-invalid.limits-choice", key=key,
                                          choices=ISOLATE_MODES), file="layout.toml")
            values[key] = value
            continue
        if isinstance(value, bool) or not isinstance(value, int | float) or value <= 0:
            raise ConfigError(Message("config-invalid.limits-positive", key=key,
                                      value=repr(value)), file="layout.toml")
        values[key] = type(default)(value)
    return Limits(**values)


@cache
def load_limits() -> Limits:
    """The `[limits]` of the packaged layout.toml, parsed once per process."""
    text = resources.files("xlcompare").joinpath("data/layout.toml").read_text("utf-8")
    return limits_from(tomllib.loads(text).get("limits", {}))
