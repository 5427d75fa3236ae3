"""The page's charts as plain shapes (bars, lines, labels) for the SVG template to draw:
drawn on the server, so no script draws them and no text from a workbook reaches the page
other than through the template's escaping. The same three pictures as the workbooks'
charts: statuses per station, rates of two reports side by side, and a station over time."""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import date

from xlcompare.comparison import Comparison
from xlcompare.summary import STATUS_ORDER, StationSummary, standings
from xlcompare.writers.excel import STATUS_COLOURS

__all__ = ["Chart", "compare_chart", "status_chart", "trend_chart"]

SIDE_COLOURS = ("#4472C4", "#ED7D31")  # A and B, as in the diff workbook's chart
LINE_COLOURS = ("#4472C4", "#ED7D31", "#A5A5A5", "#FFC000", "#5B9BD5", "#70AD47", "#264478",
                "#9E480E", "#636363", "#997300", "#255E91", "#43682B", "#698ED0")


@dataclass(frozen=True)
class Rect:
    x: float
    y: float
    w: float
    h: float
    fill: str
    stroke: str = "none"
    title: str = ""


@dataclass(frozen=True)
class Text:
    x: float
    y: float
    text: str
    anchor: str = "start"
    size: int = 12


@dataclass(frozen=True)
class Line:
    x1: float
    y1: float
    x2: float
    y2: float
    stroke: str = "#D9D9D9"
    dash: bool = False
    width: float = 1.0


@dataclass(frozen=True)
class Polyline:
    points: str
    stroke: str
    title: str = ""
    dash: bool = False


@dataclass
class Chart:
    width: int
    height: int
    label: str  # what the picture shows, for screen readers
    rects: list[Rect] = field(default_factory=list)
    texts: list[Text] = field(default_factory=list)
    lines: list[Line] = field(default_factory=list)
    polylines: list[Polyline] = field(default_factory=list)
    legend: list[tuple[str, str]] = field(default_factory=list)  # (colour, text)
    dashed_legend: list[tuple[str, str]] = field(default_factory=list)


def _fit(text: str, limit: int) -> str:
    return text if len(text) <= limit else text[:limit - 1] + "…"


