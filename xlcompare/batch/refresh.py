"""Bring a folder's summary workbook up to date: what `xlcompare batch`, each round of
`xlcompare watch` and a web page call, so none of them holds orchestration of its own.

    configuration ──(nothing changed? one history row says)──▶ done
                  └─▶ summarise ──(same inputs as the output holds?)──▶ write or skip ──▶ remember
"""

from __future__ import annotations

from collections.abc import Callable, Iterable
from dataclasses import dataclass
from pathlib import Path

from xlcompare.batch.freshness import config_key, summary_is_current
from xlcompare.batch.pipeline import BatchResult, output_is_current, remember_output, summarise
from xlcompare.judge import JudgeSettings, load_settings
from xlcompare.paths import PathArg, find_user_taxonomy
from xlcompare.taxonomy import Taxonomy, taxonomy_for

__all__ = ["Judging", "Refreshed", "judging", "publish", "refresh"]


@dataclass(frozen=True)
class Judging:
    """How a folder is judged: the taxonomy (packaged, the user's file beside the workbooks,
    then the files given), the thresholds, and a key naming all of it for freshness."""

    taxonomy: Taxonomy
    settings: JudgeSettings
    config: str


def judging(folder: PathArg, taxonomy_files: Iterable[PathArg] = (),
            settings_file: PathArg | None = None, *, basic_share: float | None = None,
            over_multiple: float | None = None) -> Judging:
    """The taxonomy and settings a folder is judged with; raises ConfigError for a bad file."""
    extra = [Path(p) for p in taxonomy_files]
    beside = find_user_taxonomy(folder)
    config = config_key([*extra, *([beside] if beside else []),
                         *([Path(settings_file)] if settings_file else [])],
                        basic_share=basic_share, over_multiple=over_multiple)
    return Judging(taxonomy_for([folder], extra),
                   load_settings(settings_file, basic_share=basic_share,
                                 over_multiple=over_multiple),
                   config)


@dataclass(frozen=True)
class Refreshed:
    """What a refresh did. `result` is None when the folder was seen unchanged without
    summarising it (then `known` and `failed` come from the history)."""

    output: Path
    result: BatchResult | None
    written: bool  # False: the output already held this summary
    known: int = 0
    failed: int = 0
    problems: tuple[str, ...] = ()  # met while writing the workbook


def publish(result: BatchResult, output: PathArg) -> Refreshed:
    """Write the summary unless `output` already holds it, and remember that it does."""
    target = Path(output)
    problems: list[str] = []
    written = not output_is_current(result, target)
    if written:
        from xlcompare.writers.summary_xlsx import write_summary

        problems = write_summary(result, target)
    remember_output(result, target)  # with this run's file times, for the quick check
    return Refreshed(target, result, written, result.from_history, len(result.failed),
                     tuple(problems))


def refresh(folder: PathArg, output: PathArg, *, judged: Judging | None = None,
            db: PathArg | None = None, use_history: bool = True, jobs: int | None = None,
            on_file: Callable[[int, int, str], None] | None = None,
            keep_stations: bool = False) -> Refreshed:
    """Summarise `folder` into the workbook `output` if anything changed since it was
    written. `judged` defaults to `judging(folder)`."""
    root, target = Path(folder), Path(output)
    if use_history:
        key = judged.config if judged is not None else _default_config(root)
        current, known, failed = summary_is_current(root, target, key, db)
        if current:  # nothing in the folder changed since the summary was written
            return Refreshed(target, None, False, known, failed)
    judged = judged or judging(root)
    result = summarise(root, db=db, use_history=use_history, outputs=[target],
                       taxonomy=judged.taxonomy, settings=judged.settings, jobs=jobs,
                       on_file=on_file, config=judged.config, keep_stations=keep_stations)
    return publish(result, target)


def _default_config(folder: Path) -> str:
    # the key alone, without loading the taxonomy: an unchanged folder must stay cheap
    beside = find_user_taxonomy(folder)
    return config_key([beside] if beside else [], basic_share=None, over_multiple=None)
