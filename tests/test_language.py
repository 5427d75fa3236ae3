"""Chinese first, English on request: the command's help, click's own usage errors, status
lines and refusals come from one catalogue (xlcompare/catalogue.py) in the language of the run.

The language is `--lang` (on the group or any command), else XLCOMPARE_LANG, else the locale
(LC_ALL, LC_MESSAGES, LANG): `en…` is English, anything else Chinese. The small promises of the
same issue are here too: dates as officers write them, thresholds checked with a hint, the
output checked before any work, `inspect FOLDER`, and any console encoding survives.
"""

from __future__ import annotations

import ast
import json
import os
import pickle
import re
import subprocess
import sys
from pathlib import Path

import click
import orjson
import pytest
from harness import ROOT, cli, copy_samples, sample_workbooks

from xlcompare.catalogue import CLICK
from xlcompare.cli import main
from xlcompare.messages import Message, from_environment, say, speaking

CJK = re.compile(r"[\u4e00-\u9fff]")
# what may stand in a line of any language: option names, paths and file names, the
# command's name, numbers, the [zh|en] choice
_NEUTRAL = re.compile(r"(?<!\w)--?[\w-]+|[\w./~$-]*\.(?:xlsx|xls|toml|sqlite|py)\b|\S*/\S*"
                      r"|\bxlcompare\b|\[zh\|en\]|\b\d[\d.,]*\b")


def english_only(line: str) -> bool:
    """A line with words of English and not one Chinese character (commands, options, file
    names and numbers do not count as words)."""
    rest = _NEUTRAL.sub(" ", line)
    for name in main.commands:
        rest = re.sub(rf"\b{name}\b", " ", rest)
    return not CJK.search(line) and len(re.findall(r"[A-Za-z]{2,}", rest)) >= 2


SAMPLE = next(p for p in sample_workbooks() if p.name.startswith("瑞宝街"))


# ------------------------------------------------------------------------------ help

HELPS = [["--help"], *([name, "--help"] for name in sorted(main.commands))]


@pytest.mark.parametrize("args", HELPS, ids=lambda a: " ".join(a))
def test_every_help_is_chinese_by_default(args: list[str]) -> None:
    result = cli(*args)
    assert result.returncode == 0, result.stderr
    lines = [x for x in result.stdout.splitlines() if x.strip()]
    assert lines[0].startswith("用法:"), lines[0]
    assert "选项:" in lines and "显示此帮助并退出。" in result.stdout
    assert [x for x in lines if english_only(x)] == []
    assert "Usage" not in result.stdout and "Options" not in result.stdout


@pytest.mark.parametrize("args", HELPS, ids=lambda a: " ".join(a))
def test_every_help_is_english_with_lang_en(args: list[str]) -> None:
    for given in (["--lang", "en", *args], [*args, "--lang=en"]):
        result = cli(*given)
        assert result.returncode == 0, result.stderr
        assert result.stdout.startswith("Usage:"), result.stdout[:200]
        assert "Options:" in result.stdout and "Show this message and exit." in result.stdout
        assert "用法" not in result.stdout and "选项" not in result.stdout
        assert "显示此帮助" not in result.stdout


def test_the_help_columns_line_up_with_chinese_in_them() -> None:
    """A Chinese character takes two columns: the option help starts in one column."""
    from xlcompare.display import width

    lines = cli("batch", "--help").stdout.splitlines()
    options = lines[lines.index("选项:") + 1:]
    starts = set()
    for line in options:
        found = re.match(r"^(  -\S.*?\S)  +(\S)", line)
        if found:
            starts.add(width(line[:found.start(2)]))
    assert len(starts) == 1, starts
    assert all(width(x) <= 80 for x in lines), [x for x in lines if width(x) > 80]


# ------------------------------------------------------------------------------ usage errors

