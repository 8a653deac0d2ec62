"""Filters that live in the URL under Danish names, so that a view can be shared, reloaded and
reached with the back button: the one way the overview and the search read and write them.

A malformed or unknown value is ignored (the filter is off): a shared link never fails.
"""

from __future__ import annotations

import enum
from collections.abc import Mapping
from dataclasses import dataclass, replace
from typing import ClassVar

from strategy.inputs import parse_int
from strategy.models import Status


@dataclass(frozen=True)
class UrlFilters:
    """The filters the overview and the search share. A page's subclass adds its own fields and
    names every field's query parameter in ``PARAMS``, in the order its URLs list them; a field
    named in ``ENUMS`` holds a member of that enum, every other field an id."""

    cluster_id: int | None = None
    period_id: int | None = None
    political_goal_id: int | None = None
    level_id: int | None = None
    status: Status | None = None

    PARAMS: ClassVar[dict[str, str]] = {}
    ENUMS: ClassVar[dict[str, type[enum.Enum]]] = {"status": Status}

    @classmethod
    def parse(cls, args: Mapping[str, str]) -> dict:
        """{field: value} read from the query string."""
        values: dict = {}
        for attr, param in cls.PARAMS.items():
            raw = (args.get(param) or "").strip()
            members = cls.ENUMS.get(attr)
            if members is not None:
                values[attr] = members(raw) if raw in {m.value for m in members} else None
            else:
                values[attr] = parse_int(raw, low=1)
        return values

    @classmethod
    def from_args(cls, args: Mapping[str, str]):
        return cls(**cls.parse(args))

    def args(self, **changes) -> dict[str, str | int]:
        """Query-string arguments for url_for (only the filters that are set)."""
        values = replace(self, **changes) if changes else self
        out: dict[str, str | int] = {}
        for attr, param in self.PARAMS.items():
            value = getattr(values, attr)
            if value is not None:
                out[param] = value.value if isinstance(value, enum.Enum) else value
        return out
