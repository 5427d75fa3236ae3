"""The `xlcompare` command: parse options, call the library, print. No logic of its own."""

from __future__ import annotations

import errno
import json
import os
import shutil
import sys
from collections.abc import Callable
from datetime import date
from pathlib import Path
from typing import Any

import click

from xlcompare.display import visible
from xlcompare.errors import (
    EXIT_ENVIRONMENT,
    EXIT_INTERNAL,
    EXIT_OK,
    EXIT_SOME_FAILED,
    EXIT_USAGE,
    ConfigError,
    XlcompareError,
    notice,
)

__all__ = ["EXIT_ENVIRONMENT", "EXIT_INTERNAL", "EXIT_OK", "EXIT_SOME_FAILED", "EXIT_USAGE",
           "main", "run"]


def _echo(line: str, err: bool = False) -> None:
    """One line to the terminal: input text in it (file names, sheet text) is made visible,
    so that it can neither send escape sequences nor start a line of its own."""
    click.echo(visible(line), err=err)


def _error_line(exc: BaseException) -> str:
    return f"xlcompare: error: {exc}"


def _date_option(value: str | None) -> date | None:
    if value is None:
        return None
    try:
        return date.fromisoformat(value)
    except ValueError:
        raise click.BadParameter(f"{value!r} is not a date like 2024-12-31") from None


def override_options(func: Callable[..., Any]) -> Callable[..., Any]:
    """--station/--cutoff/--contract-start/--contract-end: what the workbook says, corrected."""
    options = [
        click.option("--station", help="Station (street) name, when the title does not say it."),
        click.option("--cutoff", help="Cut-off date (YYYY-MM-DD), overriding the sheet."),
        click.option("--contract-start", help="Contract start (YYYY-MM-DD)."),
        click.option("--contract-end", help="Contract end (YYYY-MM-DD)."),
    ]
    for option in reversed(options):
        func = option(func)
    return func


def _overrides(station: str | None, cutoff: str | None, contract_start: str | None,
               contract_end: str | None) -> dict[str, Any]:
    values = {
        "station": station,
        "cutoff": _date_option(cutoff),
        "contract_start": _date_option(contract_start),
        "contract_end": _date_option(contract_end),
    }
    return {k: v for k, v in values.items() if v is not None}


@click.group(context_settings={"help_option_names": ["-h", "--help"]})
@click.version_option(package_name="xlcompare")
def main() -> None:
    """Read social-work station workbooks (附件1 指标完成情况, 附件2 社工到岗情况),
    line stations up and flag lagging indicators."""


def taxonomy_option(func: Callable[..., Any]) -> Callable[..., Any]:
    return click.option(
        "--taxonomy", "taxonomy_files", multiple=True,
        type=click.Path(exists=True, dir_okay=False, path_type=Path),
        help="Extra indicator names/aliases (TOML, the schema of xlcompare/data/taxonomy.toml). "
             "An xlcompare-taxonomy.toml beside the workbooks is read too.",
    )(func)


def layout_option(func: Callable[..., Any]) -> Callable[..., Any]:
    return click.option(
        "--layout", "layout_files", multiple=True,
        type=click.Path(exists=True, dir_okay=False, path_type=Path),
        help="Extra header synonyms, meta labels and row kinds (TOML, the schema of "
             "xlcompare/data/layout.toml). An xlcompare-layout.toml beside the workbooks is "
             "read too.",
    )(func)


@main.command()
@click.argument("files", nargs=-1, required=True,
                type=click.Path(dir_okay=False, path_type=Path))
@click.option("--json", "as_json", is_flag=True, help="Print JSON (one object per station).")
@click.option("--with-names", is_flag=True,
              help="Also show each worker of a per-person 附件2 by name (hidden by default).")
@taxonomy_option
@layout_option
@click.option("-v", "--verbose", is_flag=True,
              help="Also show what was detected (header rows, column mapping, where each "
                   "date was found) and informational notes.")
