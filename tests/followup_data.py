"""Builders for follow-up test data (notes, meetings, agreements), shared by tests/test_followup_*.py."""

from datetime import UTC, date, datetime, time, timedelta
from zoneinfo import ZoneInfo

from strategy.extensions import db
from strategy.models import (
    Agreement,
    Meeting,
    MeetingState,
    MeetingType,
    SparringNote,
    Stance,
    Visibility,
)

CPH = ZoneInfo("Europe/Copenhagen")


def local(day: date, hour: int = 10, minute: int = 0) -> datetime:
    """A Copenhagen wall-clock time, as the forms store it (aware)."""
    return datetime.combine(day, time(hour, minute), CPH)


def note(school, author, visibility=Visibility.SHARED, held_on=None, **values) -> SparringNote:
    obj = SparringNote(
        school_id=school.id, author_id=author.id, held_on=held_on or date.today(),
        visibility=visibility, stances=values.pop("stances", [Stance.SUPPORTIVE.value]), **values,
    )
    db.session.add(obj)
    db.session.commit()
    return obj


def meeting(school, organiser, meeting_type=MeetingType.ONE_TO_ONE, state=MeetingState.HELD,
            starts_at=None, visibility=Visibility.SHARED, **values) -> Meeting:
    obj = Meeting(
        school_id=school.id, organiser_id=organiser.id if organiser else None, meeting_type=meeting_type,
        state=state, starts_at=starts_at or datetime.now(UTC), visibility=visibility,
        title=values.pop("title", meeting_type.value), **values,
    )
    db.session.add(obj)
    db.session.commit()
    return obj


def agreement(parent, text="Aftale", owner=None, due_on=None, done=False) -> Agreement:
    obj = Agreement(
        school_id=parent.school_id, text=text, owner_id=owner.id if owner else None,
        owner_name=owner.name if owner else "", due_on=due_on,
        done_at=datetime.now(UTC) if done else None,
    )
    if isinstance(parent, SparringNote):
        obj.note_id = parent.id
    else:
        obj.meeting_id = parent.id
    db.session.add(obj)
    db.session.commit()
    return obj


def yesterday() -> date:
    return date.today() - timedelta(days=1)
