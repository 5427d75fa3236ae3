"""Follow-up of the 数据质量 flags: an officer marks one 已核实 (with a note) by the 编号 the
sheet shows; the mark lives in the folder's history, so later summaries — a rerun, next
month's folder sharing the history — show the flag as 已核实 and no longer as 待核实."""

from __future__ import annotations

from pathlib import Path

from xlcompare.batch.pipeline import default_db, summarise
from xlcompare.batch.refresh import Judging, judging
from xlcompare.batch.sqlite_store import SqliteHistory
from xlcompare.errors import XlcompareError
from xlcompare.messages import Message
from xlcompare.paths import PathArg
from xlcompare.quality import Flag

__all__ = ["mark_verified"]


def mark_verified(folder: PathArg, ident: str, note: str, *, db: PathArg | None = None,
                  judged: Judging | None = None) -> Flag:
    """Mark the flag `ident` (its 编号, e.g. `Q1A2B3C`) of the folder's summary 已核实 with
    `note`; return the flag. The summary is the folder's as `judged` (default: as `batch`
    judges it, with the files beside the workbooks), so the 编号 are those it showed.
    XlcompareError (`flag-not-found`) when the summary has no such flag, naming the ones it
    has."""
    if not note.strip():
        raise XlcompareError(Message("flag-note-missing.note"))
    folder = Path(folder)
    judged = judged or judging(folder)
    target = Path(db) if db is not None else default_db(folder)
    result = summarise(folder, db=target, taxonomy=judged.taxonomy, settings=judged.settings,
                       layout_files=judged.layout_files, roster=judged.roster)
    flags = [f for s in result.summaries for f in s.flags]
    wanted = ident.strip().upper()
    found = next((f for f in flags if f.ident == wanted), None)
    if found is None:
        known = tuple(f.ident for f in flags[:12]) or Message("cli.none")
        raise XlcompareError(Message("flag-not-found.known", ident=ident, known=known),
                             file=str(folder))
    with SqliteHistory(target) as history:
        history.mark(found.key, note.strip())
    return found
