"""Forms of the SUS preparation: each part by its own people."""

from __future__ import annotations

from flask_babel import lazy_gettext as _l
from flask_wtf import FlaskForm
from wtforms import SelectField, StringField, TextAreaField
from wtforms.validators import DataRequired, InputRequired, Length, ValidationError

from strategy.inputs import BoundedDateTimeField, parse_int


def optional_id(value) -> int | None:
    if value in (None, ""):
        return None
    if isinstance(value, int):
        return value
    return parse_int(str(value))


class FocusAreaForm(FlaskForm):
    """The leader's proposed development or focus area, linked to one of the school's goals."""

    title = StringField(_l("Fokusområde"), [DataRequired(message=_l("Skriv fokusområdet.")), Length(max=300)])
    description = TextAreaField(_l("Beskrivelse"), [Length(max=20000)], render_kw={"rows": 3})
    goal_id = SelectField(_l("Skolens mål"), coerce=optional_id, validate_choice=True)


class TopicForm(FlaskForm):
    """A topic the administration adds: a political goal or a municipal activity of the period."""

    political_goal_id = SelectField(_l("Politisk mål"), coerce=optional_id)
    activity_id = SelectField(_l("Strategisk aktivitet"), coerce=optional_id)
    note = TextAreaField(_l("Hvad vil forvaltningen drøfte?"), [Length(max=20000)], render_kw={"rows": 2})

    def validate_political_goal_id(self, field):
        if field.data is None and self.activity_id.data is None:
            raise ValidationError(_l("Vælg et politisk mål eller en strategisk aktivitet."))


class ParentForm(FlaskForm):
    member_id = SelectField(_l("Forælderrepræsentant"), coerce=optional_id,
                            validators=[InputRequired(message=_l("Vælg et medlem af skolebestyrelsen."))])

    def validate_member_id(self, field):
        if field.data is None:
            raise ValidationError(_l("Vælg et medlem af skolebestyrelsen."))


class PlanForm(FlaskForm):
    starts_at = BoundedDateTimeField(
        _l("Tidspunkt"), [InputRequired(message=_l("Angiv dato og klokkeslæt."))],
        format=["%Y-%m-%dT%H:%M", "%Y-%m-%dT%H:%M:%S"],
    )
