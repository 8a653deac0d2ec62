"""Small helpers the tests share."""

import re

from strategy.extensions import db


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
