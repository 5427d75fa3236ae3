"""Regenerate every sample workbook in this folder.

    python sample_workbooks/make_samples.py

The workbooks imitate what Guangzhou social-work stations (社工站) really send: merged titles,
two-row merged headers, merged category cells, cut-off and contract lines in free text, notes
under the table, numbers stored as text, legacy .xls, annexes split over two files, person-level
attendance. They are what district staff open and what the content-based readers are tested on,
so they are deliberately NOT tidy. README.md beside this file lists each file and its quirks.

瑞宝街 and 官洲街 carry the exact figures of the two seed evaluation reports
(/work/shared/seed_figures.json). Every other station, operator and person is invented.
Output is deterministic: fixed data, no randomness, and file metadata pinned to one timestamp
so that rerunning the script gives byte-identical files.
"""

from __future__ import annotations

import math
import re
import unicodedata
import zipfile
from dataclasses import dataclass, field
from datetime import datetime
from pathlib import Path
from typing import NamedTuple

import openpyxl
import xlsxwriter
import xlwt
from openpyxl.styles import Alignment, Border, Font, PatternFill, Side
from openpyxl.utils import get_column_letter

OUT_DIR = Path(__file__).resolve().parent
PINNED_TIME = datetime(2025, 1, 6, 9, 0, 0)  # stamped into every file's metadata

# ---------------------------------------------------------------------------------------------
# Data: one block per station. Indicator rows are (category, name, unit, target, completed,
# rate, remark); rate None means "completed / target, rounded to 4 places"; target None leaves
# the target cell empty (瑞宝街 发展志愿者队伍: the report gives no target).
# ---------------------------------------------------------------------------------------------


class Ind(NamedTuple):
    category: str
    name: str
    unit: str
    target: float | None
    completed: float
    rate: float | str | None = None
    remark: str = ""


class Subtotal(NamedTuple):
    """A 小计 row summing the rows named in `covers`; `error` is added to the written completed."""

    category: str
    label: str
    unit: str
    covers: tuple[str, ...]
    error: float = 0
    remark: str = ""


class Person(NamedTuple):
    """One social worker in a person-level 附件2: 1 = full month, 0.5 = half, 0 = absent."""

    name: str
    certified: bool
    months: list[float]
    remark: str = ""


class Staff(NamedTuple):
    label: str
    value: float | str


RUIBAO_INDICATORS = [
    Ind("基础服务", "电话访问", "个", 6028, 3092, 0.5129),
    Ind("基础服务", "入户探访", "个", 1600, 879, 0.5494),
    Ind("个案服务", "专业个案接案", "个", 40, 20, 0.50),
    Ind("个案服务", "个案服务节数", "节", 240, 120, 0.50),
    Ind("个案服务", "个案结案", "个", 40, 18, 0.45),
    Ind("小组服务", "小组", "个", 20, 11, 0.55),
    Ind("小组服务", "小组节数", "节", 120, 60, 0.50),
    Ind("小组服务", "小组服务人次", "人次", 720, 471, 0.6542),
    Ind("社区活动", "社区活动", "次", 80, 58, 0.725),
    Ind("社区活动", "社区活动服务人次", "人次", 1600, 2443, 1.5269, "超额完成"),
    Ind("志愿服务", "新登记志愿", "名", 190, 105, 0.5526),
    Ind("志愿服务", "培育志愿者骨干", "名", 38, 19, 0.50),
    Ind(
        "志愿服务",
        "发展志愿者队伍",
        "支",
        None,
        0,
        0.0,
        "协议未列明指标量；队伍待在志愿服务系统注册",
    ),
]
# Seven months, 20 expected per month (140), 10 certified expected (70).
RUIBAO_MONTHS = [
    "2023年6月",
    "2023年7月",
    "2023年8月",
    "2023年9月",
    "2023年10月",
    "2023年11月",
    "2023年12月",
]
RUIBAO_ACTUAL = [22.5, 23, 23, 23, 23, 23, 22.5]  # sum 160
RUIBAO_CERTIFIED = [17.5, 17.5, 17, 17, 17.5, 17.5, 17.5]  # sum 121.5; uncertified 38.5
RUIBAO_STAFFING = [
    Staff("协议要求配备社工人数", 20),
    Staff("平均配备社工人数", 23),
    Staff("持证社工人数", 17),
    Staff("从业两年以上社工人数", 15),
    Staff("持续在岗社工人数", 13),
    Staff("继续教育要求时数（小时）", 840),
    Staff("继续教育完成时数（小时）", 1167.5),
    Staff("督导时数（小时）", 18),
]

# Rates exactly as the 官洲街 report writes them, stored as text.
GUANZHOU_INDICATORS = [
    Ind("兜底服务", "电话访问", "个", 2001, 1842, "92.05%"),
    Ind("兜底服务", "入户探访", "个", 1002, 778, "77.64%"),
    Ind("个案服务", "专业个案接案", "个", 85, 38, "44.71%"),
    Ind("个案服务", "个案服务节数", "节", 510, 307, "60.2%"),
    Ind("个案服务", "个案结案", "个", 60, 19, "31.67%"),
    Ind("小组服务", "小组", "个", 30, 15, "50%"),
    Ind("小组服务", "小组节数", "节", 180, 100, "55.56%"),
    Ind("小组服务", "小组服务人次", "人次", 1440, 885, "61.46%"),
    Ind("社区活动", "大型社区活动", "次", 10, 11, "110%"),
    Ind("社区活动", "大型社区活动服务人次", "人次", 1000, 3435, "343.5%", "超额完成"),
    Ind("社区活动", "中小型社区活动", "次", 50, 49, "98%"),
    Ind("社区活动", "中小型社区活动服务人次", "人次", 1200, 5244, "437%", "超额完成"),
    Ind("志愿服务", "新登记志愿者", "名", 200, 73, "36.5%"),
    Ind("志愿服务", "培育志愿者骨干", "名", 30, 20, "66.67%"),
    Ind("志愿服务", "发展志愿者队伍", "支", 2, 2, "100%"),
]
# Six months from the operator change, 18 expected per month (108), 9 certified (54).
GUANZHOU_MONTHS = ["2024.07", "2024.08", "2024.09", "2024.10", "2024.11", "2024.12"]
GUANZHOU_ACTUAL = [18, 18, 18, 18, 18, 18]  # sum 108
GUANZHOU_CERTIFIED = [12.5, 13, 13, 13, 13, 13]  # sum 77.5; uncertified 30.5
GUANZHOU_STAFFING = [
    Staff("协议规定配置社工人数", 18),
    Staff("平均人员配置数量", 18),
    Staff("持证社工", 13),
    Staff("从业两年及以上社工", 12),
    Staff("持续在岗社工", 11),
    Staff("继续教育评估要求时数（小时）", 648),
    Staff("继续教育实际完成时数（小时）", 692.5),
]
GUANZHOU_OPERATOR_NOTE = (
    "注：2024年6月9日至2024年7月8日由广州市明心社会工作服务中心运营，"
    "2024年7月9日起由广州市越秀区穗青社会工作服务中心运营。"
)

