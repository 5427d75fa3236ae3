"""`xlcompare batch`: every station of a folder summarised, bad files listed and survived,
reruns served from the history, and the month-on-month trend."""

from __future__ import annotations

import hashlib
import os
import shutil
import sys
import time
from datetime import date, datetime
from pathlib import Path

import builders as b
import openpyxl
import pytest
from harness import CliResult, cli

from xlcompare.batch import FileStatus, summarise

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT / "bench"))
import generate  # noqa: E402  (bench/generate.py: realistic generated stations)

SAMPLE_STATIONS = {"瑞宝街", "官洲街", "南华西街", "素社街", "江海街", "琶洲街", "滨江街"}
SEED_LAGGING = {"瑞宝街": {"志愿者队伍"}, "官洲街": {"个案结案", "新登记志愿者"}}


def run_batch(folder: Path, out: Path, *args: str) -> CliResult:
    """`xlcompare batch FOLDER -o OUT ARGS...`, in this process (harness.cli)."""
    return cli("batch", folder, "-o", out, *args)


def sheet_dicts(path: Path, name: str) -> list[dict]:
    sheet = openpyxl.load_workbook(path)[name]
    rows = list(sheet.iter_rows(min_row=4, values_only=True))
    header = rows[0]
    return [dict(zip(header, row, strict=True)) for row in rows[1:] if any(v is not None for v in row)]


def digests(folder: Path) -> dict[str, tuple[str, int]]:
    return {str(p.relative_to(folder)): (hashlib.sha256(p.read_bytes()).hexdigest(), p.stat().st_mtime_ns)
            for p in sorted(folder.rglob("*")) if p.is_file() and ".xlcompare" not in p.parts}


def test_batch_on_the_samples(tmp_path: Path, samples_copy: Path) -> None:
    out = tmp_path / "summary.xlsx"
    result = run_batch(samples_copy, out, "--db", str(tmp_path / "h.sqlite"))
    assert result.returncode == 0, result.stderr
    overview = [r for r in sheet_dicts(out, "总览") if r["站点"] != "区中位数"]
    assert {r["站点"] for r in overview} == SAMPLE_STATIONS
    assert [r["排名"] for r in overview] == list(range(1, len(SAMPLE_STATIONS) + 1))
    assert any(r["站点"] == "区中位数" for r in sheet_dicts(out, "总览"))
    lagging: dict[str, set[str]] = {}
    for row in sheet_dicts(out, "滞后清单"):
        lagging.setdefault(row["站点"], set()).add(row["指标"])
    for station, expected in SEED_LAGGING.items():
        assert lagging[station] == expected
    files = {r["文件"]: r["状态"] for r in sheet_dicts(out, "文件")}
    on_disk = {p.name for p in samples_copy.iterdir() if p.is_file()}
    assert set(files) == on_disk
    assert all(files[n] == FileStatus.READ for n in on_disk if n.endswith((".xlsx", ".xls")))
    paragraphs = {r["站点"]: r["评语"] for r in sheet_dicts(out, "评语")}
    assert "除个案结案数、新登记志愿者数量未能达到预期进度外" in paragraphs["官洲街"]
    # 官洲街 reports 大型 + 中小型社区活动: the 社区活动次数 column shows their sum, 60/60
    guanzhou = next(r for r in overview if r["站点"] == "官洲街")
    assert guanzhou["社区活动次数"] == pytest.approx(1.0)
    book = openpyxl.load_workbook(out)
    assert book.sheetnames == ["总览", "图表", "滞后清单", "到岗", "趋势", "评语", "数据质量", "报送情况",
                               "文件", "问题"]
    assert book["总览"].freeze_panes == "C5" and book["图表"]._charts
    assert book["总览"].page_setup.orientation == "landscape"
    header = [c.value for c in book["问题"][4]]
    assert header == ["站点", "文件", "工作表", "单元格", "级别", "代码", "问题"]
    problems = sheet_dicts(out, "问题")
    assert any(p["站点"] == "素社街" and p["单元格"] == "E21" and p["代码"] == "total-mismatch"
               for p in problems)
    codes = {r["文件"]: r["代码"] for r in sheet_dicts(out, "文件")}
    assert {n: c for n, c in codes.items() if c} == {
        n: "not-a-spreadsheet" for n in on_disk if not n.endswith((".xlsx", ".xls"))}


