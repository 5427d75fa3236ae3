"""Text from a workbook reaches the terminal as text (issue 15, item 3).

Before: an indicator named `[/x]` crashed `inspect`, `diff` and `batch` with rich's
MarkupError traceback; `[link=file:///etc/passwd]…` became a clickable terminal link;
`\\x1b]0;…\\x07` retitled the window and `\\x1b[2J` cleared it; a file name holding a newline
forged an `xlcompare: error:` line of its own. Now every command prints such text as typed,
control characters as their escapes (`\\x1b`), and one line stays one line.
"""

from __future__ import annotations

import json
import shutil
from pathlib import Path

import builders as b
import pytest
from harness import SAMPLES, cli

ESC = "\x1b"
TITLE = "\x1b]0;pwned\x07"  # an OSC sequence: sets the terminal window's title
CLEAR = "\x1b[2J"  # clears the screen
MARKUP = "[/x]"  # closes a tag rich never opened: MarkupError
LINK = "[link=file:///etc/passwd]点我[/link]"  # a clickable link to a local file
RTL = "\u202e"  # right-to-left override: text shown in another order than stored
INJECTED = {
    "电话访问": f"电话访问{MARKUP}",
    "入户探访": f"入户探访{LINK}",
    "个案接案": f"个案接案{CLEAR}",
    "小组个数": f"小组{RTL}个数",
    "新登记志愿者": f"新登记志愿者{TITLE}:warning:",
}


def _hostile_workbook(folder: Path) -> Path:
    """The canonical 素社街 workbook with markup, escape sequences and a bidi override in
    its indicator names and its operator line, under a file name holding ESC and newlines."""
    annex1, annex2 = b.canonical_annex1(), b.canonical_annex2()
    for row in annex1.rows:
        for c, value in enumerate(row):
            if isinstance(value, str) and value in INJECTED:
                row[c] = INJECTED[value]
            elif isinstance(value, str) and value.startswith("承办机构"):
                row[c] = f"{value}{TITLE}{LINK}"
    name = f"素社街{TITLE}\nxlcompare 错误：伪造的一行\n.xlsx"
    return b.write_xlsxwriter(folder / name, [annex1, annex2])


@pytest.fixture
def folder(tmp_path: Path) -> Path:
    drop = tmp_path / "drop"
    drop.mkdir()
    _hostile_workbook(drop)
    shutil.copy(SAMPLES / "瑞宝街_2023-2024_中期.xlsx", drop)
    return drop


def _hostile(folder: Path) -> Path:
    return next(p for p in folder.iterdir() if ESC in p.name)


def _clean(output: str) -> None:
    assert ESC not in output
    assert "\x07" not in output and RTL not in output
    assert "Traceback" not in output and "MarkupError" not in output


def test_inspect_shows_input_text_as_text(folder: Path) -> None:
    for args in ([], ["-v"]):
        result = cli("inspect", *args, _hostile(folder))
        assert result.returncode == 0, result.stderr
        _clean(result.stdout + result.stderr)
        assert MARKUP in result.stdout and LINK in result.stdout
        assert "\\x1b[2J" in result.stdout and "\\u202e" in result.stdout
        assert ":warning:" in result.stdout  # not turned into an emoji
        # the file name's newlines are shown as \n: no line of its own
        assert not any(line.startswith("xlcompare 错误：伪造")
                       for line in result.stdout.splitlines())


def test_inspect_json_keeps_the_text_as_data(folder: Path) -> None:
    result = cli("inspect", "--json", _hostile(folder))
    assert result.returncode == 0, result.stderr
    assert ESC not in result.stdout  # JSON writes control characters as \u001b
    (report,) = json.loads(result.stdout)
    names = {r["name"] for r in report["indicators"]}
    assert f"电话访问{MARKUP}" in names and f"个案接案{CLEAR}" in names


def test_diff_and_batch_print_it_as_text(folder: Path, tmp_path: Path) -> None:
    ruibao = folder / "瑞宝街_2023-2024_中期.xlsx"
    diff = cli("diff", ruibao, _hostile(folder), "-o", tmp_path / "diff.xlsx")
    assert diff.returncode == 0, diff.stderr
    _clean(diff.stdout + diff.stderr)
    assert MARKUP in diff.stdout

    batch = cli("batch", folder, "-o", tmp_path / "summary.xlsx", "--db", tmp_path / "h.sqlite")
    assert batch.returncode == 0, batch.stderr
    _clean(batch.stdout + batch.stderr)


def test_an_error_about_a_strange_file_name_is_one_line(tmp_path: Path) -> None:
    bad = tmp_path / f"坏{CLEAR}\nxlcompare 错误：伪造.xlsx"
    bad.write_bytes(b"not a workbook at all")
    result = cli("inspect", bad)
    assert result.returncode == 2
    _clean(result.stdout + result.stderr)
    lines = result.stderr.rstrip("\n").split("\n")
    assert len(lines) == 1 and lines[0].startswith("xlcompare 错误：")
    assert "\\x1b[2J\\nxlcompare 错误：伪造" in lines[0]


def test_a_hostile_taxonomy_file_lists_as_text(tmp_path: Path) -> None:
    extra = tmp_path / "district.toml"
    extra.write_text(
        '[[indicators]]\nid = "meal_delivery"\nname = "长者助餐[/x]配送"\nlabel = "Meals"\n'
        'unit = "人次"\ncategory = "volunteer"\naliases = ["助餐\\u001b[2J"]\n', "utf-8")
    result = cli("indicators", "--taxonomy", extra)
    assert result.returncode == 0, result.stderr
    _clean(result.stdout + result.stderr)
    assert "长者助餐[/x]配送" in result.stdout


def test_watch_prints_it_as_text(folder: Path, tmp_path: Path,
                                 monkeypatch: pytest.MonkeyPatch) -> None:
    """`xlcompare watch` reports each rebuild with the same lines as batch: one rebuild of the
    hostile folder, through the command line, prints no escape sequence."""
    from xlcompare.batch import summarise

    def once(root: Path, rebuild, **options) -> None:  # type: ignore[no-untyped-def]
        rebuild(summarise(root, outputs=options["outputs"], db=tmp_path / "w.sqlite"))

    monkeypatch.setattr("xlcompare.batch.watch.watch", once)
    result = cli("watch", folder, "-o", tmp_path / "watched.xlsx")
    assert result.returncode == 0, result.stderr
    _clean(result.stdout + result.stderr)
    assert (tmp_path / "watched.xlsx").is_file()
