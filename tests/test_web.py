"""`xlcompare serve`, its routes in this process (Starlette's test client) (issue 17).

The page shows what `xlcompare batch` writes and its downloads are the workbooks `batch` and
`diff` write; a request that would put a file outside the folder, a file over the limit, a
request from another site's page, a Host of another name and a server off loopback without a
token are each refused with a clear code, and nothing is left behind.
"""

from __future__ import annotations

import hashlib
import io
import re
import socket
import sys
import time
import zipfile
from collections.abc import Iterator
from datetime import date
from pathlib import Path

import pytest

pytest.importorskip("starlette")
pytest.importorskip("httpx")

import builders as b  # noqa: E402
import hostile_corpus as hc  # noqa: E402
from golden import dump_workbook  # noqa: E402
from harness import SAMPLES, cli, copy_samples  # noqa: E402
from starlette.testclient import TestClient  # noqa: E402
from test_injection import INJECTED, LINK, MARKUP  # noqa: E402
from web_support import html_table, sheet_rows  # noqa: E402

from xlcompare.errors import OutputError  # noqa: E402
from xlcompare.web.app import create_app, file_id  # noqa: E402
from xlcompare.web.security import CSP, Guard  # noqa: E402
from xlcompare.web.uploads import UploadLimits, receive  # noqa: E402
from xlcompare.writers.excel import STATUS_COLOURS  # noqa: E402

BASE = "http://127.0.0.1:8765"
RUIBAO = "瑞宝街_2023-2024_中期.xlsx"
GUANZHOU = "官洲街_2024-2025_中期.xlsx"
WEB = Path(__file__).resolve().parents[1] / "xlcompare" / "web"


def client(folder: Path, **options: object) -> TestClient:
    return TestClient(create_app(folder, **options), base_url=BASE)  # type: ignore[arg-type]


@pytest.fixture
def drop(tmp_path: Path) -> Path:
    return copy_samples(tmp_path / "drop")


@pytest.fixture
def web(drop: Path) -> Iterator[TestClient]:
    with client(drop) as c:
        yield c


def browser_headers(c: TestClient) -> dict[str, str]:
    """What the page's own requests carry: its origin and its CSRF token."""
    return {"origin": BASE, "sec-fetch-site": "same-origin",
            "x-csrf-token": c.app.state.guard.csrf}  # type: ignore[attr-defined]


def tree(root: Path) -> set[str]:
    """Every path under `root`, but the history's own folder."""
    return {p.relative_to(root).as_posix() for p in root.rglob("*")
            if ".xlcompare" not in p.relative_to(root).parts}


# --------------------------------------------------------------------------- what it shows


def test_the_page_and_the_api_show_what_batch_writes(web: TestClient, drop: Path,
                                                     tmp_path: Path) -> None:
    written = tmp_path / "batch.xlsx"
    batch = cli("batch", drop, "-o", written, "--db", tmp_path / "other.sqlite", "-q")
    assert batch.returncode == 0, batch.stderr

    header, rows = sheet_rows(written, "总览")
    page = web.get("/")
    assert page.status_code == 200
    shown_header, shown_rows = html_table(page.text, "overview-table")
    assert shown_header == header
    assert shown_rows == rows  # every station, rank, rate, count and the 区中位数 row
    _, lagging = sheet_rows(written, "滞后清单")
    assert html_table(page.text, "lagging-table")[1] == lagging

    api = web.get("/api/summary").json()
    by_name = {r[1]: r for r in rows if r[0]}
    status_cols = {h: i for i, h in enumerate(header) if h in ("达标", "超额", "基本完成", "滞后", "无目标")}
    lag_col = header.index("滞后指标")
    assert [s["name"] for s in api["stations"]] == [r[1] for r in rows if r[0]]
    for station in api["stations"]:
        row = by_name[station["name"]]
        assert {k: str(v) for k, v in station["counts"].items()} == {
            k: row[i] for k, i in status_cols.items()}
        assert "、".join(x["name"] for x in station["lagging"]) == row[lag_col]
    assert {s["name"]: [x["name"] for x in s["lagging"]] for s in api["stations"]}["瑞宝街"] == [
        "志愿者队伍"]

    downloaded = tmp_path / "downloaded.xlsx"
    response = web.get("/summary.xlsx")
    assert response.headers["content-type"].startswith("application/vnd.openxmlformats")
    assert "attachment" in response.headers["content-disposition"]
    downloaded.write_bytes(response.content)
    assert dump_workbook(downloaded) == dump_workbook(written)


