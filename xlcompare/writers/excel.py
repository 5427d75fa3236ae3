"""What every workbook xlcompare writes shares: safe strings, status colours, widths that fit
Chinese text, print setup, and an atomic save.

Text that came from a station's workbook is always written with `write_string`, and the
workbook is opened with strings_to_formulas / strings_to_urls off, so a name like `=HYPERLINK(…)`
or `+86…` stays text in the reader's Excel.
"""

from __future__ import annotations

import contextlib
import errno
import os
import re
import secrets
import shutil
import stat
import tempfile
import time
import traceback
import unicodedata
import zipfile
from collections.abc import Callable, Iterator, Sequence
from contextlib import contextmanager
from dataclasses import dataclass
from pathlib import Path
from typing import IO, Any

import xlsxwriter
from xlsxwriter.exceptions import FileCreateError
from xlsxwriter.workbook import Workbook
from xlsxwriter.worksheet import Worksheet

from xlcompare.errors import OutputError
from xlcompare.judge import Status
from xlcompare.messages import Message

try:
    import fcntl
except ImportError:  # Windows: no locks; stale temporary files go by age alone
    fcntl = None  # type: ignore[assignment]

__all__ = [
    "STATUS_COLOURS",
    "Target",
    "CellWriter",
    "Formats",
    "atomic_workbook",
    "break_lines",
    "remove_stale_temps",
    "display_width",
    "fit_columns",
    "number_format",
    "number_writer",
    "PrintPlan",
    "column_points",
    "width_for_points",
    "plan_print",
    "print_setup",
    "printable_height",
    "printable_width",
    "safe_sheet_name",
    "status_conditional_formats",
    "text_writer",
    "wrapped_height",
    "write_number",
    "write_text",
]

# Excel's own "good / neutral / bad" palette, which district staff already read at a glance
STATUS_COLOURS: dict[Status, tuple[str, str]] = {
    Status.ON_TRACK: ("#C6EFCE", "#006100"),
    Status.BROADLY: ("#FFEB9C", "#9C5700"),
    Status.LAGGING: ("#FFC7CE", "#9C0006"),
    Status.WELL_AHEAD: ("#DDEBF7", "#1F4E78"),
    Status.NO_TARGET: ("#EDEDED", "#595959"),
    Status.CONCERN: ("#FCE4D6", "#843C0C"),
}
EXCEL_CELL_LIMIT = 32767
FONT = "等线"  # Excel's default CJK font; WPS and LibreOffice substitute cleanly


def safe_sheet_name(name: str, taken: set[str]) -> str:
    """A sheet name made from input text (a station's name): without []:*?/\\, at most 31
    characters, not starting or ending with a quote, and unique in `taken` (which it joins)."""
    base = re.sub(r"[\[\]:*?/\\]", "_", name).strip("'") or "Sheet"
    base = base[:31]
    candidate, n = base, 1
    while candidate.lower() in {t.lower() for t in taken}:
        n += 1
        suffix = f"({n})"
        candidate = base[: 31 - len(suffix)] + suffix
    taken.add(candidate)
    return candidate


class _CharWidths(dict[str, int]):
    """The column units of each character met so far: a summary measures tens of thousands of
    cells drawn from a few thousand distinct characters, and a dict lookup is many times
    quicker than asking unicodedata again."""

    def __missing__(self, ch: str) -> int:
        width = self[ch] = 2 if unicodedata.east_asian_width(ch) in "WF" else 1
        return width


_CHAR_WIDTHS = _CharWidths()


def display_width(text: str) -> int:
    """Width in Excel column units: CJK and full-width characters take two."""
    if text.isascii():  # no ASCII character is wide
        return len(text)
    return sum(map(_CHAR_WIDTHS.__getitem__, text))