@override_options
def inspect(files: tuple[Path, ...], as_json: bool, with_names: bool, verbose: bool,
            taxonomy_files: tuple[Path, ...], layout_files: tuple[Path, ...],
            **overrides: Any) -> None:
    """Show what xlcompare reads from station workbooks.

    Files of the same station and cut-off (附件1 and 附件2 sent apart) are read as one report.

    Example: xlcompare inspect sample_workbooks/瑞宝街_2023-2024_中期.xlsx
    """
    from xlcompare.readers import read_reports, read_station
    from xlcompare.readers.layout import layout_for
    from xlcompare.taxonomy import normalise, taxonomy_for

    taxonomy = taxonomy_for(files, taxonomy_files)
    layout = layout_for(files, layout_files)
    given = _overrides(**overrides)
    if given:
        try:
            reports, errors = [read_station(list(files), with_names=with_names, layout=layout,
                                            **given)], []
        except XlcompareError as exc:
            reports, errors = [], [exc]
    else:
        reports, errors = read_reports(files, with_names=with_names, layout=layout)
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


def folder_options(func: Callable[..., Any]) -> Callable[..., Any]:
    """FOLDER, -o/--output and --db: shared by batch and watch."""
    options = [
        click.argument("folder", type=click.Path(exists=True, file_okay=False, path_type=Path)),
        click.option("-o", "--output", type=click.Path(dir_okay=False, path_type=Path),
                     default=Path("xlcompare-summary.xlsx"), show_default=True,
                     help="The summary workbook to write."),
        click.option("--db", type=click.Path(dir_okay=False, path_type=Path),
                     help="History database (default FOLDER/.xlcompare/history.sqlite)."),
    ]
    for option in reversed(options):
        func = option(func)
    return func


def judge_options(func: Callable[..., Any]) -> Callable[..., Any]:
    """--settings/--basic-share/--over-multiple: how progress is judged."""
    options = [
        click.option("--settings", "settings_file",
                     type=click.Path(exists=True, dir_okay=False, path_type=Path),
                     help="A judge.toml of the district's own thresholds."),
        click.option("--basic-share", type=float,
                     help="基本完成 line as a share of expected progress (default 0.7)."),
        click.option("--over-multiple", type=float,
                     help="超额 from this multiple of expected progress (default 2)."),
    ]
    for option in reversed(options):
        func = option(func)
    return func


@main.command()
@click.argument("files", nargs=-1, required=True,
                type=click.Path(dir_okay=False, path_type=Path))
@click.option("-o", "--output", type=click.Path(dir_okay=False, path_type=Path),
              help="Write the comparison workbook here (对比, 到岗, 图表, 说明).")
@click.option("-a", "--station-a", metavar="STATION",
              help="A 站点: when the files hold more than two (a district's table).")
@click.option("-b", "--station-b", metavar="STATION",
              help="B 站点: when the files hold more than two (a district's table).")
@taxonomy_option
@layout_option
@judge_options
def diff(files: tuple[Path, ...], output: Path | None, station_a: str | None,
         station_b: str | None, taxonomy_files: tuple[Path, ...],
         layout_files: tuple[Path, ...], settings_file: Path | None,
         basic_share: float | None, over_multiple: float | None) -> None:
    """Compare two stations, or two years of one station, indicator by indicator.

    FILES are two workbooks, or the annex files of two stations (附件1 and 附件2 apart are
    paired by station and cut-off). The first station is A, the second B. Exit code 0
    whatever the flags.

    Example: xlcompare diff 瑞宝街_2023-2024_中期.xlsx 官洲街_2024-2025_中期.xlsx -o diff.xlsx
    """
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
        found = visible("、".join(f"{r.station}（{r.cutoff}）" for r in reports) or "none")
        raise click.UsageError(f"diff needs exactly two stations (or two cut-offs of one); "
                               f"these files hold {len(reports)}: {found}")
    taxonomy = taxonomy_for(files, taxonomy_files)
    settings = load_settings(settings_file, basic_share=basic_share, over_multiple=over_multiple)
    comparison = compare(reports[0], reports[1], taxonomy, settings)
    print_comparison(_console(), comparison, taxonomy)
    if output is not None:
        from xlcompare.writers.diff_xlsx import write_diff

        for problem in write_diff(comparison, output, taxonomy):
            _echo(f"xlcompare: warning: {problem}", err=True)
        _echo(f"wrote {output}")


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
            held = visible("、".join(str(r.station) for r in reports) or "none")
            raise click.UsageError(f"文件中没有站点“{visible(name)}”；有：{held}")
        picked.extend(mine)
    return picked


