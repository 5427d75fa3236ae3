"""The paragraph per station is worded for what its figures say: everything on track, mostly
on track with a few 基本完成, some or most lagging, and a contract year that has ended — never
「其余指标基本完成」 when nothing else is 基本完成.

Every case is 瑞宝街's sample report (cut-off 2023-12-31, 54.64% of the year elapsed; the
basic line 38.25%) with its 完成量 set per indicator: `target × share` puts an indicator at
that share of its annual target.
"""

from __future__ import annotations

from dataclasses import replace
from datetime import date

import builders as b

from xlcompare import read_station
from xlcompare.comparison import judge_station
from xlcompare.prose import station_paragraph

ON_TRACK, BROADLY, LAGGING = 0.60, 0.45, 0.10  # shares of the target, against 54.64% elapsed


def _paragraph(shares: dict[str, float], default: float = ON_TRACK, **changes: object) -> str:
    """瑞宝街 with each indicator at `shares[name]` of its target (others at `default`);
    the one without a target (发展志愿者队伍) left out unless named."""
    report = read_station(b.RUIBAO_SAMPLE)
    rows = []
    for row in report.indicators:
        if not row.target and row.name not in shares:
            continue
        share = shares.get(row.name, default)
        target = row.target or 10
        rows.append(replace(row, target=target, completed=target * share, sheet_rate=share))
    return station_paragraph(judge_station(report.with_changes(indicators=tuple(rows),
                                                               **changes)))


def test_all_on_track() -> None:
    text = _paragraph({})
    assert "从以上数据可知，瑞宝街社工站各项指标均达到预期进度。" in text


def test_mostly_on_track_names_the_few_broadly_on_track() -> None:
    text = _paragraph({"个案结案": BROADLY})
    assert "瑞宝街社工站无滞后指标：个案结案数基本完成，其余指标均达到预期进度。" in text


def test_mostly_broadly_on_track() -> None:
    text = _paragraph({"电话访问": ON_TRACK}, default=BROADLY)
    assert "各项指标基本完成，无滞后指标，其中电话访问数达到预期进度。" in text


def test_one_lagging_and_the_rest_on_track_is_not_called_broadly_on_track() -> None:
    text = _paragraph({"个案结案": LAGGING})
    assert "除个案结案数未能达到预期进度外，其余指标均达到预期进度。" in text
    assert "其余指标基本完成" not in text


def test_one_lagging_and_the_rest_partly_broadly_on_track_in_the_evaluators_words() -> None:
    text = _paragraph({"个案结案": LAGGING, "小组节数": BROADLY})
    assert "除个案结案数未能达到预期进度外，其余指标基本完成。" in text


def test_most_lagging() -> None:
    text = _paragraph({"电话访问": ON_TRACK, "入户探访": BROADLY}, default=LAGGING)
    assert "仅电话访问数、入户探访数达到或基本达到预期进度。" in text
    assert "其余指标" not in text


def test_a_contract_that_has_ended_speaks_of_completion() -> None:
    end = date(2024, 6, 14)
    text = _paragraph({}, default=1.0, cutoff=end)
    assert text.startswith("截至2024年6月14日，合同期已满（共366天），各项指标应全部完成。")
    assert "从以上数据可知，瑞宝街社工站合同期内各项指标均已完成。" in text
    short = _paragraph({"个案结案": 0.5, "小组": 0.8}, default=1.0, cutoff=end)
    assert ("合同期内个案结案数未能完成协议指标量，小组个数基本完成，其余指标均已完成。"
            in short)
    assert "预期进度" not in short
