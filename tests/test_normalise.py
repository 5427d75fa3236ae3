"""Indicator names as stations write them → canonical ids; roll-ups; user taxonomy files.

The raw names below take the forms real 附件1 sheets use: units in brackets, numbering,
full-width digits and brackets, spaced-out characters, traditional characters, and the
synonyms of DOMAIN.md's alias column, each with the 服务类别 cell it sits under.
"""

from __future__ import annotations

import json
from pathlib import Path

import pytest
from harness import english

from xlcompare.errors import ConfigError
from xlcompare.model import IndicatorRow
from xlcompare.taxonomy import (
    Match,
    Taxonomy,
    align,
    clean_name,
    derive_wholes,
    find_user_taxonomy,
    normalise,
    split_unit,
)

SEED_FIGURES = Path(__file__).resolve().parents[2] / "shared" / "seed_figures.json"


@pytest.fixture(scope="module")
def tax() -> Taxonomy:
    return Taxonomy.load()


# (raw name, category cell, unit cell, expected id)
NAMES = [
    # DOMAIN.md canonical names and aliases, as written
    ("电话访问", "基础服务", "个", "phone_visits"),
    ("电访", None, None, "phone_visits"),
    ("入户探访", "基础服务", "个", "home_visits"),
    ("探访", None, None, "home_visits"),
    ("专业个案接案", "个案服务", "个", "case_intake"),
    ("个案数", None, None, "case_intake"),
    ("个案服务", "个案服务", "节", "case_sessions"),
    ("个案结案", None, None, "case_closed"),
    ("结案", "个案服务", "个", "case_closed"),
    ("小组", "小组服务", "个", "group_count"),
    ("完成小组", None, None, "group_count"),
    ("小组节数", "小组服务", "节", "group_sessions"),
    ("小组人次", None, None, "group_attendance"),
    ("社区活动", "社区活动", "次", "event_count"),
    ("社区活动服务人次", "社区活动", "人次", "event_attendance"),
    ("新登记志愿", "志愿服务", "名", "volunteers_new"),
    ("新注册志愿者", None, None, "volunteers_new"),
    ("新培育志愿者", None, None, "volunteers_new"),
    ("骨干志愿者", None, None, "volunteer_leaders"),
    ("发展志愿者队伍", "志愿服务", "支", "volunteer_teams"),
    ("志愿服务队伍", None, None, "volunteer_teams"),
    # units in brackets, full-width, numbering, spacing, quotes, trailing colons
    ("电话访问（个）", "基础服务", None, "phone_visits"),
    ("１．电话访问（个）", None, None, "phone_visits"),
    ("电 话 访 问", None, None, "phone_visits"),
    ("①电话访问个数：", None, None, "phone_visits"),
    ("1 电话访问", None, None, "phone_visits"),
    ("（二）入户探访", "基础服务", None, "home_visits"),
    ("2、入户探访（户）", None, None, "home_visits"),
    ("一、专业个案接案", "个案服务", None, "case_intake"),
    ("个案接案【个】", None, None, "case_intake"),
    ("（1）个案服务节数(节)", "个案服务", None, "case_sessions"),
    ("Ⅱ、小组节数", None, None, "group_sessions"),
    ("大型社区活动（次）", "社区活动", None, "large_event_count"),
    ("中小型社区活动服务人次（人次）", None, None, "small_event_attendance"),
    ("“新登记志愿者”人数", None, None, "volunteers_new"),
    ("新登记志愿者（名）：", "志愿服务", None, "volunteers_new"),
    # traditional characters
    ("電話訪問", None, None, "phone_visits"),
    ("入戶探訪數量", None, None, "home_visits"),
    ("個案結案", "個案服務", None, "case_closed"),
    ("新登記誌願者", None, None, "volunteers_new"),
    ("發展志願者隊伍（支）", None, None, "volunteer_teams"),
    # generic words: 数量 / 次数 / 其中 / 开展
    ("社区活动次数", None, None, "event_count"),
    ("开展电话访问", None, None, "phone_visits"),
    ("其中：大型社区活动", "社区活动", None, "large_event_count"),
    ("社区活动（中小型）", "社区活动", None, "small_event_count"),
    # the category cell or the unit decides a bare name
    ("服务人次", "小组服务", None, "group_attendance"),
    ("人次", "小组工作", None, "group_attendance"),
    ("服务人次", "社区活动", None, "event_attendance"),
    ("人次", "社区活动", "人次", "event_attendance"),
    ("服务人次", "大型社区活动", None, "large_event_attendance"),
    ("节数", "个案服务", None, "case_sessions"),
    ("节数", "小组服务", None, "group_sessions"),
    ("骨干", "志愿者服务", None, "volunteer_leaders"),
    ("个案", None, "节", "case_sessions"),
    ("小组（节）", None, None, "group_sessions"),
    ("小组", "小组服务", "人次", "group_attendance"),
    ("社区活动", "社区活动", "人次", "event_attendance"),
    ("资源链接", "资源链接", "元", "resource_value"),
    # what else a station reports
    ("培育社区社会组织（个）", "五社联动", None, "orgs_incubated"),
    ("社区社会组织孵化", None, None, "orgs_incubated"),
    ("社区慈善基金", "五社联动", "个", "charity_funds"),
    ("链接资源金额（元）", None, None, "resource_value"),
    ("宣传报道（篇）", None, None, "publicity_reports"),
    ("服务对象满意度(%)", None, None, "satisfaction"),
    ("督导时数（小时）", None, None, "supervision_hours"),
    ("探访困难群众", "基础服务", None, "home_visits"),
    # guarded fuzzy: words inserted inside a known name, nothing changed
    ("志愿者服务时数", None, None, "volunteer_hours"),
    ("社区活动服务总人次", "社区活动", None, "event_attendance"),
]


