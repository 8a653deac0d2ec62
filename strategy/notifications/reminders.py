"""``flask send-reminders``: what falls due becomes a notification, and each person gets their
digest e-mail when their day and hour have come. Everything depends on the ``now`` passed in.

Idempotent and safe to run from two instances at the same moment: every scheduled notification
and every digest has a unique ``dedupe_key`` (``digest:<user>:<2026-W49>``), so the database
decides which run creates it; on PostgreSQL the creating phase also holds a transaction-level
advisory lock, so the second run waits and then finds everything done. Delivery is
``mail.deliver`` (rows claimed with SKIP LOCKED; what the SMTP server refuses stays pending).
"""

from __future__ import annotations

import logging
from collections import defaultdict
from dataclasses import dataclass, field
from datetime import UTC, date, datetime, time, timedelta
from zoneinfo import ZoneInfo

import sqlalchemy as sa
from flask import current_app
from sqlalchemy.orm import selectinload

from strategy import mail, notifications
from strategy.extensions import db
from strategy.cadence import cadence_for_schools, school_year_of
from strategy.models import (
    Agreement,
    Goal,
    Initiative,
    Notification,
    NotificationKind as K,
    NotificationSetting,
    OutgoingEmail,
    Period,
    Role,
    School,
    Status,
    Strategy,
    User,
    consultant_school,
)
from strategy.notifications.calendar import SchoolCalendar, digest_moment, parse_holidays

log = logging.getLogger("maalpil.reminders")
LOCK_ID = 7_406_114  # pg_advisory_xact_lock key of this job
FINISHED = (Status.COMPLETED, Status.STOPPED)


@dataclass
class Report:
    notifications: int = 0
    digests: list[OutgoingEmail] = field(default_factory=list)
    sent: int = 0
    failed: int = 0


def school_calendar() -> SchoolCalendar:
    return SchoolCalendar(parse_holidays(current_app.config["SCHOOL_HOLIDAYS"]))


def zone() -> ZoneInfo:
    return ZoneInfo(current_app.config.get("BABEL_DEFAULT_TIMEZONE") or "Europe/Copenhagen")


def run(now: datetime, dry_run: bool = False, deliver: bool = True) -> Report:
    """One scheduled run at ``now`` (an aware datetime). With ``dry_run`` nothing is kept."""
    if now.tzinfo is None:
        raise ValueError("now must be timezone-aware")
    report = Report()
    if db.engine.dialect.name == "postgresql":
        db.session.execute(sa.text("SELECT pg_advisory_xact_lock(:key)"), {"key": LOCK_ID})
    today = now.astimezone(zone()).date()
    report.notifications = create_due_notifications(now, today, dry_run)
    report.digests = queue_digests(now, dry_run)
    if dry_run:
        db.session.rollback()
        return report
    db.session.commit()
    log.info("send-reminders at %s: %d notifications, %d digests queued", now.isoformat(),
             report.notifications, len(report.digests))
    if deliver:
        report.sent, report.failed = deliver_all()
    return report


def deliver_all(batch: int = 500) -> tuple[int, int]:
    sent = failed = 0
    while True:
        s, f = mail.deliver(limit=batch)
        sent, failed = sent + s, failed + f
        if f or s + f < batch:
            return sent, failed


# --- what falls due ------------------------------------------------------------------------------


def _existing_keys(keys: list[str]) -> set[str]:
    found: set[str] = set()
    for start in range(0, len(keys), 500):
        chunk = keys[start:start + 500]
        found.update(db.session.scalars(sa.select(Notification.dedupe_key).where(Notification.dedupe_key.in_(chunk))))
    return found


def _users(ids) -> dict[int, User]:
    ids = sorted(set(ids))
    users: dict[int, User] = {}
    for start in range(0, len(ids), 500):
        for user in db.session.scalars(
            sa.select(User).where(User.id.in_(ids[start:start + 500]), User.active.is_(True))
            .options(selectinload(User.assigned_schools))
        ):
            users[user.id] = user
    return users


def create_due_notifications(now: datetime, today: date, dry_run: bool = False) -> int:
    """Agreements due soon or overdue, initiatives without a status by the cadence, schools
    behind on 1:1s, LUS and GRUS not held: each a notification once per occasion."""
    planned: list[tuple] = []  # (recipient_id, kind, obj, school_id, dedupe_key, params)
    planned += _agreements_due(today)
    planned += _status_due(today)
    planned += _cadence_due(today)
    if not planned:
        return 0
    existing = _existing_keys([p[4] for p in planned])
    users = _users(p[0] for p in planned if p[4] not in existing)
    created = 0
    for recipient_id, kind, obj, school_id, key, params in sorted(planned, key=lambda p: p[4]):
        user = users.get(recipient_id)
        if user is None or key in existing:
            continue
        if notifications.notify(user, kind, obj, school_id=school_id, dedupe_key=key, existing=existing, at=now,
                                savepoint=not dry_run, **params):
            created += 1
    db.session.flush()
    return created