# 南华西街 (invented): .xls; 小计 rows for the two kinds of community event, sums correct.
NANHUAXI_INDICATORS = [
    Ind("兜底服务", "电话访问", "个", 3000, 1626),
    Ind("兜底服务", "入户探访", "个", 1200, 571),
    Ind("个案服务", "专业个案接案", "个", 60, 27),
    Ind("个案服务", "个案服务节数", "节", 360, 166),
    Ind("个案服务", "个案结案", "个", 45, 12, remark="结案进度偏慢"),
    Ind("小组服务", "小组", "个", 24, 13),
    Ind("小组服务", "小组节数", "节", 144, 70),
    Ind("小组服务", "小组服务人次", "人次", 1080, 652),
    Ind("社区活动", "大型社区活动", "次", 8, 5),
    Ind("社区活动", "大型社区活动服务人次", "人次", 800, 1260),
    Ind("社区活动", "中小型社区活动", "次", 40, 22),
    Ind("社区活动", "中小型社区活动服务人次", "人次", 1000, 1318),
    Subtotal("社区活动", "小计（活动次数）", "次", ("大型社区活动", "中小型社区活动")),
    Subtotal(
        "社区活动", "小计（服务人次）", "人次", ("大型社区活动服务人次", "中小型社区活动服务人次")
    ),
    Ind("志愿服务", "新登记志愿者", "名", 150, 64),
    Ind("志愿服务", "培育志愿者骨干", "名", 30, 11),
    Ind("志愿服务", "发展志愿者队伍", "支", 2, 1),
]
NANHUAXI_MONTHS = ["7月", "8月", "9月", "10月", "11月", "12月"]
NANHUAXI_ACTUAL = [16, 16, 15.5, 16, 16, 16]  # sum 95.5 (expected 16 x 6 = 96)
NANHUAXI_CERTIFIED = [11, 11, 11, 11.5, 12, 12]  # sum 68.5; uncertified 27
NANHUAXI_STAFFING = [
    Staff("协议要求配备社工人数", 16),
    Staff("平均配备社工人数", 16),
    Staff("持证社工人数", 12),
    Staff("从业两年以上社工人数", 10),
    Staff("持续在岗社工人数", 11),
    Staff("继续教育要求时数（小时）", 576),
    Staff("继续教育完成时数（小时）", 498),
    Staff("督导时数（小时）", 24),
]

# 素社街 (invented): annexes in two files; rates as plain numbers (51.29 meaning 51.29%).
# The 服务人次 小计 is DELIBERATELY 100 too high (true sum 2145, written 2245) so that a
# reader's consistency check has something to find. No other sample has a wrong total.
SUSHE_INDICATORS = [
    Ind("兜底服务", "电话访问", "个", 2400, 1311),
    Ind("兜底服务", "入户探访", "个", 960, 402),
    Ind("个案服务", "专业个案接案", "个", 50, 26),
    Ind("个案服务", "个案服务节数", "节", 300, 171),
    Ind("个案服务", "个案结案", "个", 40, 15),
    Ind("小组服务", "小组", "个", 20, 9),
    Ind("小组服务", "小组节数", "节", 120, 52),
    Ind("小组服务", "小组服务人次", "人次", 900, 497),
    Ind("社区活动", "大型社区活动", "次", 6, 3),
    Ind("社区活动", "大型社区活动服务人次", "人次", 600, 905),
    Ind("社区活动", "中小型社区活动", "次", 36, 19),
    Ind("社区活动", "中小型社区活动服务人次", "人次", 900, 1240),
    Subtotal("社区活动", "小计", "次", ("大型社区活动", "中小型社区活动")),
    Subtotal(
        "社区活动", "小计", "人次", ("大型社区活动服务人次", "中小型社区活动服务人次"), error=100
    ),
    Ind("志愿服务", "新登记志愿者", "名", 160, 38, remark="春节期间招募暂停"),
    Ind("志愿服务", "培育志愿者骨干", "名", 24, 13),
    Ind("志愿服务", "发展志愿者队伍", "支", 2, 0),
]
SUSHE_MONTHS = ["2024年10月", "2024年11月", "2024年12月", "2025年1月", "2025年2月", "2025年3月"]
SUSHE_ACTUAL = [15, 15, 14, 14.5, 15, 15]  # sum 88.5 (expected 15 x 6 = 90)
SUSHE_CERTIFIED = [10, 10, 9.5, 9.5, 10, 10.5]  # sum 59.5; uncertified 29
SUSHE_STAFFING = [
    Staff("协议配备社工人数", 15),
    Staff("平均在岗社工人数", 14.75),
    Staff("持证社工人数", 10),
    Staff("从业两年以上社工人数", 9),
    Staff("持续在岗社工人数", 12),
    Staff("继续教育应完成时数（小时）", 540),
    Staff("继续教育已完成时数（小时）", 312.5),
    Staff("督导时数（小时）", 36),
]

# 江海街 (invented): 2023—2024 naming (one 社区活动), cut-off on a leap day, person-level annex 2.
JIANGHAI_INDICATORS = [
    Ind("基础服务", "电话访问", "个", 4000, 2210),
    Ind("基础服务", "入户探访", "个", 1400, 655),
    Ind("个案服务", "个案接案", "个", 40, 21),
    Ind("个案服务", "个案服务节数", "节", 240, 98),
    Ind("个案服务", "个案结案", "个", 30, 9),
    Ind("小组服务", "小组", "个", 20, 10),
    Ind("小组服务", "小组节数", "节", 120, 61),
    Ind("小组服务", "小组服务人次", "人次", 720, 540),
    Ind("社区活动", "社区活动", "次", 60, 34),
    Ind("社区活动", "社区活动服务人次", "人次", 1500, 2890),
    Ind("志愿服务", "新登记志愿者", "名", 180, 95),
    Ind("志愿服务", "培育志愿者骨干", "名", 36, 20),
    Ind("志愿服务", "发展志愿者队伍", "支", 3, 1),
]
JIANGHAI_MONTHS = ["2023年9月", "2023年10月", "2023年11月", "2023年12月", "2024年1月", "2024年2月"]
JIANGHAI_PEOPLE = [
    Person("张某某", True, [1, 1, 1, 1, 1, 1], "站长"),
    Person("李某某", True, [1, 1, 1, 1, 1, 1], ""),
    Person("王某某", True, [1, 1, 1, 1, 1, 1], ""),
    Person("陈某某", True, [1, 1, 1, 1, 1, 1], ""),
    Person("刘某某", True, [1, 1, 1, 1, 1, 1], ""),
    Person("黄某某", True, [1, 1, 1, 1, 1, 1], ""),
    Person("何某某", True, [1, 1, 1, 1, 1, 1], ""),
    Person("林某某", True, [1, 1, 1, 1, 0.5, 0], "2024年1月15日离职"),
    Person("周某某", True, [1, 1, 1, 1, 1, 1], ""),
    Person("吴某某", False, [1, 1, 1, 1, 1, 1], ""),
    Person("郑某某", False, [1, 1, 1, 1, 1, 1], ""),
    Person("梁某某", False, [1, 1, 1, 1, 1, 1], ""),
    Person("谢某某", False, [1, 1, 0.5, 0, 0, 0], "2023年11月15日离职"),
    Person("罗某某", False, [0, 0, 0.5, 1, 1, 1], "2023年11月16日入职"),
    Person("冯某某", True, [0, 0, 0, 0, 0, 1], "2024年2月1日入职"),
    Person("邓某某", False, [1, 1, 1, 1, 1, 1], ""),
]
JIANGHAI_STAFFING = [
    Staff("协议要求配备社工人数", 14),
    Staff("平均配备社工人数", 13.92),
    Staff("持证社工人数", 9),
    Staff("从业两年以上社工人数", 8),
    Staff("持续在岗社工人数", 12),
    Staff("继续教育要求时数（小时）", 504),
    Staff("继续教育完成时数（小时）", 356),
    Staff("督导时数（小时）", 30),
]