def test_the_diff_download_is_what_diff_writes(web: TestClient, drop: Path,
                                               tmp_path: Path) -> None:
    written = tmp_path / "diff.xlsx"
    diff = cli("diff", drop / RUIBAO, drop / GUANZHOU, "-o", written)
    assert diff.returncode == 0, diff.stderr
    response = web.get("/diff.xlsx", params={"a": "瑞宝街", "b": "官洲街"})
    assert response.status_code == 200
    downloaded = tmp_path / "downloaded.xlsx"
    downloaded.write_bytes(response.content)
    assert dump_workbook(downloaded) == dump_workbook(written)

    page = web.get("/compare", params={"a": "瑞宝街@2023-12-31", "b": "官洲街@2024-12-31"})
    assert page.status_code == 200
    _, rows = html_table(page.text, "compare-table")
    closed = next(r for r in rows if r[1] == "个案结案")
    assert "45.00%" in closed and "31.67%" in closed  # 瑞宝街 基本完成, 官洲街 滞后
    missing = web.get("/diff.xlsx", params={"a": "瑞宝街", "b": "无此站"})
    assert missing.status_code == 404 and missing.json()["error"]["code"] == "station-not-found"


def test_a_station_page_shows_every_indicator_its_problems_and_attendance(web: TestClient) -> None:
    page = web.get("/station", params={"name": "瑞宝街", "cutoff": "2023-12-31"})
    assert page.status_code == 200
    _, rows = html_table(page.text, "indicator-table")
    closed = next(r for r in rows if r[2] == "个案结案")
    assert closed[5:7] == ["45.00%", "基本完成"]
    assert "按时间应达54.64%" in closed[7]
    _, problems = html_table(page.text, "problem-table")
    assert any(p[0] == RUIBAO and p[1] == "附件1" and p[2] == "D20" and p[4] == "no-target"
               for p in problems)
    assert html_table(page.text, "measure-table")[1]  # attendance and staffing ratios
    assert web.get("/station").status_code == 200  # the list
    assert web.get("/station", params={"name": "无此站"}).status_code == 404


def test_the_files_page_lists_every_file_and_removes_one_into_a_folder_aside(
        web: TestClient, drop: Path) -> None:
    page = web.get("/files")
    _, rows = html_table(page.text, "files-table")
    assert {r[0] for r in rows} == {p.name for p in drop.iterdir() if p.is_file()}
    ident = file_id(RUIBAO)
    confirm = web.get("/files/remove", params={"id": ident})
    assert confirm.status_code == 200 and RUIBAO in confirm.text
    refused = web.post("/files/remove", data={"id": ident},
                       headers={"origin": BASE, "sec-fetch-site": "same-origin"})
    assert refused.status_code == 403  # the page's token is missing
    assert (drop / RUIBAO).is_file()
    done = web.post("/files/remove", data={"id": ident, "csrf": web.app.state.guard.csrf},  # type: ignore[attr-defined]
                    headers={"origin": BASE, "sec-fetch-site": "same-origin"},
                    follow_redirects=False)
    assert done.status_code == 303
    assert not (drop / RUIBAO).exists() and (drop / ".已移除" / RUIBAO).is_file()
    assert "瑞宝街" not in [s["name"] for s in web.get("/api/summary").json()["stations"]]
    assert web.get("/files/remove", params={"id": file_id("../etc/passwd")}).status_code == 404


# --------------------------------------------------------------------------- 数据质量


