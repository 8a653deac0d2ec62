"""Sign-in, sign-out and the language switch."""

from flask import Blueprint, flash, jsonify, redirect, render_template, request, url_for
from flask_babel import gettext as _
from flask_login import current_user, login_required, login_user, logout_user
from flask_wtf.csrf import generate_csrf

from strategy.auth.accounts import LoginRefused, authenticate
from strategy.auth.forms import LanguageForm, LoginForm
from strategy.extensions import db
from strategy.htmx import safe_path
from strategy.security import session_seconds_left, start_session
from strategy.web import remember_locale

bp = Blueprint("auth", __name__)


@bp.route("/login", methods=["GET", "POST"])
def login():
    if current_user.is_authenticated:
        return redirect(url_for("main.index"))
    form = LoginForm(next=request.args.get("next", ""))
    status = 200
    if form.validate_on_submit():
        try:
            user = authenticate(form.email.data, form.password.data, request.remote_addr or "")
        except LoginRefused as refused:
            db.session.commit()  # keep the record of the attempt
            message = (
                _("For mange mislykkede forsøg. Vent et kvarter, og prøv igen.")
                if refused.throttled
                else _("Forkert e-mailadresse eller adgangskode.")
            )
            form.password.errors.append(message)
            status = 429 if refused.throttled else 401
        else:
            start_session(user)
            login_user(user)
            db.session.commit()
            return redirect(safe_path(form.next.data) or url_for("main.index"), code=303)
    elif request.method == "POST":
        status = 422
    return render_template("auth/login.html", form=form), status


@bp.get("/session")
def session_state():
    """For app.js: is the session alive, for how long, and its CSRF token. Asking does not keep
    it alive (security.PASSIVE_ENDPOINTS), so a page left open still times out."""
    if not current_user.is_authenticated:
        response = jsonify(active=False)
    else:
        response = jsonify(active=True, seconds_left=session_seconds_left(), csrf=generate_csrf())
    response.headers["Cache-Control"] = "no-store"
    return response


@bp.post("/session/keepalive")
@login_required
def keep_alive():
    """Typing in a form counts as activity: app.js calls this now and then while a person types,
    so the idle limit does not end a session mid-sentence (the absolute limit still holds)."""
    return "", 204


@bp.get("/session/igen")
@login_required
def session_resumed():
    """Where signing in again from an expired page lands: go back to the other tab and save."""
    return render_template("auth/session_resumed.html")


@bp.post("/logout")
@login_required
def logout():
    # Rotating the token ends every session of this user, including copied cookies.
    locale = current_user.locale
    # Before logout_user: the message is in the user's language, not the visitor's.
    flash(_("Du er logget ud."), "success")
    current_user.end_all_sessions()
    db.session.commit()
    logout_user()
    return remember_locale(redirect(url_for("auth.login"), code=303), locale)


@bp.post("/sprog")
@login_required
def set_language():
    form = LanguageForm()
    response = redirect(safe_path(form.next.data) or url_for("main.index"), code=303)
    if form.validate_on_submit():
        current_user.locale = form.locale.data
        db.session.commit()
        remember_locale(response, form.locale.data)
    return response
