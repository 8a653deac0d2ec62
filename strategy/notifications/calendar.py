"""School days and the digest's moment in local time: pure functions of the dates passed in.

A **school day** is a weekday that is neither a Danish public holiday nor in one of the school
holidays configured per school year (``SCHOOL_HOLIDAYS``). The public holidays are computed
from Easter (the Gregorian computus), so every year is right without a table:

* fixed: nytårsdag (1 Jan), grundlovsdag (5 Jun, a day without teaching in the folkeskole),
  juledag and 2. juledag (25 and 26 Dec);
* from Easter: skærtorsdag (−3), langfredag (−2), påskedag, 2. påskedag (+1),
  store bededag (+26, **only until 2023**: abolished from 2024), Kristi himmelfartsdag (+39),
  pinsedag (+49) and 2. pinsedag (+50).
"""

from __future__ import annotations

from datetime import date, datetime, time, timedelta
from functools import lru_cache
from zoneinfo import ZoneInfo

# Store bededag was a public holiday until and including 2023 (lov nr. 214 af 28/02/2023).
LAST_STORE_BEDEDAG_YEAR = 2023


def easter_sunday(year: int) -> date:
    """Easter Sunday in the Gregorian calendar (the anonymous Gregorian algorithm)."""
    a = year % 19
    b, c = divmod(year, 100)
    d, e = divmod(b, 4)
    f = (b + 8) // 25
    g = (b - f + 1) // 3
    h = (19 * a + b - d - g + 15) % 30
    i, k = divmod(c, 4)
    l = (32 + 2 * e + 2 * i - h - k) % 7  # noqa: E741 - the algorithm's own name
    m = (a + 11 * h + 22 * l) // 451
    month, day = divmod(h + l - 7 * m + 114, 31)
    return date(year, month, day + 1)


@lru_cache(maxsize=64)
def public_holidays(year: int) -> dict[date, str]:
    """Denmark's public holidays of one year (and grundlovsdag), with their Danish names."""
    easter = easter_sunday(year)
    days = {
        date(year, 1, 1): "Nytårsdag",
        easter - timedelta(days=3): "Skærtorsdag",
        easter - timedelta(days=2): "Langfredag",
        easter: "Påskedag",
        easter + timedelta(days=1): "2. påskedag",
        easter + timedelta(days=39): "Kristi himmelfartsdag",
        easter + timedelta(days=49): "Pinsedag",
        easter + timedelta(days=50): "2. pinsedag",
        date(year, 6, 5): "Grundlovsdag",
        date(year, 12, 25): "Juledag",
        date(year, 12, 26): "2. juledag",
    }
    if year <= LAST_STORE_BEDEDAG_YEAR:
        days[easter + timedelta(days=26)] = "Store bededag"
    return days


def parse_holidays(spec: str) -> list[tuple[date, date]]:
    """``"2025-10-11..2025-10-19, 2025-12-20..2026-01-04, 2026-05-15"`` → inclusive ranges."""
    ranges = []
    for part in spec.replace(";", ",").split(","):
        part = part.strip()
        if not part:
            continue
        first, _sep, last = part.partition("..")
        start = date.fromisoformat(first.strip())
        end = date.fromisoformat(last.strip()) if last else start
        if end < start:
            raise ValueError(f"school holiday ends before it starts: {part}")
        ranges.append((start, end))
    return ranges


class SchoolCalendar:
    """Counts school days given the configured school holidays (inclusive date ranges)."""

    def __init__(self, holidays: list[tuple[date, date]] | None = None):
        self._closed: set[date] = set()
        for start, end in holidays or []:
            day = start
            while day <= end:
                self._closed.add(day)
                day += timedelta(days=1)

    def is_school_day(self, day: date) -> bool:
        return day.weekday() < 5 and day not in self._closed and day not in public_holidays(day.year)

    def school_days_between(self, after: date, until: date) -> int:
        """School days in (after, until]: how many have passed since ``after``."""
        count, day = 0, after + timedelta(days=1)
        while day <= until:
            count += self.is_school_day(day)
            day += timedelta(days=1)
        return count

    def cutoff(self, today: date, school_days: int) -> date:
        """The latest date D with ``school_days_between(D, today) >= school_days``: something
        last changed on or before D is due today."""
        day, counted = today, 0
        while counted < school_days:
            counted += self.is_school_day(day)
            day -= timedelta(days=1)
        return day


def digest_moment(now: datetime, frequency: str, weekday: int, hour: int, zone: ZoneInfo) -> tuple[datetime, str] | None:
    """The latest scheduled digest moment at or before ``now`` (aware, in ``zone``) and its
    period's key (``2026-W49`` for weekly, ``2026-12-07`` for daily); None for "none".

    The hour is local wall-clock time, so 07:00 stays 07:00 across the change to and from
    summer time (05:00 or 06:00 UTC)."""
    local = now.astimezone(zone)
    if frequency == "daily":
        day = local.date() if local.time() >= time(hour) else local.date() - timedelta(days=1)
        return datetime.combine(day, time(hour), zone), day.isoformat()
    if frequency == "weekly":
        day = local.date() - timedelta(days=(local.weekday() - weekday) % 7)
        moment = datetime.combine(day, time(hour), zone)
        if moment > local:
            day -= timedelta(days=7)
            moment = datetime.combine(day, time(hour), zone)
        year, week, _ = day.isocalendar()
        return moment, f"{year}-W{week:02d}"
    return None