def usage_errors(tmp_path: Path) -> dict[str, tuple[list[str], str, str]]:
    """name → (arguments, a Chinese phrase of the error, the same in English)."""
    folder = tmp_path  # a folder that exists (the errors come before it is read)
    return {
        "missing folder": (["batch", str(tmp_path / "不存在的文件夹")], "不存在", "does not exist"),
        "unknown option": (["inspect", "-0"], "没有选项", "No such option"),
        "missing argument": (["diff"], "缺少参数", "Missing argument"),
        "unknown command": (["inpsect"], "没有命令", "No such command"),
        "bad date": (["inspect", str(SAMPLE), "--cutoff", "2024-13-45"], "不是日期",
                     "is not a date"),
        "bad share": (["batch", str(folder), "--basic-share", "70"], "0.7", "0.7"),
        "bad multiple": (["batch", str(folder), "--over-multiple", "0.5"], "大于1", "above 1"),
        "bad number": (["batch", str(folder), "-j", "many"], "不是数字", "is not a number"),
        "bad suffix": (["diff", str(SAMPLE), str(SAMPLE), "-o", "diff.docx"], ".xlsx", ".xlsx"),
        "bad language": (["--lang", "fr", "indicators"], "不是", "is not one of"),
    }


@pytest.mark.parametrize("name", list(usage_errors(Path("/x"))))
def test_usage_errors_are_chinese_and_one_error_line(name: str, tmp_path: Path) -> None:
    args, chinese, english = usage_errors(tmp_path)[name]
    result = cli(*args)
    assert result.returncode == 2, (result.stdout, result.stderr)
    assert "Traceback" not in result.stderr
    lines = [x for x in result.stderr.splitlines() if x.strip()]
    assert [x for x in lines if english_only(x)] == []
    errors = [x for x in lines if x.startswith("错误：")]
    assert len(errors) == 1 and chinese in errors[0], lines
    for word in ("Error", "Usage", "Invalid value", "Directory"):
        assert word not in result.stderr, result.stderr
    # and in English when asked (the terms of the domain stay: 基本完成, 2024年3月31日)
    result = cli("--lang", "en", *args)
    assert result.returncode == 2
    assert any(x.startswith("Error: ") and english in x for x in result.stderr.splitlines()), \
        result.stderr
    assert result.stderr.startswith("Usage:") and "错误" not in result.stderr


def test_the_basic_share_written_as_a_percentage_is_refused_with_a_hint(tmp_path: Path) -> None:
    result = cli("batch", str(tmp_path), "--basic-share", "70")
    assert result.returncode == 2
    assert "基本完成线是比例而不是百分数：70 应写成 0.7" in result.stderr
    for bad in ("0", "-0.5", "250"):
        result = cli("batch", str(tmp_path), "--basic-share", bad)
        assert result.returncode == 2 and "须大于0且不超过1" in result.stderr, result.stderr
    for bad in ("1", "0.9"):
        result = cli("batch", str(tmp_path), "--over-multiple", bad)
        assert result.returncode == 2 and "须大于1" in result.stderr, result.stderr


# ------------------------------------------------------------------------------ the language


@pytest.mark.parametrize(("environ", "expected"), [
    ({}, "zh"),
    ({"LANG": "C.UTF-8"}, "zh"),
    ({"LANG": "en_US.UTF-8"}, "en"),
    ({"LANG": "zh_CN.UTF-8"}, "zh"),
    ({"LC_ALL": "zh_CN.UTF-8", "LANG": "en_US.UTF-8"}, "zh"),
    ({"LC_MESSAGES": "en_GB.UTF-8", "LANG": "zh_CN.UTF-8"}, "en"),
    ({"XLCOMPARE_LANG": "en", "LC_ALL": "zh_CN.UTF-8"}, "en"),
    ({"XLCOMPARE_LANG": "zh", "LANG": "en_US.UTF-8"}, "zh"),
    ({"XLCOMPARE_LANG": "", "LANG": "en"}, "en"),
])
def test_the_environment_chooses_the_language(environ: dict[str, str], expected: str) -> None:
    assert from_environment(environ) == expected