# 琶洲街 (invented): everything is text, exactly as written into the cells: thousands
# separators, some full-width digits, units inside the names, no 单位 column, and a mid-term
# target (= half the annual one) between completed and annual target.
# (section, name, completed, mid-term target, annual target, rate)
PAZHOU_INDICATORS = [
    ("一、兜底服务", "电话访问（个）", "2,731", "2,500", "5,000", "54.62%"),
    ("一、兜底服务", "入户探访（个）", "804", "900", "1,800", "44.67%"),
    ("二、个案服务", "专业个案接案（个）", "31", "35", "70", "44.29%"),
    ("二、个案服务", "个案服务节数（节）", "233", "210", "420", "55.48%"),
    ("二、个案服务", "个案结案（个）", "１２", "25", "50", "24.00%"),
    ("三、小组服务", "小组（个）", "１５", "15", "30", "50.00%"),
    ("三、小组服务", "小组节数（节）", "84", "90", "180", "46.67%"),
    ("三、小组服务", "小组服务人次（人次）", "1,032", "750", "1,500", "68.80%"),
    ("四、社区活动", "大型社区活动（次）", "６", "5", "10", "60.00%"),
    ("四、社区活动", "大型社区活动服务人次（人次）", "2,016", "600", "1,200", "168.00%"),
    ("四、社区活动", "中小型社区活动（次）", "33", "30", "60", "55.00%"),
    ("四、社区活动", "中小型社区活动服务人次（人次）", "1,406", "900", "1,800", "78.11%"),
    ("五、志愿服务", "新登记志愿者（名）", "117", "100", "200", "58.50%"),
    ("五、志愿服务", "培育志愿者骨干（名）", "13", "20", "40", "32.50%"),
    ("五、志愿服务", "发展志愿者队伍（支）", "２", "2", "3", "66.67%"),
]
# (month, expected, actual, certified expected, certified actual, uncertified actual), as text
PAZHOU_ATTENDANCE = [
    ("2024年6月", "20", "19.5", "10", "14", "5.5"),
    ("2024年7月", "20", "20", "10", "14", "６"),
    ("2024年8月", "20", "20", "10", "14.5", "5.5"),
    ("2024年9月", "２０", "21", "10", "15", "6"),
    ("2024年10月", "20", "21", "10", "15", "6"),
    ("2024年11月", "20", "20.5", "10", "15", "5.5"),
]
PAZHOU_ATTENDANCE_TOTAL = ("合计", "120", "122", "60", "87.5", "34.5")
PAZHOU_STAFFING = [
    Staff("合同配备社工人数", "２０"),
    Staff("平均在岗社工人数", "20.33"),
    Staff("持证社工人数", "15"),
    Staff("从业两年以上社工人数", "13"),
    Staff("持续在岗社工人数", "17"),
    Staff("继续教育应完成学时", "720"),
    Staff("继续教育已完成学时", "402.5"),
    Staff("督导时数", "42"),
]

# 滨江街 (invented): final (末期) figures, written with xlsxwriter; rates are formulas.
BINJIANG_INDICATORS = [
    Ind("兜底服务", "电话访问", "个", 3600, 3712),
    Ind("兜底服务", "入户探访", "个", 1200, 1236),
    Ind("个案服务", "专业个案接案", "个", 50, 50),
    Ind("个案服务", "个案服务节数", "节", 300, 318),
    Ind("个案服务", "个案结案", "个", 40, 33, remark="7个个案转入下一服务年度跟进"),
    Ind("小组服务", "小组", "个", 24, 24),
    Ind("小组服务", "小组节数", "节", 144, 150),
    Ind("小组服务", "小组服务人次", "人次", 1200, 1587),
    Ind("社区活动", "大型社区活动", "次", 10, 10),
    Ind("社区活动", "大型社区活动服务人次", "人次", 1000, 2860),
    Ind("社区活动", "中小型社区活动", "次", 48, 51),
    Ind("社区活动", "中小型社区活动服务人次", "人次", 1200, 2311),
    Ind("志愿服务", "新登记志愿者", "名", 180, 118, remark="志愿服务系统注册延迟"),
    Ind("志愿服务", "培育志愿者骨干", "名", 30, 30),
    Ind("志愿服务", "发展志愿者队伍", "支", 2, 2),
]
BINJIANG_MONTHS = [
    "2024年3月",
    "2024年4月",
    "2024年5月",
    "2024年6月",
    "2024年7月",
    "2024年8月",
    "2024年9月",
    "2024年10月",
    "2024年11月",
    "2024年12月",
    "2025年1月",
    "2025年2月",
]
BINJIANG_ACTUAL = [17, 17, 16.5, 17, 17, 17, 17, 16, 16.5, 17, 17, 17]  # sum 202 (expected 204)
BINJIANG_CERTIFIED = [12, 12, 12, 12, 12.5, 12.5, 12.5, 12, 12, 12.5, 13, 13]  # sum 148
BINJIANG_STAFFING = [
    Staff("协议要求配备社工人数", 17),
    Staff("平均配备社工人数", 16.83),
    Staff("持证社工人数", 13),
    Staff("从业两年以上社工人数", 12),
    Staff("持续在岗社工人数", 14),
    Staff("继续教育要求时数（小时）", 612),
    Staff("继续教育完成时数（小时）", 688),
    Staff("督导时数（小时）", 60),
]

NOTE_SOURCE = "以上数据由社工站提供"
NOTE_RATE = "注：完成率=完成量/协议指标量"


def title(street: str, annex: str, quotes: str = "“”") -> str:
    """The official annex title; `quotes` is "“”" or '""' (stations use both)."""
    what = {"1": "指标完成情况统计表", "2": "社工到岗情况统计表"}[annex]
    return f"广州市{street}{quotes[0]}双百工程{quotes[1]}社工站购买服务项目{what}"


# ---------------------------------------------------------------------------------------------
# A library-neutral sheet: cells, merges, widths. Layout functions build these; the three
# writers at the bottom render them with openpyxl, xlsxwriter or xlwt.
# ---------------------------------------------------------------------------------------------

