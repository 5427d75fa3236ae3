"""The `xlcompare` command: parse options, call the library, print. No logic of its own.

Every word it shows comes from the catalogue (catalogue.py) in the language of the run:
Chinese unless `--lang en` or the environment asks for English (messages.py); click's own
words too (clicklang.py). Help texts and option help are catalogue keys (`help.batch`).
"""

from __future__ import annotations

import errno
import json
import os
import re
import shutil
import sys
from collections.abc import Callable
from datetime import date
from functools import partial
from pathlib import Path
from typing import Any

import click

from xlcompare.clicklang import Argument, Group, Option
from xlcompare.clicklang import Path as PathType
from xlcompare.display import visible
from xlcompare.errors import (
    EXIT_ENVIRONMENT,
    EXIT_INTERNAL,
    EXIT_OK,
    EXIT_SOME_FAILED,
    EXIT_USAGE,
    ConfigError,
    OutputError,
    XlcompareError,
    notice,
)
from xlcompare.messages import LANGUAGES, Message, say

__all__ = ["EXIT_ENVIRONMENT", "EXIT_INTERNAL", "EXIT_OK", "EXIT_SOME_FAILED", "EXIT_USAGE",
           "main", "run"]

option = partial(click.option, cls=Option)
argument = partial(click.argument, cls=Argument)


def _echo(line: str, err: bool = False) -> None:
    """One line to the terminal: input text in it (file names, sheet text) is made visible,
    so that it can neither send escape sequences nor start a line of its own."""
    click.echo(visible(line), err=err)


def _error_line(exc: BaseException | Message | str) -> str:
    return say("cli.error", text=exc if isinstance(exc, Message) else str(exc))


def _warning_line(text: object) -> str:
    return say("cli.warning", text=text if isinstance(text, Message) else str(text))


# ------------------------------------------------------------------------------ option types

# a date as officers write it: 2024-03-31, 2024年3月31日, 2024/3/31, 2024.3.31
_DATE = re.compile(r"^\s*(\d{4})\s*[-/.年]\s*(\d{1,2})\s*[-/.月]\s*(\d{1,2})\s*日?\s*$")


class DateType(click.ParamType):
    name = "date"

    def convert(self, value: Any, param: click.Parameter | None,
                ctx: click.Context | None) -> date:
        if isinstance(value, date):
            return value
        found = _DATE.match(str(value))
        try:
            if found:
                return date(*(int(g) for g in found.groups()))
        except ValueError:
            pass
        self.fail(say("cli.bad-date", value=str(value)), param, ctx)


class Figure(click.ParamType):
    """A number, with `check(value)` returning what is wrong with it (a message) or None."""

    name = "number"

    def __init__(self, kind: type = float, check: Callable[[Any], str | None] | None = None,
                 ) -> None:
        self.kind = kind
        self.check = check

    def convert(self, value: Any, param: click.Parameter | None,
                ctx: click.Context | None) -> Any:
        try:
            number = self.kind(value)
        except (TypeError, ValueError):
            self.fail(say("cli.bad-number", value=str(value)), param, ctx)
        wrong = self.check(number) if self.check else None
        if wrong:
            self.fail(wrong, param, ctx)
        return number


def _basic_share(value: float) -> str | None:
    """0 < share ≤ 1; a share written as a percentage (70) is named as such."""
    if 0 < value <= 1:
        return None
    if 1 < value <= 100:
        return say("cli.basic-share-percent", value=f"{value:g}", share=f"{value / 100:g}")
    return say("cli.basic-share-range", value=f"{value:g}")


def _over_multiple(value: float) -> str | None:
    return None if value > 1 else say("cli.over-multiple-range", value=f"{value:g}")


def _positive(value: float) -> str | None:
    return None if value >= 0 else say("cli.bad-number", value=f"{value:g}")


def _jobs(value: int) -> str | None:
    return None if 1 <= value <= 64 else say("cli.jobs-range", value=value)


def _output_path(ctx: click.Context, param: click.Parameter, value: Path | None
                 ) -> Path | None:
    """An output is checked before any work: an .xlsx, in a folder that exists."""
    if value is None:
        return None
    if value.suffix.lower() != ".xlsx":
        raise click.BadParameter(say("cli.output-suffix", name=value.name or str(value)),
                                 ctx, param)
    if value.is_dir():
        raise click.BadParameter(say("cli.output-is-folder", name=str(value)), ctx, param)
    if not value.parent.is_dir():
        raise OutputError(Message("output-folder-missing.choose", folder=str(value.parent)),
                          file=str(value))
    return value


