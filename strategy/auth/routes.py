"""Sign-in (local and single sign-on), sign-out, one-time links and the language switch."""

import logging

from flask import Blueprint, current_app, flash, jsonify, redirect, request, session, url_for
from flask_babel import gettext as _
from flask_login import current_user, login_required, login_user, logout_user
from flask_wtf.csrf import generate_csrf

from strategy import audit, mail
from strategy.auth import sso
from strategy.auth.accounts import (
    LoginRefused,
    authenticate,
    find_token,
    normalise_email,
    record_reset_request,
    reset_throttled,
    issue_token,
    use_token,
    user_for_reset,
)
from strategy.auth.forms import ForgotPasswordForm, LanguageForm, LoginForm
from strategy.extensions import db
from strategy.forms import NewPasswordForm
from strategy.htmx import redirect_to, render, safe_path
from strategy.models import SignInMethod, TokenPurpose
from strategy.security import current_session_record, session_seconds_left, start_session
from strategy.web import remember_locale

bp = Blueprint("auth", __name__)
log = logging.getLogger("maalpil.auth")


def _login_page(form=None, status=200, sso_problem=None, refused=None):
    form = form or LoginForm(next=request.args.get("next", ""))
    return render(
        "auth/login.html", status=status, form=form, sso_enabled=sso.enabled(),
        provider_name=sso.provider_name(), sso_problem=sso_problem, refused=refused,
        contact=current_app.config["OIDC_ACCESS_CONTACT"],
    )


def _signed_in(user, method: SignInMethod, id_token: str = "", next_url: str | None = None):
    """Start the session, audit how the person came in, commit, go on."""
    start_session(user, method, id_token)
    login_user(user)
    audit.record("login", user, {"method": method.value}, actor=user,
                 summary=f"Logget ind ({method.value}): {user.name}")
    db.session.commit()
    return redirect_to(safe_path(next_url) or url_for("main.index"))


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
            return _signed_in(user, SignInMethod.PASSWORD, next_url=form.next.data)
    elif request.method == "POST":
        status = 422
    return _login_page(form, status)


# --- single sign-on -----------------------------------------------------------------------------


def _provider_unavailable(stage: str, error: Exception):
    log.warning("single sign-on failed at %s: %s: %s", stage, type(error).__name__, str(error)[:300])
    db.session.rollback()
    return _login_page(status=502, sso_problem=stage)


@bp.get("/login/sso")
def sso_start():
    """Off to the provider's login; the state, nonce and PKCE verifier wait in the session."""
    if not sso.enabled():
        return render("errors/error.html", status=404, status_code=404)
    if current_user.is_authenticated:
        return redirect(url_for("main.index"))
    next_url = safe_path(request.args.get("next"))
    try:
        response = sso.authorize_redirect(mail.absolute_url("auth.sso_callback"))
    except sso.PROVIDER_ERRORS as error:
        return _provider_unavailable("start", error)
    if next_url:
        session["sso_next"] = next_url
    return response


@bp.get("/login/sso/callback")
def sso_callback():
    if not sso.enabled():
        return render("errors/error.html", status=404, status_code=404)
    if request.args.get("error"):
        # The person cancelled at the provider, or the provider refused: back to the choice.
        log.info("single sign-on: the provider answered %s (%s)", request.args.get("error"),
                 (request.args.get("error_description") or "")[:200])
        return _login_page(status=401, sso_problem="cancelled")
    try:
        identity = sso.verified_identity()
    except sso.PROVIDER_ERRORS as error:
        return _provider_unavailable("callback", error)
    next_url = session.pop("sso_next", None)
    try:
        user = sso.sign_in_user(identity)
    except sso.SignInRefused as refused:
        log.info("single sign-on refused for %s (%s): %s", identity.email, identity.subject, refused.reason)
        if refused.user is not None:
            audit.record("login_refused", refused.user, {"method": "oidc", "why": refused.kind}, actor=refused.user,
                         summary=f"Log ind med {sso.provider_name()} afvist ({refused.kind}): {refused.user.name}")
        db.session.commit()  # a role removed at the provider has ended the account's sessions
        return render("auth/no_access.html", status=403, kind=refused.kind, provider_name=sso.provider_name(),
                      contact=current_app.config["OIDC_ACCESS_CONTACT"])
    return _signed_in(user, SignInMethod.OIDC, identity.id_token, next_url)


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
    return render("auth/session_resumed.html")