# Style names used by the layouts; every writer maps each one to its own formats.
#   title   big bold centred          meta    plain, left, wrapped (lines above the table)
#   header  bold, centred, grey, box  section bold, left, box (section rows inside a table)
#   cell    centred, box              name    left, box, wrapped
#   pct     0.00%, centred, box       text    "@" (stored as text), centred, box
#   total   bold, centred, box        note    smaller, left, wrapped, no box
#   loose   plain, left, not wrapped: a line typed into column A that spills over to the right
BOXED = {"header", "section", "cell", "name", "pct", "text", "total"}
WRAPPED = {"title", "meta", "header", "name", "note"}
FONT_SIZE = {"title": 16, "note": 10}  # points; everything else is 11


@dataclass(frozen=True)
class Formula:
    """A formula cell and the value Excel would show (xlsxwriter stores it as the cached result)."""

    text: str
    cached: float


@dataclass
class Sheet:
    name: str
    font: str = "宋体"
    widths: list[float] = field(default_factory=list)
    cells: dict[tuple[int, int], tuple[object, str]] = field(default_factory=dict)
    merges: list[tuple[int, int, int, int]] = field(default_factory=list)
    heights: dict[int, float] = field(default_factory=dict)

    def put(self, row: int, col: int, value: object, style: str = "cell") -> None:
        self.cells[(row, col)] = (value, style)

    def merge(self, r1: int, c1: int, r2: int, c2: int, value: object, style: str) -> None:
        """Merge r1..r2 x c1..c2 (0-based, inclusive); covered cells get the style for borders."""
        for r in range(r1, r2 + 1):
            for c in range(c1, c2 + 1):
                self.put(r, c, None, style)
        self.put(r1, c1, value, style)
        if (r1, c1) != (r2, c2):
            self.merges.append((r1, c1, r2, c2))

    def row(self, row: int, values: list[object], style: str = "cell", first_col: int = 0) -> None:
        for i, value in enumerate(values):
            self.put(row, first_col + i, value, style)


def a1(row: int, col: int) -> str:
    return f"{get_column_letter(col + 1)}{row + 1}"


def fit_row_heights(sheet: Sheet) -> None:
    """Give rows holding wrapped text enough height. Excel and LibreOffice do not auto-fit rows
    that hold merged cells, so without this long notes and titles would be cut off."""
    spans = {(r1, c1): (r2, c2) for r1, c1, r2, c2 in sheet.merges}
    for (r, c), (value, style) in sheet.cells.items():
        if style not in WRAPPED or not isinstance(value, str) or not value:
            continue
        r2, c2 = spans.get((r, c), (r, c))
        if r2 != r:
            continue  # vertically merged: the rows it spans are tall enough
        size = FONT_SIZE.get(style, 11)
        available = sum(sheet.widths[c : c2 + 1])
        # Column width is counted in digits of an 11-point font; a CJK glyph takes about two.
        needed = sum(2.0 if unicodedata.east_asian_width(ch) in "WF" else 1.1 for ch in value)
        lines = math.ceil(needed * size / 11 / available)
        height = lines * size * 1.35 + 4
        if lines > 1 or r in sheet.heights:
            sheet.heights[r] = max(sheet.heights.get(r, 0), height)


def rate_of(ind: Ind) -> float:
    if isinstance(ind.rate, float):
        return ind.rate
    return round(ind.completed / ind.target, 4)


def expand_subtotals(rows: list[Ind | Subtotal]) -> list[tuple[Ind, bool]]:
    """Turn Subtotal entries into Ind rows (flagged True) with the sums they claim."""
    by_name = {r.name: r for r in rows if isinstance(r, Ind)}
    out = []
    for r in rows:
        if isinstance(r, Ind):
            out.append((r, False))
            continue
        target = sum(by_name[n].target for n in r.covers)
        done = sum(by_name[n].completed for n in r.covers) + r.error
        out.append(
            (
                Ind(r.category, r.label, r.unit, target, done, round(done / target, 4), r.remark),
                True,
            )
        )
    return out


# ---------------------------------------------------------------------------------------------
# Layouts
# ---------------------------------------------------------------------------------------------

ANNEX1_COLUMNS = ("category", "name", "unit", "target", "done", "rate", "remark")
# The most common header names; stations override some of them with synonyms from DOMAIN.md.
ANNEX1_HEADERS = {
    "category": "服务类别",
    "name": "指标名称",
    "unit": "单位",
    "target": "协议指标量",
    "group": "完成情况",  # merged over the completed and rate columns
    "done": "完成量",
    "rate": "完成率",
    "remark": "备注",
}
ANNEX2_HEADERS = {
    "month": "月份",
    "total": "社工总人数",
    "cert": "持证社工",
    "uncert": "非持证社工",
    "expected": "应到",
    "actual": "实到",
    "remark": "备注",
}


@dataclass(frozen=True)
class Annex1Style:
    """How one station lays out 附件1 with the common two-row merged header."""

    headers: dict[str, str]  # keys: ANNEX1_COLUMNS + "group" (the merged 完成情况 cell)
    rate: str  # "fraction" (0.5129, 0.00%), "text" ('51.29%'), "number" (51.29), "formula"
    meta: list[list[tuple[int, int, str]]]  # rows of (first col, last col, text)
    notes: list[str]
    blank_before_header: bool = True
    widths: tuple[float, ...] = (12, 26, 7, 12, 11, 11, 30)


def annex1_two_row_header(
    name: str, heading: str, rows: list[Ind | Subtotal], style: Annex1Style, font: str = "宋体"
) -> Sheet:
    """Title, meta lines, a two-row merged header, categories merged down, notes below."""
    sh = Sheet(name, font=font, widths=list(style.widths))
    last = len(ANNEX1_COLUMNS) - 1
    sh.merge(0, 0, 0, last, heading, "title")
    sh.heights[0] = 32
    r = 1
    for line in style.meta:
        for c1, c2, text in line:
            sh.merge(r, c1, r, c2, text, "meta")
        r += 1
    if style.blank_before_header:
        r += 1
    h = style.headers
    for col, key in enumerate(ANNEX1_COLUMNS):
        if key in ("done", "rate"):
            sh.put(r + 1, col, h[key], "header")
        else:
            sh.merge(r, col, r + 1, col, h[key], "header")
    sh.merge(r, 4, r, 5, h["group"], "header")
    r += 2

    expanded = expand_subtotals(rows)
    first_data = r
    for ind, is_total in expanded:
        body = "total" if is_total else "cell"
        sh.put(r, 1, ind.name, "total" if is_total else "name")
        sh.put(r, 2, ind.unit, body)
        sh.put(r, 3, ind.target, body)
        sh.put(r, 4, ind.completed, body)
        sh.put(r, 5, *rate_cell(ind, r, style.rate, is_total))
        sh.put(r, 6, ind.remark, "name")
        r += 1
    # Category cells merged over their consecutive rows.
    start = first_data
    for i in range(1, len(expanded) + 1):
        if i == len(expanded) or expanded[i][0].category != expanded[i - 1][0].category:
            sh.merge(start, 0, first_data + i - 1, 0, expanded[i - 1][0].category, "cell")
            start = first_data + i

    r += 1  # blank row before the notes
    for note in style.notes:
        sh.merge(r, 0, r, last, note, "note")
        r += 1
    return sh