def _agreements_due(today: date) -> list[tuple]:
    soon = today + timedelta(days=current_app.config["AGREEMENT_DUE_SOON_DAYS"])
    rows = db.session.scalars(
        sa.select(Agreement).where(
            Agreement.done_at.is_(None), Agreement.owner_id.is_not(None), Agreement.due_on.is_not(None),
            Agreement.due_on <= soon,
        ).options(selectinload(Agreement.note), selectinload(Agreement.meeting), selectinload(Agreement.school))
    )
    planned = []
    for agreement in rows:
        parent = agreement.note or agreement.meeting
        if parent is None:
            continue
        overdue = agreement.due_on < today
        kind = K.AGREEMENT_OVERDUE if overdue else K.AGREEMENT_DUE_SOON
        key = f"{kind.value}:{agreement.id}:{agreement.owner_id}:{agreement.due_on.isoformat()}"
        planned.append((agreement.owner_id, kind, parent, agreement.school_id, key,
                        {"school": agreement.school.name, "due": agreement.due_on}))
    return planned


def _local_midnight_utc(day: date) -> datetime:
    return datetime.combine(day, time(0), zone()).astimezone(UTC)


def _status_due(today: date) -> list[tuple]:
    config = current_app.config
    calendar = school_calendar()
    interval = config["STATUS_REMINDER_SCHOOL_DAYS"]
    leader_cutoff = calendar.cutoff(today, interval)
    consultant_cutoff = calendar.cutoff(today, interval + config["STATUS_REMINDER_GRACE_SCHOOL_DAYS"])
    last_change = sa.func.coalesce(Initiative.status_changed_at, Initiative.created_at)
    rows = db.session.execute(
        sa.select(Initiative, Strategy.school_id, School.name)
        .join(Goal, Initiative.goal_id == Goal.id)
        .join(Strategy, Goal.strategy_id == Strategy.id)
        .join(Period, Strategy.period_id == Period.id)
        .join(School, Strategy.school_id == School.id)
        .where(
            Initiative.archived_at.is_(None), Goal.archived_at.is_(None), Initiative.status.not_in(FINISHED),
            Period.start_year <= today.year, Period.end_year >= school_year_of(today),
            last_change < _local_midnight_utc(leader_cutoff + timedelta(days=1)),
        )
        .order_by(Initiative.id)
    ).all()
    if not rows:
        return []
    school_ids = {school_id for _i, school_id, _n in rows}
    leaders: dict[int, list[int]] = defaultdict(list)
    for user_id, school_id in db.session.execute(
        sa.select(User.id, User.school_id).where(User.role == Role.LEADER, User.school_id.in_(school_ids),
                                                 User.active.is_(True))
    ):
        leaders[school_id].append(user_id)
    consultants: dict[int, list[int]] = defaultdict(list)
    for user_id, school_id in db.session.execute(
        sa.select(consultant_school.c.user_id, consultant_school.c.school_id)
        .join(User, User.id == consultant_school.c.user_id)
        .where(consultant_school.c.school_id.in_(school_ids), User.role == Role.CONSULTANT)
    ):
        consultants[school_id].append(user_id)
    tz = zone()
    planned = []
    for initiative, school_id, school_name in rows:
        changed = (initiative.status_changed_at or initiative.created_at).astimezone(tz).date()
        params = {"school": school_name, "title": initiative.title,
                  "days": calendar.school_days_between(changed, today)}
        recipients = list(leaders[school_id])
        if changed <= consultant_cutoff:
            recipients += consultants[school_id]
        for user_id in recipients:
            key = f"status_due:{initiative.id}:{user_id}:{changed.isoformat()}"
            planned.append((user_id, K.STATUS_DUE, initiative, school_id, key, params))
    return planned


def _cadence_due(today: date) -> list[tuple]:
    schools = {s.id: s for s in db.session.scalars(sa.select(School))}
    if not schools:
        return []
    cadences = cadence_for_schools(schools, today)
    consultants: dict[int, list[int]] = defaultdict(list)
    for user_id, school_id in db.session.execute(
        sa.select(consultant_school.c.user_id, consultant_school.c.school_id)
        .join(User, User.id == consultant_school.c.user_id).where(User.role == Role.CONSULTANT)
    ):
        consultants[school_id].append(user_id)
    directorate = list(db.session.scalars(
        sa.select(User.id).where(User.role == Role.DIRECTORATE, User.active.is_(True))))
    planned = []
    for school_id, cadence in cadences.items():
        school = schools[school_id]
        year = f"{cadence.school_year}/{(cadence.school_year + 1) % 100:02d}"
        if cadence.one_to_one_behind:
            params = {"school": school.name, "held": cadence.one_to_one_held, "expected": cadence.one_to_one_expected}
            for user_id in consultants[school_id]:
                key = f"one_to_one_behind:{school_id}:{cadence.school_year}:{cadence.one_to_one_expected}:{user_id}"
                planned.append((user_id, K.ONE_TO_ONE_BEHIND, school, school_id, key, params))
        for missing, kind in ((cadence.lus_missing, K.LUS_MISSING), (cadence.grus_missing, K.GRUS_MISSING)):
            if missing:
                for user_id in directorate:
                    key = f"{kind.value}:{school_id}:{cadence.school_year}:{user_id}"
                    planned.append((user_id, kind, school, school_id, key, {"school": school.name, "year": year}))
    return planned