@pytest.mark.parametrize(("raw", "category", "unit", "expected"), NAMES)
def test_raw_name_maps_to_canonical_id(tax, raw, category, unit, expected):
    m = tax.match(raw, category, unit)
    assert (m.id, m.name) == (expected, tax[expected].name), m


# (raw name, category cell, the id it must NOT be); all end with id None
NEAR_MISSES = [
    ("志愿者培训", "志愿服务", "volunteer_leaders"),
    ("志愿者骨干培训", None, "volunteer_leaders"),
    ("志愿者骨干队伍", None, "volunteer_teams"),
    ("大中型社区活动", None, "large_event_count"),
    ("个案接案率", None, "case_intake"),
    ("特色社区活动", None, "event_count"),
    ("服务人次", None, "group_attendance"),  # a bare 人次 needs its category
    ("人次", "个案服务", "group_attendance"),
    ("长者小组", None, "group_count"),
]


@pytest.mark.parametrize(("raw", "category", "wrong"), NEAR_MISSES)
def test_near_miss_is_never_silently_matched(tax, raw, category, wrong):
    m = tax.match(raw, category)
    assert m.id is None and m.how in ("suggestion", "unmatched"), m
    assert m.id != wrong


# near-misses that are another real indicator: (raw, right id, the id it is not)
NEAR_MISSES_OTHER_ID = [
    ("个案服务节数", "case_sessions", "case_intake"),
    ("小组人次", "group_attendance", "event_attendance"),
    ("个案结案", "case_closed", "case_intake"),
    ("大型社区活动", "large_event_count", "event_count"),
]


@pytest.mark.parametrize(("raw", "right", "wrong"), NEAR_MISSES_OTHER_ID)
def test_near_miss_matches_its_own_indicator(tax, raw, right, wrong):
    assert tax.match(raw).id == right != wrong


def test_suggestion_names_a_candidate_but_is_not_accepted(tax):
    m = tax.match("志愿者骨干培训")
    assert m == Match(None, None, "suggestion", m.score, suggestion="volunteer_leaders",
                      via="志愿者骨干")
    assert 60 <= m.score < 100 and not m.matched


def test_fuzzy_never_accepts_a_changed_character(tax):
    """跟踪 for 跟进 is harmless here, but 接案/结案 is one changed character too: a
    substitution is only ever suggested; the user adds the alias if it is right."""
    m = tax.match("个案跟踪节数")
    assert (m.id, m.suggestion, m.how, m.via) == (None, "case_sessions", "suggestion", "个案跟进节数")