def rate_cell(ind: Ind, row: int, how: str, bold: bool) -> tuple[object, str]:
    if how == "text" and isinstance(ind.rate, str):
        return ind.rate, "total" if bold else "cell"
    rate = rate_of(ind)
    if how == "fraction":
        return rate, "pct"
    if how == "text":
        return f"{rate * 100:.2f}%", "total" if bold else "cell"
    if how == "number":
        return round(rate * 100, 2), "total" if bold else "cell"
    if how == "formula":
        return Formula(f"={a1(row, 4)}/{a1(row, 3)}", ind.completed / ind.target), "pct"
    raise ValueError(how)


@dataclass(frozen=True)
class Annex2Style:
    """How one station lays out the monthly 附件2 with the two-row merged header."""

    headers: dict[str, str]  # month, total, cert, uncert, expected, actual, remark
    meta: list[list[tuple[int, int, str]]]
    notes: list[str]
    staffing_title: str = "社工配备及继续教育情况"
    formulas: bool = False  # 非持证 = 实到 - 持证实到, 合计 = SUM(...)
    widths: tuple[float, ...] = (14, 11, 11, 11, 11, 12, 30)


def annex2_monthly(
    name: str,
    heading: str,
    months: list[str],
    contract_staff: int,
    actual: list[float],
    certified: list[float],
    staffing: list[Staff],
    style: Annex2Style,
    remarks: dict[int, str] | None = None,
    font: str = "宋体",
) -> Sheet:
    """Month rows with 应到/实到 for all, certified and uncertified, a 合计 row, then the
    staffing block as label/value pairs (label merged over A:C, value in D)."""
    sh = Sheet(name, font=font, widths=list(style.widths))
    sh.merge(0, 0, 0, 6, heading, "title")
    sh.heights[0] = 32
    r = 1
    for line in style.meta:
        for c1, c2, text in line:
            sh.merge(r, c1, r, c2, text, "meta")
        r += 1
    r += 1
    h = style.headers
    sh.merge(r, 0, r + 1, 0, h["month"], "header")
    sh.merge(r, 1, r, 2, h["total"], "header")
    sh.merge(r, 3, r, 4, h["cert"], "header")
    sh.put(r, 5, h["uncert"], "header")
    sh.merge(r, 6, r + 1, 6, h["remark"], "header")
    sh.row(
        r + 1,
        [h["expected"], h["actual"], h["expected"], h["actual"], h["actual"]],
        "header",
        first_col=1,
    )
    r += 2

    first = r
    remarks = remarks or {}
    for i, month in enumerate(months):
        uncert = actual[i] - certified[i]
        if style.formulas:
            uncert = Formula(f"={a1(r, 2)}-{a1(r, 4)}", uncert)
        sh.row(
            r,
            [
                month,
                contract_staff,
                actual[i],
                contract_staff / 2,
                certified[i],
                uncert,
                remarks.get(i, ""),
            ],
        )
        r += 1
    columns = [
        [contract_staff] * len(months),
        actual,
        [contract_staff / 2] * len(months),
        certified,
        [a - c for a, c in zip(actual, certified, strict=True)],
    ]
    sh.put(r, 0, "合计", "total")
    for col, values in enumerate(columns, start=1):
        total = sum(values)
        if style.formulas:
            total = Formula(f"=SUM({a1(first, col)}:{a1(r - 1, col)})", total)
        sh.put(r, col, total, "total")
    sh.put(r, 6, "", "total")
    r += 2

    r = staffing_block(sh, r, style.staffing_title, staffing, label_cols=(0, 2), value_col=3)
    r += 1
    for note in style.notes:
        sh.merge(r, 0, r, 6, note, "note")
        r += 1
    return sh


def staffing_block(
    sh: Sheet,
    r: int,
    heading: str,
    staffing: list[Staff],
    label_cols: tuple[int, int],
    value_col: int,
) -> int:
    """Label/value rows under the attendance table; returns the next free row."""
    if heading:
        sh.merge(r, label_cols[0], r, value_col, heading, "section")
        r += 1
    text_values = any(isinstance(s.value, str) for s in staffing)
    for item in staffing:
        sh.merge(r, label_cols[0], r, label_cols[1], item.label, "name")
        sh.put(r, value_col, item.value, "text" if text_values else "cell")
        r += 1
    return r


def annex2_per_person(
    name: str,
    heading: str,
    months: list[str],
    people: list[Person],
    staffing: list[Staff],
    meta: list[list[tuple[int, int, str]]],
    notes: list[str],
) -> Sheet:
    """One row per social worker: 序号 | 姓名 | 是否持证 | one column per month | 备注,
    a 合计 row and a 其中持证 row, then the staffing block."""
    n = len(months)
    last = 3 + n
    sh = Sheet(name, widths=[6, 10, 10] + [11.5] * n + [22])
    sh.merge(0, 0, 0, last, heading, "title")
    sh.heights[0] = 32
    r = 1
    for line in meta:
        for c1, c2, text in line:
            sh.merge(r, c1, r, c2, text, "meta")
        r += 1
    r += 1
    sh.merge(r, 0, r + 1, 0, "序号", "header")
    sh.merge(r, 1, r + 1, 1, "姓名", "header")
    sh.merge(r, 2, r + 1, 2, "是否持证", "header")
    sh.merge(r, 3, r, 2 + n, "到岗情况（1=全月到岗，0.5=半月到岗，0=未到岗）", "header")
    sh.row(r + 1, months, "header", first_col=3)
    sh.merge(r, last, r + 1, last, "备注", "header")
    sh.heights[r] = 22
    r += 2

    for i, person in enumerate(people, start=1):
        sh.row(r, [i, person.name, "是" if person.certified else "否", *person.months])
        sh.put(r, last, person.remark, "name")
        r += 1
    totals = [sum(p.months[m] for p in people) for m in range(n)]
    cert_totals = [sum(p.months[m] for p in people if p.certified) for m in range(n)]
    sh.merge(r, 0, r, 2, "合计", "total")
    sh.row(r, totals, "total", first_col=3)
    sh.put(r, last, "", "total")
    sh.merge(r + 1, 0, r + 1, 2, "其中：持证社工", "total")
    sh.row(r + 1, cert_totals, "total", first_col=3)
    sh.put(r + 1, last, "", "total")
    r += 3

    r = staffing_block(sh, r, "人员配备情况", staffing, label_cols=(0, 2), value_col=3)
    r += 1
    for note in notes:
        sh.merge(r, 0, r, last, note, "note")
        r += 1
    return sh


