"""The one place that builds responses for htmx and for plain forms (STYLE.md habits 4 and 5).

One URL serves the full page or its fragment; after a save a plain form gets a 303 to a safe
same-site path and htmx gets the fragment, with an announcement for screen readers. Routes say
what to answer; how it travels (headers, status codes, ``Vary``) is decided here.
"""

import json
from collections.abc import Callable
from urllib.parse import urlsplit

from flask import Response, make_response, redirect, render_template, request
from jinja2_fragments.flask import render_block, render_blocks

# Characters a browser strips or folds before it resolves a URL (WHATWG URL standard): a path
# holding any of them can turn into //host after normalisation, and CR/LF cannot be sent in a
# Location header at all.
_UNSAFE_IN_PATH = frozenset(chr(c) for c in range(0x20)) | {"\x7f", "\\"}


def is_htmx() -> bool:
    """A partial htmx request. A history restore wants the whole page, so it is not one."""
    if request.headers.get("HX-Request") != "true":
        return False
    if request.headers.get("HX-History-Restore-Request") == "true":
        return False
    return request.headers.get("HX-Request-Type", "partial") != "full"


def is_htmx_request() -> bool:
    """Any request htmx sent (a partial, a boosted full page or a history restore)."""
    return request.headers.get("HX-Request") == "true"


def safe_path(target: str | None) -> str | None:
    """``target`` when it is a path on this site as the browser will read it; otherwise None.

    Refused: anything with a scheme or host, ``//host``, backslashes (``/\\host``), and every
    control character, tab and newline included (``/\\t/host`` becomes ``//host`` in a browser;
    CR/LF would split the Location header)."""
    if not target or not target.startswith("/") or len(target) > 2000:
        return None
    if any(char in _UNSAFE_IN_PATH for char in target):
        return None
    parts = urlsplit(target)
    if parts.scheme or parts.netloc or target.startswith("//"):
        return None
    return target


def safe_next(default: str) -> str:
    """Where a form returns to: the local path it named in ``next``, else ``default``."""
    return safe_path(request.form.get("next") or request.args.get("next")) or default


def page_path() -> str | None:
    """The page the user is on: for htmx the browser's URL (not the fragment's), else this one."""
    if is_htmx_request():
        current = urlsplit(request.headers.get("HX-Current-URL", ""))
        if current.netloc and current.netloc != request.host:
            return None
        return safe_path(current.path + (f"?{current.query}" if current.query else ""))
    return safe_path(request.full_path.rstrip("?"))


def _vary(response: Response) -> Response:
    response.vary.add("HX-Request")
    return response


def render(template: str, block: str | None = None, status: int = 200, **context) -> Response:
    """Render the whole page, or only ``block`` of it when htmx asked for a fragment."""
    if block is not None and is_htmx():
        html = render_block(template, block, **context)
    else:
        html = render_template(template, **context)
    return _vary(make_response(html, status))


def render_parts(template: str, blocks: list[str], status: int = 200, **context) -> Response:
    """Several blocks of one page at once: the new content plus its out-of-band parts."""
    return _vary(make_response(render_blocks(template, blocks, **context), status))


def fragment_response(html: str, status: int = 200) -> Response:
    """A fragment rendered elsewhere (a cached one)."""
    return _vary(make_response(html, status))


def render_fragment(template: str, status: int = 200, **context) -> Response:
    """Render an ``_x.html`` fragment that owns its swap target (htmx-only endpoints)."""
    return _vary(make_response(render_template(template, **context), status))


def announce(response: Response, message: str) -> Response:
    """Have app.js read ``message`` aloud after the swap (a polite live region)."""
    triggers = json.loads(response.headers.get("HX-Trigger", "{}") or "{}")
    triggers["announce"] = str(message)
    response.headers["HX-Trigger"] = json.dumps(triggers)
    return response


def retarget(response: Response, selector: str, swap: str = "outerHTML") -> Response:
    """Swap the response somewhere else than the element that asked."""
    response.headers["HX-Retarget"] = selector
    response.headers["HX-Reswap"] = swap
    return response


def fragment_or_page(template: str, block: str, page: Callable[..., Response], status: int = 200,
                     **context) -> Response:
    """A part opened in place: for htmx ``block`` of ``template``; a direct visit gets the whole
    page around it, built by ``page(status=..., **context)``."""
    if is_htmx():
        return render_parts(template, [block], status=status, **context)
    return page(status=status, **context)


def after_save(url: str, message: str, fragment: Callable[[], Response], target: str | None = None) -> Response:
    """The answer to a save: a plain form gets a 303 to ``url``; htmx gets ``fragment()`` (built only
    then, from the reloaded record), swapped into ``target`` when given, and ``message`` read aloud."""
    if not is_htmx():
        return redirect(url, 303)
    response = fragment()
    if target is not None:
        retarget(response, target)
    return announce(response, message)


def conflict(form, saved, page: Callable[[int], Response]) -> Response:
    """409 after a stale save (strategy/concurrency.py): the person's input stays in the form, the
    saved record is shown next to it by ``page(status)``, and the form now carries the saved
    version, so saving again is a deliberate overwrite."""
    form.version.data = str(saved.version)
    return page(409)


def redirect_to(url: str) -> Response:
    """After a POST: 303 for a plain form, a client-side redirect for htmx."""
    if is_htmx_request():
        response = make_response("", 204)
        response.headers["HX-Redirect"] = url
        return response
    response = make_response("", 303)
    response.headers["Location"] = url
    return response
