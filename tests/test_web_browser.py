"""`xlcompare serve` in a real browser: headless Chromium (Debian's `chromium`, driven by
playwright's Python package; no browser is downloaded) (issue 17).

One session, as an officer would use it: the command starts and prints its address; the
sample workbooks are dropped on the page; the colour table appears and shows what
`xlcompare batch` writes for the same folder (every rank, rate, count and lagging indicator);
a station and a diff are opened; the summary and the diff are downloaded and opened with
openpyxl; a .zip holding a workbook full of markup and script is chosen with the file
button, and every such string is shown as text — no script runs, the browser reports no
violation of the page's Content-Security-Policy and no script error.

With XLCOMPARE_SCREENSHOTS=DIR each page is also saved at 1366×768 (docs/web-*.png).
"""

from __future__ import annotations

import base64
import os
import re
import shutil
import subprocess
import sys
import tempfile
import time
import zipfile
from collections.abc import Iterator
from pathlib import Path

import builders as b
import hostile_corpus as hc
import openpyxl
import pytest
from harness import ROOT, cli, sample_workbooks
from test_injection import INJECTED, LINK, MARKUP
from web_support import html_table, sheet_rows

playwright = pytest.importorskip("playwright.sync_api")
pytest.importorskip("starlette")

CHROMIUM = next((p for p in (os.environ.get("XLCOMPARE_CHROMIUM"), shutil.which("chromium"),
                             "/usr/bin/chromium") if p and Path(p).is_file()), None)
pytestmark = [pytest.mark.browser,
              pytest.mark.skipif(CHROMIUM is None, reason="no chromium (apt-get install chromium)")]

VIEWPORT = {"width": 1366, "height": 768}
SHOTS = os.environ.get("XLCOMPARE_SCREENSHOTS")

_PATIENCE = 180_000  # ms


@pytest.fixture
def server(tmp_path: Path) -> Iterator[tuple[str, Path]]:
    """`xlcompare serve FOLDER --no-browser` in a process of its own: its address, its folder."""
    folder = tmp_path / "月报2024-12"
    if SHOTS:  # a short folder name in the pictures
        folder = Path(tempfile.gettempdir()) / "月报" / "2024-12"
        shutil.rmtree(folder.parent, ignore_errors=True)
    folder.mkdir(parents=True)
    env = dict(os.environ, PYTHONPATH=os.pathsep.join(filter(None, (str(ROOT),
                                                                   os.environ.get("PYTHONPATH")))),
               PYTHONIOENCODING="utf-8")
    process = subprocess.Popen([sys.executable, "-m", "xlcompare", "serve", str(folder),
                                "--no-browser"], stdout=subprocess.PIPE, stderr=subprocess.PIPE,
                               text=True, encoding="utf-8", env=env, stdin=subprocess.DEVNULL)
    try:
        assert process.stdout is not None
        line = process.stdout.readline()
        found = re.search(r"http://127\.0\.0\.1:\d+/", line)
        assert found, (line, process.stderr.read() if process.poll() is not None else "")
        yield found.group(0), folder
    finally:
        process.terminate()
        try:
            process.wait(10)
        except subprocess.TimeoutExpired:
            process.kill()
            process.wait()


def _files_for_drop(paths: list[Path]) -> list[dict[str, str]]:
    return [{"name": p.name, "data": base64.b64encode(p.read_bytes()).decode()} for p in paths]


DROP = """(files) => {
  const dt = new DataTransfer();
  for (const f of files) {
    const bytes = Uint8Array.from(atob(f.data), c => c.charCodeAt(0));
    dt.items.add(new File([bytes], f.name));
  }
  return dt;
}"""


def _shot(page, name: str) -> None:  # type: ignore[no-untyped-def]
    if SHOTS:
        Path(SHOTS).mkdir(parents=True, exist_ok=True)
        page.screenshot(path=str(Path(SHOTS) / f"web-{name}.png"))