def pazhou_annex1() -> Sheet:
    """Single-row header, no 单位 column (units in the names), completed before the targets,
    a 中期指标 column in between, section rows instead of a category column, all text."""
    sh = Sheet("Sheet1", font="等线", widths=[6, 34, 11, 11, 11, 11, 22])
    sh.merge(
        0,
        0,
        0,
        6,
        '广州市海珠区琶洲街"双百工程"社工站服务指标完成情况统计表（2024年11月）',
        "title",
    )
    sh.heights[0] = 30
    sh.put(1, 0, "承办机构：广州市海珠区启航社会工作服务中心", "loose")
    sh.put(2, 0, "合同期：2024.06.01-2025.05.31", "loose")
    sh.put(3, 0, "数据统计期：2024.06.01-2024.11.30", "loose")
    r = 5
    sh.row(
        r, ["序号", "服务指标", "累计完成", "中期指标", "全年指标", "完成进度", "备注"], "header"
    )
    r += 1
    section = None
    for i, (sec, name, done, mid, annual, rate) in enumerate(PAZHOU_INDICATORS, start=1):
        if sec != section:
            sh.merge(r, 0, r, 6, sec, "section")
            section = sec
            r += 1
        sh.row(r, [name, done, mid, annual, rate], "text", first_col=1)
        sh.put(r, 0, i, "cell")
        sh.put(r, 1, name, "name")
        sh.put(r, 6, "", "name")
        r += 1
    r += 1
    for note in [
        "注：中期指标按全年指标的50%计；完成进度=累计完成/全年指标。",
        NOTE_SOURCE,
        "填表人：周某某          审核人：吴某某          日期：2024年12月3日",
    ]:
        sh.put(r, 0, note, "loose")
        r += 1
    return sh


def pazhou_annex2() -> Sheet:
    """Flattened single-row attendance header, numbers as text, staffing label in A, value in B."""
    sh = Sheet("Sheet2", font="等线", widths=[26, 12, 12, 12, 12, 13, 16])
    sh.merge(0, 0, 0, 6, '广州市海珠区琶洲街"双百工程"社工站社工到岗情况统计表', "title")
    sh.heights[0] = 30
    sh.put(1, 0, "数据统计期：2024.06.01-2024.11.30", "loose")
    r = 3
    sh.row(
        r,
        [
            "月份",
            "应到社工（人）",
            "实到社工（人）",
            "持证社工应到",
            "持证社工实到",
            "非持证社工实到",
            "备注",
        ],
        "header",
    )
    sh.heights[r] = 30
    r += 1
    for line in PAZHOU_ATTENDANCE:
        sh.row(r, [*line, ""], "text")
        r += 1
    sh.row(r, [*PAZHOU_ATTENDANCE_TOTAL, ""], "total")
    r += 2
    staffing_block(sh, r, "", PAZHOU_STAFFING, label_cols=(0, 0), value_col=1)
    return sh


# ---------------------------------------------------------------------------------------------
# Stations: one function per sample, building its sheets and choosing its writer.
# ---------------------------------------------------------------------------------------------

SIGNATURE = "填表人：{}          审核人：{}          填表日期：{}"


def ruibao() -> None:
    annex1 = annex1_two_row_header(
        "附件1",
        title("瑞宝街", "1"),
        RUIBAO_INDICATORS,
        Annex1Style(
            headers=ANNEX1_HEADERS,
            rate="fraction",
            meta=[
                [(0, 6, "承办机构：广州市心明爱社会工作服务中心")],
                [(0, 6, "项目周期：2023年6月15日至2024年6月14日")],
                [(0, 6, "统计时间：2023年6月15日至2023年12月31日")],
            ],
            notes=[NOTE_SOURCE, SIGNATURE.format("陈某某", "黄某某", "2024年1月8日"), NOTE_RATE],
        ),
    )
    annex2 = annex2_monthly(
        "附件2",
        title("瑞宝街", "2"),
        RUIBAO_MONTHS,
        20,
        RUIBAO_ACTUAL,
        RUIBAO_CERTIFIED,
        RUIBAO_STAFFING,
        Annex2Style(
            headers=ANNEX2_HEADERS,
            meta=[[(0, 6, "统计时间：2023年6月15日至2023年12月31日")]],
            notes=[NOTE_SOURCE, "注：单位为人次；半月到岗按0.5计。"],
        ),
        remarks={0: "6月15日起计"},
    )
    save_openpyxl([annex1, annex2], "瑞宝街_2023-2024_中期.xlsx")


def guanzhou() -> None:
    annex1 = annex1_two_row_header(
        "指标完成情况",
        title("官洲街", "1"),
        GUANZHOU_INDICATORS,
        Annex1Style(
            headers=ANNEX1_HEADERS | {"name": "服务指标", "done": "已完成"},
            rate="text",
            # operator on the left and cut-off on the right of the same line
            meta=[
                [
                    (0, 3, "承办机构：广州市越秀区穗青社会工作服务中心"),
                    (4, 6, "截至2024年12月31日"),
                ],
                [(0, 6, "合同期：2024年6月9日至2025年6月8日")],
            ],
            notes=[
                NOTE_SOURCE,
                GUANZHOU_OPERATOR_NOTE,
                SIGNATURE.format("梁某某", "何某某", "2025年1月6日"),
                NOTE_RATE,
            ],
        ),
    )
    annex2 = annex2_monthly(
        "到岗情况",
        title("官洲街", "2"),
        GUANZHOU_MONTHS,
        18,
        GUANZHOU_ACTUAL,
        GUANZHOU_CERTIFIED,
        GUANZHOU_STAFFING,
        Annex2Style(
            headers=ANNEX2_HEADERS | {"expected": "应到岗", "actual": "实到岗"},
            meta=[[(0, 6, "截至2024年12月31日")]],
            staffing_title="人员配置及继续教育",
            notes=[NOTE_SOURCE, GUANZHOU_OPERATOR_NOTE + "到岗情况自2024年7月起统计。"],
        ),
        remarks={0: "7月9日起新承办机构接手"},
    )
    save_openpyxl([annex1, annex2], "官洲街_2024-2025_中期.xlsx")


def nanhuaxi() -> None:
    annex1 = annex1_two_row_header(
        "附件1",
        title("南华西街", "1", '""'),
        NANHUAXI_INDICATORS,
        Annex1Style(
            headers=ANNEX1_HEADERS
            | {
                "category": "服务领域",
                "name": "服务指标",
                "target": "全年指标",
                "done": "累计完成",
                "rate": "完成进度",
            },
            rate="fraction",
            meta=[
                [(0, 6, "承办机构：广州市海珠区南华社会工作服务中心")],
                [
                    (0, 2, "项目周期：2024年7月1日—2025年6月30日"),
                    (3, 6, "统计截止日期：2024年12月31日"),
                ],
            ],
            notes=[
                NOTE_SOURCE,
                SIGNATURE.format("林某某", "郑某某", "2025年1月3日"),
                "注：完成进度=累计完成/全年指标",
            ],
        ),
    )
    annex2 = annex2_monthly(
        "附件2",
        title("南华西街", "2", '""'),
        NANHUAXI_MONTHS,
        16,
        NANHUAXI_ACTUAL,
        NANHUAXI_CERTIFIED,
        NANHUAXI_STAFFING,
        Annex2Style(
            headers=ANNEX2_HEADERS | {"total": "社工人数"},
            meta=[[(0, 6, "统计月份：2024年7月—12月")]],
            notes=[NOTE_SOURCE],
        ),
        remarks={2: "1名社工9月中旬离职，10月补员"},
    )
    save_xlwt([annex1, annex2], "南华西街社工站2024-2025年度指标完成情况.xls")