def _broken_rule_folder(root: Path) -> Path:
    """素社街 closes more cases than it took in (a 数据质量 flag); the roster also names
    瑞宝街, who has not reported (报送情况)."""
    folder = root / "月报"
    folder.mkdir()
    grid = b.canonical_annex1()
    (row,) = [r for r in grid.rows if len(r) > 4 and r[1] == "个案结案"]
    row[4] = 30
    row[5] = b.Pct(30 / next(i.target for i in b.INDICATORS if i.name == "个案结案"))
    b.write_openpyxl(folder / "素社街.xlsx", [grid, b.canonical_annex2()])
    (folder / "站点名单.csv").write_text("站点,区\n素社街,海珠区\n瑞宝街,海珠区\n", "utf-8")
    return folder


def _verify(web: TestClient, **fields: str) -> object:
    return web.post("/quality/verify", data=fields, follow_redirects=False,
                    headers={"origin": BASE, "sec-fetch-site": "same-origin"})


def test_the_quality_page_and_the_api_show_the_flags_and_reporting_as_batch_writes(
        tmp_path: Path) -> None:
    folder = _broken_rule_folder(tmp_path)
    with client(folder) as web:
        page = web.get("/quality")
        assert page.status_code == 200 and 'href="/quality" class="on"' in page.text
        header, rows = html_table(page.text, "quality-table")
        assert header[:7] == ["编号", "站点", "统计截止", "检查", "说明", "位置", "状态"]
        ((ident, station, cutoff, rule, said, where, state, code, form),) = rows
        assert re.fullmatch(r"Q[0-9A-F]{6}", ident) and station == "素社街"
        assert rule == "cases-closed-within-intake" and code == "rule-violated"
        assert said == "个案结案数多于个案接案数（含上年度转入）（个案结案 30，个案接案 27），请核实"
        assert where == "素社街.xlsx 附件1!B11；素社街.xlsx 附件1!B9"
        assert state == "待核实" and "标记为已核实" in form
        assert not re.search(r"\son[a-z]+\s*=|\sstyle\s*=", page.text)  # the policy holds
        _, months = html_table(page.text, "reporting-table")
        # December's report, seen today: long after the deadline, so late as well
        assert [m[:5] for m in months] == [["2024-12", "2", "1", "1", "1"]]
        assert months[0][8] == "瑞宝街" and months[0][9].startswith("素社街（")

        # the page's tables are the summary workbook's 数据质量 and 报送情况 sheets
        written = tmp_path / "汇总.xlsx"
        written.write_bytes(web.get("/summary.xlsx").content)
        assert [r[:8] for r in rows] == sheet_rows(written, "数据质量")[1]
        assert months == sheet_rows(written, "报送情况")[1]

        station_page = web.get("/station", params={"name": "素社街"}).text
        assert [r[0] for r in html_table(station_page, "quality-table")[1]] == [ident]

        api = web.get("/api/summary").json()
        (flag,) = api["stations"][0]["flags"]
        assert flag == {"ident": ident, "code": "rule-violated",
                        "rule": "cases-closed-within-intake", "message": said,
                        "where": where, "verified": None}
        (month,) = api["reporting"]
        assert month["month"] == "2024-12" and month["missing"] == ["瑞宝街"]
        assert month["expected"] == ["素社街", "瑞宝街"] and month["received"] == ["素社街"]
        assert month["rate"] == 0.5 and month["on_time_rate"] == 0.0
        assert [late["station"] for late in month["late"]] == ["素社街"]
        assert "站点名单.csv" in api["roster_note"]


