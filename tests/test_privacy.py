"""Per-person attendance sheets carry workers' names: every output aggregates them and copies
no name unless the user asks with --with-names."""

from __future__ import annotations

import zipfile
from pathlib import Path

import python_calamine
from harness import CliResult, cli

ROOT = Path(__file__).resolve().parents[1]
PEOPLE = ROOT / "sample_workbooks" / "江海街_2023-2024_中期（到岗明细）.xlsx"
OTHER = ROOT / "sample_workbooks" / "瑞宝街_2023-2024_中期.xlsx"


def _names() -> set[str]:
    rows = python_calamine.CalamineWorkbook.from_path(str(PEOPLE)).get_sheet_by_name("附件2").to_python()
    header = next(r for r in rows if "姓名" in r)
    col = header.index("姓名")
    names = {r[col] for r in rows[rows.index(header) + 1:] if isinstance(r[col], str) and r[col].endswith("某某")}
    assert len(names) >= 10  # the sample really is per person
    return names


def _cli(*args: str) -> CliResult:
    """`xlcompare ARGS...`, in this process (harness.cli)."""
    return cli(*args)


def _xlsx_text(path: Path) -> str:
    with zipfile.ZipFile(path) as archive:
        return "".join(archive.read(n).decode("utf-8", "replace") for n in archive.namelist())


def test_no_names_in_any_output_by_default(tmp_path: Path) -> None:
    names = _names()
    outputs = [
        _cli("inspect", str(PEOPLE)).stdout,
        _cli("inspect", "--json", str(PEOPLE)).stdout,
        _cli("diff", str(PEOPLE), str(OTHER), "-o", str(tmp_path / "diff.xlsx")).stdout,
        _xlsx_text(tmp_path / "diff.xlsx"),
    ]
    folder = tmp_path / "drop"
    folder.mkdir()
    (folder / PEOPLE.name).write_bytes(PEOPLE.read_bytes())
    _cli("batch", str(folder), "-o", str(tmp_path / "summary.xlsx"))
    outputs.append(_xlsx_text(tmp_path / "summary.xlsx"))
    outputs.append((folder / ".xlcompare" / "history.sqlite").read_bytes().decode("utf-8", "replace"))
    for text in outputs:
        assert not [n for n in names if n in text]


def test_names_only_when_asked() -> None:
    shown = _cli("inspect", "--with-names", str(PEOPLE)).stdout
    assert _names() <= set(n for n in _names() if n in shown)
    assert "人员明细" in shown


def test_a_name_typed_into_a_month_cell_is_not_quoted_without_names(tmp_path: Path) -> None:
    """A worker's name where a month's 1 / 0.5 / 0 belongs is a problem with its cell; its
    text is shown only with --with-names (before, every output and the history quoted it)."""
    import builders as b

    from xlcompare import read_station

    grid = b.person_grid()
    row = next(r for r in grid.rows if len(r) > 1 and r[1] == b.PEOPLE[0].name)
    row[4] = "陈大文"  # a name, typed into 2024年7月
    path = b.write_openpyxl(tmp_path / "到岗明细.xlsx", [b.canonical_annex1(), grid])
    quiet = [p for p in read_station(path).problems if p.code == "not-a-number"]
    assert len(quiet) == 1 and quiet[0].sheet == "附件2"
    assert "陈大文" not in str(quiet[0]) and "--with-names" in quiet[0].text()
    named = [p for p in read_station(path, with_names=True).problems
             if p.code == "not-a-number"]
    assert "陈大文" in named[0].text()
