"""Every Problem, refusal and error carries a stable code, and codes.py lists them all.

The catalogue and the source are checked against each other: a code the package passes
(`code="…"` in any call, a class's `default_code`, the tables that name codes for sniffed
formats, Office containers and refusal kinds) must be listed, and a listed code must be used
somewhere in the package. Then the outputs: the 问题 sheet, JSON and `inspect` show the code.
"""

from __future__ import annotations

import ast
import json
import re
from pathlib import Path

import builders as b
import pytest

import xlcompare
from xlcompare.codes import (
    ALL_CODES,
    ERROR_CODES,
    FILE_CODES,
    PROBLEM_CODES,
    QUALITY_CODES,
    REFUSAL_CODES,
)

PACKAGE = Path(xlcompare.__file__).resolve().parent
KEBAB = re.compile(r"^[a-z][a-z0-9]*(-[a-z0-9]+)*$")


def _trees() -> dict[str, ast.AST]:
    return {str(p.relative_to(PACKAGE)): ast.parse(p.read_text(encoding="utf-8"))
            for p in sorted(PACKAGE.rglob("*.py")) if p.name != "codes.py" or p.parent != PACKAGE}


def passed_codes() -> dict[str, set[str]]:
    """code → the files that pass it as `code="…"` or set it as a class's `default_code`."""
    found: dict[str, set[str]] = {}
    for name, tree in _trees().items():
        for node in ast.walk(tree):
            values: list[ast.expr] = []
            if isinstance(node, ast.Call):
                values = [k.value for k in node.keywords if k.arg == "code"]
            elif isinstance(node, ast.Assign) and any(
                    isinstance(t, ast.Name) and t.id == "default_code" for t in node.targets):
                values = [node.value]
            for value in values:
                if isinstance(value, ast.Constant) and isinstance(value.value, str):
                    found.setdefault(value.value, set()).add(name)
    return found


def tabled_codes() -> set[str]:
    """The codes named in tables rather than at a call: sniffed foreign formats, Office
    containers without a workbook, the usual code of each refusal kind."""
    from xlcompare.files import biff, sniff
    from xlcompare.files.refuse import KIND_CODES

    class Ole:
        def __init__(self, *streams: str) -> None:
            self.streams = streams

        def exists(self, name: str) -> bool:
            return name in self.streams

    cfb = {biff._foreign_cfb(Ole(*streams))[1]
           for streams in (("WordDocument",), ("PowerPoint Document",), ())}
    return {code for _, code, _ in sniff._FOREIGN} | cfb | set(KIND_CODES.values())


def string_constants() -> set[str]:
    return {node.value for tree in _trees().values() for node in ast.walk(tree)
            if isinstance(node, ast.Constant) and isinstance(node.value, str)}


def test_every_code_the_package_uses_is_in_the_catalogue() -> None:
    passed = passed_codes()
    assert len(passed) > 40  # the scan sees the calls (it would pass vacuously otherwise)
    unknown = {code: sorted(files) for code, files in passed.items() if code not in ALL_CODES}
    assert unknown == {}, "add these to xlcompare/codes.py"
    assert tabled_codes() - ALL_CODES.keys() == set()


def test_every_catalogue_code_is_used() -> None:
    used = string_constants()
    assert [code for code in ALL_CODES if code not in used] == []


def test_the_catalogue_is_kebab_case_with_two_descriptions() -> None:
    for code, (zh, en) in ALL_CODES.items():
        assert KEBAB.match(code), code
        assert re.search(r"[\u4e00-\u9fff]", zh), code  # a Chinese line
        assert re.match(r"[A-Za-z0-9]", en), code  # and an English one
    total = (len(PROBLEM_CODES) + len(REFUSAL_CODES) + len(ERROR_CODES) + len(FILE_CODES)
             + len(QUALITY_CODES))
    assert len(ALL_CODES) == total  # no code in two lists


def test_problem_codes_are_problem_codes_and_refusal_codes_refusals() -> None:
    """A problem code is never given to a refusal, nor a refusal code to a Problem."""
    passed = passed_codes()
    for code, files in passed.items():
        if code in PROBLEM_CODES:
            assert all(f.startswith(("readers/", "files/workbook.py", "files/cells.py"))
                       for f in files), (code, files)
    from xlcompare.files.refuse import KIND_CODES

    assert set(KIND_CODES.values()) <= REFUSAL_CODES.keys()


def test_a_problem_needs_its_code() -> None:
    from xlcompare.model import Problem

    with pytest.raises(TypeError):
        Problem("a.xlsx", "something odd")  # type: ignore[call-arg]
    problem = Problem("a.xlsx", "something odd", "附件1", "D7", "info", code="no-target")
    assert (problem.severity, problem.code) == ("info", "no-target")


# --------------------------------------------------------------------------------- outputs


@pytest.fixture
def rate_mismatch(tmp_path: Path) -> Path:
    """The canonical workbook with 入户探访 stating 64.25% while 651 ÷ 1200 = 54.25%."""
    (path,) = b.build_canonical(tmp_path, rates={"入户探访": 0.6425})
    return path


def test_json_carries_each_problems_code(rate_mismatch: Path) -> None:
    from xlcompare import read_station
    from xlcompare.writers.jsonout import report_to_dict

    data = report_to_dict(read_station(rate_mismatch))
    assert [(p["cell"], p["code"]) for p in data["problems"]] == [("F8", "rate-mismatch")]
    json.dumps(data, ensure_ascii=False)


def test_inspect_shows_the_code_beside_each_problem(rate_mismatch: Path) -> None:
    from click.testing import CliRunner

    from xlcompare.cli import main

    result = CliRunner().invoke(main, ["inspect", str(rate_mismatch)])
    assert result.exit_code == 0, result.output
    line = next(x for x in result.output.splitlines() if "F8" in x)
    assert line.lstrip().startswith("warning [rate-mismatch]: "), line


def test_the_problems_sheet_has_a_code_column(tmp_path: Path, rate_mismatch: Path) -> None:
    import openpyxl

    from xlcompare.batch import summarise
    from xlcompare.writers.summary_xlsx import write_summary

    result = summarise(rate_mismatch.parent, use_history=False)
    out = tmp_path / "summary.xlsx"
    write_summary(result, out)
    rows = list(openpyxl.load_workbook(out)["问题"].iter_rows(min_row=4, values_only=True))
    header, data = rows[0], [dict(zip(rows[0], r, strict=True)) for r in rows[1:]]
    assert header.index("代码") == header.index("级别") + 1
    assert [(r["单元格"], r["级别"], r["代码"]) for r in data] == [("F8", "warning",
                                                                   "rate-mismatch")]
    frames = result.frames()
    assert list(frames["问题"]["代码"]) == ["rate-mismatch"]


def test_the_diff_notes_list_problems_with_their_codes(tmp_path: Path,
                                                       rate_mismatch: Path) -> None:
    import openpyxl

    from xlcompare import read_station
    from xlcompare.comparison import compare
    from xlcompare.writers.diff_xlsx import write_diff

    report = read_station(rate_mismatch)
    out = tmp_path / "diff.xlsx"
    write_diff(compare(report, report.with_changes(station="另一站")), out)
    sheet = openpyxl.load_workbook(out)["说明"]
    rows = [r for r in sheet.iter_rows(values_only=True) if r and r[0] is not None]
    header = next(r for r in rows if r[:2] == ("站点", "问题"))
    assert header[5:7] == ("级别", "代码")
    listed = [r for r in rows[rows.index(header) + 1:]]
    assert [r[6] for r in listed] == ["rate-mismatch", "rate-mismatch"]