def test_the_locale_speaks_english_without_an_option(monkeypatch: pytest.MonkeyPatch) -> None:
    for name in ("XLCOMPARE_LANG", "LC_ALL", "LC_MESSAGES"):
        monkeypatch.delenv(name, raising=False)
    monkeypatch.setenv("LANG", "en_US.UTF-8")
    assert cli("--help").stdout.startswith("Usage:")
    assert cli("--lang", "zh", "--help").stdout.startswith("用法:")  # the option wins
    monkeypatch.setenv("XLCOMPARE_LANG", "zh")
    assert cli("--help").stdout.startswith("用法:")


def test_status_lines_and_refusals_speak_the_language(tmp_path: Path) -> None:
    folder = copy_samples(tmp_path / "drop")
    out = tmp_path / "汇总.xlsx"
    first = cli("batch", folder, "-o", out, "-q")
    assert first.returncode == 0, first.stderr
    assert re.search(r"汇总\.xlsx：7 个站点；读取 8 个文件，沿用历史记录 0 个，无法读取 0 个", first.stdout)
    again = cli("--lang", "en", "batch", folder, "-o", out, "-q")
    assert "is up to date: 0 files read, 8 from history" in again.stdout, again.stdout
    assert "已是最新" in cli("batch", folder, "-o", out, "-q").stdout


def test_refusals_are_said_in_the_language_of_the_run(tmp_path: Path) -> None:
    missing = cli("inspect", tmp_path / "nothing.xlsx")
    assert missing.returncode == 2
    assert missing.stderr.strip().endswith("：文件不存在"), missing.stderr
    english = cli("inspect", tmp_path / "nothing.xlsx", "--lang", "en")
    assert english.stderr.strip().endswith(": file not found"), english.stderr
    (tmp_path / "照片.xlsx").write_bytes(b"\x89PNG\r\n\x1a\n" + bytes(64))
    image = cli("inspect", tmp_path / "照片.xlsx").stderr
    assert "这是图片（PNG），不是工作簿：请向社工站索取Excel原表" in image
    assert "(" not in image.replace(str(tmp_path), "")  # no English gloss in brackets
    assert "an image (PNG), not a workbook" in cli("--lang", "en", "inspect",
                                                   tmp_path / "照片.xlsx").stderr


def test_a_settings_file_with_a_percentage_for_a_share_is_refused(tmp_path: Path) -> None:
    settings = tmp_path / "本区阈值.toml"
    settings.write_text("[indicators]\nbasic_share = 70\n", "utf-8")
    folder = copy_samples(tmp_path / "drop")
    result = cli("batch", folder, "-o", tmp_path / "汇总.xlsx", "--settings", settings)
    assert result.returncode == 2, result.stderr
    assert "基本完成线 basic_share 须大于0且不超过1，而不是 70" in result.stderr
    assert result.stderr.strip().endswith("[config-invalid]")


# ------------------------------------------------------------------------------ messages


def test_a_message_is_said_when_shown_in_the_language_of_the_moment() -> None:
    said = Message("cli.wrote", output="对比.xlsx")
    assert said.text("zh") == "已写入 对比.xlsx" and said.text("en") == "wrote 对比.xlsx"
    with speaking("en"):
        assert str(said) == "wrote 对比.xlsx"
    with speaking("zh"):
        assert str(said) == "已写入 对比.xlsx"
        nested = Message("cli.error", text=Message("file-not-found"))
        assert str(nested) == "xlcompare 错误：文件不存在"
        assert say("cli.none") == "（无）"
    with pytest.raises(KeyError):
        Message("no-such-key")


