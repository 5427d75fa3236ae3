"""需关注 and the training requirement (issue 18, first slice): what the evaluators list
under 需要关注 although it passes — 稳岗率 65% (瑞宝街) and 61.11% (官洲街), 瑞宝街's 18 h of
supervision against 1,167.5 h of training — and the rule behind the stated training hours
(840 = 20 × 72 × 7/12, 648 = 18 × 72 × 6/12), from the seeds' own workbooks."""

from __future__ import annotations

from dataclasses import replace
from pathlib import Path

import pytest
from harness import copy_samples, sample_workbooks

from xlcompare import read_station
from xlcompare.batch import summarise
from xlcompare.comparison import judge_station
from xlcompare.errors import ConfigError
from xlcompare.judge import Status, judge_staffing, load_settings, training_requirement
from xlcompare.prose import station_paragraph
from xlcompare.taxonomy import default_taxonomy

SAMPLES = {p.name.split("_")[0]: p for p in sample_workbooks()}
SETTINGS = load_settings()
# the judging before 需关注 existed: no concern lines, no balance check
WITHOUT = replace(SETTINGS, attendance=replace(SETTINGS.attendance, concern=(),
                                                supervision_vs_training=0.0))


def _statuses(report, settings) -> dict[str, Status]:
    return {m.key: m.status for m in judge_staffing(report, settings.attendance)}


@pytest.mark.parametrize(("station", "concerns"), [
    ("瑞宝街", {"retention", "supervision_balance"}),
    ("官洲街", {"retention"}),
])
def test_the_seeds_concerns_are_where_the_evaluators_wrote_them(station: str,
                                                                 concerns: set[str]) -> None:
    report = read_station(SAMPLES[station])
    now, before = _statuses(report, SETTINGS), _statuses(report, WITHOUT)
    assert {key for key, status in now.items() if status is Status.CONCERN} == concerns
    # nothing else changes: every other measure, and every indicator
    assert {k: v for k, v in now.items() if k not in concerns} == {
        k: v for k, v in before.items() if k not in concerns}
    assert all(before.get(k, Status.ON_TRACK) is Status.ON_TRACK for k in concerns)  # were 达标
    rows = judge_station(report, default_taxonomy(), SETTINGS).rows
    rows_before = judge_station(report, default_taxonomy(), WITHOUT).rows
    assert [r.status for r in rows] == [r.status for r in rows_before]
    retention = next(m for m in judge_staffing(report, SETTINGS.attendance)
                     if m.key == "retention")
    assert retention.advice == "建议加强团队建设，稳定社工队伍"
    assert "需关注" in retention.why and "关注线70.00%" in retention.why
    paragraph = station_paragraph(judge_station(report, default_taxonomy(), SETTINGS),
                                  default_taxonomy())
    assert "稳岗率为" in paragraph and "需要关注" in paragraph


def test_supervision_against_training_is_worded_with_both_figures() -> None:
    (balance,) = [m for m in judge_staffing(read_station(SAMPLES["瑞宝街"]), SETTINGS.attendance)
                  if m.key == "supervision_balance"]
    assert balance.why.startswith("督导18小时，仅为继续教育1,167.5小时的1.54%")


@pytest.mark.parametrize(("station", "hours", "months"), [("瑞宝街", 840, 7), ("官洲街", 648, 6)])
def test_the_training_requirement_follows_the_rule(station: str, hours: float,
                                                   months: int) -> None:
    report = read_station(SAMPLES[station])
    rule = training_requirement(report, SETTINGS.attendance)
    assert rule is not None
    assert (rule.hours, rule.months, rule.stated, rule.agrees) == (hours, months, hours, True)


def test_a_sheet_without_a_training_requirement_is_judged_by_the_rule() -> None:
    report = read_station(SAMPLES["瑞宝街"])
    assert report.staffing is not None
    unstated = replace(report, staffing=replace(report.staffing, training_hours_required=None))
    (training,) = [m for m in judge_staffing(unstated, SETTINGS.attendance) if m.key == "training"]
    assert training.denominator == 840
    assert "表内未写要求时数" in training.why


def test_a_stated_requirement_off_the_rule_is_said() -> None:
    report = read_station(SAMPLES["瑞宝街"])
    assert report.staffing is not None
    wrong = replace(report, staffing=replace(report.staffing, training_hours_required=600))
    (training,) = [m for m in judge_staffing(wrong, SETTINGS.attendance) if m.key == "training"]
    assert training.denominator == 600  # the sheet's figure is judged, and doubted
    assert "表内要求 600 小时，与规则不符" in training.why and "840小时" in training.why


def test_a_district_sets_its_own_concern_lines(tmp_path: Path) -> None:
    own = tmp_path / "judge.toml"
    own.write_text("[attendance.concern]\nretention_rate = 0.6\n"
                   "[attendance.advice]\nretention = \"请街道关注队伍稳定\"\n", "utf-8")
    settings = load_settings(own)
    assert dict(settings.attendance.concern)["retention_rate"] == 0.6
    assert _statuses(read_station(SAMPLES["瑞宝街"]), settings)["retention"] is Status.ON_TRACK
    own.write_text("[attendance.concern]\nretention = 0.7\n", "utf-8")
    with pytest.raises(ConfigError, match="attendance.concern"):
        load_settings(own)


def test_the_summary_lists_concerns_on_its_attendance_sheet(tmp_path: Path) -> None:
    from openpyxl import load_workbook

    folder = copy_samples(tmp_path / "drop")
    out = tmp_path / "summary.xlsx"
    result = summarise(folder, use_history=False)
    from xlcompare.writers.summary_xlsx import write_summary

    write_summary(result, out)
    sheet = load_workbook(out)["到岗"]
    header = [c.value for c in sheet[4]]
    column = header.index("需关注")
    said = {row[0].value: row[column].value for row in sheet.iter_rows(min_row=5)
            if row[0].value}
    assert said["瑞宝街"] == ("稳岗率（持续在岗÷协议配备）（建议加强团队建设，稳定社工队伍）；"
                           "督导时数占继续教育时数（督导与培训时数不平衡，建议增加专业督导）")
    assert said["官洲街"] == "稳岗率（持续在岗÷协议配备）（建议加强团队建设，稳定社工队伍）"