@main.command()
@folder_options
@click.option("--no-history", is_flag=True, help="Read every file; record nothing.")
@click.option("-j", "--jobs", type=click.IntRange(1, 64),
              help="Processes reading new files in parallel (default: up to 4).")
@click.option("-q", "--quiet", is_flag=True, help="No progress bar or station table.")
@click.option("--roster", type=click.Path(exists=True, dir_okay=False, path_type=Path),
              help="站点名单 (a workbook or CSV with a 站点 column): who must report; default: "
                   "站点名单.xlsx in FOLDER.")
@taxonomy_option
@layout_option
@judge_options
def batch(folder: Path, output: Path, db: Path | None, no_history: bool, jobs: int | None,
          quiet: bool, roster: Path | None, taxonomy_files: tuple[Path, ...],
          layout_files: tuple[Path, ...], settings_file: Path | None,
          basic_share: float | None, over_multiple: float | None) -> None:
    """Summarise every station workbook in FOLDER (recursively) into one workbook.

    Sheets: 总览, 图表, 滞后清单, 到岗, 趋势, 评语, 数据质量, 报送情况, 文件, 问题. Only new or changed files are read;
    the rest come from the history. Exit code 0 when every workbook was read, 1 when some
    could not be (the summary is still written), 2 on bad options, 3 when the machine is in
    the way (disk full, output or history not writable, a history that is not ours).

    Example: xlcompare batch 月报/2024-12 -o 2024-12汇总.xlsx
    """
    from xlcompare.batch.refresh import judging, refresh

    def progress() -> Any:  # imported only when there is reading to show
        from xlcompare.writers.terminal import progress_bar

        return progress_bar(_console(stderr=True), enabled=not quiet)

    judged = judging(folder, taxonomy_files, settings_file, basic_share=basic_share,
                     over_multiple=over_multiple, layout_files=layout_files, roster=roster)
    done = refresh(folder, output, judged=judged, db=db, use_history=not no_history,
                   jobs=jobs, progress=progress)
    if no_history:
        _echo("历史记录：不使用（--no-history）；趋势表只比较本文件夹中同一站点的各期报表")
    _report(done, folder, quiet)
    if done.no_station:
        sys.exit(EXIT_USAGE)  # nothing could be read as a station: no summary
    if done.failed:
        sys.exit(EXIT_SOME_FAILED)


@main.command()
@click.argument("folder", type=click.Path(exists=True, file_okay=False, path_type=Path))
@click.argument("ident", metavar="编号")
@click.option("--note", required=True, help="核实结果，如：已电话核实，数字无误。")
@click.option("--db", type=click.Path(dir_okay=False, path_type=Path),
              help="历史记录的位置（默认与 batch 相同）。")
def verify(folder: Path, ident: str, note: str, db: Path | None) -> None:
    """把“数据质量”表中的一项标记为已核实（编号见该表第一列）。

    标记记在历史记录里：以后的汇总（重新运行、下个月的文件夹）把它列为已核实，不再列为待核实。

    Example: xlcompare verify 月报/2024-12 Q1A2B3C --note 已电话核实，数字无误
    """
    from xlcompare.batch.follow_up import mark_verified

    flag = mark_verified(folder, ident, note, db=db)
    _echo(f"已核实：{flag.ident} {flag.station} {flag.cutoff} {flag.rule}——{note}")


