"""Administration: users, schools and clusters, periods, political goals, Learning Pipeline, Historik.

Users and schools: the administrator edits, the directorate reads (users.* and schools.*).
Reference data: the administrator and the directorate edit (reference.edit); everyone else reads
it on the reference pages. The whole audit log is the administrator's (audit.read).
"""


import sqlalchemy as sa
from flask import abort, flash, request, url_for
from flask_babel import gettext as _
from flask_login import current_user

from strategy import loaders
from strategy.admin import domain, queries
from strategy.admin.forms import (
    ActivityForm,
    ClusterForm,
    ExpectationForm,
    LevelNameForm,
    LocalLevelForm,
    MoveForm,
    MoveSchoolForm,
    NewExpectationForm,
    PeriodForm,
    PoliticalGoalForm,
    SchoolForm,
    UserForm,
    min_password_length,
)
from strategy import mail
from strategy.auth import accounts
from strategy.auth.accounts import pending_invitation
from strategy.extensions import db
from strategy.forms import ActionForm
from strategy.history import TYPE_LABELS
from strategy.htmx import announce, is_htmx, redirect_to, render, render_fragment
from strategy.inputs import arg_int, parse_int
from strategy.models import (
    Cluster,
    Expectation,
    ExpectationCategory,
    MunicipalActivity,
    Policy,
    PoliticalGoal,
    ProfileLevel,
    School,
)
from strategy.permissions import can, require
from strategy.web import signed_in_blueprint

bp = signed_in_blueprint("admin", __name__, url_prefix="/admin")


def _on_post(block: str) -> str | None:
    """A form page answers a failed htmx POST with the form block alone; a GET is always the page."""
    return block if request.method == "POST" else None


@bp.context_processor
def _labels():
    return {
        "role_labels": {r.value: label for r, label in domain.ROLE_LABELS.items()},
        "category_labels": {c.value: label for c, label in domain.CATEGORY_LABELS.items()},
        "activity_level_labels": {lv.value: label for lv, label in domain.ACTIVITY_LEVEL_LABELS.items()},
        "type_labels": TYPE_LABELS,
    }


@bp.get("")
def index():
    if not (can(current_user, "users.read") or can(current_user, "reference.edit")):
        abort(403)
    return render("admin/index.html")


# --- users --------------------------------------------------------------------------------------


def _user_filter() -> queries.UserFilter:
    school = request.args.get("skole", "")
    return queries.UserFilter(
        query=request.args.get("q", "").strip()[:200],
        role=request.args.get("rolle", ""),
        school_id=parse_int(school, low=1),
        status=request.args.get("status", "") if request.args.get("status") in ("active", "inactive") else "",
    )


@bp.get("/brugere")
def users():
    require("users.read")
    filters = _user_filter()
    return render(
        "admin/users.html", block="results", users=queries.users(filters), filters=filters, schools=queries.schools()
    )


def _user_form(user=None, **kwargs) -> UserForm:
    return UserForm(schools=queries.schools(), levels=queries.levels(), user=user, current=current_user, **kwargs)


def _placement(form: UserForm):
    schools = {s.id: s for s in queries.schools()}
    level = db.session.get(ProfileLevel, form.profile_level_id.data) if form.profile_level_id.data else None
    return {
        "school": schools.get(form.school_id.data),
        "profile_level": level,
        "assigned": [schools[i] for i in form.assigned_school_ids.data or [] if i in schools],
    }


def _email_conflict(form: UserForm) -> None:
    db.session.rollback()
    form.email.errors = [*form.email.errors, _("Der findes allerede en bruger med denne e-mailadresse.")]


@bp.route("/brugere/ny", methods=["GET", "POST"])
def create_user():
    require("users.edit")
    form = _user_form()
    if form.validate_on_submit():
        user = domain.create_user(
            email=form.email.data, name=form.name.data, title=form.title.data or "", role=form.chosen_role,
            **_placement(form),
        )
        messages = [accounts.send_invitation(user, current_user)] if form.send_invitation.data else []
        try:
            db.session.commit()
        except sa.exc.IntegrityError:  # a second admin created the same address a moment ago
            _email_conflict(form)
        else:
            mail.deliver_quietly(messages)
            if messages:
                flash(_("Brugeren %(name)s er oprettet og har fået en invitation på e-mail.", name=user.name), "success")
            else:
                flash(_("Brugeren %(name)s er oprettet.", name=user.name), "success")
            return redirect_to(url_for(".user", user_id=user.id))
    status = 422 if request.method == "POST" else 200
    return render("admin/user_new.html", block=_on_post("user_form"), status=status, form=form,
                  min_length=min_password_length())


