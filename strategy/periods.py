"""Which strategy period is current: the one rule every page, export and e-mail uses."""

from __future__ import annotations

from datetime import date

import sqlalchemy as sa

from strategy.extensions import db
from strategy.models import Period, Strategy


def current_period(today: date | None = None) -> Period | None:
    """The period a strategy page opens on.

    The period that contains this year and has strategies, the latest-starting one if several
    overlap; failing that, the latest one containing this year; failing that (no period covers
    this year) the most recent period that has strategies, else the most recent period.
    """
    year = (today or date.today()).year
    periods = list(db.session.scalars(sa.select(Period).order_by(Period.start_year.desc(), Period.id.desc())))
    if not periods:
        return None
    with_strategies = set(db.session.scalars(sa.select(Strategy.period_id).distinct()))
    covering = [p for p in periods if p.start_year <= year <= p.end_year]
    for candidates in (
        [p for p in covering if p.id in with_strategies],
        covering,
        [p for p in periods if p.id in with_strategies and p.start_year <= year],
        [p for p in periods if p.start_year <= year],
        periods,
    ):
        if candidates:
            return candidates[0]
    return None