# ------------------------------------------------------------------------------ shared options


def lang_option(func: Callable[..., Any]) -> Callable[..., Any]:
    """--lang on the group and on each command: read before click parses (clicklang)."""
    return option("--lang", type=click.Choice(LANGUAGES), expose_value=False,
                  metavar="metavar.lang", help="help.lang")(func)


def override_options(func: Callable[..., Any]) -> Callable[..., Any]:
    """--station/--cutoff/--contract-start/--contract-end: what the workbook says, corrected."""
    options = [
        option("--station", metavar="metavar.name", help="help.station"),
        option("--cutoff", type=DateType(), metavar="metavar.date", help="help.cutoff"),
        option("--contract-start", type=DateType(), metavar="metavar.date",
               help="help.contract-start"),
        option("--contract-end", type=DateType(), metavar="metavar.date",
               help="help.contract-end"),
    ]
    for decorate in reversed(options):
        func = decorate(func)
    return func


def _overrides(**values: Any) -> dict[str, Any]:
    return {k: v for k, v in values.items() if v is not None}


@click.group(cls=Group, context_settings={"help_option_names": ["-h", "--help"]},
             help="help.main")
@click.version_option(package_name="xlcompare", cls=Option, help="help.version",
                      message="xlcompare %(version)s")
@lang_option
def main() -> None:
    """The command group (its help: catalogue key help.main)."""


def taxonomy_option(func: Callable[..., Any]) -> Callable[..., Any]:
    return option(
        "--taxonomy", "taxonomy_files", multiple=True, metavar="metavar.file",
        type=PathType(exists=True, dir_okay=False, path_type=Path), help="help.taxonomy",
    )(func)


def layout_option(func: Callable[..., Any]) -> Callable[..., Any]:
    return option(
        "--layout", "layout_files", multiple=True, metavar="metavar.file",
        type=PathType(exists=True, dir_okay=False, path_type=Path), help="help.layout",
    )(func)


def _workbooks(paths: tuple[Path, ...]) -> list[Path]:
    """The files given, a folder standing for the station workbooks under it."""
    from xlcompare.batch.folder import scan

    found: list[Path] = []
    for path in paths:
        if path.is_dir():
            found += [c.path for c in scan(path) if not c.ignored]
        else:
            found.append(path)
    return found


@main.command(help="help.inspect", short_help="help.inspect.short")
@argument("files", nargs=-1, required=True, metavar="metavar.files",
          type=PathType(path_type=Path))
@option("--json", "as_json", is_flag=True, help="help.inspect.json")
@option("--with-names", is_flag=True, help="help.with-names")
@taxonomy_option
@layout_option
@option("-v", "--verbose", is_flag=True, help="help.verbose")
@override_options
@lang_option
def inspect(files: tuple[Path, ...], as_json: bool, with_names: bool, verbose: bool,
            taxonomy_files: tuple[Path, ...], layout_files: tuple[Path, ...],
            **overrides: Any) -> None:
    """Show what xlcompare reads from station workbooks (help: help.inspect)."""
    from xlcompare.paths import OUTPUT_MARK
    from xlcompare.readers import read_reports, read_station
    from xlcompare.readers.layout import layout_for
    from xlcompare.taxonomy import normalise, taxonomy_for

    folders = [p for p in files if p.is_dir()]
    paths = _workbooks(files)
    if folders and not paths:
        _echo(_error_line(say("cli.no-workbook-in-folder",
                              folder="、".join(str(f) for f in folders))), err=True)
        sys.exit(EXIT_USAGE)
    taxonomy = taxonomy_for(paths, taxonomy_files)
    layout = layout_for(paths, layout_files)
    given = _overrides(**overrides)
    if given:
        try:
            reports, errors = [read_station(paths, with_names=with_names, layout=layout,
                                            **given)], []
        except XlcompareError as exc:
            reports, errors = [], [exc]
    else:
        # a summary xlcompare wrote into the folder is not a station's workbook
        reports, errors = read_reports(paths, with_names=with_names, layout=layout,
                                       skip_author=OUTPUT_MARK if folders else None)
    if as_json:
        from xlcompare.writers.jsonout import report_to_dict

        payload = [report_to_dict(r, normalise(r.indicators, taxonomy)) for r in reports]
        click.echo(json.dumps(payload, ensure_ascii=False, indent=2))
    else:
        from xlcompare.writers.terminal import print_report

        console = _console()
        for report in reports:
            print_report(console, report, normalise(report.indicators, taxonomy),
                         verbose=verbose)
    for error in errors:
        _echo(_error_line(error), err=True)
    if errors:
        sys.exit(EXIT_SOME_FAILED if reports else EXIT_USAGE)