def test_a_message_survives_pickling_json_and_the_history() -> None:
    said = Message("cli.diff-two", count=1, found=(Message("cli.none"), "瑞宝街"))
    assert pickle.loads(pickle.dumps(said)) == said
    assert Message.from_json(json.loads(json.dumps(said.as_json()))) == said
    assert Message.from_json(orjson.loads(orjson.dumps(said))) == said  # as packing writes it
    assert hash(said) == hash(Message.from_json(said.as_json()))
    old = Message.from_json("a reason an older xlcompare stored as text")
    assert old.text("zh") == old.text("en") == "a reason an older xlcompare stored as text"


def test_a_template_that_disagrees_with_its_arguments_still_says_something() -> None:
    said = Message("cli.wrote")  # its {output} not given
    assert "{output}" in said.text("en")


# ------------------------------------------------------------------------------ click's words


def click_msgids() -> set[str]:
    """Every message the installed click passes to gettext."""
    found: set[str] = set()
    for path in Path(click.__file__).parent.glob("*.py"):
        for node in ast.walk(ast.parse(path.read_text("utf-8"))):
            if (isinstance(node, ast.Call) and isinstance(node.func, ast.Name)
                    and node.func.id in ("_", "ngettext")):
                found |= {a.value for a in node.args
                          if isinstance(a, ast.Constant) and isinstance(a.value, str)}
    return found


def test_every_translated_click_message_is_still_one_of_clicks() -> None:
    """A click upgrade that rewords a message would show it in English: this says which."""
    assert sorted(set(CLICK) - click_msgids()) == []
    shown = {"Usage:", "Options", "Commands", "Error: {message}", "No such option {name!r}.",
             "Missing argument", "Invalid value for {param_hint}: {message}",
             "Show this message and exit.", "{name} {filename!r} does not exist."}
    assert shown <= set(CLICK)


# ------------------------------------------------------------------------------ small items


@pytest.mark.parametrize("written", ["2024-03-31", "2024年3月31日", "2024/3/31", "2024.3.31",
                                     "2024年03月31日", " 2024 年 3 月 31 日 "])
def test_dates_are_accepted_as_officers_write_them(written: str) -> None:
    result = cli("inspect", SAMPLE, "--json", "--cutoff", written, "--contract-start",
                 written.replace("2024", "2023"))
    assert result.returncode == 0, result.stderr
    report = json.loads(result.stdout)[0]
    assert report["cutoff"] == "2024-03-31" and report["contract_start"] == "2023-03-31"


def test_an_output_that_is_not_an_xlsx_is_refused_before_any_work(tmp_path: Path) -> None:
    for args in (["diff", SAMPLE, SAMPLE, "-o", tmp_path / "diff.docx"],
                 ["batch", tmp_path, "-o", tmp_path / "summary.csv"]):
        result = cli(*args)
        assert result.returncode == 2 and "文件名须以 .xlsx 结尾" in result.stderr, result.stderr
        assert result.stdout == ""
    assert list(tmp_path.iterdir()) == []


def test_a_missing_output_folder_fails_before_reading_anything(tmp_path: Path) -> None:
    result = cli("diff", SAMPLE, SAMPLE, "-o", tmp_path / "missing" / "dir.xlsx")
    assert result.returncode == 3
    assert result.stdout == ""  # no table printed before the failure
    lines = result.stderr.splitlines()
    assert len(lines) == 1 and lines[0].startswith("xlcompare 错误："), lines
    assert "输出文件夹" in lines[0] and lines[0].endswith("[output-folder-missing]")
    folder = copy_samples(tmp_path / "drop")
    result = cli("batch", folder, "-o", tmp_path / "missing" / "summary.xlsx")
    assert result.returncode == 3 and len(result.stderr.splitlines()) == 1
    assert not (folder / ".xlcompare").exists()  # no history made, no file read