def _load_user(user_id: int):
    user = queries.user(user_id)
    if user is None or user.anonymised_at is not None:
        abort(404)
    return user


def _user_page(user, form=None, status=200, block=None):
    if form is None and can(current_user, "users.edit"):
        form = _user_form(
            user,
            formdata=None,
            data={
                "email": user.email, "name": user.name, "title": user.title, "role": user.role.value,
                "school_id": user.school_id, "profile_level_id": user.profile_level_id,
                "assigned_school_ids": [s.id for s in user.assigned_schools],
            },
        )
    return render(
        "admin/user.html",
        block=block,
        status=status,
        user=user,
        form=form,
        action_form=ActionForm(formdata=None),
        invitation=pending_invitation(user),
        recent=queries.recent_actions_of(current_user, user) if can(current_user, "audit.read") else [],
        min_length=min_password_length(),
    )


@bp.get("/brugere/<int:user_id>")
def user(user_id: int):
    require("users.read")
    return _user_page(_load_user(user_id))


@bp.post("/brugere/<int:user_id>")
def update_user(user_id: int):
    require("users.edit")
    user = _load_user(user_id)
    form = _user_form(user)
    if form.validate_on_submit():
        domain.update_user(
            user, email=form.email.data, name=form.name.data, title=form.title.data or "",
            role=form.chosen_role, **_placement(form),
        )
        try:
            db.session.commit()
        except sa.exc.IntegrityError:
            _email_conflict(form)
            user = _load_user(user_id)
        else:
            flash(_("Ændringerne er gemt."), "success")
            return redirect_to(url_for(".user", user_id=user.id))
    return _user_page(user, form=form, status=422, block="user_form")


@bp.post("/brugere/<int:user_id>/invitation")
def send_invitation(user_id: int):
    """Send (again) the one-time link with which the person chooses a password."""
    require("users.edit")
    user = _load_user(user_id)
    if not ActionForm().validate_on_submit():
        abort(400)
    if user.oidc_subject is not None or not user.active:
        return render("errors/error.html", block="content", status=409, status_code=409,
                      message=_("Brugeren logger ind med kommunens login eller er deaktiveret og kan ikke inviteres."))
    message = accounts.send_invitation(user, current_user)
    db.session.commit()
    mail.deliver_quietly([message])
    flash(_("Invitationen er sendt til %(email)s. Den virker i 7 dage.", email=user.email), "success")
    return redirect_to(url_for(".user", user_id=user.id))


@bp.post("/brugere/<int:user_id>/invitation/tilbagekald")
def revoke_invitation(user_id: int):
    require("users.edit")
    user = _load_user(user_id)
    if not ActionForm().validate_on_submit():
        abort(400)
    if domain.revoke_invitation(user, current_user):
        db.session.commit()
        flash(_("Invitationen er trukket tilbage. Linket virker ikke længere."), "success")
    return redirect_to(url_for(".user", user_id=user.id))


@bp.post("/brugere/<int:user_id>/deaktiver")
def deactivate_user(user_id: int):
    require("users.edit")
    user = _load_user(user_id)
    if not ActionForm().validate_on_submit():
        abort(400)
    if user.id == current_user.id:
        return render(
            "errors/error.html", block="content", status=409, status_code=409,
            message=_("Du kan ikke deaktivere din egen konto. Bed en anden administrator om det."),
        )
    if domain.set_active(user, False):
        db.session.commit()
        return _access_changed(user, _("%(name)s er deaktiveret og logget ud overalt.", name=user.name))
    return _access_changed(user)


@bp.post("/brugere/<int:user_id>/aktiver")
def activate_user(user_id: int):
    require("users.edit")
    user = _load_user(user_id)
    if not ActionForm().validate_on_submit():
        abort(400)
    if domain.set_active(user, True):
        db.session.commit()
        return _access_changed(user, _("%(name)s er aktiv igen.", name=user.name))
    return _access_changed(user)


