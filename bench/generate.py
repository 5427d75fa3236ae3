"""Generate N realistic station workbooks for one month, for the benchmark and the batch tests.

Each workbook is a two-annex station report in the shape stations send (merged title,
operator / contract / cut-off lines, a two-row merged header, categories merged down, notes,
附件2 per month with a 合计 row and the staffing lines), about 12 KB and ~300 cells. Figures are
deterministic in (station, month) and grow month by month, so two months make a trend.
Most files are .xlsx written with xlsxwriter; every 10th is a legacy .xls (xlwt); every 10th
(offset 5) sends 附件1 and 附件2 as separate files.

    python bench/generate.py OUT_FOLDER --stations 200 --cutoff 2024-12-31
"""

from __future__ import annotations

import argparse
import random
from datetime import date
from pathlib import Path

CHARS = "东南西北中新华兴和平安康宁福寿昌盛永乐江海山湖桥岭园林泉石金玉明德仁义光荣龙凤云虹"
CONTRACT_START = date(2024, 6, 1)
CONTRACT_END = date(2025, 5, 31)

# category, name, unit, typical annual target
INDICATORS = [
    ("基础服务", "电话访问", "个", 3000), ("基础服务", "入户探访", "个", 1200),
    ("个案服务", "专业个案接案", "个", 60), ("个案服务", "个案服务节数", "节", 360),
    ("个案服务", "个案结案", "个", 45),
    ("小组服务", "小组", "个", 24), ("小组服务", "小组节数", "节", 144),
    ("小组服务", "小组服务人次", "人次", 1200),
    ("社区活动", "大型社区活动", "次", 10), ("社区活动", "大型社区活动服务人次", "人次", 1000),
    ("社区活动", "中小型社区活动", "次", 48), ("社区活动", "中小型社区活动服务人次", "人次", 1200),
    ("志愿服务", "新登记志愿者", "名", 180), ("志愿服务", "培育志愿者骨干", "名", 30),
    ("志愿服务", "发展志愿者队伍", "支", 2),
]


