"""Bring a folder's summary workbook up to date: what `xlcompare batch`, each round of
`xlcompare watch` and a web page call, so none of them holds orchestration of its own.

    configuration ──(nothing changed? one history row says)──▶ done
                  └─▶ summarise ──(same inputs as the output holds?)──▶ write or skip ──▶ remember
"""

from __future__ import annotations

from collections.abc import Callable, Iterable
from contextlib import AbstractContextManager, nullcontext
from dataclasses import dataclass
from functools import cached_property
from pathlib import Path
from typing import TYPE_CHECKING

from xlcompare.batch.freshness import config_key, summary_is_current
from xlcompare.batch.place import HistoryPlace, locate_history
from xlcompare.messages import Message
from xlcompare.paths import PathArg, find_user_layout, find_user_taxonomy

if TYPE_CHECKING:
    from xlcompare.batch.pipeline import BatchResult
    from xlcompare.judge import JudgeSettings
    from xlcompare.taxonomy import Taxonomy

__all__ = ["Judging", "Refreshed", "judging", "publish", "refresh"]


@dataclass(frozen=True)
class Judging:
    """How a folder is read and judged: the layout files (the user's xlcompare-layout.toml
    beside the workbooks, then the files given), the taxonomy (packaged, the user's file
    beside the workbooks, then the files given) and the thresholds, with a key naming all of
    it for freshness. The taxonomy and settings are loaded on first use, so that telling an
    unchanged folder costs no more than the key (a bad file raises ConfigError then)."""

    folder: Path
    taxonomy_files: tuple[Path, ...]
    settings_file: Path | None
    basic_share: float | None
    over_multiple: float | None
    config: str
    layout_files: tuple[Path, ...] = ()
    roster: Path | None = None  # who must report, when given (else 站点名单 in the folder)

    @cached_property
    def taxonomy(self) -> Taxonomy:
        from xlcompare.taxonomy import taxonomy_for

        return taxonomy_for([self.folder], self.taxonomy_files)

    @cached_property
    def settings(self) -> JudgeSettings:
        from dataclasses import replace

        from xlcompare.judge import load_settings
        from xlcompare.quality import RULES_NAME, load_rules

        settings = load_settings(self.settings_file, basic_share=self.basic_share,
                                 over_multiple=self.over_multiple)
        rules = self.folder / RULES_NAME  # a district's own validation rules
        return replace(settings, rules=load_rules([rules])) if rules.is_file() else settings


def judging(folder: PathArg, taxonomy_files: Iterable[PathArg] = (),
            settings_file: PathArg | None = None, *, basic_share: float | None = None,
            over_multiple: float | None = None,
            layout_files: Iterable[PathArg] = (), roster: PathArg | None = None) -> Judging:
    """How `folder` is read and judged, with these files and overrides on top of the
    packaged ones."""
    extra = tuple(Path(p) for p in taxonomy_files)
    settings = Path(settings_file) if settings_file else None
    beside = find_user_taxonomy(folder)
    layout_beside = find_user_layout(folder)
    layouts = (*([layout_beside] if layout_beside else []),
               *(Path(p) for p in layout_files if Path(p) != layout_beside))
    rules = Path(folder) / "xlcompare-rules.toml"  # quality.RULES_NAME, without importing it
    given_roster = Path(roster) if roster is not None else None
    config = config_key([*extra, *([beside] if beside else []), *([settings] if settings else []),
                         *([rules] if rules.is_file() else []), *layouts,
                         *([given_roster] if given_roster else [])],
                        basic_share=basic_share, over_multiple=over_multiple)
    return Judging(Path(folder), extra, settings, basic_share, over_multiple, config, layouts,
                   given_roster)


@dataclass(frozen=True)
class Refreshed:
    """What a refresh did. `result` is None when the folder was seen unchanged without
    summarising it (then `known` and `failed` come from the history)."""

    output: Path
    result: BatchResult | None
    written: bool  # False: the output already held this summary, or there was no station
    known: int = 0
    failed: int = 0
    # warnings about the history (set aside, lock taken over) and met writing the workbook
    problems: tuple[Message, ...] = ()
    place: HistoryPlace | None = None  # the history used, and why that one

    @property
    def no_station(self) -> bool:
        """The folder holds no station workbook: nothing was written (an empty summary
        would pass for one, and would replace a good one with nothing)."""
        return self.result is not None and not self.result.summaries


def publish(result: BatchResult, output: PathArg) -> Refreshed:
    """Write the summary unless `output` already holds it, and remember that it does. A
    folder without a station workbook writes nothing (`Refreshed.no_station`)."""
    from xlcompare.batch.pipeline import output_is_current, remember_output

    target = Path(output)
    problems: list[Message] = list(result.notices)
    if not result.summaries:
        return Refreshed(target, result, False, result.from_history, len(result.failed),
                         tuple(problems), result.place)
    written = not output_is_current(result, target)
    if written:
        from xlcompare.writers.summary_xlsx import write_summary

        problems += write_summary(result, target)
    remember_output(result, target)  # with this run's file times, for the quick check
    return Refreshed(target, result, written, result.from_history, len(result.failed),
                     tuple(problems), result.place)


OnFile = Callable[[int, int, str], None]


def refresh(folder: PathArg, output: PathArg, *, judged: Judging | None = None,
            db: PathArg | None = None, use_history: bool = True, jobs: int | None = None,
            on_file: OnFile | None = None,
            progress: Callable[[], AbstractContextManager[OnFile | None]] | None = None,
            keep_stations: bool = False) -> Refreshed:
    """Summarise `folder` into the workbook `output` if anything changed since it was
    written. `judged` defaults to `judging(folder)`. `on_file(done, total, path)` reports
    progress; or `progress()` makes a context giving that callback (a progress bar), entered
    only when the folder is to be summarised."""
    root, target = Path(folder), Path(output)
    judged = judged or judging(root)
    if use_history:
        current, known, failed = summary_is_current(root, target, judged.config, db)
        if current:  # nothing in the folder changed since the summary was written
            return Refreshed(target, None, False, known, failed,
                             place=locate_history(root, db))
    from xlcompare.batch.pipeline import summarise

    with progress() if progress is not None else nullcontext(on_file) as reporting:
        result = summarise(root, db=db, use_history=use_history, outputs=[target],
                           taxonomy=judged.taxonomy, settings=judged.settings, jobs=jobs,
                           on_file=reporting, config=judged.config,
                           keep_stations=keep_stations, layout_files=judged.layout_files,
                           roster=judged.roster)
    return publish(result, target)