def _access_changed(user, message: str | None = None):
    """htmx: the access section in place, announced; a plain form: back to the user's page."""
    if not is_htmx():
        if message:
            flash(message, "success")
        return redirect_to(url_for(".user", user_id=user.id))
    response = render("admin/user.html", block="access", user=user, changed=True)
    return announce(response, message) if message else response


# --- schools and clusters -----------------------------------------------------------------------


def _schools_page(status=200, block=None, move_error=None, moved=None, message=None):
    all_clusters, loose = queries.clusters_with_schools()
    return render(
        "admin/schools.html", block=block, status=status, clusters=all_clusters, loose=loose,
        move_error=move_error, moved=moved, message=message,
    )


@bp.get("/skoler")
def schools():
    require("schools.read")
    return _schools_page()


@bp.route("/skoler/ny", methods=["GET", "POST"])
def create_school():
    require("schools.edit")
    form = SchoolForm(clusters=queries.clusters())
    if form.validate_on_submit():
        cluster = db.session.get(Cluster, form.cluster_id.data) if form.cluster_id.data else None
        school = domain.create_school(form.name.data, cluster, form.institution_number.data)
        db.session.commit()
        flash(_("%(name)s er oprettet.", name=school.name), "success")
        return redirect_to(url_for(".schools"))
    return render("admin/school_form.html", block=_on_post("form"), status=422 if request.method == "POST" else 200,
                  form=form, school=None)


@bp.route("/skoler/<int:school_id>", methods=["GET", "POST"])
def school(school_id: int):
    require("schools.read")
    school = db.get_or_404(School, school_id)
    form = SchoolForm(clusters=queries.clusters(), school=school,
                      data={"name": school.name, "cluster_id": school.cluster_id,
                            "institution_number": school.institution_number or ""})
    status = 200
    if request.method == "POST":
        require("schools.edit")
        if form.validate_on_submit():
            cluster = db.session.get(Cluster, form.cluster_id.data) if form.cluster_id.data else None
            domain.update_school(school, form.name.data, cluster, form.institution_number.data)
            db.session.commit()
            flash(_("Ændringerne er gemt."), "success")
            return redirect_to(url_for(".schools"))
        status = 422
    return render("admin/school_form.html", block=_on_post("form"), status=status, form=form, school=school,
                  members=queries.users_of_school(school))


@bp.post("/skoler/<int:school_id>/flyt")
def move_school(school_id: int):
    require("schools.edit")
    school = db.get_or_404(School, school_id)
    form = MoveSchoolForm(clusters=queries.clusters())
    if not form.validate_on_submit():
        return _schools_page(status=422, block="groups", move_error=_("Vælg en klynge fra listen."))
    cluster = db.session.get(Cluster, form.cluster_id.data) if form.cluster_id.data else None
    domain.update_school(school, school.name, cluster)
    db.session.commit()
    message = (_("%(school)s er flyttet til %(cluster)s.", school=school.name, cluster=cluster.name) if cluster
               else _("%(school)s hører ikke længere til en klynge.", school=school.name))
    if is_htmx():
        return _schools_page(block="groups", moved=school.id, message=message)
    flash(message, "success")
    return redirect_to(url_for(".schools"))


@bp.route("/klynger/ny", methods=["GET", "POST"])
def create_cluster():
    require("schools.edit")
    form = ClusterForm()
    if form.validate_on_submit():
        cluster = domain.create_cluster(form.name.data)
        db.session.commit()
        flash(_("Klyngen %(name)s er oprettet.", name=cluster.name), "success")
        return redirect_to(url_for(".schools"))
    return render("admin/cluster_form.html", block=_on_post("form"), status=422 if request.method == "POST" else 200,
                  form=form, cluster=None)


@bp.route("/klynger/<int:cluster_id>", methods=["GET", "POST"])
def cluster(cluster_id: int):
    require("schools.read")
    cluster = db.get_or_404(Cluster, cluster_id)
    form = ClusterForm(cluster=cluster, data={"name": cluster.name})
    status = 200
    if request.method == "POST":
        require("schools.edit")
        if form.validate_on_submit():
            domain.rename_cluster(cluster, form.name.data)
            db.session.commit()
            flash(_("Ændringerne er gemt."), "success")
            return redirect_to(url_for(".schools"))
        status = 422
    return render("admin/cluster_form.html", block=_on_post("form"), status=status, form=form, cluster=cluster,
                  action_form=ActionForm(formdata=None))