def test_bad_files_are_listed_and_the_rest_summarised(tmp_path: Path, samples_copy: Path) -> None:
    folder = samples_copy
    bad = tmp_path / "bad"
    bad.mkdir()
    corrupt = b.build_random_bytes(bad)
    encrypted = b.build_encrypted(bad)
    unrelated = b.build_shopping_list(bad)
    for path, name in ((corrupt, "损坏的报表.xlsx"), (encrypted, "加密报表.xlsx"),
                       (unrelated, "购物清单.xlsx")):
        shutil.copy(path, folder / name)
    shutil.copy(folder / "瑞宝街_2023-2024_中期.xlsx", folder / "~$瑞宝街_2023-2024_中期.xlsx")
    old = (folder / "损坏的报表.xlsx").stat().st_mtime - 3600  # not "still being copied"
    os.utime(folder / "损坏的报表.xlsx", (old, old))
    before = digests(folder)
    out = tmp_path / "summary.xlsx"
    result = run_batch(folder, out, "--db", str(tmp_path / "h.sqlite"))
    assert result.returncode == 1, result.stderr  # some failed; the summary is still written
    files = {r["文件"]: r for r in sheet_dicts(out, "文件")}
    failed = {"损坏的报表.xlsx": "unknown-format", "加密报表.xlsx": "password-protected",
              "购物清单.xlsx": "no-annex-table"}
    for name, code in failed.items():
        assert (files[name]["状态"], files[name]["代码"]) == (FileStatus.FAILED, code), name
    # the reason says what to do, in words
    assert "请另存为无密码副本" in files["加密报表.xlsx"]["原因 / 说明"]
    lock = files["~$瑞宝街_2023-2024_中期.xlsx"]
    assert (lock["状态"], lock["代码"]) == (FileStatus.IGNORED, "lock-file")
    stations = {r["站点"] for r in sheet_dicts(out, "总览")} - {"区中位数"}
    assert stations == SAMPLE_STATIONS
    for name in ("损坏的报表.xlsx", "加密报表.xlsx", "购物清单.xlsx"):
        assert name in result.stderr
    assert digests(folder) == before
    # unchanged since, the failed files come from the history with their codes
    again = summarise(folder, db=tmp_path / "h.sqlite")
    assert again.read == 0
    assert {f.path: f.code for f in again.failed} == failed


def test_own_output_in_the_folder_is_ignored(samples_copy: Path) -> None:
    folder = samples_copy
    out = folder / "汇总.xlsx"
    assert run_batch(folder, out).returncode == 0
    shutil.copy(out, folder / "上月汇总.xlsx")
    second = run_batch(folder, out)
    assert second.returncode == 0, second.stderr
    files = {r["文件"]: (r["状态"], r["代码"]) for r in sheet_dicts(out, "文件")}
    # by name (the output itself) or by author (a copy under another name)
    assert files["汇总.xlsx"] == files["上月汇总.xlsx"] == (FileStatus.IGNORED, "own-output")
    assert (folder / ".xlcompare" / "history.sqlite").is_file()


@pytest.fixture(scope="module")
def two_months(tmp_path_factory: pytest.TempPathFactory) -> Path:
    folder = tmp_path_factory.mktemp("district")
    generate.generate(folder / "2024-11", 200, date(2024, 11, 30))
    return folder


