"""Small helpers the tests share."""

import re
from datetime import UTC, date, datetime, time, timedelta
from zoneinfo import ZoneInfo

import sqlalchemy as sa

from strategy.extensions import db

CPH = ZoneInfo("Europe/Copenhagen")


def sign_in(client, user) -> None:
    """Sign ``user`` (or a ``user.get_id()``) in on ``client`` by writing the session as the login
    form would (fast: no password hash). The one way tests sign in; ``login_as`` calls it."""
    now = datetime.now(UTC).timestamp()
    user_id = user if isinstance(user, str) else user.get_id()
    with client.session_transaction() as session:
        session.clear()
        session.update({"_user_id": user_id, "_fresh": True, "started_at": now, "seen_at": now})


def local(day: date, hour: int = 10, minute: int = 0) -> datetime:
    """A Copenhagen wall-clock time, as the forms store it (aware)."""
    return datetime.combine(day, time(hour, minute), CPH)


def yesterday() -> date:
    return date.today() - timedelta(days=1)


def utc(*args) -> datetime:
    return datetime(*args, tzinfo=UTC)


def by_key(model, key):
    """The row of ``model`` with this ``key`` (reference data: periods, political goals ...)."""
    return db.session.scalar(sa.select(model).where(model.key == key))


def htmx_headers(**extra) -> dict[str, str]:
    """The headers htmx 4 sends for a partial swap."""
    return {"HX-Request": "true", "HX-Request-Type": "partial", **extra}


def text_of(response) -> str:
    """The visible text of an HTML response, whitespace collapsed, for asserting what users read."""
    html = response.get_data(as_text=True)
    html = re.sub(r"<(script|style)\b.*?</\1>", " ", html, flags=re.S)
    text = re.sub(r"<[^>]+>", " ", html)
    for entity, char in (("&amp;", "&"), ("&lt;", "<"), ("&gt;", ">"), ("&#34;", '"'), ("&#39;", "'"), ("&quot;", '"')):
        text = text.replace(entity, char)
    return re.sub(r"\s+", " ", text).strip()


def reload(obj):
    db.session.expire_all()
    return db.session.get(type(obj), obj.id)


def document_text(response) -> str:
    """Everything a person could read in a response: a page, a CSV, every cell of an xlsx, the
    text of a PDF. For tests that look for a marker wherever it might leak."""
    import io

    data = response.get_data()
    if data.startswith(b"%PDF"):
        from pypdf import PdfReader

        return "\n".join(page.extract_text() or "" for page in PdfReader(io.BytesIO(data)).pages)
    if data.startswith(b"PK"):
        from openpyxl import load_workbook

        book = load_workbook(io.BytesIO(data), read_only=True)
        return "\n".join(
            str(value) for sheet in book.worksheets for row in sheet.iter_rows(values_only=True)
            for value in row if value is not None
        )
    return data.decode("utf-8", errors="replace")


def asked_to_sign_in_again(response) -> str:
    """An htmx request that met no session: 401, nothing swapped (the page and what was typed in
    it stay), and app.js told to offer signing in again. Returns the offered login URL."""
    import json

    assert response.status_code == 401
    assert response.headers.get("HX-Reswap") == "none"
    assert "HX-Redirect" not in response.headers
    assert response.get_data() == b""  # never the login page inside a fragment
    login = json.loads(response.headers["HX-Trigger"])["session-expired"]["login"]
    assert login.startswith("/login?next=")
    return login
