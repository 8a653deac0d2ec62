"""The form that turns another school's practice into an initiative of our own."""

from flask_babel import lazy_gettext as _l
from flask_wtf import FlaskForm
from wtforms import SelectField, StringField, TextAreaField
from wtforms.validators import DataRequired, Length, Optional, ValidationError

from strategy.inputs import BoundedDateField, parse_int
from strategy.forms import TEXT_MAX, CheckboxesField, choices

# The context fields: written by the leader for the own school, never the source's text.
CONTEXT_FIELDS = ("starting_point", "what_we_try", "who_does_what", "success_signs", "evaluation_plan")


def _goal_id(value) -> int:
    return parse_int(str(value), low=1) or 0


def _same(a: str | None, b: str | None) -> bool:
    return " ".join((a or "").split()).casefold() == " ".join((b or "").split()).casefold()


class AdoptForm(FlaskForm):
    goal = SelectField(_l("Under hvilket af jeres mål?"), coerce=_goal_id,
                       validators=[DataRequired(message=_l("Vælg det mål, tiltaget skal høre til."))])
    title = StringField(_l("Tiltag"), validators=[DataRequired(message=_l("Skriv tiltagets navn.")), Length(max=300)])
    starting_point = TextAreaField(
        _l("Ståsted hos os"),
        validators=[DataRequired(message=_l("Beskriv jeres eget ståsted: hvorfor passer det hos jer?")),
                    Length(max=TEXT_MAX)])
    what_we_try = TextAreaField(
        _l("Hvad vi afprøver"),
        validators=[DataRequired(message=_l("Beskriv, hvad I vil afprøve hos jer.")), Length(max=TEXT_MAX)])
    who_does_what = TextAreaField(_l("Hvem gør hvad og hvornår"), validators=[Optional(), Length(max=TEXT_MAX)])
    responsible = StringField(_l("Ansvarlig"), validators=[Optional(), Length(max=200)])
    start_date = BoundedDateField(_l("Startdato"), validators=[Optional()])
    end_date = BoundedDateField(_l("Slutdato"), validators=[Optional()])
    success_signs = TextAreaField(_l("Tegn på at vi lykkes"), validators=[Optional(), Length(max=TEXT_MAX)])
    evaluation_plan = TextAreaField(_l("Hvordan og hvornår vi evaluerer"), validators=[Optional(), Length(max=TEXT_MAX)])
    political_goals = CheckboxesField(_l("Politiske mål, tiltaget understøtter"))
    expectations = CheckboxesField(_l("Forventninger i Learning Pipeline"))

    def __init__(self, *args, source=None, goals=(), political_goal_choices=(), expectation_choices=(), **kwargs):
        super().__init__(*args, **kwargs)
        self.source = source
        self.goal.choices = choices([("", _l("Vælg mål"))] + [(g.id, g.title) for g in goals])
        self.political_goals.choices = choices(political_goal_choices)
        self.expectations.choices = choices(expectation_choices)

    def validate_end_date(self, field):
        if field.data and self.start_date.data and field.data < self.start_date.data:
            raise ValidationError(_l("Slutdatoen kan ikke ligge før startdatoen."))

    def validate(self, extra_validators=None) -> bool:
        ok = super().validate(extra_validators)
        if self.source is None:
            return ok
        for name in CONTEXT_FIELDS:
            field = self[name]
            if (field.data or "").strip() and _same(field.data, getattr(self.source, name)):
                field.errors = list(field.errors) + [str(_l(
                    "Teksten er den samme som hos den anden skole. Skriv med jeres egne ord, hvordan det "
                    "ser ud hos jer."))]
                ok = False
        return ok

    def values(self) -> dict:
        def text(f):
            return (f.data or "").strip()

        return {
            "title": self.title.data.strip(),
            **{name: text(self[name]) for name in CONTEXT_FIELDS},
            "responsible": text(self.responsible),
            "start_date": self.start_date.data,
            "end_date": self.end_date.data,
            "political_goal_ids": self.political_goals.data or [],
            "expectation_ids": self.expectations.data or [],
        }