def test_rerun_reads_nothing_and_trend_follows_a_new_month(two_months: Path, tmp_path: Path) -> None:
    db = tmp_path / "h.sqlite"
    cold = summarise(two_months, db=db)
    assert len(cold.stations) == 200 and not cold.failed
    assert cold.read == 220 and cold.from_history == 0
    warm = summarise(two_months, db=db)
    assert warm.read == 0 and warm.from_history == 220  # no workbook parsed again
    out = tmp_path / "summary.xlsx"
    result = run_batch(two_months, out, "--db", str(db), "-q")
    assert "读取 0 个文件，沿用历史记录 220 个" in result.stdout
    again = run_batch(two_months, out, "--db", str(db), "-q")  # now answered without reading
    assert "已是最新：未读取文件，沿用历史记录 220 个" in again.stdout
    # a month later every station sends again; one file changes in place
    generate.generate(two_months / "2024-12", 200, date(2024, 12, 31))
    changed = two_months / "2024-11" / f"{generate.station_name(3)}社工站2024-11报表.xlsx"
    generate._write_xlsx(changed, generate.station_figures(3, date(2024, 11, 30)) | {"operator": "广州市新承办社会工作服务中心"},
                         date(2024, 11, 30), "12")
    later = summarise(two_months, db=db)
    assert later.read == 221 and later.from_history == 219
    # each station once, by its latest report; November's reports feed the trend only
    assert len(later.stations) == len(later.summaries) == 200
    assert {s.cutoff for s in later.summaries} == {date(2024, 12, 31)}
    earlier = [f for f in later.files if f.path.startswith("2024-11/")]
    assert earlier and all(f.code == "earlier-report" for f in earlier)
    trend = [t for t in later.trends if t.station == generate.station_name(0)]
    figures_nov = {r[1]: r for r in generate.station_figures(0, date(2024, 11, 30))["rows"]}
    figures_dec = {r[1]: r for r in generate.station_figures(0, date(2024, 12, 31))["rows"]}
    phone = next(t for t in trend if t.indicator_id == "phone_visits")
    assert phone.previous_cutoff == date(2024, 11, 30) and phone.cutoff == date(2024, 12, 31)
    expected = (figures_dec["电话访问"][4] - figures_nov["电话访问"][4]) / figures_dec["电话访问"][3] * 100
    assert phone.change_pp == pytest.approx(expected)
    assert len(trend) == len(generate.INDICATORS)
    run_batch(two_months, out, "--db", str(db), "-q")
    rows = [r for r in sheet_dicts(out, "趋势") if r["站点"] == generate.station_name(0)]
    assert len(rows) == len(generate.INDICATORS)
    # a date cell (Excel's date filters work on it), not text
    assert {r["本次截止"] for r in rows} == {datetime(2024, 12, 31)}


def test_no_history_reads_everything_and_records_nothing(samples_copy: Path) -> None:
    folder = samples_copy
    for _ in range(2):
        result = summarise(folder, use_history=False)
        assert result.from_history == 0 and result.read == 8 and result.db is None
    assert not (folder / ".xlcompare").exists()


def test_frames_for_notebook_users(tmp_path: Path, samples_copy: Path) -> None:
    result = summarise(samples_copy, db=tmp_path / "h.sqlite")
    frames = result.frames()
    assert set(frames) == {"总览", "滞后清单", "到岗", "趋势", "评语", "数据质量", "报送情况", "文件",
                           "问题"}
    lagging = frames["滞后清单"]
    assert set(lagging.loc[lagging["站点"] == "官洲街", "指标"]) == SEED_LAGGING["官洲街"]


def test_two_runs_at_once_take_turns(tmp_path: Path) -> None:
    from xlcompare.batch.sqlite_store import SqliteHistory as History
    from xlcompare.errors import OutputError

    db = tmp_path / "h.sqlite"
    with History(db), pytest.raises(OutputError, match="另一个 xlcompare 正在处理此文件夹"):
        History(db, wait=0.3)
    with History(db, wait=0.3):  # released when the first finished
        pass


def test_unchanged_folder_is_answered_without_reading(tmp_path: Path, samples_copy: Path) -> None:
    folder = samples_copy
    out = tmp_path / "summary.xlsx"
    assert "读取 8 个文件" in run_batch(folder, out, "-q").stdout
    again = run_batch(folder, out, "-q")
    assert again.returncode == 0 and "已是最新：未读取文件，沿用历史记录 8 个" in again.stdout
    # touching a workbook (same content) is a change of time: summarised again, from history
    path = folder / "瑞宝街_2023-2024_中期.xlsx"
    os.utime(path, (path.stat().st_atime, path.stat().st_mtime + 5))
    third = run_batch(folder, out, "-q")
    assert "读取 0 个文件，沿用历史记录 8 个" in third.stdout
    # a different setting is a change too
    fourth = run_batch(folder, out, "-q", "--basic-share", "0.8")
    assert "已是最新" not in fourth.stdout