def test_inspect_reads_every_station_workbook_under_a_folder(tmp_path: Path) -> None:
    folder = copy_samples(tmp_path / "drop")
    (folder / "说明.docx").write_bytes(b"not a workbook")
    batch = cli("batch", folder, "-o", folder / "汇总.xlsx", "-q")  # our own summary inside
    assert batch.returncode == 0, batch.stderr
    result = cli("inspect", folder, "--json")
    assert result.returncode == 0, result.stderr
    stations = {r["station"] for r in json.loads(result.stdout)}
    assert len(stations) == 7 and "瑞宝街" in stations
    empty = tmp_path / "empty"
    empty.mkdir()
    result = cli("inspect", empty)
    assert result.returncode == 2 and "中没有站点工作簿" in result.stderr


@pytest.mark.parametrize("encoding", ["cp1252", "ascii"])
def test_a_console_that_cannot_show_chinese_does_not_crash(encoding: str,
                                                           tmp_path: Path) -> None:
    env = {**os.environ, "PYTHONIOENCODING": encoding,
           "PYTHONPATH": os.pathsep.join(filter(None, (str(ROOT), os.environ.get("PYTHONPATH"))))}
    folder = copy_samples(tmp_path / "drop")
    runs = {}
    for args in (["--help"], ["inspect", str(SAMPLE)], ["batch", str(folder), "-o",
                                                         str(tmp_path / "s.xlsx")],
                 ["batch", str(tmp_path / "不存在")]):
        done = subprocess.run([sys.executable, "-m", "xlcompare", *args], capture_output=True,
                              env=env, stdin=subprocess.DEVNULL, timeout=600, check=False)
        assert b"Traceback" not in done.stderr and b"UnicodeEncodeError" not in done.stderr, \
            done.stderr.decode(encoding, "replace")
        assert done.returncode == (2 if "不存在" in args[-1] else 0), done.stderr
        assert done.stdout or done.stderr
        runs[args[0]] = done
    if encoding == "cp1252":  # (click writes UTF-8 to a console that claims to be ASCII)
        assert b"?" in runs["inspect"].stdout  # what it could not show, replaced


# ------------------------------------------------------------------------------ workbooks


def workbook_texts(path: Path) -> dict[str, list[str]]:
    """Every text cell of a workbook, by sheet."""
    import openpyxl

    book = openpyxl.load_workbook(path, read_only=True)
    return {sheet.title: [str(v) for row in sheet.iter_rows(values_only=True) for v in row
                          if isinstance(v, str)] for sheet in book.worksheets}


def test_workbooks_name_no_settings_file_and_say_the_settings_in_words(tmp_path: Path) -> None:
    folder = copy_samples(tmp_path / "drop")
    (folder / "说明.docx").write_bytes(b"PK\x03\x04 not a workbook")
    settings = tmp_path / "本区阈值.toml"
    settings.write_text("[indicators]\nbasic_share = 0.8\n[attendance]\nretention_rate = 0.7\n",
                        "utf-8")
    out = tmp_path / "汇总.xlsx"
    done = cli("batch", folder, "-o", out, "--settings", settings, "-q", "--lang", "en")
    assert done.returncode == 0, done.stderr
    texts = workbook_texts(out)
    everything = [t for sheet in texts.values() for t in sheet]
    assert not [t for t in everything if ".toml" in t or "judge" in t]
    glossed = re.compile(r"\([a-z][a-z ,;:'’/-]{5,}\)")  # 中文 (an English gloss)
    assert not [t for t in everything if glossed.search(t)]
    assert any("本区判定设置：基本完成线（× 按时间应完成） 0.8（默认 0.7）、稳岗率要求 70%（默认 60%）"
               in t for t in texts["总览"]), texts["总览"][:3]
    # a workbook made with --lang en is Chinese all the same: it is for the district
    assert "非表格文件" in texts["文件"] and "not a spreadsheet" not in " ".join(texts["文件"])
    levels = set(texts["问题"]) & {"error", "warning", "info", "错误", "警告", "提示"}
    assert levels <= {"错误", "警告", "提示"}

    second = next(p for p in sample_workbooks() if p.name.startswith("官洲街"))
    diff = tmp_path / "对比.xlsx"
    assert cli("diff", SAMPLE, second, "-o", diff).returncode == 0
    notes = workbook_texts(diff)["说明"]
    assert notes[notes.index("判定设置") + 1] == "默认判定设置"
    assert notes[notes.index("指标名称") + 1] == "标准指标表"


