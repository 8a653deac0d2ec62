"""The demo's notifications: what the demo's own history would have told each account over the
last weeks (shared notes, comments, evaluations, agreements), and what falls due today, so that
the bell is not empty on anyone's first sign-in. Older ones are already read."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta

import sqlalchemy as sa

from strategy import notifications
from strategy.extensions import db
from strategy.models import (
    Comment,
    Evaluation,
    Goal,
    Initiative,
    Notification,
    SchoolDevelopmentConversation,
    SparringNote,
    User,
    Visibility,
)

RECENT_DAYS = 28  # shared notes
HISTORY_DAYS = 180  # comments and evaluations
UNREAD_DAYS = 6


def build_notifications(demo) -> None:
    now = datetime.now(UTC)
    since = now - timedelta(days=RECENT_DAYS)

    def told(when: datetime, hook, *args, unread: bool = False) -> None:
        before = {id(o) for o in db.session.new if isinstance(o, Notification)}
        hook(*args)
        for obj in [o for o in db.session.new if isinstance(o, Notification) and id(o) not in before]:
            obj.created_at = when
            if when < now - timedelta(days=UNREAD_DAYS) and not unread:
                obj.read_at = when + timedelta(hours=3)

    notes = db.session.scalars(sa.select(SparringNote).where(
        SparringNote.is_demo.is_(True), SparringNote.visibility == Visibility.SHARED))
    for note in notes:
        when = datetime.combine(note.held_on, datetime.min.time(), UTC) + timedelta(hours=15)
        if since <= when <= now:
            told(when, notifications.note_saved, note, note.author)
    history = now - timedelta(days=HISTORY_DAYS)
    for comment in db.session.scalars(sa.select(Comment).where(Comment.created_at >= history)):
        subject = db.session.get(Goal, comment.goal_id) if comment.goal_id else db.session.get(Initiative, comment.initiative_id)
        if subject is not None and _is_demo(subject):
            told(comment.created_at, notifications.comment_added, comment, subject, comment.author)
    for evaluation in db.session.scalars(sa.select(Evaluation).where(Evaluation.created_at >= history)):
        subject = evaluation.initiative or evaluation.goal
        if _is_demo(subject):
            # A "stop" nobody has acted on yet is still news.
            told(evaluation.created_at, notifications.evaluation_added, evaluation, subject, evaluation.author,
                 unread=evaluation.needs_action)
    # This year's skoleudviklingssamtaler: the leaders were asked for focus areas, the parent
    # representative invited, the conversation planned with the leader.
    for sus in db.session.scalars(sa.select(SchoolDevelopmentConversation).where(
            SchoolDevelopmentConversation.is_demo.is_(True), SchoolDevelopmentConversation.created_at >= history)):
        told(sus.created_at, notifications.sus_started, sus, None)
        if sus.parent_representative is not None and sus.invited_at is not None:
            told(sus.invited_at, notifications.sus_parent_invited, sus, sus.parent_representative, None, unread=True)
        if sus.meeting is not None:
            told(sus.meeting.created_at, notifications.meeting_saved, sus.meeting, sus.meeting.organiser)
    db.session.flush()

    from strategy.notifications.reminders import create_due_notifications, zone

    create_due_notifications(now, now.astimezone(zone()).date())
    db.session.flush()
    # The bell is not empty on anyone's first sign-in: each account's newest stays unread.
    newest = (sa.select(sa.func.max(Notification.id)).join(User, User.id == Notification.recipient_id)
              .where(User.is_demo.is_(True)).group_by(Notification.recipient_id))
    db.session.execute(sa.update(Notification).where(Notification.id.in_(newest)).values(read_at=None))
    demo.counts["Notification"] = db.session.scalar(
        sa.select(sa.func.count()).select_from(Notification).join(User, User.id == Notification.recipient_id)
        .where(User.is_demo.is_(True))) or 0


def _is_demo(subject) -> bool:
    goal = subject if isinstance(subject, Goal) else subject.goal
    return goal.strategy.is_demo