def test_readings_stored_by_other_code_are_read_again(tmp_path: Path, samples_copy: Path,
                                                    monkeypatch) -> None:
    """An upgrade (or a reader fix without a new version number) must reach files that did not
    change: the history's readings, and the summary's up-to-date shortcut, belong to the code
    that made them."""
    import sqlite3
    import zlib

    from xlcompare.batch import CODE_KEY, freshness
    from xlcompare.batch.freshness import code_digest

    folder = samples_copy
    db = tmp_path / "h.sqlite"
    first = summarise(folder, db=db)
    assert first.read == 8
    assert summarise(folder, db=db).from_history == 8
    # what an older xlcompare left: its own code digest and a reading it got wrong
    with sqlite3.connect(db) as con:
        con.execute("UPDATE meta SET value = 'older' WHERE key = ?", (CODE_KEY,))
        for path, packed in con.execute("SELECT path, reading FROM files").fetchall():
            wrong = zlib.decompress(packed).decode().replace("琶洲街", "旧站名")
            con.execute("UPDATE files SET reading = ? WHERE path = ?",
                        (zlib.compress(wrong.encode()), path))
    # the wrong reading is what this code would show, were it still taken as current
    with sqlite3.connect(db) as con:
        con.execute("UPDATE meta SET value = ? WHERE key = ?", (code_digest(), CODE_KEY))
    assert "旧站名" in {s.name for s in summarise(folder, db=db).summaries}
    with sqlite3.connect(db) as con:
        con.execute("UPDATE meta SET value = 'older' WHERE key = ?", (CODE_KEY,))
    upgraded = summarise(folder, db=db)
    assert upgraded.read == 8 and upgraded.from_history == 0
    assert "旧站名" not in {s.name for s in upgraded.stations}
    assert {s.name for s in upgraded.stations} == {s.name for s in first.stations}
    assert summarise(folder, db=db).from_history == 8  # and stored again for this code
    # the CLI's shortcut for an unchanged folder is keyed to the code as well
    out = tmp_path / "summary.xlsx"
    assert run_batch(folder, out, "--db", str(db), "-q").returncode == 0
    assert "已是最新" in run_batch(folder, out, "--db", str(db), "-q").stdout
    from xlcompare.batch.folder import scan

    candidates = list(scan(folder, [out]))
    before = freshness.stat_digest(candidates, "")
    monkeypatch.setattr(freshness, "code_digest", lambda: "0.1.0+other")
    assert freshness.stat_digest(candidates, "") != before


def test_the_code_digest_follows_the_source(tmp_path: Path) -> None:
    import xlcompare
    from xlcompare import __version__
    from xlcompare.batch.freshness import code_digest, digest_of

    package = Path(xlcompare.__file__).parent
    assert code_digest() == digest_of(package)
    copy = tmp_path / "xlcompare"
    shutil.copytree(package, copy, ignore=shutil.ignore_patterns("__pycache__"))
    digest = digest_of(copy)
    assert digest == code_digest() and digest.startswith(__version__ + "+")
    (copy / "__pycache__").mkdir()
    (copy / "__pycache__" / "x.pyc").write_bytes(b"compiled")  # not source: no change
    assert digest_of(copy) == digest
    annex1 = copy / "readers" / "annex1.py"
    annex1.write_text(annex1.read_text("utf-8") + "\n# a fix\n", "utf-8")
    assert digest_of(copy) != digest
    layout = copy / "data" / "layout.toml"
    annex1.write_text((package / "readers" / "annex1.py").read_text("utf-8"), "utf-8")
    layout.write_text(layout.read_text("utf-8") + "\n", "utf-8")
    assert digest_of(copy) != digest


def test_the_folder_listing_names_files_as_the_history_does(tmp_path: Path) -> None:
    from xlcompare.batch.folder import scan

    folder = tmp_path / "drop"
    (folder / "2024-11" / "海珠区").mkdir(parents=True)
    (folder / ".xlcompare").mkdir()
    for rel in ("a.xlsx", "2024-11/b.xlsx", "2024-11/海珠区/c.xls", "2024-11/~$b.xlsx",
                "summary.xlsx", ".xlcompare/history.sqlite", "notes.txt"):
        (folder / rel).write_bytes(b"x" * len(rel))
    # a broken link is listed as ignored, with why (it was dropped without a word before)
    (folder / "gone.xlsx").symlink_to(folder / "nowhere.xlsx")
    found = {c.rel: c for c in scan(folder, [folder / "summary.xlsx"])}
    assert set(found) == {"a.xlsx", "2024-11/b.xlsx", "2024-11/海珠区/c.xls", "2024-11/~$b.xlsx",
                          "summary.xlsx", "notes.txt", "gone.xlsx"}
    assert found["gone.xlsx"].ignored_code == "broken-link"
    assert found["2024-11/海珠区/c.xls"].path == folder / "2024-11" / "海珠区" / "c.xls"
    assert found["2024-11/海珠区/c.xls"].size == len("2024-11/海珠区/c.xls")
    assert found["summary.xlsx"].ignored_code == "own-output"
    assert found["2024-11/~$b.xlsx"].ignored and found["notes.txt"].ignored
    assert not found["a.xlsx"].ignored and not found["2024-11/b.xlsx"].ignored
    # the output named through a relative path from elsewhere is still the output
    import os

    here = os.getcwd()
    try:
        os.chdir(folder / "2024-11")
        again = {c.rel: c for c in scan(folder, [Path("..") / "summary.xlsx"])}
    finally:
        os.chdir(here)
    assert again["summary.xlsx"].ignored_code == "own-output"


