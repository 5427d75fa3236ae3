"""What keeps a page on localhost from being used by every other site the officer visits.

One ASGI layer in front of every route, static files included:

- the Host header must name this server (a loopback name, or what `--host` allowed): a page
  of another site that rebinds its own name to 127.0.0.1 (DNS rebinding) sends its own name
  and is refused;
- with an access token (required off loopback), every request carries it: `?token=` once
  (then a cookie, HttpOnly and SameSite=Strict, and the token is taken out of the address),
  the cookie, or `Authorization: Bearer`;
- a request that changes something (not GET/HEAD) from a browser must come from this page:
  its `Origin` is this server's own and `Sec-Fetch-Site` says same-origin; the routes then
  also check the page's CSRF token (`csrf_ok`). A request with neither header is not from a
  browser (a script on this machine), which no other site can make;
- the body is counted as it arrives and cut off past the limit;
- every response carries a Content-Security-Policy without inline script (only the
  package's own static files run), no framing, no sniffing, no caching of pages.
"""

from __future__ import annotations

import hmac
import ipaddress
import json
import secrets
from collections.abc import Iterable
from dataclasses import dataclass, field
from http.cookies import SimpleCookie
from typing import Any
from urllib.parse import parse_qsl, urlencode

from xlcompare.codes import ALL_CODES

__all__ = ["CSRF_FIELD", "CSRF_HEADER", "Guard", "GuardMiddleware", "LOOPBACK_NAMES",
           "csrf_ok", "is_loopback", "message", "refusal_body"]

LOOPBACK_NAMES = frozenset({"127.0.0.1", "localhost", "::1", "[::1]"})
CSRF_HEADER = "x-csrf-token"
CSRF_FIELD = "csrf"
TOKEN_COOKIE = "xlcompare-token"
SAFE_METHODS = frozenset({"GET", "HEAD", "OPTIONS"})

CSP = ("default-src 'none'; script-src 'self'; style-src 'self'; img-src 'self'; "
       "font-src 'self'; connect-src 'self'; form-action 'self'; frame-ancestors 'none'; "
       "base-uri 'none'")
HEADERS = [
    (b"content-security-policy", CSP.encode()),
    (b"x-content-type-options", b"nosniff"),
    (b"x-frame-options", b"DENY"),
    # not no-referrer: with it, a browser sends `Origin: null` on the page's own form posts
    (b"referrer-policy", b"same-origin"),
    (b"cross-origin-opener-policy", b"same-origin"),
    (b"cross-origin-resource-policy", b"same-origin"),
]


def is_loopback(host: str) -> bool:
    """Whether `--host` keeps the server to this machine."""
    name = host.strip("[]").lower()
    if name == "localhost":
        return True
    try:
        return ipaddress.ip_address(name).is_loopback
    except ValueError:
        return False


def message(code: str, detail: str = "") -> str:
    """The words of a refusal: the catalogue's Chinese and English lines, then the case."""
    zh, en = ALL_CODES[code]
    return f"{zh} ({en})" + (f"：{detail}" if detail else "")


def refusal_body(code: str, detail: str = "") -> dict[str, Any]:
    return {"error": {"code": code, "message": message(code, detail)}}


@dataclass(frozen=True)
class Guard:
    """This server's names, its page token and its access token (None: loopback only)."""

    hosts: frozenset[str] = LOOPBACK_NAMES
    token: str | None = None
    csrf: str = field(default_factory=lambda: secrets.token_urlsafe(24))
    max_body_bytes: int = 256 * 2**20

    @classmethod
    def for_host(cls, host: str, token: str | None, extra: Iterable[str] = (),
                 max_body_bytes: int = 256 * 2**20) -> Guard:
        names = set(LOOPBACK_NAMES) | {h.lower() for h in extra}
        if host not in ("0.0.0.0", "::", ""):
            names.add(host.lower())
        return cls(frozenset(names), token, max_body_bytes=max_body_bytes)

    def host_allowed(self, host_header: str) -> bool:
        return _host_name(host_header) in self.hosts

    def token_ok(self, given: str | None) -> bool:
        return self.token is None or (
            given is not None and hmac.compare_digest(given.encode(), self.token.encode()))


def _host_name(value: str) -> str:
    """`[::1]:8000` → `[::1]`, `localhost:8000` → `localhost`, lower-cased."""
    value = value.strip().lower()
    if value.startswith("["):
        end = value.find("]")
        return value[:end + 1] if end > 0 else value
    return value.rsplit(":", 1)[0] if value.count(":") == 1 else value


def csrf_ok(guard: Guard, headers: Any, form_value: str | None = None) -> bool:
    """Whether a state-changing request carries this page's CSRF token, or is not from a
    browser at all (no Origin and no Sec-Fetch-Site: a script on this machine)."""
    from_browser = "origin" in headers or "sec-fetch-site" in headers
    if not from_browser:
        return True
    given = headers.get(CSRF_HEADER) or form_value or ""
    return hmac.compare_digest(given.encode(), guard.csrf.encode())


