"""The pages and the JSON API of `xlcompare serve`: each route one call into the workspace
(the library) and one template or JSON document. Nothing is judged or summed here.

    GET  /                总览: drop zone, colour table, chart, 滞后 list, paragraphs
    GET  /station         站点: the list; ?name=&cutoff= one station
    GET  /compare         对比: ?a=KEY&b=KEY
    GET  /files           文件: every file, with a way to remove one
    GET  /quality         数据质量: the flags to check with the stations, and 报送情况
    POST /quality/verify  mark a flag 已核实 with a note (the history keeps it)
    POST /upload          the drop zone's form (htmx or a plain form post)
    POST /files/remove    take a file out of the folder (after GET /files/remove?id=)
    POST /api/files       multipart field `file`, repeatable → the ledger entries (JSON)
    GET  /api/summary     stations with their statuses and lagging indicators (JSON)
    GET  /summary.xlsx    the summary workbook `xlcompare batch` writes
    GET  /diff.xlsx       ?a=STATION&b=STATION: the workbook `xlcompare diff` writes
"""

from __future__ import annotations

import base64
import binascii
import re
from collections.abc import AsyncIterator
from contextlib import asynccontextmanager
from datetime import date
from pathlib import Path
from typing import Any
from urllib.parse import quote, urlencode

import anyio
from jinja2 import Environment, PackageLoader
from starlette.applications import Starlette
from starlette.datastructures import FormData, UploadFile
from starlette.exceptions import HTTPException
from starlette.middleware import Middleware
from starlette.requests import Request
from starlette.responses import HTMLResponse, JSONResponse, RedirectResponse, Response
from starlette.routing import Mount, Route
from starlette.staticfiles import StaticFiles

from xlcompare.batch.follow_up import mark_verified
from xlcompare.batch.refresh import Judging
from xlcompare.display import number, percent
from xlcompare.errors import XlcompareError
from xlcompare.files import SUFFIXES
from xlcompare.summary import ATTENDANCE_FIGURES, FileRecord, FileStatus
from xlcompare.web.charts import compare_chart, status_chart, trend_chart
from xlcompare.web.removal import REMOVED_DIR, Removal, remove
from xlcompare.web.security import Guard, GuardMiddleware, csrf_ok, message, refusal_body
from xlcompare.web.uploads import ZIP, Arrival, UploadLimits, receive
from xlcompare.web.views import (
    cell_text,
    ledger_entry,
    shown,
    status_class,
    summary_payload,
    trend_points,
)
from xlcompare.web.workspace import Workspace, station_key

__all__ = ["create_app"]

XLSX = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"
SIZE_CODES = {"upload-too-large"}
_FILE_STATUS_CLASSES = {FileStatus.READ: "s-ontrack", FileStatus.HISTORY: "s-ontrack",
                        FileStatus.FAILED: "s-lagging", FileStatus.NOT_READY: "s-broadly",
                        FileStatus.IGNORED: "s-none", FileStatus.DUPLICATE: "s-none"}


def file_id(path: str) -> str:
    """A file's name in the folder as a URL- and form-safe word (the name may hold anything
    a file system allows)."""
    raw = path.encode("utf-8", "surrogateescape")
    return base64.urlsafe_b64encode(raw).decode("ascii").rstrip("=")


def path_of(ident: str) -> str | None:
    try:
        raw = base64.urlsafe_b64decode(ident + "=" * (-len(ident) % 4))
    except (binascii.Error, ValueError):
        return None
    return raw.decode("utf-8", "surrogateescape")


def station_href(name: str, cutoff: date | None) -> str:
    query = {"name": name, **({"cutoff": cutoff.isoformat()} if cutoff else {})}
    return "/station?" + urlencode(query)


def _open_flags(summaries: Any) -> set[str]:
    """The 编号 of the flags not yet 已核实: each gets a form to mark it."""
    return {f.ident for s in summaries for f in s.flags if f.verified is None}


def _environment() -> Environment:
    env = Environment(loader=PackageLoader("xlcompare.web", "templates"), autoescape=True,
                      finalize=shown, trim_blocks=True, lstrip_blocks=True)
    env.globals.update(cell_text=cell_text, status_class=status_class, pct=percent, num=number,
                       station_href=station_href, file_id=file_id,
                       file_class=lambda s: _FILE_STATUS_CLASSES.get(s, ""))
    return env