def _report(done: Any, folder: Path, quiet: bool, history: bool = True) -> None:
    """What a refresh did, as the terminal shows it (`history`: with the line saying
    which history was used)."""
    output, result = done.output, done.result
    if history and done.place is not None:
        _echo(done.place.describe())
    if done.no_station:
        for problem in done.problems:
            _echo(f"xlcompare: warning: {problem}", err=True)
        _no_station(done, folder)
        return
    if result is None:
        _echo(f"{output} is up to date: 0 files read, {done.known} from history, "
                   f"{done.failed} could not be read (no file in {folder} changed since it "
                   "was written)")
        return
    if not done.written:
        _echo(f"{output} is up to date (nothing changed since it was written)")
    for problem in done.problems:
        _echo(f"xlcompare: warning: {problem}", err=True)
    if not quiet:
        from xlcompare.writers.terminal import print_batch

        print_batch(_console(), result)
    _echo(f"{output}: {len(result.summaries)} stations; {result.read} files read, "
               f"{result.from_history} from history, {len(result.failed)} could not be read"
               + (f", {len(result.not_ready)} not ready" if result.not_ready else "")
               + f" ({result.seconds:.2f} s)")
    for record in result.failed:
        _echo(f"xlcompare: error: {record.path}: {record.reason}"
              + (f" [{record.code}]" if record.code else ""), err=True)
    for record in result.not_ready:
        _echo(f"xlcompare: not ready: {record.path}: {record.reason}", err=True)


def _no_station(done: Any, folder: Path) -> None:
    """A folder with no station workbook: why, and that nothing was written."""
    result = done.result
    for record in result.failed:
        _echo(f"xlcompare: error: {record.path}: {record.reason}"
              + (f" [{record.code}]" if record.code else ""), err=True)
    kept = (f"原有的 {done.output} 保持不变" if done.output.exists()
            else f"未写入 {done.output}")
    _echo("xlcompare: 警告：" + notice(
        f"{folder} 中没有可读取的站点报表（共 {len(result.files)} 个文件，"
        f"{len(result.failed)} 个未能读取）；{kept}", code="no-station-workbook"), err=True)


@main.command()
@folder_options
@click.option("--debounce", type=float, default=1.0, show_default=True,
              help="Seconds of quiet after the last change before rebuilding.")
@click.option("--settle", type=float, default=1.0, show_default=True,
              help="Seconds a file's size and time must stay unchanged to count as complete.")
@click.option("--stale-lock", "stale_lock", type=click.FloatRange(min=0, min_open=True),
              default=60.0, show_default=True,
              help="锁文件（~$报表.xlsx）超过这么多分钟未更新，视为遗留，不再等待它锁的工作簿。")
@taxonomy_option
@layout_option
@judge_options
def watch(folder: Path, output: Path, db: Path | None, debounce: float, settle: float,
          stale_lock: float, taxonomy_files: tuple[Path, ...], layout_files: tuple[Path, ...],
          settings_file: Path | None, basic_share: float | None,
          over_multiple: float | None) -> None:
    """Keep the summary of FOLDER up to date as workbooks arrive (Ctrl-C stops).

    Each new file is ingested once it is completely copied (size and time stable); a
    workbook open in Excel/WPS (a ~$ lock file beside it) is read once it is closed, the
    others meanwhile; a file that cannot be read is logged and skipped.

    Example: xlcompare watch 共享文件夹/月报 -o 月报汇总.xlsx
    """
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
                _echo(f"等待：{folder} 中还没有可读取的站点报表（未写入 {output}）")
            empty[0] = True
            return
        empty[0] = False
        _report(done, folder, quiet=True, history=False)

    def failed(exc: BaseException) -> None:
        _echo(_error_line(exc), err=True)

    _echo(f"watching {folder} → {output} (Ctrl-C to stop)")
    _echo(locate_history(folder, db).describe())
    try:
        watch_folder(folder, rebuild, outputs=[output], debounce=debounce, settle=settle,
                     stale_minutes=stale_lock, stop=stop, on_error=failed, on_wait=_echo,
                     db=db, taxonomy=judged.taxonomy, settings=judged.settings,
                     config=judged.config, keep_stations=False,
                     layout_files=judged.layout_files)
    except KeyboardInterrupt:
        stop.set()
    _echo("stopped")


def _default_workspace() -> Path:
    return Path.home() / "xlcompare"


@main.command()
@click.argument("folder", required=False, type=click.Path(file_okay=False, path_type=Path))
@click.option("--host", default="127.0.0.1", show_default=True,
              help="Address to listen on. Anything but this machine (127.0.0.1, localhost, "
                   "::1) needs --token.")
@click.option("--port", type=click.IntRange(0, 65535), default=0,
              help="Port (default: a free one).")