@pytest.mark.parametrize(
    ("raw", "category", "unit", "how"),
    [
        ("电话访问", None, None, "exact"),
        ("电访", None, None, "alias"),
        ("電話訪問（個）", None, None, "cleaned"),
        ("服务人次", "小组服务", None, "context"),
        ("小组", None, "节", "context"),
        ("志愿者服务时数", None, None, "fuzzy"),
        ("完全无关的名称", None, None, "unmatched"),
    ],
)
def test_match_reports_how_it_matched(tax, raw, category, unit, how):
    assert tax.match(raw, category, unit).how == how


@pytest.mark.parametrize(
    ("raw", "cleaned"),
    [
        ("（三）電 話 訪 問（個）：", "电话访问"),
        ("①、小组节数【节】", "小组节数"),
        ("(1) 个案结案(单位：个)", "个案结案"),
        ("一户一档", "一户一档"),  # 一 without 、 is not numbering
        ("社区活动（大型）", "社区活动大型"),  # not a unit: the words stay
        ("ＡＢＣ志愿", "abc志愿"),
    ],
)
def test_clean_name(raw, cleaned):
    assert clean_name(raw) == cleaned


@pytest.mark.parametrize(
    ("raw", "expected"),
    [
        ("电话访问（个）", ("电话访问", "个")),
        ("小组服务人次(人次)", ("小组服务人次", "人次")),
        ("小组【节】", ("小组", "节")),
        ("社区活动（大型）", ("社区活动(大型)", None)),
        ("入户探访", ("入户探访", None)),
    ],
)
def test_split_unit(raw, expected):
    assert split_unit(raw) == expected


def test_packaged_taxonomy_is_consistent(tax):
    assert len(tax) >= 30
    assert not tax.ambiguous_keys
    assert {r.whole for r in tax.rollups} == {"event_count", "event_attendance"}
    for ind in tax:
        assert tax.category(ind.category).name
        assert tax.match(ind.name).id == ind.id


# -- the seed stations ---------------------------------------------------------------------

SEED_CATEGORY = {  # the 服务类别 each seed indicator plausibly sits under
    "电话访问": "基础服务", "入户探访": "基础服务",
    "专业个案接案": "个案服务", "个案服务节数": "个案服务", "个案结案": "个案服务",
    "小组": "小组服务", "小组节数": "小组服务", "小组服务人次": "小组服务",
    "社区活动": "社区活动", "社区活动服务人次": "社区活动",
    "大型社区活动": "社区活动", "大型社区活动服务人次": "社区活动",
    "中小型社区活动": "社区活动", "中小型社区活动服务人次": "社区活动",
    "新登记志愿": "志愿服务", "新登记志愿者": "志愿服务", "培育志愿者骨干": "志愿服务",
    "发展志愿者队伍": "志愿服务",
}


def seed_rows(street: str) -> list[IndicatorRow]:
    data = json.loads(SEED_FIGURES.read_text(encoding="utf-8"))
    station = next(s for s in data["stations"] if s["street"] == street)
    return [
        IndicatorRow(name=i["name"], category=SEED_CATEGORY[i["name"]], unit=i["unit"],
                     target=i["target"], completed=i["completed"], sheet_rate=i["rate"])
        for i in station["indicators"]
    ]


@pytest.mark.skipif(not SEED_FIGURES.exists(), reason="shared seed figures not present")
@pytest.mark.parametrize("street", ["瑞宝街", "官洲街"])
def test_seed_stations_map_fully(tax, street):
    rows = normalise(seed_rows(street), tax)
    assert [r.row.name for r in rows if r.id is None] == []
    assert not any(r.duplicate or r.notes for r in rows)


def row(name: str, category: str, unit: str, completed: float, target: float | None
        ) -> IndicatorRow:
    return IndicatorRow(name=name, category=category, unit=unit, target=target,
                        completed=completed)


# 瑞宝街 2023—2024 reports one 社区活动; 官洲街 2024—2025 reports 大型 and 中小型 apart
RUIBAO = [
    row("社区活动", "社区活动", "次", 58, 80),
    row("社区活动服务人次", "社区活动", "人次", 2443, 1600),
]
GUANZHOU = [
    row("大型社区活动", "社区活动", "次", 11, 10),
    row("大型社区活动服务人次", "社区活动", "人次", 3435, 1000),
    row("中小型社区活动", "社区活动", "次", 49, 50),
    row("中小型社区活动服务人次", "社区活动", "人次", 5244, 1200),
]


