"""Min konto: the signed-in person's own password and sessions ("log ud alle steder")."""

from datetime import UTC, datetime

from flask import abort, flash, url_for
from flask_babel import gettext as _
from flask_login import current_user, login_user, logout_user

from strategy import audit
from strategy.auth.accounts import active_sessions, end_sessions
from strategy.extensions import db
from strategy.forms import ActionForm, ChangePasswordForm
from strategy.htmx import redirect_to, render
from strategy.models import UserSession
from strategy.passwords import hash_password, verify_password
from strategy.permissions import can
from strategy.security import current_session_record
from strategy.web import remember_locale, signed_in_blueprint

bp = signed_in_blueprint("account", __name__, url_prefix="/min-konto")


def _page(form=None, status=200, block=None):
    me = current_user._get_current_object()
    return render(
        "account/index.html", block=block, status=status,
        form=form or ChangePasswordForm(formdata=None),
        has_password=bool(me.password_hash), linked=me.oidc_subject is not None,
        sessions=active_sessions(me), this_session=current_session_record(),
    )


@bp.get("/")
def index():
    return _page()


@bp.post("/adgangskode")
def change_password():
    me = current_user._get_current_object()
    if not me.password_hash:
        abort(403)  # signed in through the identity provider: the password lives there
    form = ChangePasswordForm()
    if not form.validate_on_submit():
        return _page(form, status=422, block="password_form")
    if not verify_password(me.password_hash, form.current_password.data):
        form.current_password.errors.append(_("Den nuværende adgangskode er forkert."))
        return _page(form, status=422, block="password_form")
    me.password_hash = hash_password(form.new_password.data)
    end_sessions(me, keep=current_session_record())
    audit.record("password_change", me, summary=f"Adgangskode ændret: {me.name}")
    db.session.commit()
    login_user(me)  # this session carries the new token; every other one has ended
    flash(_("Din adgangskode er ændret. Du er logget ud alle andre steder."), "success")
    return redirect_to(url_for(".index"))


@bp.post("/sessioner/log-ud-alle")
def end_all_sessions():
    if not ActionForm().validate_on_submit():
        abort(400)
    me = current_user._get_current_object()
    locale = me.locale
    end_sessions(me)
    audit.record("sessions_ended", me, summary=f"Logget ud alle steder: {me.name}")
    flash(_("Du er logget ud alle steder."), "success")
    db.session.commit()
    logout_user()
    return remember_locale(redirect_to(url_for("auth.login")), locale)


@bp.post("/sessioner/<int:session_id>/log-ud")
def end_session(session_id: int):
    if not ActionForm().validate_on_submit():
        abort(400)
    record = db.session.get(UserSession, session_id)
    if not can(current_user, "session.end", record):
        abort(404)  # another person's session is not even there
    this = current_session_record()
    if this is not None and record.id == this.id:
        abort(409)
    if record.ended_at is None:
        record.ended_at = datetime.now(UTC)
        audit.record("sessions_ended", current_user._get_current_object(), {"session": record.id},
                     summary=f"Session logget ud: {current_user.name}")
        db.session.commit()
    flash(_("Sessionen er logget ud."), "success")
    return redirect_to(url_for(".index"))