def sushe() -> None:
    period = "统计期间：2024年10月1日至2025年3月31日"
    annex1 = annex1_two_row_header(
        "指标完成情况统计表",
        title("海珠区素社街", "1"),
        SUSHE_INDICATORS,
        Annex1Style(
            headers=ANNEX1_HEADERS
            | {
                "category": "服务领域",
                "name": "服务内容",
                "target": "年度指标",
                "done": "实际完成",
                "rate": "完成比例（%）",
            },
            rate="number",
            meta=[
                [(0, 6, "承办机构：广州市海珠区素心社会工作服务中心")],
                [(0, 6, "合同期限：2024年10月1日至2025年9月30日")],
                [(0, 6, period)],
            ],
            notes=[
                NOTE_SOURCE,
                SIGNATURE.format("谢某某", "罗某某", "2025年4月7日"),
                "注：完成比例=实际完成/年度指标×100",
            ],
        ),
    )
    annex2 = annex2_monthly(
        "到岗情况",
        title("海珠区素社街", "2"),
        SUSHE_MONTHS,
        15,
        SUSHE_ACTUAL,
        SUSHE_CERTIFIED,
        SUSHE_STAFFING,
        Annex2Style(
            headers=ANNEX2_HEADERS,
            meta=[[(0, 6, "承办机构：广州市海珠区素心社会工作服务中心")], [(0, 6, period)]],
            notes=[NOTE_SOURCE, "注：协议配备15人，持证社工应到按协议人数的一半计。"],
        ),
        remarks={2: "1名社工请长假", 3: "1名社工1月中旬入职"},
    )
    save_openpyxl([annex1], "素社街社工站_2024-2025_中期_附件1.xlsx")
    save_openpyxl([annex2], "素社街社工站_2024-2025_中期_附件2.xlsx")


def jianghai() -> None:
    annex1 = annex1_two_row_header(
        "附件1",
        "附件1：" + title("江海街", "1"),
        JIANGHAI_INDICATORS,
        Annex1Style(
            headers=ANNEX1_HEADERS
            | {"category": "项目", "name": "指标", "target": "合同指标", "done": "实际完成"},
            rate="fraction",
            meta=[[(0, 6, "服务周期：2023年9月1日至2024年8月31日")], [(0, 6, "截至2024年2月29日")]],
            notes=[NOTE_SOURCE, SIGNATURE.format("张某某", "李某某", "2024年3月5日"), NOTE_RATE],
        ),
        font="仿宋",
    )
    annex2 = annex2_per_person(
        "附件2",
        "附件2：" + title("江海街", "2"),
        JIANGHAI_MONTHS,
        JIANGHAI_PEOPLE,
        JIANGHAI_STAFFING,
        meta=[[(0, 8, "统计时间：2023年9月1日至2024年2月29日")]],
        notes=[NOTE_SOURCE, "注：表内人员姓名已作脱敏处理。"],
    )
    save_openpyxl([annex1, annex2], "江海街_2023-2024_中期（到岗明细）.xlsx")


def pazhou() -> None:
    save_openpyxl([pazhou_annex1(), pazhou_annex2()], "琶洲街社工站2024年11月报表.xlsx")


def binjiang() -> None:
    cutoff = "统计截止日期：2025年2月28日"
    annex1 = annex1_two_row_header(
        "附件1",
        title("滨江街", "1"),
        BINJIANG_INDICATORS,
        Annex1Style(
            headers=ANNEX1_HEADERS | {"target": "全年指标"},
            rate="formula",
            # one meta line and no blank row, so the header sits on rows 3-4 and data starts on
            # row 5 (first rate formula =E5/D5)
            meta=[
                [
                    (0, 2, "承办机构：广州市海珠区滨江社会工作服务中心"),
                    (3, 4, "合同期：2024年3月1日至2025年2月28日"),
                    (5, 6, cutoff),
                ]
            ],
            notes=[
                NOTE_SOURCE,
                SIGNATURE.format("冯某某", "邓某某", "2025年3月10日"),
                "注：完成率=完成量/全年指标（末期）",
            ],
            blank_before_header=False,
        ),
        font="微软雅黑",
    )
    annex2 = annex2_monthly(
        "附件2",
        title("滨江街", "2"),
        BINJIANG_MONTHS,
        17,
        BINJIANG_ACTUAL,
        BINJIANG_CERTIFIED,
        BINJIANG_STAFFING,
        Annex2Style(
            headers=ANNEX2_HEADERS,
            meta=[[(0, 6, cutoff)]],
            formulas=True,
            notes=[NOTE_SOURCE],
        ),
        remarks={7: "1名社工10月离职，11月中旬补员"},
        font="微软雅黑",
    )
    save_xlsxwriter([annex1, annex2], "滨江街社工站2024-2025年度末期指标完成情况.xlsx")


# ---------------------------------------------------------------------------------------------
# Writers
# ---------------------------------------------------------------------------------------------


def cells_in_merges(sheet: Sheet) -> set[tuple[int, int]]:
    """Cells covered by a merge other than its top-left one (written by the merge itself)."""
    covered = set()
    for r1, c1, r2, c2 in sheet.merges:
        covered.update((r, c) for r in range(r1, r2 + 1) for c in range(c1, c2 + 1))
        covered.discard((r1, c1))
    return covered


def save_openpyxl(sheets: list[Sheet], filename: str) -> None:
    wb = openpyxl.Workbook()
    wb.remove(wb.active)
    thin = Side(style="thin")
    box = Border(left=thin, right=thin, top=thin, bottom=thin)
    for sheet in sheets:
        fit_row_heights(sheet)
        ws = wb.create_sheet(sheet.name)
        f = sheet.font
        looks = {
            "title": (
                Font(name="黑体", size=16, bold=True),
                Alignment("center", "center", wrap_text=True),
            ),
            "meta": (Font(name=f, size=11), Alignment("left", "center", wrap_text=True)),
            "loose": (Font(name=f, size=11), Alignment("left", "center")),
            "header": (
                Font(name=f, size=11, bold=True),
                Alignment("center", "center", wrap_text=True),
            ),
            "section": (Font(name=f, size=11, bold=True), Alignment("left", "center")),
            "cell": (Font(name=f, size=11), Alignment("center", "center")),
            "name": (Font(name=f, size=11), Alignment("left", "center", wrap_text=True)),
            "pct": (Font(name=f, size=11), Alignment("center", "center")),
            "text": (Font(name=f, size=11), Alignment("center", "center")),
            "total": (Font(name=f, size=11, bold=True), Alignment("center", "center")),
            "note": (Font(name=f, size=10), Alignment("left", "center", wrap_text=True)),
        }
        grey = PatternFill("solid", fgColor="D9D9D9")
        for (r, c), (value, style) in sorted(sheet.cells.items()):
            cell = ws.cell(r + 1, c + 1)
            if value is not None and value != "":
                cell.value = value.text if isinstance(value, Formula) else value
            cell.font, cell.alignment = looks[style]
            if style in BOXED:
                cell.border = box
            if style == "header":
                cell.fill = grey
            if style == "pct":
                cell.number_format = "0.00%"
            if style == "text":
                cell.number_format = "@"
        for r1, c1, r2, c2 in sheet.merges:
            ws.merge_cells(start_row=r1 + 1, start_column=c1 + 1, end_row=r2 + 1, end_column=c2 + 1)
        # print on landscape A4, one page wide, as the annexes are printed for the evaluators
        ws.page_setup.orientation = "landscape"
        ws.page_setup.paperSize = ws.PAPERSIZE_A4
        ws.page_setup.fitToWidth, ws.page_setup.fitToHeight = 1, 0
        ws.sheet_properties.pageSetUpPr.fitToPage = True
        ws.print_options.horizontalCentered = True
        for c, width in enumerate(sheet.widths):
            ws.column_dimensions[get_column_letter(c + 1)].width = width
        for r, height in sheet.heights.items():
            ws.row_dimensions[r + 1].height = height
    path = OUT_DIR / filename
    wb.save(path)
    pin_openpyxl_metadata(path)