def output_option(default: Path | None, help_key: str) -> Callable[..., Any]:
    return option("-o", "--output", type=PathType(path_type=Path), default=default,
                  show_default=default is not None, metavar="metavar.file",
                  callback=_output_path, help=help_key)


def folder_options(func: Callable[..., Any]) -> Callable[..., Any]:
    """FOLDER, -o/--output and --db: shared by batch and watch."""
    options = [
        argument("folder", metavar="metavar.folder",
                 type=PathType(exists=True, file_okay=False, path_type=Path)),
        output_option(Path("xlcompare-summary.xlsx"), "help.output"),
        option("--db", type=PathType(dir_okay=False, path_type=Path), metavar="metavar.file",
               help="help.db"),
    ]
    for decorate in reversed(options):
        func = decorate(func)
    return func


def judge_options(func: Callable[..., Any]) -> Callable[..., Any]:
    """--settings/--basic-share/--over-multiple: how progress is judged."""
    options = [
        option("--settings", "settings_file", metavar="metavar.file",
               type=PathType(exists=True, dir_okay=False, path_type=Path),
               help="help.settings"),
        option("--basic-share", type=Figure(float, _basic_share), metavar="metavar.share",
               help="help.basic-share"),
        option("--over-multiple", type=Figure(float, _over_multiple),
               metavar="metavar.multiple", help="help.over-multiple"),
    ]
    for decorate in reversed(options):
        func = decorate(func)
    return func


@main.command(help="help.diff", short_help="help.diff.short")
@argument("files", nargs=-1, required=True, metavar="metavar.files",
          type=PathType(dir_okay=False, path_type=Path))
@output_option(None, "help.diff.output")
@option("-a", "--station-a", metavar="metavar.station", help="help.station-a")
@option("-b", "--station-b", metavar="metavar.station", help="help.station-b")
@taxonomy_option
@layout_option
@judge_options
@lang_option
def diff(files: tuple[Path, ...], output: Path | None, station_a: str | None,
         station_b: str | None, taxonomy_files: tuple[Path, ...],
         layout_files: tuple[Path, ...], settings_file: Path | None,
         basic_share: float | None, over_multiple: float | None) -> None:
    """Compare two stations, or two years of one station (help: help.diff)."""
    from xlcompare.comparison import compare
    from xlcompare.judge import load_settings
    from xlcompare.readers import read_reports
    from xlcompare.readers.layout import layout_for
    from xlcompare.taxonomy import taxonomy_for
    from xlcompare.writers.terminal import print_comparison

    reports, errors = read_reports(files, layout=layout_for(files, layout_files))
    if errors:
        for exc in errors:
            _echo(_error_line(exc), err=True)
        sys.exit(EXIT_USAGE)
    reports = _pick_stations(reports, station_a, station_b)
    if len(reports) != 2:
        found = "、".join(say("cli.station-at", station=r.station, cutoff=r.cutoff)
                         for r in reports) or say("cli.none")
        raise click.UsageError(say("cli.diff-two", count=len(reports), found=visible(found)))
    taxonomy = taxonomy_for(files, taxonomy_files)
    settings = load_settings(settings_file, basic_share=basic_share, over_multiple=over_multiple)
    comparison = compare(reports[0], reports[1], taxonomy, settings)
    print_comparison(_console(), comparison, taxonomy)
    if output is not None:
        from xlcompare.writers.diff_xlsx import write_diff

        for problem in write_diff(comparison, output, taxonomy):
            _echo(_warning_line(problem), err=True)
        _echo(say("cli.wrote", output=str(output)))