def _download(content: bytes, name: str, fallback: str) -> Response:
    safe = re.sub(r'[\x00-\x1f\x7f/\\:*?"<>|]', "_", name)
    disposition = f"attachment; filename=\"{fallback}\"; filename*=UTF-8''{quote(safe)}"
    return Response(content, media_type=XLSX, headers={"content-disposition": disposition})


class Pages:
    def __init__(self, workspace: Workspace, guard: Guard, limits: UploadLimits) -> None:
        self.ws, self.guard, self.limits = workspace, guard, limits
        self.env = _environment()
        self.receiving = 0  # uploads being received: the page shows them as busy

    # ------------------------------------------------------------------ rendering

    def render(self, name: str, page: str = "", status: int = 200,
               headers: dict[str, str] | None = None, **context: Any) -> HTMLResponse:
        base = {"csrf": self.guard.csrf, "folder": str(self.ws.folder), "page": page,
                "error": self.ws.error}
        html = self.env.get_template(name).render({**base, **context})
        return HTMLResponse(html, status_code=status, headers=headers)

    def _message(self, heading: str, code: str, detail: str = "", status: int = 400
                 ) -> HTMLResponse:
        return self.render("message.html", status=status, heading=heading,
                           text=message(code, detail), code=code)

    def _rel(self, path: str) -> str:
        try:
            return Path(path).relative_to(self.ws.folder).as_posix()
        except ValueError:
            return Path(path).name

    def _busy(self) -> bool:
        return self.ws.progress.busy or self.receiving > 0

    def _progress_context(self) -> dict[str, Any]:
        result = self.ws.result
        files_line = ""
        if result is not None:
            files_line = (f"共 {len(result.files)} 个文件：本次读取 {result.read}，来自历史记录 "
                          f"{result.from_history}，未能读取 {len(result.failed)}")
        return {"busy": self._busy(), "progress": self.ws.progress, "receiving": self.receiving,
                "summary": result, "files_line": files_line}

    def _overview_context(self) -> dict[str, Any]:
        from xlcompare.writers.summary_tables import summary_tables

        result = self.ws.result
        if result is None:
            return {"summary": None, "tables": {}, "chart": None}
        return {"summary": result, "tables": {t.name: t for t in summary_tables(result)},
                "chart": status_chart(result.summaries)}

    async def _settled(self) -> None:
        """Wait for the first summary when it is still being made."""
        if self.ws.result is None:
            await anyio.to_thread.run_sync(self.ws.wait_idle, 300)

    # ------------------------------------------------------------------ pages

    async def _follow_folder(self) -> None:
        """Files put in the folder by other means than this page are read when a page shows
        the folder: the page then shows the progress and reloads its table."""
        if await anyio.to_thread.run_sync(self.ws.changed):
            self.ws.ask()

    async def overview(self, request: Request) -> Response:
        await self._follow_folder()
        return self.render("overview.html", "overview", arrivals=[],
                           accept=",".join((*SUFFIXES, ZIP)),
                           **{**self._progress_context(), **self._overview_context()})

    async def overview_fragment(self, request: Request) -> Response:
        return self.render("_overview.html", **self._overview_context())

    async def progress_fragment(self, request: Request) -> Response:
        context = self._progress_context()
        headers = {}
        if request.query_params.get("watching") == "1" and not context["busy"]:
            headers["HX-Trigger"] = "xl-summary"  # the table reloads with what was read
        return self.render("_progress.html", headers=headers, **context)

    async def station(self, request: Request) -> Response:
        await self._settled()
        name = request.query_params.get("name")
        if not name:
            return self.render("stations.html", "station", entries=self.ws.summaries())
        cutoff = request.query_params.get("cutoff")
        key = f"{name}@{cutoff}" if cutoff else name
        found = self.ws.find(key)
        if found is None or self.ws.result is None:
            return self._message("站点", "station-not-found", key, 404)
        result, summary = found
        report = result.report
        earlier = self.ws.earlier.get((result.name, report.cutoff), []) if report.cutoff else []
        points = trend_points(result, earlier, self.ws.result)
        from xlcompare.writers.summary_tables import quality_table

        key = station_key(result.name, report.cutoff)
        return self.render(
            "station.html", "station", result=result, summary=summary, key=key,
            quality=quality_table((summary,)), open_flags=_open_flags((summary,)),
            back=station_href(result.name, report.cutoff),
            notice=self._verified_notice(request),
            sources=[self._rel(s) for s in report.sources],
            problems=[(self._rel(p.file), p) for p in report.problems],
            trends=[t for t in self.ws.result.trends
                    if t.station == result.name and t.cutoff == report.cutoff],
            trend_chart=trend_chart(points.points, points.names, points.expected),
            attendance_figures=ATTENDANCE_FIGURES)

    def _choices(self) -> list[tuple[str, str]]:
        return [(station_key(r.name, r.report.cutoff),
                 f"{r.name}（截至 {r.report.cutoff.isoformat() if r.report.cutoff else '?'}）")
                for r in self.ws.stations()]

    async def compare(self, request: Request) -> Response:
        await self._settled()
        choices = self._choices()
        keys = [k for k, _ in choices]
        a = request.query_params.get("a") or (keys[0] if keys else "")
        b = request.query_params.get("b") or next((k for k in keys if k != a), a)
        comparison = self.ws.compare(a, b) if a and b else None
        missing = "" if comparison or not keys else message("station-not-found", f"{a} / {b}")
        context: dict[str, Any] = {"choices": choices, "a": a, "b": b, "missing": missing,
                                   "comparison": comparison}
        if comparison is not None:
            from xlcompare.prose import station_paragraph

            x, y = comparison.a, comparison.b
            labels = (x.name, y.name) if x.name != y.name else (
                f"{x.name}（{x.report.cutoff}）", f"{y.name}（{y.report.cutoff}）")
            taxonomy = self.ws.result.taxonomy if self.ws.result else None
            context.update(labels=labels, chart=compare_chart(comparison, labels),
                           paragraphs=[station_paragraph(x, taxonomy),
                                       station_paragraph(y, taxonomy)])
        return self.render("compare.html", "compare", **context)

    async def files(self, request: Request) -> Response:
        await self._follow_folder()
        await anyio.to_thread.run_sync(self.ws.wait_idle, 300)
        from xlcompare.writers.summary_tables import summary_tables

        result = self.ws.result
        tables = {t.name: t for t in summary_tables(result)} if result else {}
        notice = ""
        removed = path_of(request.query_params.get("removed", ""))
        if removed:
            notice = f"已移出：{removed}（在文件夹的 {REMOVED_DIR} 中）"
        return self.render("files.html", "files", table=tables.get("文件"),
                           problems=tables.get("问题"), notice=notice)

    async def quality(self, request: Request) -> Response:
        await self._follow_folder()
        await self._settled()
        from xlcompare.writers.summary_tables import quality_table, reporting_table

        result = self.ws.result
        return self.render(
            "quality.html", "quality", summary=result, notice=self._verified_notice(request),
            back="/quality",
            quality=quality_table(result.summaries) if result else None,
            reporting=reporting_table(result) if result else None,
            open_flags=_open_flags(result.summaries) if result else set())

    def _verified_notice(self, request: Request) -> str:
        """After a mark: said only of a flag the summary now holds as 已核实."""
        ident = request.query_params.get("verified", "")
        done = {f.ident for s in self.ws.summaries() for f in s.flags if f.verified is not None}
        return f"已将 {ident} 标记为已核实" if ident in done else ""

    async def verify(self, request: Request) -> Response:
        async with request.form(max_files=0, max_fields=6) as form:
            fields = {k: form.get(k) for k in ("csrf", "id", "note", "back")}
        text = {k: v if isinstance(v, str) else "" for k, v in fields.items()}
        if not csrf_ok(self.guard, request.headers, text["csrf"] or None):
            return self._message("数据质量", "csrf-token-missing", "", 403)
        ident, note = text["id"].strip().upper(), text["note"].strip()
        known = {f.ident for s in self.ws.summaries() for f in s.flags}
        if ident not in known:
            return self._message("数据质量", "flag-not-found", ident, 404)
        if not note:
            return self._message("数据质量", "flag-note-missing", ident)
        # the mark is made on the folder's own summary and history: none may be under way
        await anyio.to_thread.run_sync(self.ws.wait_idle, 600)
        try:
            await anyio.to_thread.run_sync(
                lambda: mark_verified(self.ws.folder, ident, note, db=self.ws.history(),
                                      judged=self.ws.judged))
        except XlcompareError as exc:
            status = 404 if exc.code == "flag-not-found" else 400
            return self._message("数据质量", exc.code, ident, status)
        await anyio.to_thread.run_sync(self.ws.wait, self.ws.ask())
        back = text["back"]
        # only this server's own two pages: a form is never a way to send the officer elsewhere
        if not (back == "/quality" or back.startswith("/station?")):
            back = "/quality"
        joiner = "&" if "?" in back else "?"
        return RedirectResponse(f"{back}{joiner}{urlencode({'verified': ident})}",
                                status_code=303)

    def _listed(self) -> list[str]:
        return [f.path for f in self.ws.result.files] if self.ws.result else []

    async def remove_confirm(self, request: Request) -> Response:
        rel = path_of(request.query_params.get("id", ""))
        if rel is None or rel not in self._listed():
            return self._message("移除文件", "file-not-listed", "", 404)
        return self.render("remove.html", "files", path=rel, file_id=file_id(rel),
                           removed_dir=REMOVED_DIR)

    async def remove(self, request: Request) -> Response:
        async with request.form(max_files=0, max_fields=5) as form:
            token, ident = form.get("csrf"), form.get("id")
        if not csrf_ok(self.guard, request.headers, token if isinstance(token, str) else None):
            return self._message("移除文件", "csrf-token-missing", "", 403)
        rel = path_of(ident) if isinstance(ident, str) else None
        if rel is None:
            return self._message("移除文件", "file-not-listed", "", 404)
        try:
            moved = await anyio.to_thread.run_sync(remove, self.ws.folder, rel, self._listed(),
                                                   self.ws.history())
        except Removal as refused:
            return self._message("移除文件", refused.code, refused.reason)
        await anyio.to_thread.run_sync(self.ws.wait, self.ws.ask())
        return RedirectResponse(f"/files?removed={file_id(moved)}", status_code=303)

    # ------------------------------------------------------------------ uploads

    async def _receive(self, request: Request
                       ) -> tuple[list[tuple[Arrival, FileRecord | None]], tuple[int, str, str] | None]:
        """Save every `file` part of the request and bring the summary up to date: each
        arrival with the folder's record of it, or (status, code, detail) of a refusal of
        the whole request."""
        self.receiving += 1
        try:
            try:
                form: FormData = await request.form(max_files=self.limits.max_files,
                                                    max_fields=10, max_part_size=64 * 1024)
            except HTTPException as exc:
                code = "too-many-files" if "files" in str(exc.detail).lower() else "no-files-sent"
                return [], (400, code, f"上限 {self.limits.max_files} 个")
            try:
                token = form.get("csrf")
                if not csrf_ok(self.guard, request.headers,
                               token if isinstance(token, str) else None):
                    return [], (403, "csrf-token-missing", "")
                uploads = [v for v in form.getlist("file") if isinstance(v, UploadFile)]
                if not uploads:
                    return [], (400, "no-files-sent", "")
                arrivals: list[Arrival] = []
                # a summary under way would see half the files: the files land after it,
                # and the summary made for them reads them (the ledger says 已读取)
                await anyio.to_thread.run_sync(self.ws.wait_idle, 600)
                protected = [self.ws.history()]
                for upload in uploads:
                    arrivals += await anyio.to_thread.run_sync(
                        receive, self.ws.folder, upload.filename or "", upload.file,
                        upload.size or 0, self.limits, protected)
            finally:
                await form.close()
            if any(a.saved for a in arrivals):
                await anyio.to_thread.run_sync(self.ws.wait, self.ws.ask())
        finally:
            self.receiving -= 1
        records = {f.path: f for f in self.ws.result.files} if self.ws.result else {}
        return [(a, records.get(a.saved_as) if a.saved_as else None) for a in arrivals], None

    async def upload(self, request: Request) -> Response:
        arrivals, refused = await self._receive(request)
        htmx = request.headers.get("hx-request") == "true"
        if refused is not None:
            status, code, detail = refused
            if htmx:
                return self.render("message_fragment.html", status=200,
                                   text=message(code, detail), code=code)
            return self._message("上传", code, detail, status)
        if htmx:
            return self.render("_ledger.html", headers={"HX-Trigger": "xl-summary"},
                               arrivals=arrivals)
        return self.render("overview.html", "overview", arrivals=arrivals,
                           accept=",".join((*SUFFIXES, ZIP)),
                           **{**self._progress_context(), **self._overview_context()})

    async def api_files(self, request: Request) -> Response:
        arrivals, refused = await self._receive(request)
        if refused is not None:
            status, code, detail = refused
            return JSONResponse(refusal_body(code, detail), status_code=status)
        entries = [ledger_entry(a, record) for a, record in arrivals]
        payload: dict[str, Any] = {"files": entries}
        if self.ws.error is not None:
            payload["error"] = {"code": self.ws.error[0], "message": self.ws.error[1]}
        refusals = [a for a, _ in arrivals if a.code and a.code != "same-file-there"]
        if refusals and not any(a.saved for a, _ in arrivals):
            first = refusals[0]
            payload["error"] = {"code": first.code, "message": f"{first.name}：{first.reason}"}
            status = 413 if all(a.code in SIZE_CODES for a in refusals) else 400
            return JSONResponse(payload, status_code=status)
        return JSONResponse(payload)

    # ------------------------------------------------------------------ data

    async def api_summary(self, request: Request) -> Response:
        await self._settled()
        return JSONResponse(summary_payload(self.ws.result, self._busy(), self.ws.error))

    async def summary_xlsx(self, request: Request) -> Response:
        await self._settled()
        content = await anyio.to_thread.run_sync(self.ws.summary_workbook)
        if content is None:
            return JSONResponse(refusal_body("summary-not-ready"), status_code=503)
        return _download(content, "社工站指标完成情况汇总.xlsx", "xlcompare-summary.xlsx")

    async def diff_xlsx(self, request: Request) -> Response:
        await self._settled()
        a, b = request.query_params.get("a", ""), request.query_params.get("b", "")
        comparison = self.ws.compare(a, b)
        if comparison is None:
            return JSONResponse(refusal_body("station-not-found", f"{a} / {b}"), status_code=404)
        content = await anyio.to_thread.run_sync(self.ws.diff_workbook, comparison)
        return _download(content, f"对比_{comparison.a.name}_{comparison.b.name}.xlsx",
                         "xlcompare-diff.xlsx")


