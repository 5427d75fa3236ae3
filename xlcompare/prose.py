"""A paragraph per station in the evaluators' own style:

「从以上数据可知，官洲街社工站除个案结案数、新登记志愿者数量未能达到预期进度外，其余指标基本完成。」
"""

from __future__ import annotations

from datetime import date

from xlcompare.comparison import JudgedRow, StationResult
from xlcompare.display import percent
from xlcompare.judge import Measure, Status
from xlcompare.model import StationReport
from xlcompare.taxonomy import Taxonomy, default_taxonomy

__all__ = ["station_paragraph"]


def _cn_date(day: date) -> str:
    return f"{day.year}年{day.month}月{day.day}日"


def _names(rows: tuple[JudgedRow, ...], taxonomy: Taxonomy) -> str:
    names = []
    for r in rows:
        ident = r.row.id
        name = taxonomy[ident].sentence_name if ident is not None and ident in taxonomy else r.row.row.name
        if name not in names:
            names.append(name)
    return "、".join(names)


def _operators_sentence(report: StationReport) -> str:
    """After a change of operator, who ran the station when, as the evaluators write it:
    「2024年6月9日至2024年7月8日由广州市明心社会工作服务中心运营，2024年7月9日起由…运营。」
    Progress is still judged from the contract's start (DOMAIN.md)."""
    if len(report.operators) < 2:
        return ""
    parts = []
    for period in report.operators:
        if period.start and period.end:
            when = f"{_cn_date(period.start)}至{_cn_date(period.end)}"
        elif period.start:
            when = f"{_cn_date(period.start)}起"
        elif period.end:
            when = f"至{_cn_date(period.end)}"
        else:
            when = "期间"
        parts.append(f"{when}由{period.name}运营")
    return "，".join(parts) + "。"


def station_paragraph(result: StationResult, taxonomy: Taxonomy | None = None) -> str:
    """What the evaluators would write about this station's progress, in one paragraph,
    worded for what the figures say: everything on track, a few 基本完成, some or most
    lagging, or a contract year that has ended (then 完成 rather than 进度)."""
    taxonomy = taxonomy or default_taxonomy()
    station = f"{result.name}社工站"
    report, progress = result.report, result.progress
    if progress is None:
        return (f"{station}缺少合同期或统计截止日期，无法按时间进度判断各项指标；"
                "请在表中注明项目周期和统计时间，或用 --contract-start / --cutoff 指定。")
    ended = progress.days_elapsed >= progress.days_total
    cutoff = _cn_date(report.cutoff)  # type: ignore[arg-type]
    if ended:
        opening = f"截至{cutoff}，合同期已满（共{progress.days_total}天），各项指标应全部完成。"
    else:
        opening = (f"截至{cutoff}，合同期已过{progress.days_elapsed}天"
                   f"（共{progress.days_total}天），按时间应完成{percent(progress.share)}。")
    opening = _operators_sentence(report) + opening
    if not result.rows:
        return f"{station}未提供附件1指标完成情况，无法判断指标进度。"
    judged = tuple(r for r in result.rows if r.status is not Status.NO_TARGET)
    if not judged:
        verdict = f"{station}各项指标均无协议指标量，无法判断进度。"
    elif ended:
        verdict = _at_the_end(station, judged, result.lagging, taxonomy)
    else:
        verdict = _on_the_way(station, judged, result.lagging, taxonomy)
    extra = []
    no_target = result.with_status(Status.NO_TARGET)
    if no_target and judged:
        extra.append(f"{_names(no_target, taxonomy)}无协议指标量，未作判断。")
    weak = [m for m in result.measures if m.status is Status.LAGGING]
    if weak:
        extra.append("人员方面，" + "、".join(m.label.split("（")[0] for m in weak) + "低于要求。")
    extra += _concerns(result.measures)
    if result.unmatched:
        extra.append(f"另有{len(result.unmatched)}项指标名称未能识别，未纳入对比。")
    return opening + "从以上数据可知，" + verdict + "".join(extra)


def _split(judged: tuple[JudgedRow, ...]) -> tuple[tuple[JudgedRow, ...], ...]:
    """(on track or ahead, 基本完成, 滞后) of the judged rows."""
    done = tuple(r for r in judged if r.status in (Status.ON_TRACK, Status.WELL_AHEAD))
    broadly = tuple(r for r in judged if r.status is Status.BROADLY)
    lagging = tuple(r for r in judged if r.status is Status.LAGGING)
    return done, broadly, lagging


def _on_the_way(station: str, judged: tuple[JudgedRow, ...], lagging: tuple[JudgedRow, ...],
                taxonomy: Taxonomy) -> str:
    """The verdict during the contract year, against the progress the time asks for."""
    done, broadly, _ = _split(judged)
    if not lagging:
        if not broadly:
            return f"{station}各项指标均达到预期进度。"
        if len(broadly) * 2 > len(judged):
            return (f"{station}各项指标基本完成，无滞后指标，其中{_names(done, taxonomy)}"
                    "达到预期进度。" if done else f"{station}各项指标基本完成，无滞后指标。")
        return (f"{station}无滞后指标：{_names(broadly, taxonomy)}基本完成，"
                "其余指标均达到预期进度。")
    if len(lagging) == len(judged):
        return f"{station}各项指标均未能达到预期进度。"
    if len(lagging) * 2 > len(judged):
        return (f"{station}{_names(lagging, taxonomy)}未能达到预期进度，"
                f"仅{_names(done + broadly, taxonomy)}达到或基本达到预期进度。")
    # the evaluators' own words when the rest are partly 基本完成; plainer when all are on track
    rest = "其余指标基本完成。" if broadly else "其余指标均达到预期进度。"
    return f"{station}除{_names(lagging, taxonomy)}未能达到预期进度外，{rest}"


def _at_the_end(station: str, judged: tuple[JudgedRow, ...], lagging: tuple[JudgedRow, ...],
                taxonomy: Taxonomy) -> str:
    """The verdict once the contract year is over: what was completed of the targets."""
    done, broadly, _ = _split(judged)
    if len(lagging) == len(judged):
        return f"{station}合同期内各项指标均未能完成协议指标量。"
    parts = []
    if lagging:
        parts.append(f"{_names(lagging, taxonomy)}未能完成协议指标量")
    if broadly:
        parts.append(f"{_names(broadly, taxonomy)}基本完成")
    if not parts:
        return f"{station}合同期内各项指标均已完成。"
    rest = "，其余指标均已完成。" if done else "。"
    return f"{station}合同期内" + "，".join(parts) + rest


def _concerns(measures: tuple[Measure, ...]) -> list[str]:
    """需关注 measures in the evaluators' way: what, its figure, the advice."""
    said = []
    for m in measures:
        if m.status is not Status.CONCERN:
            continue
        figure = f"为{percent(m.ratio)}" if m.ratio is not None else ""
        said.append(f"{m.label.split('（')[0]}{figure}，需要关注"
                    + (f"，{m.advice}" if m.advice else "") + "。")
    return said
