"""The one way to read numbers, dates and return paths from a request.

Python's ``int()`` and ``float()`` accept far more than a person types: "²" passes
``str.isdigit()`` and then fails ``int()``, "١٢" (Arabic-Indic digits) is 12, "inf", "nan" and
"1e308" are floats. Everything a request carries goes through the parsers here instead: ASCII
digits only, bounded ranges, finite numbers. A query parameter that does not parse is ignored
(a filter falls back to its default); a form field that does not parse gets a Danish message
next to it. Nothing reaches ``int()`` unchecked, so nothing becomes a 500.
"""

from __future__ import annotations

import math
import re
from datetime import date, datetime

from flask import abort, request
from flask_babel import lazy_gettext as _l
from wtforms import DateField, DateTimeLocalField, FloatField, IntegerField
from wtforms.validators import ValidationError
from wtforms.widgets import TextInput

# What an id column holds (PostgreSQL INTEGER), and what any count or page number may be.
MAX_ID = 2**31 - 1
_DIGITS = re.compile(r"[0-9]{1,10}")
# A decimal as Danes and machines write it, after thousands separators are removed.
_DECIMAL = re.compile(r"[+-]?(?:[0-9]+(?:\.[0-9]*)?|\.[0-9]+)")

# Dates a person can mean: anything outside is a typing error, and year 1 breaks time zones.
MIN_DATE = date(1900, 1, 1)
MAX_DATE = date(2200, 12, 31)
# Measurements: far beyond any indicator's scale, far inside what a float and a chart can hold.
MAX_MEASUREMENT = 1e9


def parse_int(value: str | None, *, low: int = 0, high: int = MAX_ID) -> int | None:
    """``value`` as an int when it is ASCII digits within [low, high]; otherwise None."""
    if value is None:
        return None
    value = value.strip()
    if not _DIGITS.fullmatch(value):
        return None
    number = int(value)
    return number if low <= number <= high else None


def arg_int(name: str, default: int | None = None, *, low: int = 0, high: int = MAX_ID) -> int | None:
    """A numeric query parameter (filter, page, id): the default when absent or malformed."""
    parsed = parse_int(request.args.get(name), low=low, high=high)
    return default if parsed is None else parsed


def arg_ints(name: str, *, limit: int = 100) -> list[int]:
    """A repeated numeric query parameter (``?level=1&level=2``): the well-formed ids, in order."""
    ids: list[int] = []
    for raw in request.args.getlist(name)[: limit * 4]:
        parsed = parse_int(raw, low=1)
        if parsed is not None and parsed not in ids:
            ids.append(parsed)
    return ids[:limit]


def form_int(name: str, *, low: int = 0, high: int = MAX_ID) -> int:
    """A numeric value a form must send (a hidden id): 400 when it is missing or malformed."""
    parsed = parse_int(request.form.get(name), low=low, high=high)
    if parsed is None:
        abort(400)
    return parsed


def choice_int(value) -> int:
    """``coerce`` for choice fields whose values are ids: ASCII digits only. WTForms turns the
    ValueError into a message at the field."""
    if isinstance(value, int) and not isinstance(value, bool):
        return value
    parsed = parse_int(str(value))
    if parsed is None:
        raise ValueError(value)
    return parsed


def optional_choice_int(value) -> int | None:
    """``coerce`` for a choice that may be empty ("" or "None" for no choice)."""
    if value in (None, "", "None"):
        return None
    return choice_int(value)


def parse_decimal(raw: str) -> float | None:
    """A finite decimal number as Danes write it ("12,5", "1.234,5", "1 234") or as machines do
    ("12.5"); None when it is anything else (letters, "inf", "nan", exponents, other digits)."""
    raw = raw.strip().replace("\u00a0", "").replace(" ", "")
    if raw.count(",") == 1 and "." in raw and raw.index(".") < raw.index(","):
        raw = raw.replace(".", "")  # 1.234,5
    raw = raw.replace(",", ".")
    if not _DECIMAL.fullmatch(raw):
        return None
    number = float(raw)
    return number if math.isfinite(number) else None


def finite_or_none(value) -> float | None:
    """A stored number as pages may draw it: None for anything not a finite number in range.

    Old rows can hold what the forms no longer accept (inf, nan, 1e308); a page shows them as
    missing instead of failing for everyone."""
    if value is None or isinstance(value, bool):
        return None
    try:
        number = float(value)
    except (TypeError, ValueError, OverflowError):
        return None
    if not math.isfinite(number) or abs(number) > MAX_MEASUREMENT:
        return None
    return number


PERCENT_UNITS = {"%", "pct", "procent", "pct."}


def unit_range_problem(value: float | None, unit: str | None) -> str | None:
    """A Danish message when ``value`` cannot be a measurement in ``unit`` (a share above 100 %)."""
    if value is None:
        return None
    if (unit or "").strip().casefold() in PERCENT_UNITS and not 0 <= value <= 100:
        return str(_l("En andel i procent ligger mellem 0 og 100."))
    return None


# --- form fields ----------------------------------------------------------------------------


class NumberField(FloatField):
    """A finite decimal number in [-MAX_MEASUREMENT, MAX_MEASUREMENT], with the comma or the
    point. A text input (inputmode decimal): type=number refuses the comma in some browsers."""

    widget = TextInput()

    def __init__(self, label=None, validators=None, **kwargs):
        kwargs.setdefault("render_kw", {"inputmode": "decimal", "autocomplete": "off"})
        super().__init__(label, validators, **kwargs)

    def _value(self):
        if self.raw_data:
            return self.raw_data[0]
        if self.data is None:
            return ""
        return f"{self.data:.6f}".rstrip("0").rstrip(".").replace(".", ",")

    def process_formdata(self, valuelist):
        if not valuelist:
            return
        if valuelist[0].strip() == "":
            self.data = None
            return
        number = parse_decimal(valuelist[0])
        if number is None:
            self.data = None
            raise ValueError(str(_l("Skriv et tal, fx 12,5.")))
        if abs(number) > MAX_MEASUREMENT:
            self.data = None
            raise ValueError(str(_l("Tallet er for stort. Skriv et tal mellem -1.000.000.000 og 1.000.000.000.")))
        self.data = number


class WholeNumberField(IntegerField):
    """An integer of ASCII digits (and a leading minus): "²" and "١٢" are refused at the field."""

    def process_formdata(self, valuelist):
        if not valuelist:
            return
        raw = valuelist[0].strip()
        if raw == "":
            self.data = None
            return
        negative = raw.startswith("-")
        parsed = parse_int(raw[1:] if negative else raw)
        if parsed is None:
            self.data = None
            raise ValueError(str(_l("Skriv et helt tal.")))
        self.data = -parsed if negative else parsed


def _check_date_range(day: date | None) -> None:
    if day is not None and not MIN_DATE <= day <= MAX_DATE:
        raise ValidationError(str(_l("Skriv en dato mellem år 1900 og 2200.")))


class BoundedDateField(DateField):
    """A date between 1900 and 2200: year 1 or 9999 is a typing error, told at the field."""

    def pre_validate(self, form):
        super().pre_validate(form)
        _check_date_range(self.data)


class BoundedDateTimeField(DateTimeLocalField):
    """A local date and time between 1900 and 2200 (year 1 cannot be converted to UTC)."""

    def pre_validate(self, form):
        super().pre_validate(form)
        _check_date_range(self.data.date() if isinstance(self.data, datetime) else None)
