"""A district's own layout, in `xlcompare-layout.toml` beside the workbooks (or `--layout
FILE`), adds header synonyms, meta labels and row kinds without code — as the taxonomy file
adds names. A synonym that clashes with another is refused when the file is loaded, with
one line; a malformed file likewise.

The workbook here heads its name column `服务事项`, a header no synonym knows: without the
file it is refused (`no-annex-table`), with it every figure reads.
"""

from __future__ import annotations

from pathlib import Path

import builders as b
import openpyxl
import pytest
from builders import INDICATORS, Grid
from harness import cli

from xlcompare import read_station
from xlcompare.errors import ConfigError, LayoutError
from xlcompare.readers.layout import layout_for, load_layout

SYNONYM = """\
# 本区的表头写法 (our district's headers)
[[annex1.columns]]
role = "name"
names = ["服务事项"]
"""


def unknown_header_workbook(path: Path, name_header: str = "服务事项") -> Path:
    """The canonical 附件1 (single header row) with its name column headed `name_header`,
    as an .xls."""
    g = Grid("附件1")
    g.add(b.TITLE_ANNEX1, span=5)
    g.add(b.LINE_OPERATOR, span=5)
    g.add(b.LINE_CONTRACT, span=5)
    g.add(b.LINE_PERIOD, span=5)
    g.add(name_header, "单位", "协议指标量", "完成量", "完成率")
    for ind in INDICATORS:
        g.add(ind.name, ind.unit, ind.target, ind.completed, b.Pct(ind.stated_rate))
    return b.write_xlwt(path, [g])


@pytest.fixture
def drop(tmp_path: Path) -> Path:
    folder = tmp_path / "月报"
    folder.mkdir()
    unknown_header_workbook(folder / "素社街_2024年12月.xls")
    return folder


def _figures(report: object) -> list[tuple[float | None, float | None]]:
    return [(r.target, r.completed) for r in report.indicators]  # type: ignore[attr-defined]


def test_without_the_file_the_workbook_is_refused(drop: Path) -> None:
    with pytest.raises(LayoutError):
        read_station(drop / "素社街_2024年12月.xls")
    result = cli("inspect", drop / "素社街_2024年12月.xls")
    assert result.returncode == 2
    assert "no-annex-table" in result.stderr or "附件1" in result.stderr


def test_the_file_beside_the_workbooks_makes_it_readable_through_inspect(drop: Path) -> None:
    (drop / "xlcompare-layout.toml").write_text(SYNONYM, encoding="utf-8")
    report = read_station(drop / "素社街_2024年12月.xls",
                          layout=layout_for([drop / "素社街_2024年12月.xls"]))
    assert _figures(report) == [(i.target, i.completed) for i in INDICATORS]
    result = cli("inspect", "-v", drop / "素社街_2024年12月.xls")
    assert result.returncode == 0, result.stderr
    assert "A=指标名称(name)" in result.stdout
    assert "1,842" in result.stdout


def test_the_layout_option_names_a_file_anywhere(drop: Path, tmp_path: Path) -> None:
    mine = tmp_path / "本区版式.toml"
    mine.write_text(SYNONYM, encoding="utf-8")
    result = cli("inspect", "--json", "--layout", mine, drop / "素社街_2024年12月.xls")
    assert result.returncode == 0, result.stderr
    assert '"completed": 1842' in result.stdout


def test_batch_reads_it_once_the_file_is_there(drop: Path, tmp_path: Path) -> None:
    """The first batch records the file as 失败 (no-annex-table); once the layout file is put
    beside it, the next batch reads it again (the history's readings were made without it)
    and the station is in the summary."""
    summary = tmp_path / "汇总.xlsx"
    first = cli("batch", drop, "-o", summary, "-q")
    # its one workbook failed: no station, so no summary (exit 2), the file's reason said
    assert first.returncode == 2
    assert "no-annex-table" in first.stderr and not summary.exists()
    (drop / "xlcompare-layout.toml").write_text(SYNONYM, encoding="utf-8")
    second = cli("batch", drop, "-o", summary, "-q")
    assert second.returncode == 0, second.stderr
    assert "读取 1 个文件" in second.stdout
    overview = openpyxl.load_workbook(summary)["总览"]
    stations = [r[1] for r in overview.iter_rows(values_only=True) if r and r[1] == "素社街"]
    assert stations == ["素社街"]
    third = cli("batch", drop, "-o", summary, "-q")  # nothing changed since: up to date
    assert "已是最新" in third.stdout


def test_batch_takes_the_layout_option_too(drop: Path, tmp_path: Path) -> None:
    mine = tmp_path / "本区版式.toml"
    mine.write_text(SYNONYM, encoding="utf-8")
    done = cli("batch", drop, "-o", tmp_path / "汇总.xlsx", "-q", "--layout", mine,
               "--no-history")
    assert done.returncode == 0, done.stderr