def test_without_the_judged_reports_the_summary_is_the_same(tmp_path: Path) -> None:
    """The CLI keeps only what the summary shows of each station (memory at 100,000 stations);
    the sheets must not change for it, trends included."""
    folder = tmp_path / "district"
    generate.generate(folder / "2024-11", 40, date(2024, 11, 30))
    generate.generate(folder / "2024-12", 40, date(2024, 12, 31))
    kept = summarise(folder, db=tmp_path / "a.sqlite")
    lean = summarise(folder, db=tmp_path / "b.sqlite", keep_stations=False)
    assert len(kept.stations) == len(lean.summaries) == 40 and lean.stations == ()
    assert [(s.name, s.cutoff) for s in kept.summaries] == [
        (r.name, r.report.cutoff) for r in kept.stations]
    assert len(lean.trends) == 40 * len(generate.INDICATORS) and lean.trends == kept.trends
    a, b = kept.frames(), lean.frames()
    assert a.keys() == b.keys()
    for name in a:
        assert a[name].equals(b[name]), name
    lagging = b["滞后清单"]
    assert len(lagging) == sum(len(r.lagging) for r in kept.stations) > 0


def test_files_group_into_reports_by_station_and_cutoff() -> None:
    """An 附件2 sent alone often states no cut-off: it joins its station's only dated report,
    and stays apart when the station has several (which one it belongs to is not known)."""
    from xlcompare.readers import group_by_report

    nov, dec = date(2024, 11, 30), date(2024, 12, 31)
    files = [("瑞宝街", None, "瑞宝街 附件2"), ("瑞宝街", nov, "瑞宝街 附件1"),
             ("官洲街", nov, "官洲街 11"), ("官洲街", dec, "官洲街 12"), ("官洲街", None, "官洲街 附件2"),
             ("江海街", None, "江海街 附件2")]
    groups = group_by_report(files, lambda f: (f[0], f[1]))
    named = sorted(sorted(f[2] for f in g) for g in groups)
    assert named == [["官洲街 11"], ["官洲街 12"], ["官洲街 附件2"], ["江海街 附件2"],
                     ["瑞宝街 附件1", "瑞宝街 附件2"]]
    assert all(g[0][1] is not None for g in groups if len(g) > 1)  # a dated file leads


@pytest.mark.parametrize("extra", [(), ("会议纪要.docx", "说明.txt")], ids=["empty", "no-workbook"])
def test_a_folder_without_a_station_workbook_warns_and_writes_nothing(
        tmp_path: Path, extra: tuple[str, ...]) -> None:
    """No empty eight-sheet summary passing for one: a warning, exit 2 (nothing could be
    read), and a previous summary at that place is left as it was."""
    folder = tmp_path / "drop"
    folder.mkdir()
    for name in extra:
        (folder / name).write_bytes(b"not a workbook")
    out = tmp_path / "summary.xlsx"
    result = run_batch(folder, out)
    assert result.returncode == 2
    assert "没有可读取的站点报表" in result.stderr and "[no-station-workbook]" in result.stderr
    assert f"未写入 {out}" in result.stderr and not out.exists()
    out.write_bytes(b"last month's summary")
    again = run_batch(folder, out)
    assert again.returncode == 2 and "保持不变" in again.stderr
    assert out.read_bytes() == b"last month's summary"


def test_files_that_failed_or_were_ignored_are_not_counted_as_read(tmp_path: Path,
                                                                  samples_copy: Path) -> None:
    b.build_random_bytes(samples_copy)  # fails
    (samples_copy / "会议纪要.docx").write_bytes(b"x")  # ignored
    old = time.time() - 3600  # not "still being copied"
    for path in samples_copy.iterdir():
        os.utime(path, (old, old))
    out = tmp_path / "summary.xlsx"
    result = run_batch(samples_copy, out, "-q")
    assert result.returncode == 1
    assert "7 个站点；读取 8 个文件，沿用历史记录 0 个，无法读取 1 个" in result.stdout
    subtitle = openpyxl.load_workbook(out)["文件"]["A2"].value
    assert subtitle.replace("\n", "") == "共 10 个文件：本次读取 8，来自历史记录 0，未能读取 1，已忽略 1"
