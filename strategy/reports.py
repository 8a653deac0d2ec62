"""Printable reports and their PDF rendering: the overview's reports, the SUS report, the Skoleudvalg.

The same template renders the print-ready page (inside the site layout, with a print stylesheet)
and the PDF (inside a bare layout). WeasyPrint may fetch nothing from the network: its URL
fetcher serves files below /static from disk and refuses everything else.
"""

from __future__ import annotations

import functools
import mimetypes
from pathlib import Path
from urllib.parse import unquote, urlsplit

from flask import current_app, make_response, render_template, request


@functools.cache
def _fetcher_class():
    # WeasyPrint is imported on first use only: it adds half a second to every process start.
    from weasyprint.urls import URLFetcher, URLFetcherResponse

    class StaticOnlyFetcher(URLFetcher):
        """Serves /static/... of this site from disk; refuses every other URL, so no network access."""

        def __init__(self, static_folder: str, static_url_path: str, host: str):
            super().__init__(allowed_protocols=("http", "https"), allow_redirects=False)
            self.root = Path(static_folder).resolve()
            self.prefix = (static_url_path or "/static").rstrip("/") + "/"
            self.host = host

        def fetch(self, url: str, headers=None) -> URLFetcherResponse:
            parts = urlsplit(url)
            path = unquote(parts.path)
            if parts.scheme not in ("http", "https") or parts.netloc != self.host or not path.startswith(self.prefix):
                raise ValueError(f"refused to fetch {url!r}: only this site's static files are allowed")
            file = (self.root / path[len(self.prefix) :]).resolve()
            if not file.is_relative_to(self.root) or not file.is_file():
                raise ValueError(f"no static file for {url!r}")
            mime_type, _encoding = mimetypes.guess_type(file.name)
            return URLFetcherResponse(url, file.read_bytes(), {"Content-Type": mime_type or "application/octet-stream"})

    return StaticOnlyFetcher


def static_only_fetcher():
    return _fetcher_class()(current_app.static_folder, current_app.static_url_path, request.host)


def render_pdf(html: str) -> bytes:
    from weasyprint import HTML

    return HTML(string=html, base_url=request.host_url, url_fetcher=static_only_fetcher()).write_pdf()


def pdf_response(template: str, download_name: str, **context):
    """Render ``template`` in the bare PDF layout and answer with the PDF as a download."""
    html = render_template(template, layout="overview/_pdf_layout.html", pdf=True, **context)
    response = make_response(render_pdf(html))
    response.mimetype = "application/pdf"
    response.headers["Content-Disposition"] = f'attachment; filename="{download_name}"'
    return response