def test_a_flag_is_marked_verified_from_the_page_only_with_the_pages_token(
        tmp_path: Path) -> None:
    folder = _broken_rule_folder(tmp_path)
    with client(folder) as web:
        token = web.app.state.guard.csrf  # type: ignore[attr-defined]
        (flag,) = web.get("/api/summary").json()["stations"][0]["flags"]
        ident = flag["ident"]
        note = "已电话核实：<script>alert(1)</script> 含转介个案"

        refused = _verify(web, id=ident, note=note)
        assert refused.status_code == 403 and "csrf-token-missing" in refused.text
        foreign = web.post("/quality/verify", data={"id": ident, "note": note, "csrf": token},
                           headers={"origin": "http://evil.example"})
        assert foreign.status_code == 403 and "foreign-origin" in foreign.text
        empty = _verify(web, id=ident, note="  ", csrf=token)
        assert empty.status_code == 400 and "flag-note-missing" in empty.text
        assert "标记已核实须写明核实结果" in empty.text
        unknown = _verify(web, id="Q000000", note="x", csrf=token)
        assert unknown.status_code == 404 and "flag-not-found" in unknown.text
        assert "Q000000" in unknown.text
        assert web.get("/api/summary").json()["stations"][0]["flags"][0]["verified"] is None

        back = f"/station?name=素社街&cutoff={flag_cutoff(web)}"
        done = _verify(web, id=ident.lower(), note=note, csrf=token, back=back)
        assert done.status_code == 303, done.text
        assert done.headers["location"].startswith("/station?")
        station = web.get(done.headers["location"]).text
        assert f"已将 {ident} 标记为已核实" in station
        escaped = "已核实：已电话核实：&lt;script&gt;alert(1)&lt;/script&gt; 含转介个案"
        assert escaped in station and "<script>alert" not in station
        _, rows = html_table(web.get("/quality").text, "quality-table")
        assert rows[0][6] == "已核实：已电话核实：<script>alert(1)</script> 含转介个案"
        assert rows[0][8] == ""  # no form for a flag already checked
        assert web.get("/api/summary").json()["stations"][0]["flags"][0]["verified"] == (
            note.strip())
        # somewhere else is never where a mark sends the officer
        again = _verify(web, id=ident, note="再次", csrf=token, back="https://evil.example/")
        assert again.headers["location"] == f"/quality?verified={ident}"
    # the mark is in the folder's history: the next summary, by batch, shows it
    out = tmp_path / "again.xlsx"
    assert cli("batch", folder, "-o", out, "-q").returncode == 0
    assert sheet_rows(out, "数据质量")[1][0][6] == "已核实：再次"


def flag_cutoff(web: TestClient) -> str:
    return web.get("/api/summary").json()["stations"][0]["cutoff"]


# --------------------------------------------------------------------------- uploads


def test_upload_saves_reads_and_answers_with_the_ledger(tmp_path: Path) -> None:
    folder = tmp_path / "empty"
    folder.mkdir()
    with client(folder) as web:
        data = (SAMPLES / RUIBAO).read_bytes()
        response = web.post("/api/files", files=[("file", (RUIBAO, data)),
                                                 ("file", (GUANZHOU, (SAMPLES / GUANZHOU).read_bytes()))])
        assert response.status_code == 200, response.text
        entries = response.json()["files"]
        assert [(e["saved_as"], e["status"], e["station"]) for e in entries] == [
            (RUIBAO, "已读取", "瑞宝街"), (GUANZHOU, "已读取", "官洲街")]
        # the same file again is not saved twice; another file of that name never overwrites
        again = web.post("/api/files", files=[("file", (RUIBAO, data))]).json()["files"][0]
        assert again["code"] == "same-file-there" and again["saved_as"] is None
        other = web.post("/api/files", files=[("file", (RUIBAO, (SAMPLES / GUANZHOU).read_bytes()))])
        assert other.json()["files"][0]["saved_as"] == "瑞宝街_2023-2024_中期 (2).xlsx"
        assert (folder / RUIBAO).read_bytes() == data
        # the page's own form (htmx) answers with the ledger as HTML
        page = web.post("/upload", files=[("file", ("素社街.xlsx", (SAMPLES / "素社街社工站_2024-2025_中期_附件1.xlsx").read_bytes()))],
                        headers={**browser_headers(web), "hx-request": "true"})
        assert page.status_code == 200 and page.headers["hx-trigger"] == "xl-summary"
        assert "素社街.xlsx" in page.text and "已读取" in page.text
        # and without script, a plain form post: the whole page, with the ledger
        plain = web.post("/upload", data={"csrf": web.app.state.guard.csrf},  # type: ignore[attr-defined]
                         files=[("file", ("官洲街副本.xlsx", b"PK\x03\x04"))],
                         headers={"origin": BASE, "sec-fetch-site": "same-origin"})
        assert plain.status_code == 200 and 'id="ledger-table"' in plain.text
        assert 'id="upload"' in plain.text