def test_rollup_derives_the_whole_on_the_side_with_parts(tax):
    pairs = align(normalise(RUIBAO, tax), normalise(GUANZHOU, tax), tax)
    assert [p.id for p in pairs] == [
        "event_count", "event_attendance", "large_event_count", "large_event_attendance",
        "small_event_count", "small_event_attendance",
    ]
    by_id = {p.id: p for p in pairs}

    count = by_id["event_count"]
    assert (count.a.completed, count.a.target) == (58, 80)
    assert count.b.derived and count.b.parts == ("大型社区活动", "中小型社区活动")
    assert (count.b.completed, count.b.target, count.b.rate) == (60, 60, 1.0)
    assert "大型社区活动 + 中小型社区活动" in count.note

    attendance = by_id["event_attendance"]
    assert (attendance.b.completed, attendance.b.target) == (8679, 2200)
    assert attendance.b.rate == pytest.approx(8679 / 2200)
    assert attendance.category == "community" and attendance.category_name == "社区活动"

    # the parts stay, with nothing beside them
    large = by_id["large_event_count"]
    assert large.a is None and (large.b.completed, large.b.derived) == (11, False)


def test_rollup_works_either_way_round(tax):
    pairs = align(normalise(GUANZHOU, tax), normalise(RUIBAO, tax), tax)
    count = next(p for p in pairs if p.id == "event_count")
    assert count.a.derived and count.a.completed == 60 and not count.b.derived


def test_rollup_target_unknown_when_a_part_has_none(tax):
    parts = [row("大型社区活动", "社区活动", "次", 11, None),
             row("中小型社区活动", "社区活动", "次", 49, 50)]
    pairs = align(normalise(RUIBAO[:1], tax), normalise(parts, tax), tax)
    derived = pairs[0].b
    assert (derived.completed, derived.target, derived.rate) == (60, None, None)


def test_rollup_with_a_missing_part_is_not_derived_but_noted(tax):
    pairs = align(normalise(RUIBAO[:1], tax), normalise(GUANZHOU[:1], tax), tax)
    count = pairs[0]
    assert count.id == "event_count" and count.b is None
    assert "中小型社区活动次数" in count.note


def test_both_sides_with_parts_align_without_deriving(tax):
    pairs = align(normalise(GUANZHOU, tax), normalise(GUANZHOU, tax), tax)
    assert len(pairs) == 4 and not any(p.a.derived or p.b.derived for p in pairs)


def test_a_rollup_of_rollups_is_summed_from_the_derived_wholes(tmp_path):
    user = write(tmp_path / "taxonomy.toml", """
[[indicators]]
id = "all_events"
name = "社区活动总量"
category = "community"

[[rollups]]
whole = "all_events"
parts = ["event_count", "event_attendance"]
""")
    tax = Taxonomy.load([user])
    derived = {r.id: r for r in derive_wholes(normalise(GUANZHOU, tax), tax) if r.derived}
    assert list(derived) == ["event_count", "event_attendance", "all_events"]
    total = derived["all_events"]
    assert (total.completed, total.target) == (60 + 8679, 60 + 2200)
    assert total.parts == ("社区活动次数", "社区活动人次")


def test_unmatched_rows_are_kept_and_line_up_last_by_cleaned_name(tax):
    a = normalise([row("长者 关爱 服务", "特色服务", "次", 3, 6),
                   row("电话访问", "基础服务", "个", 1, 2)], tax)
    b = normalise([row("长者关爱服务（次）", "特色服务", None, 4, 6)], tax)
    pairs = align(a, b, tax)
    assert [p.id for p in pairs] == ["phone_visits", None]
    unknown = pairs[-1]
    assert (unknown.a.completed, unknown.b.completed) == (3, 4)
    assert unknown.name == "长者 关爱 服务" and unknown.category_name == "特色服务"
    assert "未识别" in unknown.note


def test_two_rows_with_one_id_are_both_kept_and_flagged(tax):
    rows = normalise([row("电话访问", "基础服务", "个", 10, 20),
                      row("电访", "基础服务", "个", 5, 20),
                      row("入户探访", "基础服务", "个", 1, 2)], tax)
    assert [r.duplicate for r in rows] == [True, True, False]
    pairs = align(rows, normalise([row("电话访问", "基础服务", "个", 7, 9)], tax), tax)
    phone = [p for p in pairs if p.id == "phone_visits"]
    assert [(p.a.completed, p.b and p.b.completed) for p in phone] == [(10, 7), (5, None)]
    assert all("多行" in p.note for p in phone)