class _TooLarge(Exception):
    pass


class GuardMiddleware:
    """The checks above, in front of the application."""

    def __init__(self, app: Any, guard: Guard) -> None:
        self.app, self.guard = app, guard

    async def __call__(self, scope: dict, receive: Any, send: Any) -> None:
        if scope["type"] != "http":
            await self.app(scope, receive, send)
            return
        headers = {k.decode("latin-1").lower(): v.decode("latin-1")
                   for k, v in scope.get("headers", [])}
        path = scope.get("path", "")
        api = path.startswith("/api/")
        guard = self.guard
        if not guard.host_allowed(headers.get("host", "")):
            await _refuse(send, 400, "host-not-allowed", headers.get("host", "")[:100], api)
            return
        if guard.token is not None:
            redirect = await self._token(scope, headers, send, api)
            if redirect is not False:
                return
        method = scope.get("method", "GET")
        if method not in SAFE_METHODS:
            origin = headers.get("origin")
            site = headers.get("sec-fetch-site")
            if origin is not None and origin != f"http://{headers.get('host', '')}":
                await _refuse(send, 403, "foreign-origin", origin[:100], api)
                return
            if site is not None and site not in ("same-origin", "none"):
                await _refuse(send, 403, "foreign-origin", f"Sec-Fetch-Site: {site[:40]}", api)
                return
            length = headers.get("content-length", "")
            if length.isdigit() and int(length) > guard.max_body_bytes:
                await _refuse(send, 413, "request-too-large", _limit_words(guard), api)
                return
        started, total = False, 0

        async def counted_receive() -> dict:
            nonlocal total
            message = await receive()
            if message.get("type") == "http.request":
                total += len(message.get("body", b""))
                if total > guard.max_body_bytes:
                    raise _TooLarge
            return message

        async def guarded_send(message: dict) -> None:
            nonlocal started
            if message["type"] == "http.response.start":
                started = True
                extra = list(HEADERS)
                if not path.startswith("/static/"):
                    extra.append((b"cache-control", b"no-store"))
                message = {**message, "headers": [*message.get("headers", []), *extra]}
            await send(message)

        try:
            await self.app(scope, counted_receive, guarded_send)
        except _TooLarge:
            if not started:
                await _refuse(send, 413, "request-too-large", _limit_words(guard), api)

    async def _token(self, scope: dict, headers: dict[str, str], send: Any,
                     api: bool) -> bool | None:
        """False when the request carries the access token; otherwise the request has been
        answered (a redirect that sets the cookie, or a refusal)."""
        guard = self.guard
        query = parse_qsl(scope.get("query_string", b"").decode("latin-1"),
                          keep_blank_values=True)
        given = dict(query).get("token")
        if given is not None and guard.token_ok(given):
            rest = urlencode([(k, v) for k, v in query if k != "token"])
            location = scope.get("path", "/") + (f"?{rest}" if rest else "")
            cookie = f"{TOKEN_COOKIE}={given}; HttpOnly; SameSite=Strict; Path=/"
            await send({"type": "http.response.start", "status": 303, "headers": [
                (b"location", location.encode("utf-8")), (b"set-cookie", cookie.encode()),
                *HEADERS]})
            await send({"type": "http.response.body", "body": b""})
            return None
        cookies = SimpleCookie()
        try:
            cookies.load(headers.get("cookie", ""))
        except Exception:  # noqa: BLE001 - a malformed cookie header is no token
            cookies = SimpleCookie()
        morsel = cookies.get(TOKEN_COOKIE)
        bearer = headers.get("authorization", "")
        candidates = [morsel.value if morsel else None,
                      bearer[7:] if bearer.lower().startswith("bearer ") else None]
        if any(guard.token_ok(c) for c in candidates if c is not None):
            return False
        await _refuse(send, 401, "access-token-required", "", api)
        return None


def _limit_words(guard: Guard) -> str:
    return f"上限 {guard.max_body_bytes / 2**20:g} MB"


async def _refuse(send: Any, status: int, code: str, detail: str, api: bool) -> None:
    if api:
        body = json.dumps(refusal_body(code, detail), ensure_ascii=False).encode("utf-8")
        kind = b"application/json"
    else:
        body = f"{message(code, detail)} [{code}]\n".encode()
        kind = b"text/plain; charset=utf-8"
    await send({"type": "http.response.start", "status": status, "headers": [
        (b"content-type", kind), (b"content-length", str(len(body)).encode()),
        (b"cache-control", b"no-store"), *HEADERS]})
    await send({"type": "http.response.body", "body": body})