@pytest.mark.parametrize("name", ["../../x.xlsx", "..\\..\\x.xlsx", "a/../../x.xlsx",
                                  ".xlcompare/history.sqlite", ".hidden.xlsx", "~$lock.xlsx",
                                  "con.xlsx", "x.xlsx.", "a<b>.xlsx", "报表.pdf", "x\x1b.xlsx"])
def test_names_that_are_not_plain_workbook_names_are_refused(tmp_path: Path, name: str) -> None:
    folder = tmp_path / "a" / "b" / "drop"
    folder.mkdir(parents=True)
    with client(folder) as web:
        web.get("/api/summary")  # the first summary made, its history there
        before = tree(tmp_path)
        response = web.post("/api/files", files=[("file", (name, (SAMPLES / RUIBAO).read_bytes()))])
    assert response.status_code == 400
    error = response.json()["error"]
    assert error["code"] in ("path-in-file-name", "bad-file-name", "not-a-workbook-name")
    assert error["message"]  # in words, with the name
    assert tree(tmp_path) == before  # nothing saved in the folder, above it or anywhere
    assert not list(tmp_path.rglob("x.xlsx"))


def test_the_path_refusal_names_the_path(web: TestClient) -> None:
    response = web.post("/api/files", files=[("file", ("../../x.xlsx", b"PK"))])
    assert response.json()["error"]["code"] == "path-in-file-name"
    assert "../../x.xlsx" in response.json()["error"]["message"]


def test_an_oversize_file_and_an_oversize_request_are_refused(tmp_path: Path) -> None:
    folder = tmp_path / "drop"
    folder.mkdir()
    limits = UploadLimits(max_file_bytes=30_000, max_files=3, max_request_bytes=200_000)
    with client(folder, limits=limits) as web:
        big = b"PK" + b"\0" * 40_000
        response = web.post("/api/files", files=[("file", ("大.xlsx", big))])
        assert response.status_code == 413
        assert response.json()["error"]["code"] == "upload-too-large"
        huge = web.post("/api/files", files=[("file", ("巨.xlsx", b"\0" * 300_000))])
        assert huge.status_code == 413
        assert huge.json()["error"]["code"] == "request-too-large"
        many = web.post("/api/files", files=[("file", (f"{n}.xlsx", b"PK")) for n in range(4)])
        assert many.status_code == 400 and many.json()["error"]["code"] == "too-many-files"
        assert web.post("/api/files", data={"x": "1"}).json()["error"]["code"] == "no-files-sent"
    assert tree(folder) == set()


def test_a_zip_is_unpacked_with_the_zip_bounds_and_its_folders_dropped(tmp_path: Path) -> None:
    folder = tmp_path / "drop"
    folder.mkdir()
    mail = io.BytesIO()
    with zipfile.ZipFile(mail, "w", zipfile.ZIP_DEFLATED) as archive:
        archive.writestr("月报/" + RUIBAO, (SAMPLES / RUIBAO).read_bytes())
        archive.writestr("../../逃逸.xlsx", (SAMPLES / GUANZHOU).read_bytes())
        archive.writestr("说明.txt", "不是工作簿")
        archive.writestr("__MACOSX/._x.xlsx", b"resource fork")
        archive.writestr("PLACEHOL.xlsx", (SAMPLES / "素社街社工站_2024-2025_中期_附件1.xlsx").read_bytes())
    # a name as Windows' zip tools store it: GBK bytes, without the UTF-8 flag
    gbk = "素社街名.xlsx".encode("gbk")
    assert len(gbk) == len(b"PLACEHOL.xlsx")
    sent = mail.getvalue().replace(b"PLACEHOL.xlsx", gbk)
    with client(folder) as web:
        response = web.post("/api/files", files=[("file", ("来信.zip", sent))])
        assert response.status_code == 200, response.text
        entries = {e["name"]: e for e in response.json()["files"]}
    assert entries["月报/" + RUIBAO]["saved_as"] == RUIBAO
    assert entries["../../逃逸.xlsx"]["saved_as"] == "逃逸.xlsx"
    assert entries["素社街名.xlsx"]["saved_as"] == "素社街名.xlsx"
    assert entries["素社街名.xlsx"]["status"] == "已读取"
    assert entries["说明.txt"]["code"] == "not-a-workbook-name"
    assert all(e["inside"] == "来信.zip" for e in entries.values())
    assert tree(folder) == {RUIBAO, "逃逸.xlsx", "素社街名.xlsx"}
    assert not (tmp_path / "逃逸.xlsx").exists()

    bomb = io.BytesIO()
    with zipfile.ZipFile(bomb, "w", zipfile.ZIP_DEFLATED) as archive:
        archive.writestr("炸弹.xlsx", b"\0" * (8 * 2**20))
    with client(folder) as web:
        refused = web.post("/api/files", files=[("file", ("炸弹.zip", bomb.getvalue()))])
    assert refused.status_code == 400 and refused.json()["error"]["code"] == "zip-bomb"
    assert tree(folder) == {RUIBAO, "逃逸.xlsx", "素社街名.xlsx"}