# --- the digest ----------------------------------------------------------------------------------


@dataclass
class Digest:
    user: User
    key: str
    groups: list[tuple[str, list[Notification]]]
    due_agreements: list[Agreement]

    @property
    def empty(self) -> bool:
        return not self.groups and not self.due_agreements


def queue_digests(now: datetime, dry_run: bool = False) -> list[OutgoingEmail]:
    """Queue the digest of everyone whose moment has come and who has something new or due."""
    config = current_app.config
    tz = zone()
    catch_up = timedelta(hours=config["DIGEST_CATCH_UP_HOURS"])
    settings = {s.user_id: s for s in db.session.scalars(sa.select(NotificationSetting))}
    users = list(db.session.scalars(
        sa.select(User).where(User.active.is_(True), User.anonymised_at.is_(None), User.email != "")
        .options(selectinload(User.assigned_schools)).order_by(User.id)
    ))
    due: dict[int, tuple[User, NotificationSetting, datetime, str]] = {}
    for user in users:
        setting = settings.get(user.id) or NotificationSetting(user_id=user.id)
        moment = digest_moment(now, str(setting.frequency or "weekly"), config["DIGEST_WEEKDAY"],
                               config["DIGEST_HOUR"], tz)
        # A run that comes late (the server was down at 07:00) still sends within the catch-up
        # window; a first run on a Sunday does not send last Monday's digest.
        if moment is None or now - moment[0] >= catch_up:
            continue
        due[user.id] = (user, setting, moment[0], f"digest:{user.id}:{moment[1]}")
    if not due:
        return []
    keys = [entry[3] for entry in due.values()]
    sent_keys: set[str] = set()
    for start in range(0, len(keys), 500):
        sent_keys.update(db.session.scalars(
            sa.select(OutgoingEmail.dedupe_key).where(OutgoingEmail.dedupe_key.in_(keys[start:start + 500]))))
    due = {uid: entry for uid, entry in due.items() if entry[3] not in sent_keys}
    if not due:
        return []
    # Each digest covers what came since that person's previous digest (no gap, no repeat).
    previous = dict(db.session.execute(
        sa.select(OutgoingEmail.recipient_id, sa.func.max(OutgoingEmail.created_at))
        .where(OutgoingEmail.kind == "digest").group_by(OutgoingEmail.recipient_id)
    ).all())
    since: dict[int, datetime] = {}
    for uid, (_user, setting, moment, _key) in due.items():
        span = timedelta(days=1) if setting.frequency == "daily" else timedelta(days=7)
        last = previous.get(uid)
        since[uid] = max(last, moment - span) if last is not None else moment - span
    earliest = min(since.values())
    new: dict[int, list[Notification]] = defaultdict(list)
    for notification in db.session.scalars(
        sa.select(Notification).where(Notification.created_at >= earliest, Notification.created_at <= now,
                                      Notification.recipient_id.in_(list(due)))
        .order_by(Notification.created_at, Notification.id)
    ):
        if notification.created_at >= since[notification.recipient_id]:
            new[notification.recipient_id].append(notification)
    horizon = now.astimezone(tz).date() + timedelta(days=7)
    open_agreements: dict[int, list[Agreement]] = defaultdict(list)
    for agreement in db.session.scalars(
        sa.select(Agreement).where(Agreement.done_at.is_(None), Agreement.owner_id.in_(list(due)),
                                   Agreement.due_on.is_not(None), Agreement.due_on <= horizon)
        .options(selectinload(Agreement.note), selectinload(Agreement.meeting), selectinload(Agreement.school))
        .order_by(Agreement.due_on, Agreement.id)
    ):
        open_agreements[agreement.owner_id].append(agreement)

    from strategy.permissions import can

    targets = notifications.load_targets([n for items in new.values() for n in items])
    queued = []
    for uid, (user, setting, _moment, key) in due.items():
        wanted = {g for g in notifications.GROUPS if getattr(setting, g) is not False}
        groups = []
        for group in notifications.GROUPS:
            if group not in wanted:
                continue
            # Due and overdue agreements are in the list of open agreements above, live.
            items = [n for n in new[uid] if notifications.GROUP_OF[n.kind] == group
                     and n.kind not in (K.AGREEMENT_DUE_SOON, K.AGREEMENT_OVERDUE)
                     and notifications.still_readable(user, n, targets)]
            if items:
                groups.append((group, items))
        agreements = [a for a in open_agreements[uid] if "agreements" in wanted and can(user, "agreement.read", a)]
        digest = Digest(user, key, groups, agreements)
        if digest.empty:
            continue
        # A dry run queues without the key: no savepoint, so the final rollback undoes everything.
        message = mail.queue(user, "digest", "digest", dedupe_key=None if dry_run else key, digest=digest,
                             today=now.astimezone(tz).date(),
                             settings_url=mail.absolute_url("notifications.settings"),
                             inbox_url=mail.absolute_url("notifications.index"))
        if message is not None:
            message.created_at = now  # the digest's moment: the next one covers what came after
            queued.append(message)
    return queued

