"""`xlcompare serve`: a local web page over one drop folder, for staff without a terminal.

A thin layer over the library: the pages show the batch summary's own tables, the downloads
are the workbooks `batch` and `diff` write, and uploads land in the folder the batch reads.
Needs the `web` extra (Starlette, Jinja2, uvicorn, python-multipart).

    workspace.py   the folder's latest summary, rebuilt in a thread, with progress
    uploads.py     files sent, saved under checked names, never overwriting; .zip unpacked
    removal.py     a file taken out of the folder into .已移除/
    security.py    Host allow-list, access token, same-origin and CSRF checks, CSP
    views.py       what the templates and the JSON API show, from the library's results
    charts.py      the SVG charts as shapes
    app.py         the routes
    server.py      the address, the port, the browser, uvicorn
"""

from typing import TYPE_CHECKING

from xlcompare.lazy import lazy_names

if TYPE_CHECKING:
    from xlcompare.web.app import create_app
    from xlcompare.web.server import serve

__getattr__ = lazy_names(__name__, {"create_app": "xlcompare.web.app",
                                    "serve": "xlcompare.web.server"})

__all__ = ["create_app", "serve"]