def test_the_history_is_never_written(tmp_path: Path) -> None:
    folder = tmp_path / "drop"
    folder.mkdir()
    history = folder / "报表.xlsx"  # were the history ever named like a workbook
    history.write_bytes(b"history")
    arrivals = receive(folder, "报表.xlsx", io.BytesIO(b"new"), 3, UploadLimits(1000),
                       protected=[history])
    assert arrivals[0].code == "protected-path"
    assert history.read_bytes() == b"history"


# --------------------------------------------------------------------------- who may ask


def test_another_sites_page_cannot_change_anything(web: TestClient, drop: Path) -> None:
    before = tree(drop)
    sample = ("file", ("新.xlsx", (SAMPLES / RUIBAO).read_bytes()))
    foreign = web.post("/api/files", files=[sample], headers={"origin": "http://evil.example"})
    assert foreign.status_code == 403 and foreign.json()["error"]["code"] == "foreign-origin"
    other_port = web.post("/api/files", files=[sample], headers={"origin": "http://127.0.0.1:1"})
    assert other_port.status_code == 403
    null = web.post("/api/files", files=[sample], headers={"origin": "null"})
    assert null.status_code == 403
    cross = web.post("/api/files", files=[sample], headers={"sec-fetch-site": "cross-site"})
    assert cross.status_code == 403
    no_token = web.post("/api/files", files=[sample],
                        headers={"origin": BASE, "sec-fetch-site": "same-origin"})
    assert no_token.status_code == 403
    assert no_token.json()["error"]["code"] == "csrf-token-missing"
    form = web.post("/upload", files=[sample], headers={"origin": "http://evil.example"})
    assert form.status_code == 403 and "foreign-origin" in form.text
    assert tree(drop) == before
    ours = web.post("/api/files", files=[sample], headers=browser_headers(web))
    assert ours.status_code == 200 and (drop / "新.xlsx").is_file()


def test_a_host_of_another_name_is_refused(web: TestClient) -> None:
    for path in ("/", "/api/summary", "/summary.xlsx", "/static/htmx.min.js"):
        response = web.get(path, headers={"host": "evil.example"})
        assert response.status_code == 400, path
        assert "host-not-allowed" in response.text
    refused = web.post("/api/files", files=[("file", ("x.xlsx", b"PK"))],
                       headers={"host": "evil.example:8765"})
    assert refused.status_code == 400 and refused.json()["error"]["code"] == "host-not-allowed"
    for host in ("localhost:8765", "[::1]:8765", "127.0.0.1"):
        assert web.get("/api/summary", headers={"host": host}).status_code == 200


def test_with_a_token_every_request_needs_it(drop: Path) -> None:
    token = "s3cret-token-for-tests"
    with client(drop, guard=Guard(token=token)) as web:
        assert web.get("/").status_code == 401
        assert web.get("/api/summary").json()["error"]["code"] == "access-token-required"
        assert web.get("/static/app.js").status_code == 401
        assert web.get("/?token=wrong").status_code == 401
        first = web.get(f"/?token={token}", follow_redirects=False)
        assert first.status_code == 303 and first.headers["location"] == "/"
        assert "HttpOnly" in first.headers["set-cookie"]
        assert "SameSite=Strict" in first.headers["set-cookie"]
        assert web.get("/").status_code == 200  # the cookie
        web.cookies.clear()
        bearer = web.get("/api/summary", headers={"authorization": f"Bearer {token}"})
        assert bearer.status_code == 200