def station_name(n: int) -> str:
    """A distinct plausible street name for station n (three characters + 街)."""
    k = len(CHARS)
    name = CHARS[n % k] + CHARS[(n // k) % k] + CHARS[(n // (k * k)) % k]
    if n >= k ** 3:  # past 68,921 stations a fourth character keeps every name distinct
        name += CHARS[(n // k ** 3) % k]
    return name + "街"


def _months(cutoff: date) -> list[tuple[int, int]]:
    out, (y, m) = [], (CONTRACT_START.year, CONTRACT_START.month)
    while (y, m) <= (cutoff.year, cutoff.month):
        out.append((y, m))
        y, m = (y + 1, 1) if m == 12 else (y, m + 1)
    return out


def station_figures(n: int, cutoff: date) -> dict:
    """Targets, completed and attendance for station n at `cutoff` (deterministic)."""
    rng = random.Random(n)
    pace = {name: rng.uniform(0.45, 1.6) for _, name, _, _ in INDICATORS}  # per indicator
    scale = rng.choice([0.8, 1.0, 1.2])
    elapsed = ((cutoff - CONTRACT_START).days + 1) / ((CONTRACT_END - CONTRACT_START).days + 1)
    rows = []
    for category, name, unit, target in INDICATORS:
        t = max(1, round(target * scale))
        done = round(t * min(3.5, elapsed * pace[name]))
        rows.append((category, name, unit, t, done))
    staff = rng.choice([15, 16, 18, 20])
    months = []
    for y, m in _months(cutoff):
        rng_m = random.Random(n * 1000 + y * 12 + m)
        actual = staff + rng_m.choice([-1, -0.5, 0, 0, 0.5, 1])
        certified = round(staff * 0.7) + rng_m.choice([-0.5, 0, 0.5])
        months.append((y, m, staff, actual, staff / 2, certified, actual - certified))
    return {"station": station_name(n), "rows": rows, "months": months, "staff": staff,
            "operator": f"广州市{station_name(n)[:-1]}社会工作服务中心"}


def _title(station: str, annex: str) -> str:
    what = "指标完成情况统计表" if annex == "1" else "社工到岗情况统计表"
    return f"附件{annex}：广州市{station}“双百工程”社工站购买服务项目{what}"


def _lines(data: dict, cutoff: date) -> list[str]:
    return [
        f"承办机构：{data['operator']}",
        f"项目周期：{CONTRACT_START:%Y年%-m月%-d日}至{CONTRACT_END:%Y年%-m月%-d日}",
        f"统计时间：{CONTRACT_START:%Y年%-m月%-d日}至{cutoff:%Y年%-m月%-d日}",
    ]


def _write_xlsx(path: Path, data: dict, cutoff: date, annexes: str) -> None:
    import xlsxwriter

    book = xlsxwriter.Workbook(str(path))
    title = book.add_format({"bold": True, "align": "center", "font_size": 14})
    head = book.add_format({"bold": True, "align": "center", "valign": "vcenter", "border": 1})
    cell = book.add_format({"border": 1})
    pct = book.add_format({"border": 1, "num_format": "0.00%"})
    if "1" in annexes:
        sheet = book.add_worksheet("附件1")
        sheet.merge_range(0, 0, 0, 6, _title(data["station"], "1"), title)
        for r, line in enumerate(_lines(data, cutoff), start=1):
            sheet.merge_range(r, 0, r, 6, line)
        for col, label in enumerate(["服务类别", "指标名称", "单位", "协议指标量"]):
            sheet.merge_range(5, col, 6, col, label, head)
        sheet.merge_range(5, 4, 5, 5, "完成情况", head)
        sheet.write(6, 4, "完成量", head)
        sheet.write(6, 5, "完成率", head)
        sheet.merge_range(5, 6, 6, 6, "备注", head)
        row, start, current = 7, 7, None
        for category, name, unit, target, done in data["rows"]:
            if category != current:
                if current is not None and row - 1 > start:
                    sheet.merge_range(start, 0, row - 1, 0, current, cell)
                elif current is not None:
                    sheet.write(start, 0, current, cell)
                start, current = row, category
            sheet.write(row, 1, name, cell)
            sheet.write(row, 2, unit, cell)
            sheet.write(row, 3, target, cell)
            sheet.write(row, 4, done, cell)
            sheet.write(row, 5, round(done / target, 4), pct)
            sheet.write(row, 6, "", cell)
            row += 1
        if row - 1 > start:
            sheet.merge_range(start, 0, row - 1, 0, current, cell)
        sheet.merge_range(row + 1, 0, row + 1, 6, "以上数据由社工站提供")
        sheet.merge_range(row + 2, 0, row + 2, 6, "注：完成率=完成量/协议指标量")
        sheet.set_column(0, 0, 10)
        sheet.set_column(1, 1, 22)
    if "2" in annexes:
        _annex2_xlsx(book, data, cutoff, head, cell)
    book.close()


def _annex2_xlsx(book, data: dict, cutoff: date, head, cell) -> None:
    sheet = book.add_worksheet("附件2")
    sheet.merge_range(0, 0, 0, 5, _title(data["station"], "2"))
    sheet.merge_range(1, 0, 1, 5, _lines(data, cutoff)[2])
    sheet.merge_range(3, 0, 4, 0, "月份", head)
    sheet.merge_range(3, 1, 3, 2, "社工总人数", head)
    sheet.merge_range(3, 3, 3, 4, "持证社工", head)
    sheet.write(3, 5, "非持证社工", head)
    for col, label in enumerate(["应到", "实到", "应到", "实到", "实到"], start=1):
        sheet.write(4, col, label, head)
    row = 5
    for y, m, *figures in data["months"]:
        sheet.write(row, 0, f"{y}年{m}月", cell)
        for col, value in enumerate(figures, start=1):
            sheet.write(row, col, value, cell)
        row += 1
    sheet.write(row, 0, "合计", cell)
    for col in range(1, 6):
        sheet.write(row, col, sum(month[col + 1] for month in data["months"]), cell)
    sheet.write(row + 2, 0, "协议要求配备社工人数")
    sheet.write(row + 2, 3, data["staff"])


def _write_xls(path: Path, data: dict, cutoff: date) -> None:
    import xlwt

    book = xlwt.Workbook(encoding="utf-8")
    sheet = book.add_sheet("附件1")
    sheet.write_merge(0, 0, 0, 6, _title(data["station"], "1"))
    for r, line in enumerate(_lines(data, cutoff), start=1):
        sheet.write_merge(r, r, 0, 6, line)
    for col, label in enumerate(["服务类别", "指标名称", "单位", "协议指标量"]):
        sheet.write_merge(5, 6, col, col, label)
    sheet.write_merge(5, 5, 4, 5, "完成情况")
    sheet.write(6, 4, "完成量")
    sheet.write(6, 5, "完成率")
    sheet.write_merge(5, 6, 6, 6, "备注")
    for row, (category, name, unit, target, done) in enumerate(data["rows"], start=7):
        for col, value in enumerate([category, name, unit, target, done,
                                     f"{done / target:.2%}"]):
            sheet.write(row, col, value)
    months = book.add_sheet("附件2")
    months.write_merge(0, 0, 0, 5, _title(data["station"], "2"))
    months.write_merge(3, 4, 0, 0, "月份")
    months.write_merge(3, 3, 1, 2, "社工总人数")
    months.write_merge(3, 3, 3, 4, "持证社工")
    months.write(3, 5, "非持证社工")
    for col, label in enumerate(["应到", "实到", "应到", "实到", "实到"], start=1):
        months.write(4, col, label)
    for row, (y, m, *figures) in enumerate(data["months"], start=5):
        months.write(row, 0, f"{y}年{m}月")
        for col, value in enumerate(figures, start=1):
            months.write(row, col, value)
    book.save(str(path))


def generate(folder: str | Path, stations: int, cutoff: date, first: int = 0) -> list[Path]:
    """Write the workbooks of stations first … first+stations-1 for `cutoff`; return the paths."""
    out = Path(folder)
    out.mkdir(parents=True, exist_ok=True)
    written = []
    tag = f"{cutoff:%Y-%m}"
    for n in range(first, first + stations):
        data = station_figures(n, cutoff)
        stem = f"{data['station']}社工站{tag}报表"
        if n % 10 == 9:
            path = out / f"{stem}.xls"
            _write_xls(path, data, cutoff)
            written.append(path)
        elif n % 10 == 5:
            for annex in "12":
                path = out / f"{stem}_附件{annex}.xlsx"
                _write_xlsx(path, data, cutoff, annex)
                written.append(path)
        else:
            path = out / f"{stem}.xlsx"
            _write_xlsx(path, data, cutoff, "12")
            written.append(path)
    return written


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("folder")
    parser.add_argument("--stations", type=int, default=20)
    parser.add_argument("--cutoff", default="2024-12-31")
    parser.add_argument("--first", type=int, default=0, help="number of the first station")
    args = parser.parse_args()
    paths = generate(args.folder, args.stations, date.fromisoformat(args.cutoff), args.first)
    print(f"wrote {len(paths)} files to {args.folder}")


if __name__ == "__main__":
    main()
