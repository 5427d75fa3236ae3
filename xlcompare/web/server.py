"""Starting the page: the address (loopback unless told, then only with an access token), a
free port unless one is given, the browser opened on it, uvicorn serving until Ctrl-C."""

from __future__ import annotations

import errno
import os
import socket
import threading
import webbrowser
from collections.abc import Callable, Iterable
from pathlib import Path

from xlcompare.batch.refresh import Judging
from xlcompare.errors import ConfigError, OutputError
from xlcompare.messages import Message
from xlcompare.web.security import Guard, is_loopback, message
from xlcompare.web.uploads import UploadLimits

__all__ = ["MIN_TOKEN", "check_host", "serve"]

MIN_TOKEN = 16  # characters: a token one can guess protects nothing


def check_host(host: str, token: str | None) -> None:
    """A server reachable from other machines needs a token; refuse to start without one."""
    if is_loopback(host):
        if token is not None and len(token) < MIN_TOKEN:
            raise ConfigError(message("serve-needs-token",
                                      Message("serve-needs-token.short", n=len(token))),
                              code="serve-needs-token")
        return
    if not token or len(token) < MIN_TOKEN:
        raise ConfigError(message("serve-needs-token",
                                  Message("serve-needs-token.host", host=host)),
                          code="serve-needs-token")


def _bind(host: str, port: int) -> socket.socket:
    try:
        family, kind, proto, _, address = socket.getaddrinfo(
            host, port, type=socket.SOCK_STREAM, flags=socket.AI_PASSIVE)[0]
        sock = socket.socket(family, kind, proto)
    except OSError as exc:
        raise ConfigError(Message("config-invalid.host", host=host, detail=str(exc))) from None
    try:
        if os.name != "nt":  # on Windows it would let another program take the port too
            sock.setsockopt(socket.SOL_SOCKET, socket.SO_REUSEADDR, 1)
        sock.bind(address)
    except OSError as exc:
        sock.close()
        if exc.errno in (errno.EADDRINUSE, errno.EACCES):
            raise OutputError(message("port-in-use", f"{host}:{port}"), code="port-in-use") from None
        raise
    return sock


def _shown_host(host: str) -> str:
    if host in ("0.0.0.0", "::", ""):
        return socket.gethostname()
    return f"[{host}]" if ":" in host else host


def serve(folder: str | Path, *, host: str = "127.0.0.1", port: int = 0,
          token: str | None = None, open_browser: bool = True,
          allow_hosts: Iterable[str] = (), judged: Judging | None = None,
          jobs: int | None = None, echo: Callable[[str], None] = print) -> None:
    """Serve the page over `folder` until interrupted."""
    check_host(host, token)
    import uvicorn

    from xlcompare.web.app import create_app

    limits = UploadLimits.default()
    sock = _bind(host, port)
    bound = sock.getsockname()[1]
    names = list(allow_hosts)
    if host in ("0.0.0.0", "::"):
        names += [socket.gethostname(), socket.getfqdn()]
    guard = Guard.for_host(host, token, names, limits.max_request_bytes)
    app = create_app(folder, guard=guard, judged=judged, limits=limits, jobs=jobs)
    query = f"?token={token}" if token else ""
    url = f"http://{_shown_host(host)}:{bound}/{query}"
    local = f"http://127.0.0.1:{bound}/{query}"
    config = uvicorn.Config(app, log_level="warning", access_log=False, server_header=False,
                            proxy_headers=False, ws="none", http="h11", loop="asyncio",
                            lifespan="on", timeout_graceful_shutdown=5)
    server = uvicorn.Server(config)
    echo(f"xlcompare serve: {Path(folder)} → {url}")
    if host in ("0.0.0.0", "::"):
        echo("  " + Message("cli.serve-local", address=local).text())
    echo("  " + Message("cli.serve-stop").text())
    if open_browser:
        def _open() -> None:
            while not server.started and not server.should_exit:
                threading.Event().wait(0.05)
            if server.started:
                webbrowser.open(local if host in ("0.0.0.0", "::") else url)

        threading.Thread(target=_open, name="xlcompare-browser", daemon=True).start()
    try:
        server.run(sockets=[sock])
    finally:
        sock.close()
    echo("xlcompare serve: " + Message("cli.stopped").text())