def test_an_officer_drops_the_samples_and_forwards_the_summary(server: tuple[str, Path],
                                                               tmp_path: Path) -> None:
    url, folder = server
    started = time.perf_counter()
    samples = sample_workbooks()
    with playwright.sync_playwright() as pw:
        browser = pw.chromium.launch(executable_path=CHROMIUM)
        try:
            context = browser.new_context(viewport=VIEWPORT, accept_downloads=True,
                                          locale="zh-CN")
            page = context.new_page()
            # bounds for a hung page, not a measure of speed: a loaded CI machine reads the
            # samples slowly, and a wait that runs out there is no failure of the page
            page.set_default_timeout(_PATIENCE)
            errors: list[str] = []
            dialogs: list[str] = []
            requests: list[str] = []
            page.on("console", lambda m: errors.append(m.text) if m.type == "error" else None)
            page.on("pageerror", lambda e: errors.append(str(e)))
            page.on("dialog", lambda d: (dialogs.append(d.message), d.dismiss()))
            page.on("request", lambda r: requests.append(r.url))

            page.goto(url)
            assert page.title().startswith("总览")
            # dropped on the page, as from the file manager
            transfer = page.evaluate_handle(DROP, _files_for_drop(samples))
            page.dispatch_event("#upload", "dragover", {"dataTransfer": transfer})
            page.dispatch_event("#upload", "drop", {"dataTransfer": transfer})
            page.wait_for_selector("#ledger-table")
            # a locator, not wait_for_function: its string is eval'd in the page, which the
            # page's Content-Security-Policy forbids
            rows_shown = page.locator("#overview-table tbody tr")
            playwright.expect(rows_shown).to_have_count(7, timeout=_PATIENCE)
            assert any("/fragment/progress?watching=1" in r for r in requests)  # live progress
            ledger = page.inner_text("#ledger-table")
            assert ledger.count("已读取") == len(samples)

            # the table is what `xlcompare batch` writes for this folder
            written = tmp_path / "batch.xlsx"
            batch = cli("batch", folder, "-o", written, "--db", tmp_path / "b.sqlite", "-q")
            assert batch.returncode == 0, batch.stderr
            header, rows = sheet_rows(written, "总览")
            html = page.content()
            assert html_table(html, "overview-table") == (header, rows)
            assert html_table(html, "lagging-table")[1] == sheet_rows(written, "滞后清单")[1]
            lagging = dict(zip([r[1] for r in rows], [r[header.index("滞后指标")] for r in rows],
                               strict=True))
            assert lagging["瑞宝街"] == "志愿者队伍"
            assert lagging["官洲街"] == "个案结案、新登记志愿者"
            page.reload()
            page.wait_for_selector("#overview-table")
            _shot(page, "overview")

            # the summary, downloaded and opened
            with page.expect_download() as download:
                page.click("header a[href='/summary.xlsx']")
            summary = tmp_path / "downloaded-summary.xlsx"
            download.value.save_as(summary)
            assert sheet_rows(summary, "总览") == (header, rows)
            book = openpyxl.load_workbook(summary)
            assert book.sheetnames[:3] == ["总览", "图表", "滞后清单"]
            book.close()

            # a station
            page.click("#overview-table a:text-is('瑞宝街')")
            page.wait_for_selector("#indicator-table")
            assert page.inner_text("#station-name") == "瑞宝街"
            team = page.locator("#indicator-table tr", has_text="发展志愿者队伍")
            assert "滞后" in team.inner_text()
            _shot(page, "station")

            # a diff, and its workbook
            page.click("header nav a:text-is('对比')")
            page.select_option("#pick-a", "瑞宝街@2023-12-31")
            page.select_option("#pick-b", "官洲街@2024-12-31")
            page.click("form.pick button")
            page.wait_for_selector("#compare-table")
            closed = page.locator("#compare-table tbody tr", has_text="个案结案").inner_text()
            assert "45.00%" in closed and "31.67%" in closed
            _shot(page, "compare")
            with page.expect_download() as download:
                page.click("#diff-download")
            diff = tmp_path / "downloaded-diff.xlsx"
            download.value.save_as(diff)
            book = openpyxl.load_workbook(diff)
            assert book.sheetnames == ["对比", "到岗", "图表", "说明"]
            assert any(c.value == "个案结案" for c in book["对比"]["B"])
            book.close()

            # a .zip with a workbook whose every name is markup or script, by the file button
            # a station of its own (the samples' 素社街 reports a later month, which would
            # make this one an earlier report, feeding 趋势 only)
            hostile = tmp_path / "测试街-测试.xlsx"
            other = {title: title.replace("素社街", "测试街")
                     for title in (b.TITLE_ANNEX1, b.TITLE_ANNEX2)}
            hc.injected_workbook(hostile, {**INJECTED, **hc.HTML_INJECTED, **other},
                                 hc.HTML_OPERATOR)
            mail = tmp_path / "来信.zip"
            with zipfile.ZipFile(mail, "w") as archive:
                archive.write(hostile, "报表/" + hostile.name)
            page.click("header nav a:text-is('总览')")
            page.set_input_files("#file-input", str(mail))
            page.wait_for_selector("#ledger-table >> text=测试街-测试.xlsx")
            playwright.expect(rows_shown).to_have_count(8, timeout=_PATIENCE)
            page.goto(url + "station?name=测试街&cutoff=2024-12-31")
            page.wait_for_selector("#indicator-table")
            shown = page.inner_text("body")
            for text in hc.HTML_INJECTED.values():
                assert text in shown, text
            # the 承办机构 line as read (the reader drops its spaces)
            assert f"<iframesrc=\"javascript:window.{hc.PWNED}='iframe'\"></iframe>" in shown
            assert MARKUP in shown and LINK in shown
            assert "\\x1b[2J" in shown  # an escape sequence shown as its escape
            assert page.evaluate(f"window.{hc.PWNED}") is None
            assert page.evaluate("document.scripts.length") == 2  # htmx.min.js, app.js
            assert page.locator("img, iframe").count() == 0
            for path in ("/", "/files"):
                page.goto(url.rstrip("/") + path)
                assert page.evaluate(f"window.{hc.PWNED}") is None
            _shot(page, "files")
            assert dialogs == []
            assert errors == [], errors  # no CSP violation, no script error, nothing missing
        finally:
            browser.close()
    print(f"browser session: {time.perf_counter() - started:.1f} s")