@bp.post("/logout")
@login_required
def logout():
    # Rotating the token ends every session of this user, including copied cookies.
    locale = current_user.locale
    # Before logout_user: the message is in the user's language, not the visitor's.
    flash(_("Du er logget ud."), "success")
    record = current_session_record()
    id_token = record.id_token if record is not None and record.method == SignInMethod.OIDC else ""
    user = current_user._get_current_object()
    from strategy.auth.accounts import end_sessions

    end_sessions(user)
    audit.record("logout", user, summary=f"Logget ud: {user.name}")
    db.session.commit()
    logout_user()
    target = url_for("auth.login")
    if record is not None and record.method == SignInMethod.OIDC:
        # Where offered, end the provider's session too (RP-initiated logout); it sends the
        # browser back to the login page.
        target = sso.logout_url(id_token, mail.absolute_url("auth.login")) or target
    return remember_locale(redirect_to(target), locale)


@bp.post("/sprog")
@login_required
def set_language():
    form = LanguageForm()
    response = redirect_to(safe_path(form.next.data) or url_for("main.index"))
    if form.validate_on_submit():
        current_user.locale = form.locale.data
        db.session.commit()
        remember_locale(response, form.locale.data)
    return response


# --- "Glemt adgangskode" and the one-time links -------------------------------------------------


@bp.route("/glemt-adgangskode", methods=["GET", "POST"])
def forgot_password():
    form = ForgotPasswordForm()
    if not form.validate_on_submit():
        return render("auth/forgot.html", form=form, status=422 if request.method == "POST" else 200)
    email = normalise_email(form.email.data)
    ip_address = request.remote_addr or ""
    if reset_throttled(email, ip_address):
        log.info("password reset for %s from %s throttled", email, ip_address)
        return render("auth/forgot.html", form=form, throttled=True, status=429)
    record_reset_request(email, ip_address)
    user = user_for_reset(email)
    messages = []
    if user is not None:
        token = issue_token(user, TokenPurpose.RESET)
        message = mail.queue(user, "password_reset", "password_reset",
                             link=mail.absolute_url("auth.reset_password", token=token),
                             minutes=int(current_app.config["RESET_LIFETIME"].total_seconds() // 60))
        messages.append(message)
        audit.record("password_reset_requested", user, actor=user,
                     summary=f"Link til ny adgangskode sendt: {user.name}")
    db.session.commit()
    mail.deliver_quietly(messages)
    # The same answer whether or not the address has an account.
    return render("auth/forgot.html", form=ForgotPasswordForm(formdata=None), sent_to=email)


def _set_password_from_link(token: str, purpose: TokenPurpose):
    record = find_token(token, purpose)
    if record is None:
        if request.method == "POST":
            db.session.rollback()
        return render("auth/link_invalid.html", purpose=purpose.value, status=410)
    form = NewPasswordForm()
    if not form.validate_on_submit():
        return render("auth/set_password.html", form=form, purpose=purpose.value, user=record.user,
                      status=422 if request.method == "POST" else 200)
    user = use_token(record, form.new_password.data)
    if purpose == TokenPurpose.INVITATION:
        audit.record("invitation_used", user, actor=user, summary=f"Invitation brugt: {user.name}")
        flash(_("Velkommen til Målpil. Din adgangskode er gemt."), "success")
    else:
        audit.record("password_reset", user, {"how": "link"}, actor=user,
                     summary=f"Ny adgangskode fra link: {user.name}")
        flash(_("Din nye adgangskode er gemt. Du er logget ud alle andre steder."), "success")
    method = SignInMethod.INVITATION if purpose == TokenPurpose.INVITATION else SignInMethod.RESET
    return remember_locale(_signed_in(user, method), user.locale)


@bp.route("/invitation/<token>", methods=["GET", "POST"])
def accept_invitation(token: str):
    return _set_password_from_link(token, TokenPurpose.INVITATION)


@bp.route("/nulstil-adgangskode/<token>", methods=["GET", "POST"])
def reset_password(token: str):
    return _set_password_from_link(token, TokenPurpose.RESET)