@bp.post("/klynger/<int:cluster_id>/slet")
def delete_cluster(cluster_id: int):
    require("schools.edit")
    cluster = db.get_or_404(Cluster, cluster_id)
    if not ActionForm().validate_on_submit():
        abort(400)
    if cluster.schools:
        return render(
            "errors/error.html", block="content", status=409, status_code=409,
            message=_("Klyngen har stadig skoler. Flyt dem til en anden klynge først."),
        )
    name = cluster.name
    domain.delete_cluster(cluster)
    db.session.commit()
    flash(_("Klyngen %(name)s er slettet.", name=name), "success")
    return redirect_to(url_for(".schools"))


# --- periods and municipal activities -----------------------------------------------------------


@bp.get("/perioder")
def periods():
    require("reference.edit")
    return render("admin/periods.html", periods=queries.periods())


@bp.route("/perioder/ny", methods=["GET", "POST"])
def create_period():
    require("reference.edit")
    form = PeriodForm()
    if form.validate_on_submit():
        period = domain.create_period(key=form.resolved_key(), title=form.title.data or "",
                                      start_year=form.start_year.data, end_year=form.end_year.data)
        db.session.commit()
        flash(_("Strategiperioden %(key)s er oprettet.", key=period.key), "success")
        return redirect_to(url_for(".period", period_id=period.id))
    return render("admin/period_new.html", block=_on_post("form"), status=422 if request.method == "POST" else 200, form=form)


def _load_period(period_id: int):
    period = queries.period(period_id)
    if period is None:
        abort(404)
    return period


def _policies() -> list[Policy]:
    return list(db.session.scalars(sa.select(Policy).order_by(Policy.position)))


def _period_page(period, form=None, activity_form=None, status=200, block=None):
    form = form or PeriodForm(formdata=None, period=period, data={
        "key": period.key, "title": period.title, "start_year": period.start_year, "end_year": period.end_year,
    })
    activity_form = activity_form or ActivityForm(formdata=None, prefix="new", period=period, policies=_policies())
    return render("admin/period.html", block=block, status=status, period=period, form=form,
                  activity_form=activity_form)


@bp.route("/perioder/<int:period_id>", methods=["GET", "POST"])
def period(period_id: int):
    require("reference.edit")
    period = _load_period(period_id)
    if request.method == "GET":
        return _period_page(period)
    form = PeriodForm(period=period)
    if form.validate_on_submit():
        domain.update_period(period, key=form.resolved_key(), title=form.title.data or "",
                             start_year=form.start_year.data, end_year=form.end_year.data)
        db.session.commit()
        flash(_("Ændringerne er gemt."), "success")
        return redirect_to(url_for(".period", period_id=period.id))
    return _period_page(period, form=form, status=422, block="period_form")


@bp.post("/perioder/<int:period_id>/aktiviteter")
def add_activity(period_id: int):
    require("reference.edit")
    period = _load_period(period_id)
    form = ActivityForm(prefix="new", period=period, policies=_policies())
    if form.validate_on_submit():
        domain.add_activity(period, form.values())
        db.session.commit()
        flash(_("Aktiviteten er tilføjet."), "success")
        return redirect_to(url_for(".period", period_id=period.id) + "#activities")
    return _period_page(period, activity_form=form, status=422, block="activity_form")


@bp.route("/aktiviteter/<int:activity_id>", methods=["GET", "POST"])
def activity(activity_id: int):
    require("reference.edit")
    activity = db.get_or_404(MunicipalActivity, activity_id)
    form = ActivityForm(period=activity.period, policies=_policies(), data={
        "text": activity.text, "heading": activity.heading or "",
        "level": activity.level.value if activity.level else "", "year": activity.year,
        "policy_id": activity.policy_id,
    })
    status = 200
    if request.method == "POST":
        if form.validate_on_submit():
            domain.update_activity(activity, form.values())
            db.session.commit()
            flash(_("Aktiviteten er gemt."), "success")
            return redirect_to(url_for(".period", period_id=activity.period_id) + "#activities")
        status = 422
    return render("admin/activity.html", block=_on_post("form"), status=status, form=form, activity=activity,
                  action_form=ActionForm(formdata=None))


@bp.post("/aktiviteter/<int:activity_id>/slet")
def delete_activity(activity_id: int):
    require("reference.edit")
    activity = db.get_or_404(MunicipalActivity, activity_id)
    if not ActionForm().validate_on_submit():
        abort(400)
    period_id = activity.period_id
    domain.delete_activity(activity)
    db.session.commit()
    flash(_("Aktiviteten er slettet."), "success")
    return redirect_to(url_for(".period", period_id=period_id) + "#activities")