def status_chart(summaries: tuple[StationSummary, ...], width: int = 900) -> Chart:
    """Stacked bars: how many indicators of each station are in each status (图表 sheet)."""
    ranked = standings(summaries)
    row, left, top = 24, 110, 10
    chart = Chart(width, top + row * len(ranked) + 40, "各站点指标状态分布")
    most = max((sum(s.counts) for s in ranked), default=1) or 1
    scale = (width - left - 40) / most
    for step in range(0, most + 1, max(1, most // 10)):
        x = left + step * scale
        chart.lines.append(Line(x, top, x, top + row * len(ranked)))
        chart.texts.append(Text(x, top + row * len(ranked) + 14, str(step), "middle", 10))
    for n, station in enumerate(ranked):
        y = top + n * row
        chart.texts.append(Text(left - 6, y + row / 2 + 4, _fit(station.name, 8), "end"))
        x = float(left)
        for status, count in zip(STATUS_ORDER, station.counts, strict=True):
            if count:
                bg, fg = STATUS_COLOURS[status]
                chart.rects.append(Rect(x, y + 3, count * scale, row - 6, bg, fg,
                                        f"{station.name} {status.value} {count}"))
                if count * scale > 14:
                    chart.texts.append(Text(x + count * scale / 2, y + row / 2 + 4, str(count),
                                            "middle", 11))
                x += count * scale
    chart.legend = [(STATUS_COLOURS[s][0], s.value) for s in STATUS_ORDER]
    return chart


def compare_chart(comparison: Comparison, labels: tuple[str, str], width: int = 1000) -> Chart:
    """Bars of each indicator's rate for A and B; each side's expected progress dashed."""
    rows = [r for r in comparison.rows
            if (r.judgement_a and r.judgement_a.rate is not None)
            or (r.judgement_b and r.judgement_b.rate is not None)]
    left, top, band, bottom = 130, 10, 30, 30
    chart = Chart(width, top + band * len(rows) + bottom + 10, "完成率对比")
    if not rows:
        return chart
    rates = [j.rate for r in rows for j in (r.judgement_a, r.judgement_b)
             if j is not None and j.rate is not None]
    peak = min(2.0, max(1.0, max(rates, default=1.0)))
    scale = (width - left - 60) / peak
    height = top + band * len(rows)
    for tenth in range(0, int(peak * 10) + 1, 2):
        x = left + tenth / 10 * scale
        chart.lines.append(Line(x, top, x, height))
        chart.texts.append(Text(x, height + 14, f"{tenth * 10}%", "middle", 10))
    for n, r in enumerate(rows):
        y = top + n * band
        chart.texts.append(Text(left - 6, y + band / 2 + 4, _fit(r.name, 10), "end"))
        for side, judgement in enumerate((r.judgement_a, r.judgement_b)):
            if judgement is None or judgement.rate is None:
                continue
            shown = min(judgement.rate, peak)
            chart.rects.append(Rect(left, y + 4 + side * 11, shown * scale, 10,
                                    SIDE_COLOURS[side], "none",
                                    f"{labels[side]} {r.name} {judgement.rate:.2%}"))
    for side, result in enumerate((comparison.a, comparison.b)):
        if result.progress is not None:
            x = left + min(result.progress.share, peak) * scale
            chart.lines.append(Line(x, top, x, height, SIDE_COLOURS[side], True, 2))
    chart.legend = [(SIDE_COLOURS[0], f"{labels[0]} 完成率"), (SIDE_COLOURS[1], f"{labels[1]} 完成率")]
    chart.dashed_legend = [(SIDE_COLOURS[0], f"{labels[0]} 按时间应完成"),
                           (SIDE_COLOURS[1], f"{labels[1]} 按时间应完成")]
    return chart


def trend_chart(points: list[tuple[date, dict[str, float | None]]], names: dict[str, str],
                expected: list[float | None], width: int = 900, height: int = 300) -> Chart:
    """Each indicator's rate at each cut-off (oldest first), with the expected progress
    dashed. `points` are (cut-off, indicator id → rate); `names` the ids to draw."""
    left, top, right, bottom = 50, 10, 170, 30
    chart = Chart(width, height, "各报表期完成率趋势")
    if len(points) < 2:
        return chart
    rates = [v for _, values in points for v in values.values() if v is not None]
    peak = min(2.0, max(1.0, max(rates, default=1.0)))
    inner_w, inner_h = width - left - right, height - top - bottom

    def at(n: int, rate: float) -> tuple[float, float]:
        return (left + n * inner_w / (len(points) - 1),
                top + inner_h - min(rate, peak) / peak * inner_h)

    for tenth in range(0, int(peak * 10) + 1, 2):
        y = top + inner_h - tenth / 10 / peak * inner_h
        chart.lines.append(Line(left, y, left + inner_w, y))
        chart.texts.append(Text(left - 6, y + 4, f"{tenth * 10}%", "end", 10))
    for n, (cutoff, _) in enumerate(points):
        x, _y = at(n, 0)
        chart.texts.append(Text(x, height - 10, cutoff.isoformat(), "middle", 10))
    for k, (key, name) in enumerate(names.items()):
        colour = LINE_COLOURS[k % len(LINE_COLOURS)]
        coords = [at(n, rate) for n, (_, values) in enumerate(points)
                  if (rate := values.get(key)) is not None]
        if len(coords) >= 2:
            chart.polylines.append(Polyline(" ".join(f"{x:.1f},{y:.1f}" for x, y in coords),
                                            colour, name))
            chart.legend.append((colour, name))
    line = [at(n, e) for n, e in enumerate(expected) if e is not None]
    if len(line) >= 2:
        chart.polylines.append(Polyline(" ".join(f"{x:.1f},{y:.1f}" for x, y in line),
                                        "#595959", "按时间应完成", True))
        chart.dashed_legend = [("#595959", "按时间应完成")]
    return chart