def test_unit_that_disagrees_with_the_indicator_is_noted(tax):
    (r,) = normalise([row("入户探访", "基础服务", "人次", 5, 10)], tax)
    assert r.id == "home_visits" and "人次" in r.notes[0]


# -- user taxonomy files -------------------------------------------------------------------


def write(path: Path, text: str) -> Path:
    path.write_text(text, encoding="utf-8")
    return path


def test_user_alias_makes_an_unmatched_name_match(tmp_path):
    assert Taxonomy.load().match("电话关怀").id is None
    user = write(tmp_path / "xlcompare-taxonomy.toml",
                 '[[indicators]]\nid = "phone_visits"\naliases = ["电话关怀"]\n')
    tax = Taxonomy.load([user])
    m = tax.match("电话关怀（个）")
    assert (m.id, m.how) == ("phone_visits", "cleaned")
    assert "电访" in tax["phone_visits"].aliases  # packaged aliases are kept
    assert tax.sources[-1] == str(user)


def test_user_file_adds_an_indicator_and_overrides_a_setting(tmp_path):
    user = write(tmp_path / "taxonomy.toml", """
[settings]
fuzzy_threshold = 95

[[indicators]]
id = "elderly_meals"
name = "长者助餐"
label = "Meals for the elderly"
unit = "人次"
category = "basic"
aliases = ["长者饭堂", "助餐服务"]
""")
    tax = Taxonomy.load([user])
    assert tax.match("長者飯堂（人次）").id == "elderly_meals"
    assert tax.settings.fuzzy_threshold == 95
    # sits with its category in taxonomy order, before the casework indicators
    assert tax.order("elderly_meals") < tax.order("case_intake")
    # at 95 the guarded fuzzy match of the packaged settings is only a suggestion
    assert tax.match("志愿者服务时数").id is None


def test_find_user_taxonomy(tmp_path):
    assert find_user_taxonomy(tmp_path) is None
    plain = write(tmp_path / "taxonomy.toml", "")
    assert find_user_taxonomy(tmp_path) == plain
    preferred = write(tmp_path / "xlcompare-taxonomy.toml", "")
    workbook = write(tmp_path / "瑞宝街.xlsx", "")
    assert find_user_taxonomy(workbook) == preferred


@pytest.mark.parametrize(
    ("text", "complaint"),
    [
        ("[[indicators]\nid = 1", "not valid TOML"),
        ('[[indicators]]\nid = "phone_visits"\nalias = ["电话关怀"]\n', "unknown key 'alias'"),
        ('[[indicators]]\nid = "phone_visits"\naliases = "电话关怀"\n', "list of non-empty"),
        ('[[indicators]]\nid = "Phone Visits"\n', "snake_case"),
        ('[[indicators]]\nid = "meals"\nname = "助餐"\n', "missing category"),
        ('[[indicators]]\nid = "meals"\nname = "助餐"\ncategory = "food"\n',
         "unknown category 'food'"),
        ('[[indicators]]\nid = "home_visits"\naliases = ["电访"]\n', "already a name of"),
        ('[indicators]\nid = "x"\n', "array of tables"),
        ("[settings]\nfuzzy_threshold = 150\n", "from 0 to 100"),
        ("[settings]\nsuggestion_threshold = 90\n", "above fuzzy_threshold"),
        ('[[rollups]]\nwhole = "event_count"\nparts = ["large_event_count", "nope"]\n',
         "unknown indicator 'nope'"),
        ('[station]\nname = "x"\n', "unknown top-level"),
    ],
)
def test_malformed_user_file_raises_config_error_naming_file(tmp_path, text, complaint):
    user = write(tmp_path / "xlcompare-taxonomy.toml", text)
    with pytest.raises(ConfigError) as caught:
        Taxonomy.load([user])
    assert caught.value.file == str(user)
    assert complaint in english(caught.value) and str(user) in str(caught.value)


def test_missing_user_file_raises_config_error(tmp_path):
    with pytest.raises(ConfigError, match="找不到指标文件"):
        Taxonomy.load([tmp_path / "nope.toml"])