# --- political goals ----------------------------------------------------------------------------


@bp.get("/politiske-maal")
def political_goals():
    require("reference.edit")
    return render("admin/political_goals.html", policies=loaders.policies())


@bp.route("/politiske-maal/<int:goal_id>", methods=["GET", "POST"])
def political_goal(goal_id: int):
    require("reference.edit")
    goal = db.get_or_404(PoliticalGoal, goal_id)
    form = PoliticalGoalForm(themes=queries.themes(), data={
        "text": goal.text, "short_name": goal.short_name, "theme_ids": [t.id for t in goal.themes],
    })
    status = 200
    if request.method == "POST":
        if form.validate_on_submit():
            domain.update_political_goal(goal, text=form.text.data, short_name=form.short_name.data or "",
                                         themes=form.chosen_themes())
            db.session.commit()
            flash(_("Det politiske mål er gemt."), "success")
            return redirect_to(url_for(".political_goals") + f"#policy-{goal.policy_id}")
        status = 422
    return render("admin/political_goal.html", block=_on_post("form"), status=status, form=form, goal=goal, policy=goal.policy)


@bp.route("/politikker/<int:policy_id>/nyt-maal", methods=["GET", "POST"])
def create_political_goal(policy_id: int):
    require("reference.edit")
    policy = db.get_or_404(Policy, policy_id)
    form = PoliticalGoalForm(themes=queries.themes())
    if form.validate_on_submit():
        domain.add_political_goal(policy, text=form.text.data, short_name=form.short_name.data or "",
                                  themes=form.chosen_themes())
        db.session.commit()
        flash(_("Det politiske mål er tilføjet."), "success")
        return redirect_to(url_for(".political_goals") + f"#policy-{policy.id}")
    return render("admin/political_goal.html", block=_on_post("form"), status=422 if request.method == "POST" else 200,
                  form=form, goal=None, policy=policy)


# --- Learning Pipeline ------------------------------------------------------------------------


@bp.get("/learning-pipeline")
def pipeline():
    require("reference.edit")
    return render("admin/pipeline.html", levels=loaders.all_levels())


@bp.route("/learning-pipeline/ny", methods=["GET", "POST"])
def create_level():
    require("reference.edit")
    levels = queries.levels()
    form = LocalLevelForm(schools=queries.schools(), levels=levels)
    if form.validate_on_submit():
        school = db.get_or_404(School, form.school_id.data)
        copy_from = next((lv for lv in levels if lv.id == form.copy_from_id.data), None)
        level = domain.create_local_level(school, form.name.data, copy_from)
        db.session.commit()
        flash(_("Niveauet %(name)s er oprettet for %(school)s.", name=level.name, school=school.name), "success")
        return redirect_to(url_for(".level", level_id=level.id))
    return render("admin/level_new.html", block=_on_post("form"), status=422 if request.method == "POST" else 200, form=form)


def _load_level(level_id: int):
    level = queries.level(level_id)
    if level is None:
        abort(404)
    return level


def _level_page(level, name_form=None, status=200, errors=None, drafts=None, block=None):
    return render(
        "admin/level.html",
        block=block,
        status=status,
        level=level,
        name_form=name_form or LevelNameForm(formdata=None, data={"name": level.name}),
        categories=list(ExpectationCategory),
        items_in=queries.in_category,
        errors=errors or {},
        drafts=drafts or {},
        focus=None,
        announce=None,
    )


@bp.route("/learning-pipeline/niveau/<int:level_id>", methods=["GET", "POST"])
def level(level_id: int):
    require("reference.edit")
    level = _load_level(level_id)
    if request.method == "GET":
        return _level_page(level)
    form = LevelNameForm()
    if form.validate_on_submit():
        domain.rename_level(level, form.name.data)
        db.session.commit()
        flash(_("Niveauet er omdøbt."), "success")
        return redirect_to(url_for(".level", level_id=level.id))
    return _level_page(level, name_form=form, status=422, block="name_form")


