"""The district's own wide table (issue 13): a row per station, each indicator a group of
协议指标量 / 完成量 / 完成率 columns under its name, the station's facts in columns of their
own or in the title. Before, such a workbook was refused (no 附件1 or 附件2 table found).
Each row becomes a station's report, judged, compared and summarised like any station's
own workbook.
"""

from __future__ import annotations

from datetime import datetime
from pathlib import Path

import builders as b
import pytest

from xlcompare import read_reports
from xlcompare.batch import summarise
from xlcompare.files.workbook import open_workbook

STATIONS = {"素社街": 1.0, "瑞宝街": 0.5, "南洲街": 0.25}  # each station's share of the figures
DISTRICT_TITLE = "海珠区社工站服务指标完成情况汇总表（截至2024年12月31日）"


def _figures(share: float) -> dict[str, float]:
    return {i.name: i.completed * share for i in b.INDICATORS}


def wide_grid(*, facts: str = "columns", categories: bool = False, total: float | None = 1.0,
              indicators: tuple[b.Indicator, ...] = b.INDICATORS) -> b.Grid:
    """The district's table. `facts`: "columns" (承接机构 and 项目周期 as text in columns, the
    cut-off in the title), or "dates" (合同开始 / 合同结束 / 统计截止 as date cells, a title
    without a date). `categories`: a row of 服务类别 over the indicator names. `total`: a 合计
    row whose figures are this multiple of the stations' sum (None: no 合计 row)."""
    g = b.Grid("汇总")
    fact_labels = (["承接机构", "项目周期"] if facts == "columns"
                   else ["合同开始", "合同结束", "统计截止"])
    left = ["序号", "站点", *fact_labels]
    width = len(left) + 3 * len(indicators)
    g.add(DISTRICT_TITLE if facts == "columns" else "海珠区社工站服务指标完成情况汇总表",
          span=width)
    if categories:
        row = [None] * len(left)
        for ind in indicators:
            row += [ind.category, None, None]
        r = g.add(*row)
        c = len(left)
        for ind in indicators:  # a category merged over its indicators
            del ind
            c += 3
        spans: list[tuple[str, int, int]] = []
        for i, ind in enumerate(indicators):
            start = len(left) + 3 * i
            if spans and spans[-1][0] == ind.category:
                spans[-1] = (ind.category, spans[-1][1], start + 2)
            else:
                spans.append((ind.category, start, start + 2))
        for _, c0, c1 in spans:
            g.merge(r, c0, r, c1)
            for col in range(c0 + 1, c1 + 1):
                g.rows[r][col] = None
    h = g.add(*left, *[x for ind in indicators for x in (ind.name, None, None)])
    g.add(*[None] * len(left), *["协议指标量", "完成量", "完成率"] * len(indicators))
    for c in range(len(left)):
        g.merge(h, c, h + 1, c)
    for i in range(len(indicators)):
        g.merge(h, len(left) + 3 * i, h, len(left) + 3 * i + 2)
    for n, (station, share) in enumerate(STATIONS.items(), start=1):
        row_facts: list[object] = (
            [f"广州市{station}社会工作服务中心", "2024.6.1-2025.5.31"] if facts == "columns"
            else [datetime(2024, 6, 1), datetime(2025, 5, 31), datetime(2024, 12, 31)])
        figures: list[object] = []
        for ind in indicators:
            done = ind.completed * share
            figures += [ind.target, done, b.Pct(done / ind.target)]
        g.add(n, station, *row_facts, *figures)
    if total is not None:
        sums: list[object] = []
        for ind in indicators:
            done = sum(ind.completed * s for s in STATIONS.values())
            sums += [ind.target * len(STATIONS) * total, done * total, None]
        g.add(None, "合计", *[None] * len(fact_labels), *sums)
    g.add("注：数据由各街道社工站报送，区民政局汇总。", span=width)
    return g


WRITERS = {"xlsx": b.write_openpyxl, "xls": b.write_xlwt}


