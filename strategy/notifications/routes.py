"""The bell, the list of one's notifications, e-mail settings, and the admin's log of sends."""

from __future__ import annotations

import sqlalchemy as sa
from flask import abort, url_for
from flask_babel import gettext as _
from flask_login import current_user

from strategy import notifications
from strategy.extensions import db
from strategy.htmx import announce, is_htmx, redirect_to, render, render_fragment
from strategy.inputs import arg_int
from strategy.models import DigestFrequency, Notification, OutgoingEmail
from strategy.notifications.forms import SettingsForm
from strategy.permissions import can, require
from strategy.web import signed_in_blueprint

bp = signed_in_blueprint("notifications", __name__)


@bp.app_template_global()
def unread_notifications() -> int:
    """The bell's count (one indexed query); 0 for nobody signed in."""
    if not current_user.is_authenticated:
        return 0
    return notifications.unread_count(current_user)


bp.add_app_template_global(notifications.text, "notification_text")
bp.add_app_template_global(notifications.link, "notification_link")
bp.add_app_template_global(notifications.GROUP_LABELS, "notification_groups")


@bp.app_template_global()
def notification_url(notification: Notification) -> str:
    """The absolute link for an e-mail (also from the scheduled command, without a request)."""
    from strategy import mail

    endpoint, values = notifications.link_args(notification)
    return mail.absolute_url(endpoint, **values)


@bp.app_template_global()
def agreement_url(agreement) -> str:
    from strategy import mail

    if agreement.note_id:
        return mail.absolute_url("followup.note_view", note_id=agreement.note_id)
    return mail.absolute_url("followup.meeting_view", meeting_id=agreement.meeting_id)


def _own_or_404(notification_id: int) -> Notification:
    notification = db.session.get(Notification, notification_id)
    # Someone else's notification does not exist for you (its id says nothing either).
    if notification is None or not can(current_user, "notifications.read", notification):
        abort(404)
    return notification


@bp.get("/notifikationer")
def index():
    require("notifications.read")
    return render("notifications/index.html", block="notification_list",
                  items=notifications.for_user(current_user))


@bp.post("/notifikationer/<int:notification_id>/laest")
def mark_read(notification_id: int):
    notification = _own_or_404(notification_id)
    notifications.mark_read(notification)
    db.session.commit()
    if not is_htmx():
        return redirect_to(url_for(".index"))
    response = render_fragment("notifications/_item_response.html", item=notification)
    return announce(response, _("Markeret som læst."))


@bp.post("/notifikationer/laest")
def mark_all_read():
    require("notifications.read")
    count = notifications.mark_all_read(current_user)
    db.session.commit()
    if not is_htmx():
        return redirect_to(url_for(".index"))
    response = render("notifications/index.html", block="notification_list",
                      items=notifications.for_user(current_user), oob=True)
    return announce(response, _("%(num)d markeret som læst.", num=count))


@bp.route("/indstillinger/notifikationer", methods=["GET", "POST"])
def settings():
    require("notifications.read")
    setting = notifications.setting_for(current_user)
    form = SettingsForm()
    if not form.is_submitted():
        form.frequency.data = DigestFrequency(setting.frequency or DigestFrequency.WEEKLY).value
        for name in notifications.GROUPS:
            getattr(form, name).data = getattr(setting, name) is not False  # None: not saved yet
        return render("notifications/settings.html", block="settings_form", form=form)
    if not form.validate():
        return render("notifications/settings.html", block="settings_form", status=422, form=form)
    if setting not in db.session:
        db.session.add(setting)
    setting.frequency = DigestFrequency(form.frequency.data)
    for name in notifications.GROUPS:
        setattr(setting, name, bool(getattr(form, name).data))
    db.session.commit()
    if not is_htmx():
        return redirect_to(url_for(".settings"))
    response = render("notifications/settings.html", block="settings_form", form=form, saved=True)
    return announce(response, _("Dine indstillinger er gemt."))


PAGE_SIZE = 100


@bp.get("/admin/e-mails")
def mail_log():
    """Every e-mail sent: to whom, what (kind and subject), when, result. Never a body."""
    require("mail_log.read")
    page = arg_int("side", default=1, low=1)
    rows = db.session.execute(
        sa.select(OutgoingEmail.id, OutgoingEmail.created_at, OutgoingEmail.to_address, OutgoingEmail.kind,
                  OutgoingEmail.subject, OutgoingEmail.state, OutgoingEmail.attempts, OutgoingEmail.sent_at,
                  OutgoingEmail.last_error)
        .order_by(OutgoingEmail.id.desc()).limit(PAGE_SIZE + 1).offset((page - 1) * PAGE_SIZE)
    ).all()
    counts = dict(db.session.execute(
        sa.select(OutgoingEmail.state, sa.func.count()).group_by(OutgoingEmail.state)).all())
    return render("notifications/mail_log.html", rows=rows[:PAGE_SIZE], page=page,
                  has_next=len(rows) > PAGE_SIZE, counts=counts)
