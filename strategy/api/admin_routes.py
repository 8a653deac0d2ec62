"""The administrator's pages for API keys: the list (with use), issue (shown once), revoke."""

from __future__ import annotations

import sqlalchemy as sa
from flask import url_for
from flask_babel import lazy_gettext as _l
from flask_login import current_user
from flask_wtf import FlaskForm
from wtforms import SelectField, SelectMultipleField, StringField
from wtforms.fields.choices import SelectChoice
from wtforms.validators import DataRequired, Length, Optional

from strategy.api import keys
from strategy.extensions import db
from strategy.htmx import redirect_to, render
from strategy.inputs import BoundedDateField
from strategy.models import ApiClient, ApiUsage, Role, School
from strategy.web import signed_in_blueprint

bp = signed_in_blueprint("api_keys", __name__, url_prefix="/admin/api-noegler", action="api_keys.manage")

ROLE_LABELS = {
    Role.ADMIN: _l("Administrator"), Role.DIRECTORATE: _l("Direktion"), Role.CONSULTANT: _l("Konsulent"),
    Role.LEADER: _l("Skoleleder"), Role.READER: _l("Læser"),
}


class KeyForm(FlaskForm):
    name = StringField(_l("Navn"), validators=[DataRequired(message=_l("Giv nøglen et navn.")), Length(max=200)])
    role = SelectField(_l("Rolle"), validators=[DataRequired(message=_l("Vælg en rolle."))])
    schools = SelectMultipleField(_l("Skoler"), coerce=int, validators=[Optional()])
    expires_on = BoundedDateField(_l("Udløber"), validators=[Optional()])

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.role.choices = [SelectChoice(r.value, str(label)) for r, label in ROLE_LABELS.items()]
        self.schools.choices = [SelectChoice(s.id, s.name) for s in db.session.scalars(sa.select(School).order_by(School.name))]


def _page(form: KeyForm, status: int = 200, secret: str | None = None, error: str | None = None):
    clients = list(db.session.scalars(sa.select(ApiClient).order_by(ApiClient.created_at.desc(), ApiClient.id.desc())))
    usage = {
        row.api_client_id: row
        for row in db.session.execute(
            sa.select(ApiUsage.api_client_id, sa.func.sum(ApiUsage.count).label("calls"), sa.func.sum(ApiUsage.rows).label("rows"))
            .group_by(ApiUsage.api_client_id)
        )
    }
    return render("admin/api_keys.html", status=status, form=form, clients=clients, usage=usage, secret=secret,
                  error=error, role_labels=ROLE_LABELS)


@bp.get("/")
def index():
    return _page(KeyForm(formdata=None))


@bp.post("/")
def create():
    form = KeyForm()
    if not form.validate_on_submit():
        return _page(form, status=422)
    schools = list(db.session.scalars(sa.select(School).where(School.id.in_(form.schools.data or [-1]))))
    try:
        client, secret = keys.create_key(form.name.data, Role(form.role.data), schools, current_user, form.expires_on.data)
    except keys.ApiKeyError as error:
        return _page(form, status=422, error=str(error))
    db.session.commit()
    return _page(KeyForm(formdata=None), secret=secret)


@bp.post("/<int:client_id>/tilbagekald")
def revoke(client_id: int):
    client = db.get_or_404(ApiClient, client_id)
    keys.revoke_key(client, current_user)
    db.session.commit()
    return redirect_to(url_for(".index"))