def _category_response(level, category: ExpectationCategory, *, status=200, errors=None, drafts=None,
                       focus=None, announce=None):
    """The category's editor: as a fragment for htmx, else the level page (or a redirect to it)."""
    if is_htmx():
        return render_fragment(
            "admin/_expectations.html", status=status, level=level, category=category,
            items=queries.in_category(level, category), errors=errors or {}, drafts=drafts or {},
            focus=focus, announce=announce,
        )
    if status >= 400:
        return _level_page(level, status=status, errors=errors, drafts=drafts)
    flash(announce, "success")
    return redirect_to(url_for(".level", level_id=level.id) + f"#category-{category.value}")


@bp.post("/learning-pipeline/niveau/<int:level_id>/forventninger")
def add_expectation(level_id: int):
    require("reference.edit")
    level = _load_level(level_id)
    form = NewExpectationForm()
    if not form.validate_on_submit():
        if form.category.errors:
            abort(400)
        category = ExpectationCategory(form.category.data)
        return _category_response(level, category, status=422, errors={f"new-{category.value}": form.text.errors},
                                  drafts={f"new-{category.value}": form.text.data or ""}, focus=f"new-{category.value}")
    category = ExpectationCategory(form.category.data)
    domain.add_expectation(level, category, form.text.data)
    db.session.commit()
    return _category_response(level, category, focus=f"new-{category.value}", announce=_("Forventningen er tilføjet."))


def _load_expectation(expectation_id: int) -> Expectation:
    expectation = db.get_or_404(Expectation, expectation_id)
    _load_level(expectation.level_id)  # loads the level with all its expectations in one go
    return expectation


@bp.post("/forventninger/<int:expectation_id>")
def update_expectation(expectation_id: int):
    require("reference.edit")
    expectation = _load_expectation(expectation_id)
    level, category = expectation.level, expectation.category
    form = ExpectationForm()
    if not form.validate_on_submit():
        key = f"text-{expectation.id}"
        return _category_response(level, category, status=422, errors={key: form.text.errors},
                                  drafts={key: form.text.data or ""}, focus=key)
    domain.update_expectation(expectation, form.text.data)
    db.session.commit()
    return _category_response(level, category, focus=f"text-{expectation.id}", announce=_("Forventningen er gemt."))


@bp.post("/forventninger/<int:expectation_id>/flyt")
def move_expectation(expectation_id: int):
    require("reference.edit")
    expectation = _load_expectation(expectation_id)
    level, category = expectation.level, expectation.category
    form = MoveForm()
    if not form.validate_on_submit():
        abort(400)
    direction = form.direction.data
    domain.move_expectation(expectation, direction)
    db.session.commit()
    siblings = queries.in_category(level, category)
    at_edge = siblings[0 if direction == "up" else -1] is expectation
    focus = f"text-{expectation.id}" if at_edge else f"{direction}-{expectation.id}"
    return _category_response(level, category, focus=focus, announce=_("Forventningen er flyttet."))


@bp.post("/forventninger/<int:expectation_id>/slet")
def delete_expectation(expectation_id: int):
    require("reference.edit")
    expectation = _load_expectation(expectation_id)
    level, category = expectation.level, expectation.category
    if not ActionForm().validate_on_submit():
        abort(400)
    try:
        domain.delete_expectation(expectation)
    except domain.InUse as in_use:
        key = f"text-{expectation.id}"
        message = _(
            "Forventningen bruges af %(n)d tiltag eller dagsordenspunkter og kan ikke slettes. Ret teksten i stedet.",
            n=in_use.args[0],
        )
        return _category_response(level, category, status=409, errors={key: [message]}, focus=key)
    db.session.commit()
    return _category_response(level, category, focus="heading", announce=_("Forventningen er slettet."))


# --- Historik -----------------------------------------------------------------------------------


@bp.get("/historik")
def history():
    require("audit.read", None)
    filters = queries.HistoryFilter(
        actor_id=arg_int("bruger", low=1),
        object_type=request.args.get("type", "")[:64],
        object_id=arg_int("id", low=1),
        page=arg_int("side", 1, low=1, high=100_000),
    )
    events, has_more = queries.history(current_user, filters)
    page_args = {
        k: v for k, v in (("bruger", filters.actor_id), ("type", filters.object_type), ("id", filters.object_id)) if v
    }
    return render(
        "admin/history.html",
        block="results",
        events=events,
        has_more=has_more,
        filters=filters,
        page_args=page_args,
        actors=queries.actors(),
        object_types=queries.object_types(),
    )
