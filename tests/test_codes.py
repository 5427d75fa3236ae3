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
    # and the code each message words (`corrupt.part-damaged` words `corrupt`)
    for key, files in used_keys().items():
        head = key.split(".", 1)[0]
        if head not in INTERFACE:
            found.setdefault(head, set()).update(files)
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

    from xlcompare.messages import Message

    cfb = {biff._foreign_cfb(Ole(*streams)).code
           for streams in (("WordDocument",), ("PowerPoint Document",), ())}
    return {Message(key).code for _, key, _ in sniff._FOREIGN} | cfb | set(KIND_CODES.values())


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
    from xlcompare.messages import is_key

    constants = string_constants()
    # a code is used as itself, or as the head of a message key that words it
    used = constants | {key.split(".", 1)[0] for key in [*used_keys(), *constants]
                        if is_key(key)}
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
            assert all(f.startswith(("readers/", "files/workbook.py", "files/cells.py",
                                     "files/extent.py"))
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
    lines = result.output.splitlines()
    # the problem's line starts with its level and code; its cell may wrap onto the next
    # line, after a long temporary path
    n = next(n for n, x in enumerate(lines) if "rate-mismatch" in x)
    assert lines[n].lstrip().startswith("警告 [rate-mismatch]："), lines[n]
    assert "F8" in " ".join(lines[n:n + 2])


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
    assert [(r["单元格"], r["级别"], r["代码"]) for r in data] == [("F8", "警告",
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


# ------------------------------------------------------------------------ the catalogue

# what a key may be besides a code and a case of one: texts of the interface
INTERFACE = {"text", "where", "notice", "level", "cli", "help", "metavar", "note", "reason",
             "sheet", "batch", "history", "setting", "fact", "ui"}
# texts that only arrange their arguments (no words of either language)
FORMAT_ONLY = {"text", "where", "notice", "metavar.lang", "cli.station-at", "ui.problem",
               "note.labelled", "note.bracketed", "note.detail"}
FIELD = re.compile(r"\{(\w+)")
CJK = re.compile(r"[\u4e00-\u9fff\u3000-\u303f\uff00-\uffef]")


def used_keys() -> dict[str, set[str]]:
    """key → the files naming it: the first argument of Message(…) and say(…), and the help,
    short_help and metavar of the command's options (catalogue keys rendered when shown)."""
    from xlcompare.messages import is_key

    found: dict[str, set[str]] = {}
    for name, tree in _trees().items():
        for node in ast.walk(tree):
            if not isinstance(node, ast.Call):
                continue
            func = node.func
            called = func.id if isinstance(func, ast.Name) else getattr(func, "attr", "")
            values: list[ast.expr] = []
            if called in ("Message", "say") and node.args:
                values.append(node.args[0])
            values += [k.value for k in node.keywords
                       if k.arg in ("help", "short_help", "metavar")]
            for value in values:
                text = value.value if isinstance(value, ast.Constant) else None
                if isinstance(text, str) and (called in ("Message", "say") or is_key(text)
                                              or "." in text):
                    found.setdefault(text, set()).add(name)
    return found


def test_every_key_the_package_says_is_in_the_catalogue() -> None:
    from xlcompare.messages import is_key

    used = used_keys()
    assert len(used) > 50
    assert {k: sorted(f) for k, f in used.items() if not is_key(k)} == {}


def test_every_catalogue_text_is_used() -> None:
    from xlcompare.catalogue import TEXTS

    used = string_constants()
    assert [key for key in TEXTS if key not in used] == []


def test_catalogue_keys_are_codes_or_texts_of_the_interface() -> None:
    from xlcompare.catalogue import TEXTS

    for key in TEXTS:
        head = key.split(".", 1)[0]
        assert head in ALL_CODES or head in INTERFACE, key


def test_both_languages_of_each_text_name_the_same_arguments() -> None:
    from xlcompare.catalogue import TEXTS

    for key, (zh, en) in {**ALL_CODES, **TEXTS}.items():
        assert set(FIELD.findall(zh)) == set(FIELD.findall(en)), key
        if key in FORMAT_ONLY:
            continue
        assert CJK.search(FIELD.sub("", zh)), f"{key}: no Chinese in {zh!r}"
        assert re.search(r"[A-Za-z]", FIELD.sub("", en)), f"{key}: no English in {en!r}"


def test_every_code_renders_in_both_languages() -> None:
    from xlcompare.messages import Message

    for code in ALL_CODES:
        zh, en = Message(code).text("zh"), Message(code).text("en")
        assert CJK.search(zh) and zh != en, code