def pin_openpyxl_metadata(path: Path) -> None:
    """openpyxl stamps docProps/core.xml and every zip entry with the current time; rewrite
    them with PINNED_TIME so that rerunning the script does not change the files."""
    with zipfile.ZipFile(path) as zin:
        entries = [(info.filename, zin.read(info)) for info in zin.infolist()]
    stamp = PINNED_TIME.strftime("%Y-%m-%dT%H:%M:%SZ").encode()
    with zipfile.ZipFile(path, "w", zipfile.ZIP_DEFLATED) as zout:
        for filename, data in entries:
            if filename == "docProps/core.xml":
                data = re.sub(
                    rb"(<dcterms:(?:created|modified)[^>]*>)[^<]*", rb"\g<1>" + stamp, data
                )
            zout.writestr(
                zipfile.ZipInfo(filename, (1980, 1, 1, 0, 0, 0)),
                data,
                compress_type=zipfile.ZIP_DEFLATED,
            )


def save_xlsxwriter(sheets: list[Sheet], filename: str) -> None:
    wb = xlsxwriter.Workbook(str(OUT_DIR / filename))
    wb.set_properties({"created": PINNED_TIME, "author": "社工站"})
    for sheet in sheets:
        fit_row_heights(sheet)
        ws = wb.add_worksheet(sheet.name)
        base = {"font_name": sheet.font, "font_size": 11, "valign": "vcenter"}
        box = {"border": 1}
        looks = {
            "title": {
                **base,
                "font_name": "黑体",
                "font_size": 16,
                "bold": True,
                "align": "center",
                "text_wrap": True,
            },
            "meta": {**base, "align": "left", "text_wrap": True},
            "loose": {**base, "align": "left"},
            "header": {
                **base,
                **box,
                "bold": True,
                "align": "center",
                "text_wrap": True,
                "bg_color": "#D9D9D9",
            },
            "section": {**base, **box, "bold": True, "align": "left"},
            "cell": {**base, **box, "align": "center"},
            "name": {**base, **box, "align": "left", "text_wrap": True},
            "pct": {**base, **box, "align": "center", "num_format": "0.00%"},
            "text": {**base, **box, "align": "center", "num_format": "@"},
            "total": {**base, **box, "bold": True, "align": "center"},
            "note": {**base, "font_size": 10, "align": "left", "text_wrap": True},
        }
        fmt = {name: wb.add_format(props) for name, props in looks.items()}
        covered = cells_in_merges(sheet)
        tops = {(r1, c1): (r2, c2) for r1, c1, r2, c2 in sheet.merges}
        for (r, c), (value, style) in sorted(sheet.cells.items()):
            if (r, c) in covered:
                continue
            if (r, c) in tops:
                r2, c2 = tops[(r, c)]
                ws.merge_range(r, c, r2, c2, "" if value is None else value, fmt[style])
            elif isinstance(value, Formula):
                ws.write_formula(r, c, value.text, fmt[style], value.cached)
            elif value is None or value == "":
                ws.write_blank(r, c, None, fmt[style])
            else:
                ws.write(r, c, value, fmt[style])
        ws.set_landscape()
        ws.set_paper(9)  # A4
        ws.fit_to_pages(1, 0)
        ws.center_horizontally()
        for c, width in enumerate(sheet.widths):
            ws.set_column(c, c, width)
        for r, height in sheet.heights.items():
            ws.set_row(r, height)
    wb.close()


def save_xlwt(sheets: list[Sheet], filename: str) -> None:
    wb = xlwt.Workbook(encoding="utf-8")
    for sheet in sheets:
        fit_row_heights(sheet)
        ws = wb.add_sheet(sheet.name)
        font = f"font: name {sheet.font}, height 220"
        box = "borders: left thin, right thin, top thin, bottom thin"
        centre = "align: horiz center, vert center, wrap on"
        left = "align: horiz left, vert center, wrap on"
        looks = {
            "title": xlwt.easyxf(
                "font: name 黑体, height 320, bold on; align: horiz center, vert center, wrap on"
            ),
            "meta": xlwt.easyxf(f"{font}; {left}"),
            "loose": xlwt.easyxf(f"{font}; align: horiz left, vert center"),
            "header": xlwt.easyxf(
                f"{font}, bold on; {box}; {centre}; pattern: pattern solid, fore_colour gray25"
            ),
            "section": xlwt.easyxf(f"{font}, bold on; {box}; {left}"),
            "cell": xlwt.easyxf(f"{font}; {box}; {centre}"),
            "name": xlwt.easyxf(f"{font}; {box}; {left}"),
            "pct": xlwt.easyxf(f"{font}; {box}; {centre}", num_format_str="0.00%"),
            "text": xlwt.easyxf(f"{font}; {box}; {centre}", num_format_str="@"),
            "total": xlwt.easyxf(f"{font}, bold on; {box}; {centre}"),
            "note": xlwt.easyxf(f"font: name {sheet.font}, height 200; {left}"),
        }
        covered = cells_in_merges(sheet)
        tops = {(r1, c1): (r2, c2) for r1, c1, r2, c2 in sheet.merges}
        for (r, c), (value, style) in sorted(sheet.cells.items()):
            if (r, c) in covered:
                continue
            if isinstance(value, Formula):
                raise NotImplementedError("formula cells are only written with xlsxwriter")
            value = "" if value is None else value
            if (r, c) in tops:
                r2, c2 = tops[(r, c)]
                ws.write_merge(r, r2, c, c2, value, looks[style])
            else:
                ws.write(r, c, value, looks[style])
        ws.portrait = False
        ws.paper_size_code = 9  # A4
        ws.fit_num_pages, ws.fit_width_to_pages, ws.fit_height_to_pages = 1, 1, 0
        for c, width in enumerate(sheet.widths):
            ws.col(c).width = int(256 * width)
        for r, height in sheet.heights.items():
            ws.row(r).height_mismatch = True
            ws.row(r).height = int(20 * height)
    wb.save(str(OUT_DIR / filename))


SAMPLES = [ruibao, guanzhou, nanhuaxi, sushe, jianghai, pazhou, binjiang]


def main() -> None:
    for make in SAMPLES:
        make()
    for path in sorted(OUT_DIR.glob("*.xls*")):
        print(path.name)


if __name__ == "__main__":
    main()