def _files_sheet(summary: Path) -> str:
    sheet = openpyxl.load_workbook(summary)["文件"]
    return " ".join(str(v) for row in sheet.iter_rows(values_only=True) for v in row if v)


def test_a_synonym_in_traditional_characters_matches_either(tmp_path: Path) -> None:
    layout_file = tmp_path / "xlcompare-layout.toml"
    layout_file.write_text(SYNONYM.replace("服务事项", "服務事項"), encoding="utf-8")
    path = unknown_header_workbook(tmp_path / "素社街.xls")
    report = read_station(path, layout=layout_for([path]))
    assert len(report.indicators) == len(INDICATORS)


def test_meta_labels_and_row_kinds_without_code(tmp_path: Path) -> None:
    """`项目执行方：…` names the operator and `数据报送至：…` the cut-off once the file says
    so; a `全部汇总` row (a kind the district uses) is a total checked against the rows above
    it, never read as an indicator."""
    (tmp_path / "xlcompare-layout.toml").write_text("""\
[meta]
operator = ["项目执行方"]
cutoff = ["数据报送至"]

[rows]
subtotal = ["汇总$"]
""", encoding="utf-8")
    g = Grid("附件1")
    g.add(b.TITLE_ANNEX1, span=7)
    g.add(f"项目执行方：{b.OPERATOR}", span=7)
    g.add(b.LINE_CONTRACT, span=7)
    g.add("数据报送至：2024年12月31日", span=7)
    b.canonical_header(g)
    b.indicator_rows(g, b.CANONICAL_COLUMNS, b.plain_cell())
    g.add(None, "全部汇总", None, sum(i.target for i in INDICATORS),
          sum(i.completed for i in INDICATORS))
    path = b.write_openpyxl(tmp_path / "素社街.xlsx", [g])
    plain = read_station(path)
    assert plain.operator is None and plain.cutoff is None
    assert plain.indicators[-1].name == "全部汇总"  # read as one more indicator
    report = read_station(path, layout=layout_for([path]))
    assert report.operator == b.OPERATOR
    assert str(report.cutoff) == "2024-12-31"
    assert len(report.indicators) == len(INDICATORS)
    assert [p.code for p in report.problems] == []
    assert any("1/1 个合计行核对无误" in str(n) for n in report.notes)


@pytest.mark.parametrize(("text", "words"), [
    # 完成量 is the completed role's: as a target it would take every 完成量 header
    ('[[annex1.columns]]\nrole = "target"\nnames = ["完成量"]\n', ("完成量", "target")),
    # 年度指标完成 would be read as a target (年度指标), never as completed
    ('[[annex1.columns]]\nrole = "completed"\npatterns = ["^年度指标完成$"]\n',
     ("年度指标完成", "completed")),
    # one meta label in two lists
    ('[meta]\ncutoff = ["承办机构"]\n', ("承办机构", "cutoff")),
    # a row kind matching another's rows
    ('[rows]\nnote = ["^合计"]\n', ("合计", "note")),
])
def test_a_clash_is_refused_at_load_with_one_line(drop: Path, tmp_path: Path, text: str,
                                                  words: tuple[str, str]) -> None:
    layout_file = drop / "xlcompare-layout.toml"
    layout_file.write_text(text, encoding="utf-8")
    with pytest.raises(ConfigError) as caught:
        load_layout([layout_file])
    assert caught.value.code == "layout-clash"
    assert all(w in caught.value.text() for w in words)
    for command in (("inspect", drop / "素社街_2024年12月.xls"),
                    ("batch", drop, "-o", tmp_path / "汇总.xlsx", "-q")):
        result = cli(*command)
        assert result.returncode == 2, result.stdout + result.stderr
        lines = result.stderr.strip().splitlines()
        assert len(lines) == 1 and lines[0].endswith("[layout-clash]"), lines
        assert "xlcompare-layout.toml" in lines[0]
        assert "Traceback" not in result.stderr


@pytest.mark.parametrize(("text", "said"), [
    ('[[annex1.columns]]\nrole = "budget"\nnames = ["预算"]\n', "budget"),
    ("[limits]\nmax_file_mb = 1\n", "limits"),
    ('[[annex1.columns]]\nrole = "name"\npatterns = ["服务(事项"]\n', "服务(事项"),
    ("[[annex1.columns]\n", "TOML"),
])
def test_a_malformed_file_is_refused_with_one_line(drop: Path, text: str, said: str) -> None:
    (drop / "xlcompare-layout.toml").write_text(text, encoding="utf-8")
    result = cli("inspect", drop / "素社街_2024年12月.xls")
    assert result.returncode == 2
    lines = result.stderr.strip().splitlines()
    assert len(lines) == 1 and lines[0].endswith("[config-invalid]"), lines
    assert said in lines[0]


def test_the_packaged_layout_stays_as_it_was_without_a_file() -> None:
    assert load_layout() is load_layout(())
    assert load_layout().sources == ("layout.toml",)