@pytest.mark.parametrize("fmt", ["xlsx", "xls"])
@pytest.mark.parametrize("facts", ["columns", "dates"])
@pytest.mark.parametrize("categories", [False, True], ids=["names", "categories over names"])
def test_each_row_of_the_district_table_is_a_station(tmp_path: Path, fmt: str, facts: str,
                                                     categories: bool) -> None:
    path = WRITERS[fmt](tmp_path / f"海珠区汇总.{fmt}",
                        [wide_grid(facts=facts, categories=categories)])
    reports, errors = read_reports([path])
    assert errors == []
    assert [r.station for r in reports] == list(STATIONS)
    for report, share in zip(reports, STATIONS.values(), strict=True):
        assert {r.name: r.completed for r in report.indicators} == _figures(share)
        assert {r.name: r.target for r in report.indicators} == {
            i.name: i.target for i in b.INDICATORS}
        assert report.cutoff == b.CUTOFF
        assert (report.contract_start, report.contract_end) == (b.CONTRACT_START, b.CONTRACT_END)
        if categories:
            assert {r.name: r.category for r in report.indicators} == {
                i.name: i.category for i in b.INDICATORS}
        assert not [p for p in report.problems if p.severity != "info"], report.problems
    if facts == "columns":
        assert reports[1].operator == "广州市瑞宝街社会工作服务中心"
    # each figure is traced to its own cell: 瑞宝街 is the table's second station row
    first = reports[1].indicators[0]
    assert first.source is not None and first.source.sheet == "汇总"
    header_rows = 3 if not categories else 4
    completed_col = "F" if facts == "columns" else "G"  # after 4 or 5 columns of facts, 协议指标量
    assert first.source.cell == f"{completed_col}{header_rows + 2}"
    # every filled cell of the sheet is accounted for: title, header, rows, total, note
    (cell_map,) = reports[0].cell_maps
    roles = dict(cell_map.roles)
    assert "unread" not in roles
    assert set(roles) >= {"title", "header", "data", "total"}
    assert open_workbook(path).sheets[0].name == cell_map.sheet


def test_a_total_that_does_not_add_up_is_said(tmp_path: Path) -> None:
    path = b.write_openpyxl(tmp_path / "汇总.xlsx", [wide_grid(total=1.1)])
    reports, _ = read_reports([path])
    mismatches = [p for p in reports[0].problems if p.code == "total-mismatch"]
    # every target, and every completed figure but a 0 (0 × 1.1 is still 0)
    assert len(mismatches) == len(b.INDICATORS) + sum(1 for i in b.INDICATORS if i.completed)
    assert all(p.sheet == "汇总" and p.cell and p.cell.endswith("7") for p in mismatches)


def test_the_district_table_is_summarised_like_station_workbooks(tmp_path: Path) -> None:
    folder = tmp_path / "月报"
    folder.mkdir()
    b.write_openpyxl(folder / "海珠区汇总.xlsx", [wide_grid()])
    result = summarise(folder, use_history=False)
    by_name = {s.name: s for s in result.summaries}
    assert sorted(by_name) == sorted(STATIONS)
    # the canonical station lags where the canonical workbook does, the others more
    canonical = summarise(_canonical_folder(tmp_path), use_history=False).summaries[0]
    assert by_name["素社街"].counts == canonical.counts
    assert by_name["南洲街"].lagging and len(by_name["南洲街"].lagging) >= len(canonical.lagging)


def _canonical_folder(tmp_path: Path) -> Path:
    folder = tmp_path / "单站"
    folder.mkdir()
    b.build_canonical(folder)
    return folder


def test_diff_picks_two_stations_of_the_district_table(tmp_path: Path, cli) -> None:
    path = b.write_openpyxl(tmp_path / "海珠区汇总.xlsx", [wide_grid()])
    out = tmp_path / "diff.xlsx"
    result = cli("diff", str(path), "-a", "素社街", "-b", "瑞宝街", "-o", str(out))
    assert result.returncode == 0, result.stderr
    from openpyxl import load_workbook

    sheet = load_workbook(out)["对比"]
    text = "\n".join(str(c.value) for row in sheet.iter_rows() for c in row if c.value)
    assert "素社街" in text and "瑞宝街" in text and "南洲街" not in text