def _pick_stations(reports: list[Any], a: str | None, b: str | None) -> list[Any]:
    """The reports of the stations named by -a / -b, in that order (all when none is)."""
    if a is None and b is None:
        return reports
    picked = []
    for name in (a, b):
        if name is None:
            continue
        mine = [r for r in reports if r.station == name]
        if not mine:
            held = "、".join(str(r.station) for r in reports) or say("cli.none")
            raise click.UsageError(say("cli.no-such-station", name=visible(name),
                                       held=visible(held)))
        picked.extend(mine)
    return picked


@main.command(help="help.batch", short_help="help.batch.short")
@folder_options
@option("--no-history", is_flag=True, help="help.no-history")
@option("-j", "--jobs", type=Figure(int, _jobs), metavar="metavar.count", help="help.jobs")
@option("-q", "--quiet", is_flag=True, help="help.quiet")
@option("--roster", type=PathType(exists=True, dir_okay=False, path_type=Path),
        metavar="metavar.file", help="help.roster")
@taxonomy_option
@layout_option
@judge_options
@lang_option
def batch(folder: Path, output: Path, db: Path | None, no_history: bool, jobs: int | None,
          quiet: bool, roster: Path | None, taxonomy_files: tuple[Path, ...],
          layout_files: tuple[Path, ...], settings_file: Path | None,
          basic_share: float | None, over_multiple: float | None) -> None:
    """Summarise every station workbook in FOLDER into one workbook (help: help.batch)."""
    from xlcompare.batch.refresh import judging, refresh

    def progress() -> Any:  # imported only when there is reading to show
        from xlcompare.writers.terminal import progress_bar

        return progress_bar(_console(stderr=True), enabled=not quiet)

    judged = judging(folder, taxonomy_files, settings_file, basic_share=basic_share,
                     over_multiple=over_multiple, layout_files=layout_files, roster=roster)
    done = refresh(folder, output, judged=judged, db=db, use_history=not no_history,
                   jobs=jobs, progress=progress)
    if no_history:
        _echo(say("history.place-none"))
    _report(done, folder, quiet)
    if done.no_station:
        sys.exit(EXIT_USAGE)  # nothing could be read as a station: no summary
    if done.failed:
        sys.exit(EXIT_SOME_FAILED)


@main.command(help="help.verify", short_help="help.verify.short")
@argument("folder", metavar="metavar.folder",
          type=PathType(exists=True, file_okay=False, path_type=Path))
@argument("ident", metavar="metavar.ident")
@option("--note", required=True, metavar="metavar.text", help="help.note")
@option("--db", type=PathType(dir_okay=False, path_type=Path), metavar="metavar.file",
        help="help.verify-db")
@lang_option
def verify(folder: Path, ident: str, note: str, db: Path | None) -> None:
    """Mark one flag of the 数据质量 sheet verified (help: help.verify)."""
    from xlcompare.batch.follow_up import mark_verified

    flag = mark_verified(folder, ident, note, db=db)
    _echo(say("cli.verified", ident=flag.ident, station=flag.station, cutoff=flag.cutoff,
              rule=flag.rule, note=note))


def _report(done: Any, folder: Path, quiet: bool, history: bool = True) -> None:
    """What a refresh did, as the terminal shows it (`history`: with the line saying
    which history was used)."""
    output, result = done.output, done.result
    if history and done.place is not None:
        _echo(str(done.place.describe()))
    if done.no_station:
        for problem in done.problems:
            _echo(_warning_line(problem), err=True)
        _no_station(done, folder)
        return
    if result is None:
        _echo(say("cli.up-to-date-unread", output=str(output), known=done.known,
                  failed=done.failed, folder=str(folder)))
        return
    if not done.written:
        _echo(say("cli.up-to-date", output=str(output)))
    for problem in done.problems:
        _echo(_warning_line(problem), err=True)
    if not quiet:
        from xlcompare.writers.terminal import print_batch

        print_batch(_console(), result)
    not_ready = (Message("cli.batch-not-ready", n=len(result.not_ready))
                 if result.not_ready else "")
    _echo(say("cli.batch-done", output=str(output), stations=len(result.summaries),
              read=result.read, known=result.from_history, failed=len(result.failed),
              not_ready=not_ready, seconds=result.seconds))
    for record in result.failed:
        _echo(_error_line(Message("where", where=record.path, text=record.reason))
              + (f" [{record.code}]" if record.code else ""), err=True)
    for record in result.not_ready:
        _echo(say("cli.not-ready", text=Message("where", where=record.path,
                                                text=record.reason)), err=True)


