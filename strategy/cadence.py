"""The follow-up cadence of the Skolecenteropfølgning column: 1:1s, LUS and GRUS per school year.

The source (2020-2022) asks for 1:1-samtaler "4-6 x årligt" and a yearly LUS and GRUS with
each school. The numbers come from ``FollowUpFormat`` (keys ``one_to_one``, ``lus``, ``grus``),
so an administrator can change them; 4-6 and 1 are the fall-backs.

Definitions (shown to users on the Opfølgning page, tested in tests/test_followup_cadence.py):

* **School year**: 1 August to 31 July, named by the year it starts in (2025 = 2025/26).
  A conversation belongs to the school year of its local (Europe/Copenhagen) date, so a
  meeting on 31 July counts for the year that ends, one on 1 August for the year that starts.
* **Counted**: meetings in state *held* (Afholdt) that are not drafts. A draft is the
  organiser's unfinished record; counting it would reveal it in every count and overview.
  Planned and cancelled meetings never count.
* **Expected 1:1s by a date** (pro rata): ``floor(min_per_year × elapsed / span)`` where
  *span* is 1 August → 30 June (the teaching year; July is the summer holiday, so the whole
  minimum is due by 30 June) and *elapsed* is the days from 1 August to the date, capped at
  the span. With the minimum 4: 1 is expected from 24 October, 2 from 15 January,
  3 from 8 April and 4 from 30 June. Rounding down gives the school the benefit of the
  doubt between those steps.
* **Behind on 1:1s**: fewer held 1:1s than expected by that date.
* **LUS / GRUS missing**: not held in the school year once the date is past 31 March
  (``LUS_GRUS_DUE``), which leaves the spring to catch up before the summer.
* **Behind**: behind on 1:1s, or LUS or GRUS missing.
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass
from datetime import UTC, date, datetime, timedelta
from zoneinfo import ZoneInfo

import sqlalchemy as sa
from flask import current_app, has_app_context

from strategy.extensions import db
from strategy.models import FollowUpFormat, Meeting, MeetingState, MeetingType, Visibility

ONE_TO_ONE_DEFAULT = (4, 6)
# (month, day) in the school year's second calendar year after which a missing LUS/GRUS counts.
LUS_GRUS_DUE = (3, 31)
# The teaching year ends on 30 June: the whole 1:1 minimum is expected by then.
TEACHING_YEAR_END = (6, 30)
COUNTED_TYPES = (MeetingType.ONE_TO_ONE, MeetingType.LUS, MeetingType.GRUS)


def school_year_of(day: date) -> int:
    """The school year (its starting calendar year) a date belongs to."""
    return day.year if day.month >= 8 else day.year - 1


def school_year_bounds(start_year: int) -> tuple[date, date]:
    """First and last day of a school year: 1 August and 31 July."""
    return date(start_year, 8, 1), date(start_year + 1, 7, 31)


def lus_grus_due(start_year: int) -> date:
    return date(start_year + 1, *LUS_GRUS_DUE)


def expected_one_to_ones(minimum: int, start_year: int, today: date) -> int:
    """How many 1:1s a school should have held by ``today`` in the school year (pro rata)."""
    first = date(start_year, 8, 1)
    last = date(start_year + 1, *TEACHING_YEAR_END)
    span = (last - first).days
    elapsed = min(max((today - first).days, 0), span)
    return minimum * elapsed // span


def local_timezone() -> ZoneInfo:
    name = current_app.config.get("BABEL_DEFAULT_TIMEZONE") if has_app_context() else None
    return ZoneInfo(name or "Europe/Copenhagen")


def local_date(moment: datetime) -> date:
    if moment.tzinfo is None:
        moment = moment.replace(tzinfo=UTC)
    return moment.astimezone(local_timezone()).date()


@dataclass(frozen=True)
class Cadence:
    school_id: int
    school_year: int  # 2025 = the school year 2025/26
    today: date
    one_to_one_held: int
    one_to_one_min: int
    one_to_one_max: int
    one_to_one_expected: int
    lus_held: bool
    grus_held: bool
    lus_planned: bool
    grus_planned: bool

    @property
    def one_to_one_behind(self) -> bool:
        return self.one_to_one_held < self.one_to_one_expected

    @property
    def one_to_one_missing(self) -> int:
        """How many 1:1s short of the pro-rata expectation."""
        return max(self.one_to_one_expected - self.one_to_one_held, 0)

    @property
    def past_lus_grus_due(self) -> bool:
        return self.today > lus_grus_due(self.school_year)

    @property
    def lus_missing(self) -> bool:
        return not self.lus_held and self.past_lus_grus_due

    @property
    def grus_missing(self) -> bool:
        return not self.grus_held and self.past_lus_grus_due

    @property
    def behind(self) -> bool:
        return self.one_to_one_behind or self.lus_missing or self.grus_missing

    @property
    def state(self) -> str:
        """"behind", "over" (more 1:1s than the maximum) or "ok", for labels and styling."""
        if self.behind:
            return "behind"
        if self.one_to_one_held > self.one_to_one_max:
            return "over"
        return "ok"


def one_to_one_range() -> tuple[int, int]:
    """The yearly min/max of 1:1s from FollowUpFormat ``one_to_one`` (4-6 if it is missing)."""
    row = db.session.execute(
        sa.select(FollowUpFormat.min_per_year, FollowUpFormat.max_per_year).where(
            FollowUpFormat.key == "one_to_one"
        )
    ).first()
    low = row.min_per_year if row and row.min_per_year is not None else ONE_TO_ONE_DEFAULT[0]
    high = row.max_per_year if row and row.max_per_year is not None else max(low, ONE_TO_ONE_DEFAULT[1])
    return low, high


def cadence_for_schools(
    school_ids: Iterable[int], today: date, school_year: int | None = None, user=None
) -> dict[int, Cadence]:
    """The cadence of every given school in one school year (default: the one ``today`` is in).

    Two queries whatever the number of schools. With ``user`` only the meetings that user may
    read are counted (``meeting_read_clause``); without it every non-draft meeting is.
    """
    ids = sorted(set(school_ids))
    if not ids:
        return {}
    year = school_year if school_year is not None else school_year_of(today)
    low, high = one_to_one_range()
    first, last = school_year_bounds(year)
    # Fetch a day either side in UTC and decide the school year on the local date in Python:
    # a meeting at 00:30 on 1 August in Copenhagen is stored as 22:30 on 31 July UTC.
    window_start = datetime.combine(first - timedelta(days=1), datetime.min.time(), UTC)
    window_end = datetime.combine(last + timedelta(days=2), datetime.min.time(), UTC)
    query = sa.select(Meeting.school_id, Meeting.meeting_type, Meeting.state, Meeting.starts_at).where(
        Meeting.school_id.in_(ids),
        Meeting.meeting_type.in_(COUNTED_TYPES),
        Meeting.state.in_((MeetingState.HELD, MeetingState.PLANNED)),
        Meeting.visibility != Visibility.DRAFT,
        Meeting.starts_at >= window_start,
        Meeting.starts_at < window_end,
    )
    if user is not None:
        from strategy.permissions import meeting_read_clause

        query = query.where(meeting_read_clause(user))

    counts = {sid: {"one": 0, "lus": False, "grus": False, "lus_p": False, "grus_p": False} for sid in ids}
    for school_id, meeting_type, state, starts_at in db.session.execute(query):
        if school_year_of(local_date(starts_at)) != year:
            continue
        c = counts[school_id]
        held = state == MeetingState.HELD
        if meeting_type == MeetingType.ONE_TO_ONE:
            c["one"] += held
        elif meeting_type == MeetingType.LUS:
            c["lus" if held else "lus_p"] = True
        elif meeting_type == MeetingType.GRUS:
            c["grus" if held else "grus_p"] = True

    expected = expected_one_to_ones(low, year, today)
    return {
        sid: Cadence(
            school_id=sid,
            school_year=year,
            today=today,
            one_to_one_held=c["one"],
            one_to_one_min=low,
            one_to_one_max=high,
            one_to_one_expected=expected,
            lus_held=c["lus"],
            grus_held=c["grus"],
            lus_planned=c["lus_p"] and not c["lus"],
            grus_planned=c["grus_p"] and not c["grus"],
        )
        for sid, c in counts.items()
    }


def cadence_for_school(school_id: int, today: date, school_year: int | None = None, user=None) -> Cadence:
    return cadence_for_schools([school_id], today, school_year, user)[school_id]