@click.option("--token", envvar="XLCOMPARE_TOKEN",
              help="Access token (16+ characters), required off loopback; printed in the "
                   "address. Also from $XLCOMPARE_TOKEN.")
@click.option("--allow-host", "allow_hosts", multiple=True,
              help="Another name or address other computers use to reach this one "
                   "(repeatable; with --host 0.0.0.0).")
@click.option("--no-browser", is_flag=True, help="Do not open the page in a browser.")
@click.option("-j", "--jobs", type=click.IntRange(1, 64),
              help="Processes reading new files in parallel (default: up to 4).")
@taxonomy_option
@judge_options
def serve(folder: Path | None, host: str, port: int, token: str | None,
          allow_hosts: tuple[str, ...], no_browser: bool, jobs: int | None,
          taxonomy_files: tuple[Path, ...], settings_file: Path | None,
          basic_share: float | None, over_multiple: float | None) -> None:
    """A local web page over FOLDER: drop workbooks, see who lags, download the summary.

    FOLDER is the drop folder (default ~/xlcompare, made if missing); the page, `batch`
    and `watch` share it and its history. Listens on 127.0.0.1 on a free port, prints the
    address and opens the browser; Ctrl-C stops.

    Example: xlcompare serve 月报/2024-12
    """
    import importlib.util

    from xlcompare.batch.refresh import judging
    from xlcompare.web.server import check_host
    from xlcompare.web.server import serve as serve_page

    check_host(host, token)  # before anything is made: no token, no server
    missing = [name for name in ("starlette", "uvicorn", "jinja2", "python_multipart")
               if importlib.util.find_spec(name) is None]
    if missing:
        raise ConfigError(f"xlcompare serve 需要网页组件 (the web extra is not installed: "
                          f"{', '.join(missing)}): pip install 'xlcompare[web]'",
                          code="web-not-installed")
    root = folder or _default_workspace()
    if not root.exists():
        root.mkdir(parents=True)
    judged = judging(root, taxonomy_files, settings_file, basic_share=basic_share,
                     over_multiple=over_multiple)
    serve_page(root, host=host, port=port, token=token, open_browser=not no_browser,
               allow_hosts=allow_hosts, judged=judged, jobs=jobs, echo=_echo)


@main.command()
@taxonomy_option
@click.option("--json", "as_json", is_flag=True, help="Print the taxonomy as JSON.")
def indicators(taxonomy_files: tuple[Path, ...], as_json: bool) -> None:
    """List the canonical indicators, their aliases and roll-ups.

    Example: xlcompare indicators --taxonomy my-district.toml
    """
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


def _os_error(exc: OSError) -> tuple[str, str]:
    """(code, message) of an OSError that escaped a command: what the machine refused."""
    where = f"{exc.filename}: " if exc.filename else ""
    reason = exc.strerror or str(exc)
    if exc.errno in (errno.ENOSPC, getattr(errno, "EDQUOT", errno.ENOSPC)):
        return "disk-full", (f"{where}no space left on the disk ({reason}); free some space, "
                             "or write elsewhere (-o, --db)")
    if exc.errno in (errno.EACCES, errno.EPERM, errno.EROFS):
        return "output-unwritable", (f"{where}{reason}: choose a place that can be written "
                                     "(-o, --db) or run with --no-history")
    return "io-failure", f"{where}{reason}"


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
        code, message = _os_error(exc)
        _echo(f"xlcompare: error: {message} [{code}]", err=True)
        sys.exit(EXIT_ENVIRONMENT)
    except Exception as exc:  # noqa: BLE001 - the last line of defence: no traceback
        from xlcompare.batch.sqlite_store import as_output_error

        translated = as_output_error(exc)
        if translated is not None:
            _echo(f"{_error_line(translated)} [{translated.code}]", err=True)
            sys.exit(translated.exit_code)
        if os.environ.get("XLCOMPARE_TRACEBACK"):
            raise
        code = "internal-error"
        _echo(f"xlcompare: error: internal error, a bug: {type(exc).__name__}: "
                   f"{str(exc)[:200]} (please report it; XLCOMPARE_TRACEBACK=1 shows where) "
                   f"[{code}]", err=True)
        sys.exit(EXIT_INTERNAL)