def _no_station(done: Any, folder: Path) -> None:
    """A folder with no station workbook: why, and that nothing was written."""
    result = done.result
    for record in result.failed:
        _echo(_error_line(Message("where", where=record.path, text=record.reason))
              + (f" [{record.code}]" if record.code else ""), err=True)
    kept = (Message("cli.output-kept", output=str(done.output)) if done.output.exists()
            else Message("cli.output-not-written", output=str(done.output)))
    _echo(_warning_line(notice(Message("no-station-workbook.folder", folder=str(folder),
                                       files=len(result.files), failed=len(result.failed),
                                       kept=kept))), err=True)


@main.command(help="help.watch", short_help="help.watch.short")
@folder_options
@option("--debounce", type=Figure(float, _positive), default=1.0, show_default=True,
        metavar="metavar.seconds", help="help.debounce")
@option("--settle", type=Figure(float, _positive), default=1.0, show_default=True,
        metavar="metavar.seconds", help="help.settle")
@option("--stale-lock", "stale_lock", type=click.FloatRange(min=0, min_open=True),
        default=60.0, show_default=True, metavar="metavar.minutes", help="help.stale-lock")
@taxonomy_option
@layout_option
@judge_options
@lang_option
def watch(folder: Path, output: Path, db: Path | None, debounce: float, settle: float,
          stale_lock: float, taxonomy_files: tuple[Path, ...], layout_files: tuple[Path, ...],
          settings_file: Path | None, basic_share: float | None,
          over_multiple: float | None) -> None:
    """Keep the summary of FOLDER up to date as workbooks arrive (help: help.watch)."""
    import threading

    from xlcompare.batch.place import locate_history
    from xlcompare.batch.refresh import judging, publish
    from xlcompare.batch.watch import watch as watch_folder

    judged = judging(folder, taxonomy_files, settings_file, basic_share=basic_share,
                     over_multiple=over_multiple, layout_files=layout_files)
    stop = threading.Event()

    empty = [False]  # the last rebuild found no station: said once until one comes

    def rebuild(result: Any) -> None:
        done = publish(result, output)
        if done.no_station:
            if not empty[0]:
                _echo(say("cli.waiting-station", folder=str(folder), output=str(output)))
            empty[0] = True
            return
        empty[0] = False
        _report(done, folder, quiet=True, history=False)

    def failed(exc: BaseException) -> None:
        _echo(_error_line(exc), err=True)

    _echo(say("cli.watching", folder=str(folder), output=str(output)))
    _echo(str(locate_history(folder, db).describe()))
    try:
        watch_folder(folder, rebuild, outputs=[output], debounce=debounce, settle=settle,
                     stale_minutes=stale_lock, stop=stop, on_error=failed, on_wait=_echo,
                     db=db, taxonomy=judged.taxonomy, settings=judged.settings,
                     config=judged.config, keep_stations=False,
                     layout_files=judged.layout_files)
    except KeyboardInterrupt:
        stop.set()
    _echo(say("cli.stopped"))


def _default_workspace() -> Path:
    return Path.home() / "xlcompare"


@main.command(help="help.serve", short_help="help.serve.short")
@argument("folder", required=False, metavar="metavar.folder-optional",
          type=PathType(file_okay=False, path_type=Path))
@option("--host", default="127.0.0.1", show_default=True, metavar="metavar.host",
        help="help.host")
@option("--port", type=click.IntRange(0, 65535), default=0, metavar="metavar.port",
        help="help.port")
@option("--token", envvar="XLCOMPARE_TOKEN", metavar="metavar.token", help="help.token")
@option("--allow-host", "allow_hosts", multiple=True, metavar="metavar.host",
        help="help.allow-host")