def test_serve_off_loopback_without_a_token_does_not_start(tmp_path: Path) -> None:
    for args in (["--host", "0.0.0.0"], ["--host", "192.168.1.5"],
                 ["--host", "0.0.0.0", "--token", "short"]):
        result = cli("serve", tmp_path, "--no-browser", *args)
        assert result.returncode == 2, result
        lines = result.stderr.strip().splitlines()
        assert len(lines) == 1 and lines[0].endswith("[serve-needs-token]")
        assert "http://" not in result.stdout  # no address printed: nothing listens


def test_every_response_carries_the_policy_and_no_page_has_inline_script(web: TestClient) -> None:
    for path in ("/", "/station", "/station?name=瑞宝街", "/compare", "/files", "/quality",
                 "/fragment/overview", "/fragment/progress", "/api/summary",
                 "/static/htmx.min.js"):
        response = web.get(path)
        assert response.status_code == 200, path
        assert response.headers["content-security-policy"] == CSP
        assert "'unsafe-inline'" not in CSP and "'unsafe-eval'" not in CSP
        assert response.headers["x-frame-options"] == "DENY"
        assert response.headers["x-content-type-options"] == "nosniff"
        if "html" in response.headers["content-type"]:
            assert not re.search(r"<script(?![^>]*\ssrc=)", response.text), path
            assert not re.search(r"\son[a-z]+\s*=", response.text), path
            assert not re.search(r"\sstyle\s*=", response.text), path


# --------------------------------------------------------------------------- text that acts


def test_input_text_is_shown_as_text(tmp_path: Path) -> None:
    folder = tmp_path / "drop"
    folder.mkdir()
    hc.injected_workbook(folder / "素社街.xlsx", {**INJECTED, **hc.HTML_INJECTED},
                         hc.HTML_OPERATOR)
    (folder / "<img src=x onerror=alert(1)>.xlsx").write_bytes(b"not a workbook")
    with client(folder) as web:
        pages = [web.get("/").text, web.get("/station", params={"name": "素社街"}).text,
                 web.get("/files").text, web.get("/compare").text]
    station = pages[1]
    for text in pages:
        assert "<script>window" not in text and "<img src=x" not in text
        assert "<svg onload" not in text and "<iframe" not in text
        assert 'href="javascript:' not in text
    assert "个案服务节数&lt;script&gt;window.__xl_pwned=&#39;script&#39;&lt;/script&gt;" in station
    assert "小组服务人次{{7*7}}${7*7}" in station  # data, never a template
    assert MARKUP in station and LINK.replace("[", "[") in station
    assert "\\x1b[2J" in station and "\\u202e" in station  # escapes, as the terminal shows
    assert "\x1b" not in station and "\u202e" not in station
    assert "&lt;img src=x onerror=alert(1)&gt;.xlsx" in pages[2]


# --------------------------------------------------------------------------- what ships


def test_htmx_is_the_vendored_file_the_readme_names() -> None:
    digest = hashlib.sha256((WEB / "static" / "htmx.min.js").read_bytes()).hexdigest()
    assert digest in (WEB / "static" / "README.md").read_text("utf-8")


def test_the_page_colours_are_the_workbooks() -> None:
    css = (WEB / "static" / "style.css").read_text("utf-8")
    from xlcompare.web.views import STATUS_CLASSES

    for status, (bg, fg) in STATUS_COLOURS.items():
        rule = re.search(rf"\.{STATUS_CLASSES[status]} \{{([^}}]*)\}}", css)
        assert rule, status
        assert f"background: {bg}" in rule.group(1) and f"color: {fg}" in rule.group(1)


def test_progress_tells_the_table_to_reload_when_reading_is_done(web: TestClient) -> None:
    web.get("/api/summary")
    idle = web.get("/fragment/progress", params={"watching": "1"})
    assert idle.headers.get("hx-trigger") == "xl-summary"
    assert "7 个站点" in idle.text
    assert "hx-trigger" not in web.get("/fragment/progress").headers