# ------------------------------------------------------------------------------ no pairs left

PACKAGE = Path(__import__("xlcompare").__file__).resolve().parent
# what people read is made here: a message given as text, not as a catalogue key
_SAYING = {"refuse", "ReadError", "XlcompareError", "ConfigError", "OutputError", "LayoutError",
           "Problem", "notice", "FileRecord", "Refused", "Removal", "report"}
_GLOSS = re.compile(r"\([A-Za-z][A-Za-z ,;:'’/-]{3,}\)|(?<![\w{.-])[A-Za-z]{3,} [a-z]{2,}")
_REGEX = re.compile(r"\\[dswbuU(]|\(\?|\[\^|\{\d|\\u4e00|CREATE TABLE")


def _text(node: ast.AST) -> str | None:
    if isinstance(node, ast.Constant) and isinstance(node.value, str):
        return node.value
    if isinstance(node, ast.JoinedStr):
        return "".join(v.value if isinstance(v, ast.Constant) else "{}" for v in node.values)
    return None


def remaining_literals() -> list[str]:
    """'file:line: text' of every string that is still a 中文 (English) pair, or that is
    handed as words (not a Message) to what makes a Problem, a refusal or an error."""
    found = []
    for path in sorted(PACKAGE.rglob("*.py")):
        if path.name not in ("catalogue.py", "codes.py"):
            found += _scan(path.read_text("utf-8"), str(path.relative_to(PACKAGE)))
    return sorted(set(found))


def _scan(source: str, where: str) -> list[str]:
    found = []
    tree = ast.parse(source)
    docs = {id(n.body[0].value) for n in ast.walk(tree)
            if isinstance(n, ast.Module | ast.FunctionDef | ast.ClassDef) and n.body
            and isinstance(n.body[0], ast.Expr) and isinstance(n.body[0].value, ast.Constant)}
    inner = {id(v) for n in ast.walk(tree) if isinstance(n, ast.JoinedStr) for v in n.values}
    for node in ast.walk(tree):
        if isinstance(node, ast.Call):
            func = node.func
            called = func.id if isinstance(func, ast.Name) else getattr(func, "attr", "")
            if called in _SAYING:
                for arg in node.args[:2]:
                    text = _text(arg)
                    if text and (CJK.search(text) or _GLOSS.search(text)):
                        found.append(f"{where}:{arg.lineno}: {text[:60]}")
        if id(node) in docs or id(node) in inner:
            continue
        text = _text(node)
        if text and CJK.search(text) and not _REGEX.search(text) and _GLOSS.search(
                re.sub(r"\[/?[a-z ]*\]|xlsx|toml|--[\w-]+", "", text)):
            found.append(f"{where}:{node.lineno}: {text[:60]}")
    return found


def test_the_scan_sees_what_it_looks_for() -> None:
    planted = ('x = "非表格文件 (not a spreadsheet)"\n'
               'raise refuse("file not found", "missing", name)\n'
               'figs.report(f"{name}：完成量为空", r)\n'
               'ok = refuse(Message("file-not-found"), "missing", name)\n'
               'pattern = r"(?P<year>20\\d{2})\\s*年"\n')
    assert [line.split(":")[1] for line in _scan(planted, "m.py")] == ["1", "2", "3"]


def test_no_string_pairs_are_spread_through_the_code() -> None:
    """Every text people read is a catalogue key: no 中文 (English) pair is left in the
    package, and no Problem, refusal or error is made from words."""
    assert remaining_literals() == []