@option("--no-browser", is_flag=True, help="help.no-browser")
@option("-j", "--jobs", type=Figure(int, _jobs), metavar="metavar.count", help="help.jobs")
@taxonomy_option
@judge_options
@lang_option
def serve(folder: Path | None, host: str, port: int, token: str | None,
          allow_hosts: tuple[str, ...], no_browser: bool, jobs: int | None,
          taxonomy_files: tuple[Path, ...], settings_file: Path | None,
          basic_share: float | None, over_multiple: float | None) -> None:
    """A local web page over FOLDER (help: help.serve)."""
    import importlib.util

    from xlcompare.batch.refresh import judging
    from xlcompare.web.server import check_host
    from xlcompare.web.server import serve as serve_page

    check_host(host, token)  # before anything is made: no token, no server
    missing = [name for name in ("starlette", "uvicorn", "jinja2", "python_multipart")
               if importlib.util.find_spec(name) is None]
    if missing:
        raise ConfigError(Message("web-not-installed.missing", names=missing))
    root = folder or _default_workspace()
    if not root.exists():
        root.mkdir(parents=True)
    judged = judging(root, taxonomy_files, settings_file, basic_share=basic_share,
                     over_multiple=over_multiple)
    serve_page(root, host=host, port=port, token=token, open_browser=not no_browser,
               allow_hosts=allow_hosts, judged=judged, jobs=jobs, echo=_echo)


@main.command(help="help.indicators", short_help="help.indicators.short")
@taxonomy_option
@option("--json", "as_json", is_flag=True, help="help.indicators.json")
@lang_option
def indicators(taxonomy_files: tuple[Path, ...], as_json: bool) -> None:
    """List the canonical indicators, their aliases and roll-ups (help: help.indicators)."""
    from xlcompare.taxonomy import Taxonomy

    taxonomy = Taxonomy.load(taxonomy_files)
    if as_json:
        import dataclasses

        payload = {
            "sources": list(taxonomy.sources),
            "categories": [dataclasses.asdict(c) for c in taxonomy.categories],
            "indicators": [dataclasses.asdict(i) for i in taxonomy],
            "rollups": [dataclasses.asdict(r) for r in taxonomy.rollups],
        }
        click.echo(json.dumps(payload, ensure_ascii=False, indent=2, default=list))
        return
    from xlcompare.writers.terminal import print_taxonomy

    print_taxonomy(_console(), taxonomy)


def _console(stderr: bool = False) -> Any:
    from rich.console import Console

    stream = sys.stderr if stderr else sys.stdout
    width = shutil.get_terminal_size((140, 40)).columns if stream.isatty() else 160
    # no emoji codes: an indicator named ":warning:" is shown as typed
    return Console(width=width, highlight=False, emoji=False, stderr=stderr)


def _os_error(exc: OSError) -> OutputError:
    """An OSError that escaped a command, as what the machine refused."""
    reason = exc.strerror or str(exc)
    where = str(exc.filename) if exc.filename else None
    if exc.errno in (errno.ENOSPC, getattr(errno, "EDQUOT", errno.ENOSPC)):
        return OutputError(Message("disk-full.escaped", reason=reason), file=where)
    if exc.errno in (errno.EACCES, errno.EPERM, errno.EROFS):
        return OutputError(Message("output-unwritable.escaped", reason=reason), file=where)
    return OutputError(Message("io-failure.escaped", reason=reason), file=where)


def run() -> None:
    """Entry point: whatever escapes a command becomes one line on stderr and an exit code
    (errors.py), never a traceback — an XlcompareError with its code, an OSError or an
    SQLite error as the environment's (3), anything else as a bug (4, with
    XLCOMPARE_TRACEBACK=1 to see where)."""
    try:
        main(standalone_mode=True)
    except XlcompareError as exc:
        _echo(f"{_error_line(exc)} [{exc.code}]", err=True)
        sys.exit(exc.exit_code)
    except OSError as exc:
        error = _os_error(exc)
        _echo(f"{_error_line(error)} [{error.code}]", err=True)
        sys.exit(EXIT_ENVIRONMENT)
    except Exception as exc:  # noqa: BLE001 - the last line of defence: no traceback
        from xlcompare.batch.sqlite_store import as_output_error

        translated = as_output_error(exc)
        if translated is not None:
            _echo(f"{_error_line(translated)} [{translated.code}]", err=True)
            sys.exit(translated.exit_code)
        if os.environ.get("XLCOMPARE_TRACEBACK"):
            raise
        internal = OutputError(Message("internal-error.escaped", kind=type(exc).__name__,
                                       text=str(exc)[:200]))
        _echo(f"{_error_line(internal)} [{internal.code}]", err=True)
        sys.exit(EXIT_INTERNAL)