def test_a_history_that_is_not_ours_is_said_on_the_page(tmp_path: Path) -> None:
    import sqlite3

    folder = copy_samples(tmp_path / "drop")
    (folder / ".xlcompare").mkdir()
    with sqlite3.connect(folder / ".xlcompare" / "history.sqlite") as db:
        db.execute("CREATE TABLE orders (id INTEGER)")
    with client(folder) as web:
        summary = web.get("/api/summary").json()
        assert summary["error"]["code"] == "history-foreign"
        page = web.get("/")
        assert page.status_code == 200 and "history-foreign" in page.text
        assert web.get("/summary.xlsx").status_code == 503


def test_a_station_page_draws_its_rates_over_every_earlier_report(tmp_path: Path) -> None:
    sys.path.insert(0, str(Path(__file__).resolve().parents[1] / "bench"))
    import generate  # bench/generate.py: realistic generated stations

    folder = tmp_path / "district"
    for cutoff in (date(2024, 9, 30), date(2024, 10, 31), date(2024, 11, 30)):
        generate.generate(folder / f"{cutoff:%Y-%m}", 1, cutoff)
    name = generate.station_name(0)
    with client(folder) as web:
        page = web.get("/station", params={"name": name, "cutoff": "2024-11-30"}).text
        assert page.count("<polyline") >= 2  # indicators and the expected progress
        for cutoff in ("2024-09-30", "2024-10-31", "2024-11-30"):
            assert f">{cutoff}</text>" in page
        _, trends = html_table(page, "trend-table")
        assert trends and all(row[1] == "2024-10-31" for row in trends)
        # the earlier months are no stations of the summary (each station once, by its
        # latest report): they feed the trend
        first = web.get("/station", params={"name": name, "cutoff": "2024-09-30"}).text
        assert "station-not-found" in first


def test_serve_prints_the_address_and_opens_the_browser(tmp_path: Path,
                                                         monkeypatch: pytest.MonkeyPatch) -> None:
    import uvicorn

    from xlcompare.web import server as web_server

    opened: list[str] = []
    ran: list[object] = []

    def run(self: uvicorn.Server, sockets: list[object] | None = None) -> None:
        ran.append(sockets)
        self.started = True
        time.sleep(0.3)  # the browser is opened once the server has started

    monkeypatch.setattr(uvicorn.Server, "run", run)
    monkeypatch.setattr(web_server.webbrowser, "open", opened.append)
    lines: list[str] = []
    web_server.serve(tmp_path, echo=lines.append)
    address = re.search(r"http://127\.0\.0\.1:(\d+)/", lines[0])
    assert address and int(address.group(1)) > 0  # a free port, chosen
    assert opened == [address.group(0)] and ran
    lines.clear()
    web_server.serve(tmp_path, open_browser=False, port=0, echo=lines.append)
    assert len(opened) == 1

    taken = socket.socket()
    taken.bind(("127.0.0.1", 0))
    taken.listen()
    try:
        with pytest.raises(OutputError) as refused:
            web_server.serve(tmp_path, port=taken.getsockname()[1], echo=lines.append)
        assert refused.value.code == "port-in-use"
    finally:
        taken.close()


def test_a_file_copied_into_the_folder_by_hand_is_read_when_the_page_is_shown(
        web: TestClient, drop: Path) -> None:
    assert len(web.get("/api/summary").json()["stations"]) == 7
    hc.injected_workbook(drop / "素社街12月.xlsx", {})  # the builders' 素社街, cut-off 2024-12-31
    page = web.get("/")
    assert page.status_code == 200
    web.app.state.workspace.wait_idle(60)  # type: ignore[attr-defined]
    # read: 素社街 already reports 2025-03-31, so its December is an earlier report, listed
    # among the files and feeding 趋势, the station shown once
    assert len(web.get("/api/summary").json()["stations"]) == 7
    files = web.get("/files").text
    assert "素社街12月.xlsx" in files and "earlier-report" in files