def create_app(folder: str | Path, *, guard: Guard | None = None, judged: Judging | None = None,
               limits: UploadLimits | None = None, jobs: int | None = None) -> Starlette:
    """The application over the drop folder `folder`; its first summary is made as it
    starts. `guard` names the hosts and tokens (default: loopback, no access token)."""
    limits = limits or UploadLimits.default()
    guard = guard or Guard(max_body_bytes=limits.max_request_bytes)
    workspace = Workspace(Path(folder), judged, jobs)
    pages = Pages(workspace, guard, limits)

    @asynccontextmanager
    async def lifespan(app: Starlette) -> AsyncIterator[None]:
        workspace.ask()
        yield

    routes = [
        Route("/", pages.overview),
        Route("/fragment/overview", pages.overview_fragment),
        Route("/fragment/progress", pages.progress_fragment),
        Route("/station", pages.station),
        Route("/compare", pages.compare),
        Route("/files", pages.files),
        Route("/quality", pages.quality),
        Route("/quality/verify", pages.verify, methods=["POST"]),
        Route("/files/remove", pages.remove_confirm, methods=["GET"]),
        Route("/files/remove", pages.remove, methods=["POST"]),
        Route("/upload", pages.upload, methods=["POST"]),
        Route("/api/files", pages.api_files, methods=["POST"]),
        Route("/api/summary", pages.api_summary),
        Route("/summary.xlsx", pages.summary_xlsx),
        Route("/diff.xlsx", pages.diff_xlsx),
        Mount("/static", StaticFiles(packages=[("xlcompare.web", "static")]), name="static"),
    ]
    app = Starlette(routes=routes, lifespan=lifespan,
                    middleware=[Middleware(GuardMiddleware, guard=guard)])
    app.state.workspace = workspace
    app.state.guard = guard
    return app