def wrapped_height(cells: Sequence[tuple[str | None, float]], line: float = 14.0) -> float:
    """Row height for wrapped text: `cells` are (text, column width); Excel and LibreOffice
    do not grow rows for wrapped text in a generated file, so the height is set."""
    lines = 1
    for text, width in cells:
        if text:
            per_line = max(1.0, width - 1.5)
            lines = max(lines, sum(-(-display_width(part) // int(per_line)) or 1
                                   for part in str(text).split("\n")))
    return max(15.0, line * lines + 2)


def break_lines(text: str, width: float) -> str:
    """`text` with a line break wherever a line would pass `width` (column units, CJK two):
    for long text in a merged cell, where a spreadsheet application may not break a line of
    Chinese by itself. Breaks are made for Excel's narrower columns, so they hold in both."""
    room = max(4, int(width) - 2)
    lines: list[str] = []
    for part in text.split("\n"):
        line, used = "", 0
        for ch in part:
            w = _CHAR_WIDTHS[ch]
            if used + w > room and line:
                lines.append(line)
                line, used = "", 0
            line += ch
            used += w
        lines.append(line)
    return "\n".join(lines)


def number_format(value: float | None) -> str:
    return "#,##0" if value is None or float(value).is_integer() else "#,##0.0#"


class Formats:
    """The formats of one workbook, made once."""

    def __init__(self, book: Workbook) -> None:
        base = {"font_name": FONT, "font_size": 10, "valign": "vcenter"}
        self.book = book
        self.title = book.add_format({**base, "bold": True, "font_size": 14})
        self.subtitle = book.add_format({**base, "font_color": "#595959"})
        self.header = book.add_format({**base, "bold": True, "bg_color": "#D9E1F2", "border": 1,
                                       "align": "center", "text_wrap": True})
        self.text = book.add_format({**base, "border": 1})
        self.wrap = book.add_format({**base, "border": 1, "text_wrap": True})
        self.paragraph = book.add_format({**base, "text_wrap": True, "valign": "top"})
        # a note under a title, in grey, wrapped
        self.note = book.add_format({**base, "font_color": "#595959", "text_wrap": True,
                                     "valign": "top"})
        self.bold = book.add_format({**base, "bold": True})
        self.bold_wrap = book.add_format({**base, "bold": True, "text_wrap": True,
                                          "valign": "top"})
        self.date = book.add_format({**base, "num_format": "yyyy-mm-dd", "align": "left",
                                     "valign": "top"})
        self.percent = book.add_format({**base, "border": 1, "num_format": "0.00%"})
        self.points = book.add_format({**base, "border": 1, "num_format": "+0.00;-0.00;0.00"})
        self.integer = book.add_format({**base, "border": 1, "num_format": "#,##0"})
        # an increase: its sign shown (+492, −3)
        self.delta_integer = book.add_format({**base, "border": 1,
                                              "num_format": "+#,##0;-#,##0;0"})
        self.delta_decimal = book.add_format({**base, "border": 1,
                                              "num_format": "+#,##0.0#;-#,##0.0#;0"})
        self.decimal = book.add_format({**base, "border": 1, "num_format": "#,##0.0#"})
        self.status = book.add_format({**base, "border": 1, "align": "center"})
        self.status_fill = {
            status: book.add_format({"bg_color": bg, "font_color": fg})
            for status, (bg, fg) in STATUS_COLOURS.items()
        }

    def number(self, value: float | None) -> Any:
        return self.integer if number_format(value) == "#,##0" else self.decimal

    def delta(self, value: float | None) -> Any:
        return self.delta_integer if number_format(value) == "#,##0" else self.delta_decimal


def write_text(sheet: Worksheet, row: int, col: int, text: str | None, fmt: Any = None,
               problems: list[Message] | None = None) -> None:
    """Write text as text, never as a formula or link; over-long text is cut and reported."""
    text = "" if text is None else str(text)
    if len(text) > EXCEL_CELL_LIMIT:
        if problems is not None:
            problems.append(Message(
                "note.cell-cut", length=len(text),
                cell=f"{sheet.name}!{xlsxwriter.utility.xl_rowcol_to_cell(row, col)}"))
        text = text[: EXCEL_CELL_LIMIT - 1] + "…"
    if text:
        sheet.write_string(row, col, text, fmt)
    else:
        sheet.write_blank(row, col, None, fmt)


def write_number(sheet: Worksheet, row: int, col: int, value: float | None, fmt: Any) -> None:
    if value is None:
        sheet.write_blank(row, col, None, fmt)
    else:
        sheet.write_number(row, col, value, fmt)


CellWriter = Callable[[int, int, Any, Any], None]


def _undecorated(sheet: Worksheet, name: str) -> Callable[..., Any]:
    # xlsxwriter's public write_* first test whether the cell is given in A1 notation, about a
    # quarter of the cost of a cell in constant_memory mode; the undecorated twins take row and
    # column numbers, as every caller here gives. The public method should a version drop them.
    return getattr(sheet, f"_{name}", None) or getattr(sheet, name)


def text_writer(sheet: Worksheet, problems: list[Message] | None) -> CellWriter:
    """`write_text` for the many cells of a table, as writer(row, col, text, fmt): plain text
    within Excel's limit goes straight to the sheet, anything else through `write_text`."""
    string = _undecorated(sheet, "write_string")

    def write(row: int, col: int, text: Any, fmt: Any) -> None:
        if text.__class__ is str and 0 < len(text) <= EXCEL_CELL_LIMIT:
            string(row, col, text, fmt)
        else:
            write_text(sheet, row, col, text, fmt, problems)

    return write


def number_writer(sheet: Worksheet) -> CellWriter:
    """`write_number` for the many cells of a table, as writer(row, col, value, fmt)."""
    number = _undecorated(sheet, "write_number")
    blank = _undecorated(sheet, "write_blank")

    def write(row: int, col: int, value: Any, fmt: Any) -> None:
        if value is None:
            blank(row, col, None, fmt)
        else:
            number(row, col, value, fmt)

    return write


def status_conditional_formats(sheet: Worksheet, formats: Formats, first_row: int,
                               last_row: int, status_col: int, cols: list[int]) -> None:
    """Colour `cols` of each row by the status word in `status_col` (a rule, not a fill, so
    the colour follows if someone edits the status)."""
    if last_row < first_row:
        return
    status_ref = xlsxwriter.utility.xl_rowcol_to_cell(first_row, status_col, col_abs=True)
    for col in cols:
        for status, fmt in formats.status_fill.items():
            sheet.conditional_format(first_row, col, last_row, col, {
                "type": "formula",
                "criteria": f'={status_ref}="{status.value}"',
                "format": fmt,
            })


def fit_columns(sheet: Worksheet, widths: dict[int, int], minimum: int = 6,
                maximum: int = 60) -> None:
    for col, width in widths.items():
        sheet.set_column(col, col, max(minimum, min(maximum, width + 2)))


# A4 (points) and the margins print_setup sets (inches): what a printed page holds
A4_POINTS = (841.89, 595.28)
MARGINS = {"left": 0.4, "right": 0.4, "top": 0.5, "bottom": 0.6}
BODY_POINTS = 10  # the font size of every table (Formats)
SMALLEST_POINTS = 8.0  # no text is printed smaller than this
# the print scales tried when a sheet is split into printed column groups, largest first
_GROUP_SCALES = (100, 95, 90, 85, 80)


def column_points(width: float) -> float:
    """The printed width, in points at 100%, of a column `width` characters wide, as
    LibreOffice prints it where Calibri (the workbook's default font, whose digits set the
    character unit) is not installed and DejaVu Sans stands in: 7 pt a character of the
    width xlsxwriter stores (`width` + 0.71). Excel prints a quarter narrower (7 pixels a
    character), so a plan that fits LibreOffice fits Excel."""
    return (width + 0.7109375) * 7.0


def width_for_points(points: float) -> float:
    """The column width (as set_column takes it) that column_points prints as `points`."""
    return points / 7.0 - 0.7109375


def printable_width(landscape: bool = True) -> float:
    """Points across an A4 page inside the margins."""
    return (A4_POINTS[0] if landscape else A4_POINTS[1]) - 72 * (MARGINS["left"]
                                                                  + MARGINS["right"])


def printable_height(landscape: bool = True) -> float:
    return (A4_POINTS[1] if landscape else A4_POINTS[0]) - 72 * (MARGINS["top"]
                                                                  + MARGINS["bottom"])


@dataclass(frozen=True)
class PrintPlan:
    """How a sheet's columns go onto A4 pages with no text under SMALLEST_POINTS: fitted to
    one page wide (`scale` None) when that keeps the text large enough, else printed at
    `scale` percent in groups of columns, a group from each of `breaks` on, with the
    `repeat` leading columns (the station) printed again beside it."""

    scale: int | None
    breaks: tuple[int, ...] = ()
    repeat: int = 0
    first_page: int = 0  # columns of the first group (a note is merged over them)


def plan_print(widths: Sequence[float], repeat: int = 0, groups: Sequence[str] = (),
               landscape: bool = True) -> PrintPlan:
    """The PrintPlan of a sheet with these column widths; `groups` names each column's
    group (consecutive columns of one name are kept on one page when they fit), `repeat`
    leading columns are repeated on every page when it is split."""
    points = [column_points(w) for w in widths]
    page = printable_width(landscape)
    total = sum(points)
    # fitted to the width, LibreOffice and Excel scale by page ÷ total; a margin of 2% for
    # their rounding of column widths
    if total <= page or page / total * 0.98 >= SMALLEST_POINTS / BODY_POINTS:
        return PrintPlan(None, first_page=len(widths))
    names = list(groups) + [""] * (len(widths) - len(groups))
    best: tuple[int, int, list[int]] | None = None
    for scale in _GROUP_SCALES:
        starts = _paginate(points, repeat, names, page * 100 / scale)
        if best is None or len(starts) < len(best[2]):
            best = (scale, len(starts), starts)
    assert best is not None
    scale, _, starts = best
    first = starts[1] if len(starts) > 1 else len(widths)
    return PrintPlan(scale, tuple(starts[1:]), repeat, first)


def _paginate(points: list[float], repeat: int, groups: list[str], page: float) -> list[int]:
    """The first column of each printed page: whole groups while they fit, a group wider
    than a page split where it must."""
    fixed = sum(points[:repeat])
    starts = [0]
    used = fixed
    col = repeat
    while col < len(points):
        end = col
        while end < len(points) and groups[end] == groups[col] and groups[col]:
            end += 1
        end = max(end, col + 1)
        width = sum(points[col:end])
        if used + width <= page:
            used += width
            col = end
            continue
        if used > fixed and fixed + width <= page:  # the group starts the next page
            starts.append(col)
            used = fixed
            continue
        for c in range(col, end):  # wider than a page: split between its columns
            if used + points[c] > page and used > fixed:
                starts.append(c)
                used = fixed
            used += points[c]
        col = end
    return starts


def print_setup(sheet: Worksheet, header_rows: tuple[int, int] | None = None,
                plan: PrintPlan | None = None, landscape: bool = True,
                extent: tuple[Workbook, int, int] | None = None) -> None:
    """A4, header rows repeated, page numbers in the footer; one page wide, or in groups of
    columns with the leading ones repeated (`plan`), so that no text prints below 8 pt.

    A split sheet is printed as one print area per group (`extent`: the workbook, the last
    row and column): the first with the title and notes above the table, the others from
    the header row down, so that no page shows a title cut off by its repeated columns.
    Excel and LibreOffice print each area on pages of its own."""
    if landscape:
        sheet.set_landscape()
    else:
        sheet.set_portrait()
    sheet.set_paper(9)
    if plan is None or plan.scale is None:
        sheet.fit_to_pages(1, 0)
    else:
        sheet.set_print_scale(plan.scale)
        if plan.repeat:
            sheet.repeat_columns(0, plan.repeat - 1)
        if plan.breaks and extent is not None:
            book, last_row, last_col = extent
            top = header_rows[0] if header_rows is not None else 0
            starts = [0, *plan.breaks]
            ends = [*(b - 1 for b in plan.breaks), last_col]
            areas = [_area(sheet.name, 0 if n == 0 else top, first, last_row, last)
                     for n, (first, last) in enumerate(zip(starts, ends, strict=True))]
            book.define_name(f"'{sheet.name}'!_xlnm.Print_Area", "=" + ",".join(areas))
        elif plan.breaks:
            sheet.set_v_pagebreaks(list(plan.breaks))
    sheet.set_margins(**MARGINS)
    sheet.set_footer("&C第 &P 页，共 &N 页")
    if header_rows is not None:
        sheet.repeat_rows(*header_rows)


def _area(sheet: str, first_row: int, first_col: int, last_row: int, last_col: int) -> str:
    cells = xlsxwriter.utility.xl_range_abs(first_row, first_col, last_row, last_col)
    return f"'{sheet}'!{cells}"


_BOOK_OPTIONS = {
    "strings_to_formulas": False,
    "strings_to_urls": False,
    "strings_to_numbers": False,
    "nan_inf_to_errors": True,
}

Target = str | Path | IO[bytes]


# the temporary file a workbook is written to, beside its target (the batch ignores the name)
TEMP_PREFIX = ".~xlcompare-"
# a temporary file no process holds is a dead run's once it is this old; younger, it may be
# another machine's run still writing (a share may not show that machine's lock)
STALE_TEMP_SECONDS = 600


@contextmanager
def atomic_workbook(path: Target, constant_memory: bool = False) -> Iterator[Workbook]:
    """An xlsxwriter Workbook written to a temporary file beside `path` and moved into place
    only when complete, so a crash or a full disk leaves the previous output intact. `path`
    may also be a binary stream (a web response, a BytesIO), which gets the finished bytes.

    The temporary file is locked while it is written (flock), and temporary files of runs
    that are gone (no lock, older than STALE_TEMP_SECONDS) are removed first. The output takes
    the mode of the file it replaces, else the umask's (not mkstemp's 0600: colleagues on a
    share must be able to open it). A full disk or a folder that cannot be written is one
    OutputError (`disk-full`, `output-unwritable`), not an OSError.

    `constant_memory` streams each row to disk as the next begins (rows must then be written
    in order), so a province-sized summary does not hold every cell in memory."""
    if not isinstance(path, str | Path):
        # written to a file first, with the same options, so that a stream gets the very
        # bytes a path would (xlsxwriter's in-memory mode caches chart data that the
        # constant-memory mode cannot)
        with tempfile.TemporaryDirectory(prefix="xlcompare-") as scratch:
            written = Path(scratch) / "out.xlsx"
            with atomic_workbook(written, constant_memory) as book:
                yield book
            with written.open("rb") as finished:
                shutil.copyfileobj(finished, path)
        return
    target = Path(path)
    folder = target.parent if str(target.parent) else Path(".")
    if not folder.is_dir():
        raise OutputError(Message("output-folder-missing.choose", folder=str(folder)),
                          file=str(target))
    remove_stale_temps(folder)
    try:
        handle, temp = _create_temp(folder, target)
    except OSError as exc:
        raise _output_failure(exc, target) from None
    try:
        try:
            book = xlsxwriter.Workbook(str(temp), {**_BOOK_OPTIONS,
                                                   "constant_memory": constant_memory})
            yield book
            book.close()
        except FileCreateError as exc:  # xlsxwriter's wrapping of the OSError of its write
            cause = exc.args[0] if exc.args and isinstance(exc.args[0], OSError) else None
            if cause is None:
                raise
            _discard_open_zips(exc)
            raise _output_failure(cause, target) from None
        except OSError as exc:
            _discard_open_zips(exc)
            raise _output_failure(exc, target) from None
        try:
            os.replace(temp, target)
        except PermissionError:
            raise OutputError(Message("output-locked.close"), file=str(target)) from None
        except OSError as exc:
            raise _output_failure(exc, target) from None
    finally:
        temp.unlink(missing_ok=True)
        os.close(handle)  # releases its lock


def _create_temp(folder: Path, target: Path) -> tuple[int, Path]:
    """A new, locked temporary file beside `target`, with the mode the output is to have."""
    keep: int | None = None
    try:
        info = os.stat(target)
        if stat.S_ISREG(info.st_mode):
            keep = stat.S_IMODE(info.st_mode)
    except OSError:
        pass
    flags = (os.O_RDWR | os.O_CREAT | os.O_EXCL | getattr(os, "O_CLOEXEC", 0)
             | getattr(os, "O_NOFOLLOW", 0))
    for _ in range(100):
        temp = folder / f"{TEMP_PREFIX}{secrets.token_hex(6)}.xlsx"
        try:
            handle = os.open(temp, flags, 0o666)  # the umask applies
        except FileExistsError:
            continue
        break
    else:
        raise FileExistsError(errno.EEXIST, "no free temporary name", str(folder))
    try:
        if keep is not None:
            os.chmod(temp, keep)
        if fcntl is not None:
            fcntl.flock(handle, fcntl.LOCK_EX | fcntl.LOCK_NB)
    except OSError:
        os.close(handle)
        temp.unlink(missing_ok=True)
        raise
    return handle, temp


def remove_stale_temps(folder: Path, older_than: float = STALE_TEMP_SECONDS) -> list[Path]:
    """Remove the temporary outputs in `folder` that a run which is gone left behind (killed
    while writing): no process holds their lock and they are older than `older_than`
    seconds. Returns those removed."""
    removed: list[Path] = []
    now = time.time()
    try:
        entries = list(os.scandir(folder))
    except OSError:
        return removed
    for entry in entries:
        if not (entry.name.startswith(TEMP_PREFIX) and entry.name.endswith(".xlsx")):
            continue
        try:
            info = entry.stat(follow_symlinks=False)
            if not stat.S_ISREG(info.st_mode) or now - info.st_mtime < older_than:
                continue
            handle = os.open(entry.path, os.O_RDONLY | getattr(os, "O_NONBLOCK", 0)
                             | getattr(os, "O_NOFOLLOW", 0) | getattr(os, "O_CLOEXEC", 0))
        except OSError:
            continue
        try:
            if fcntl is not None:
                fcntl.flock(handle, fcntl.LOCK_EX | fcntl.LOCK_NB)  # held: a live writer
            if os.fstat(handle).st_ino == info.st_ino:
                os.unlink(entry.path)
                removed.append(Path(entry.path))
        except OSError:
            pass
        finally:
            os.close(handle)
    return removed


def _discard_open_zips(exc: BaseException) -> None:
    """Close, without writing, the zip files a failed write left open in the frames of `exc`
    (xlsxwriter's own, on a full disk): otherwise each tries again to flush when collected,
    and Python prints that second failure as an "Exception ignored" traceback after the
    one-line error."""
    seen: set[int] = set()
    error: BaseException | None = exc
    while error is not None and id(error) not in seen:
        seen.add(id(error))
        for frame, _ in traceback.walk_tb(error.__traceback__):
            for value in frame.f_locals.values():
                if isinstance(value, zipfile.ZipFile) and value.fp is not None:
                    handle, value.fp = value.fp, None
                    with contextlib.suppress(OSError):
                        handle.close()  # the buffered bytes fail to flush; the file closes
        error = error.__context__ or error.__cause__


def _output_failure(exc: OSError, target: Path) -> OutputError:
    """An OSError met writing `target`, as one line saying what to do."""
    reason = exc.strerror or str(exc)
    folder = target.parent if str(target.parent) else Path(".")
    if exc.errno in (errno.ENOSPC, getattr(errno, "EDQUOT", errno.ENOSPC)):
        elsewhere = (Message("disk-full.writing", file=exc.filename) if exc.filename
                     and Path(exc.filename).parent != folder else "")
        return OutputError(Message("disk-full.output", elsewhere=elsewhere, reason=reason),
                           file=str(target))
    if exc.errno in (errno.EACCES, errno.EPERM, errno.EROFS):
        return OutputError(Message("output-unwritable.folder", folder=str(folder), reason=reason),
                           file=str(target))
    return OutputError(Message("io-failure.output", reason=reason), file=str(target))
