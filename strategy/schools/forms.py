"""Forms of the strategy pages. Labels are the Danish source text; the ``values()`` of a form
are what the service functions take (model field names, ``*_ids`` for relations)."""

from datetime import date

from flask_babel import lazy_gettext as _l
from flask_wtf import FlaskForm
from wtforms import (
    BooleanField,
    HiddenField,
    RadioField,
    SelectField,
    SelectMultipleField,
    StringField,
    TextAreaField,
)
from wtforms.validators import DataRequired, InputRequired, Length, NumberRange, Optional, ValidationError

from strategy.forms import TEXT_MAX, CheckboxesField, choices
from strategy.inputs import (
    BoundedDateField,
    NumberField,
    WholeNumberField,
    optional_choice_int,
    parse_int,
    unit_range_problem,
)
from strategy.labels import CLASSIFICATION as CLASSIFICATION_LABELS
from strategy.labels import CONCLUSION as CONCLUSION_LABELS, DATA_TYPE as DATA_TYPE_LABELS, STATUS as STATUS_LABELS
from strategy.models import Classification, Conclusion, DataType, Status

YEAR_RANGE = NumberRange(min=1990, max=2100, message=_l("Skriv et årstal mellem 1990 og 2100."))


def _optional_id(value):
    if value in (None, "", "None"):
        return None
    if isinstance(value, int):
        return value
    return parse_int(str(value), low=1)


def _classification(value):
    if isinstance(value, Classification):
        return value
    try:
        return Classification(value)
    except ValueError:
        return None


def _optional_data_type(value):
    if value in (None, "", "None"):
        return None
    return DataType(value)



def _stripped(field) -> str:
    return (field.data or "").strip()

class VersionedForm(FlaskForm):
    version = HiddenField()


class GoalForm(VersionedForm):
    title = StringField(
        _l("Mål"), validators=[DataRequired(message=_l("Skriv målet.")), Length(max=300)]
    )
    description = TextAreaField(_l("Beskrivelse"), validators=[Optional(), Length(max=TEXT_MAX)])
    political_goals = CheckboxesField(_l("Politiske mål, målet understøtter"))
    indicator = StringField(_l("Hvad måler vi?"), validators=[Optional(), Length(max=300)])
    data_type = SelectField(
        _l("Datatype"),
        coerce=_optional_data_type,
        choices=choices([("", _l("Vælg datatype"))] + [(d.value, label) for d, label in DATA_TYPE_LABELS.items()]),
        validators=[Optional()],
    )
    unit = StringField(_l("Enhed"), validators=[Optional(), Length(max=40)])
    classification = SelectField(
        _l("Klassifikation"),
        coerce=_classification,
        choices=choices([(c.value, label) for c, label in CLASSIFICATION_LABELS.items()]),
        default=Classification.INTERNAL.value,
        validators=[Optional()],
    )
    baseline_value = NumberField(_l("Udgangspunkt"), validators=[Optional()])
    baseline_year = WholeNumberField(_l("År for udgangspunkt"), validators=[Optional(), YEAR_RANGE])
    target_value = NumberField(_l("Målsætning"), validators=[Optional()])
    target_year = WholeNumberField(_l("År for målsætning"), validators=[Optional(), YEAR_RANGE])
    municipal_indicator_id = SelectField(_l("Fælles indikator"), coerce=_optional_id, validators=[Optional()])

    def __init__(self, *args, political_goal_choices=(), **kwargs):
        super().__init__(*args, **kwargs)
        self.political_goals.choices = choices(political_goal_choices)
        from strategy.schools.queries import municipal_indicator_choices

        self.municipal_indicator_id.choices = choices([("", _l("Ingen: skolens egen indikator"))]
                                                      + municipal_indicator_choices())

    def validate_baseline_value(self, field):
        problem = unit_range_problem(field.data, self.unit.data)
        if problem:
            raise ValidationError(problem)

    def validate_target_value(self, field):
        self.validate_baseline_value(field)

    def validate_baseline_year(self, field):
        if self.baseline_value.data is not None and field.data is None:
            raise ValidationError(_l("Skriv året for udgangspunktet."))

    def validate_target_year(self, field):
        if self.target_value.data is not None and field.data is None:
            raise ValidationError(_l("Skriv året, målsætningen skal nås."))
        if field.data is not None and self.baseline_year.data is not None and field.data < self.baseline_year.data:
            raise ValidationError(_l("Målsætningens år kan ikke ligge før udgangspunktets år."))

    def values(self) -> dict:
        return {
            "title": self.title.data.strip(),
            "description": (self.description.data or "").strip(),
            "political_goal_ids": self.political_goals.data or [],
            "indicator": (self.indicator.data or "").strip(),
            "data_type": self.data_type.data,
            "unit": (self.unit.data or "").strip(),
            "baseline_value": self.baseline_value.data,
            "baseline_year": self.baseline_year.data,
            "target_value": self.target_value.data,
            "target_year": self.target_year.data,
            **({"municipal_indicator_id": self.municipal_indicator_id.data} if self.municipal_indicator_id.raw_data else {}),
            # Not sent (an older form): the classification stays as it is, never lowered silently.
            **({"classification": self.classification.data} if self.classification.raw_data and self.classification.data else {}),
        }


class InitiativeForm(VersionedForm):
    title = StringField(
        _l("Tiltag"), validators=[DataRequired(message=_l("Skriv tiltagets navn.")), Length(max=300)]
    )
    starting_point = TextAreaField(_l("Ståsted"), validators=[Optional(), Length(max=TEXT_MAX)])
    what_we_try = TextAreaField(_l("Hvad vi afprøver"), validators=[Optional(), Length(max=TEXT_MAX)])
    who_does_what = TextAreaField(_l("Hvem gør hvad og hvornår"), validators=[Optional(), Length(max=TEXT_MAX)])
    responsible = StringField(_l("Ansvarlig"), validators=[Optional(), Length(max=200)])
    start_date = BoundedDateField(_l("Startdato"), validators=[Optional()])
    end_date = BoundedDateField(_l("Slutdato"), validators=[Optional()])
    success_signs = TextAreaField(_l("Tegn på at vi lykkes"), validators=[Optional(), Length(max=TEXT_MAX)])
    evaluation_plan = TextAreaField(
        _l("Hvordan og hvornår vi evaluerer"), validators=[Optional(), Length(max=TEXT_MAX)]
    )
    owner_level = SelectField(_l("Niveau, der ejer tiltaget"), coerce=optional_choice_int, validators=[Optional()])
    expectations = CheckboxesField(_l("Forventninger i Learning Pipeline"))
    political_goals = CheckboxesField(_l("Politiske mål, tiltaget understøtter"))
    # The picker's search words: only used to find expectations, never saved.
    q = StringField(_l("Søg efter forventninger"), validators=[Optional(), Length(max=200)])

    def __init__(self, *args, levels=(), political_goal_choices=(), **kwargs):
        super().__init__(*args, **kwargs)
        self.owner_level.choices = choices([("", _l("Vælg niveau"))] + [(lvl.id, lvl.name) for lvl in levels])
        self.expectations.choices = choices((e.id, e.text) for lvl in levels for e in lvl.expectations)
        self.political_goals.choices = choices(political_goal_choices)

    def validate_end_date(self, field):
        if field.data and self.start_date.data and field.data < self.start_date.data:
            raise ValidationError(_l("Slutdatoen kan ikke ligge før startdatoen."))

    def values(self) -> dict:
        text = _stripped
        return {
            "title": self.title.data.strip(),
            "starting_point": text(self.starting_point),
            "what_we_try": text(self.what_we_try),
            "who_does_what": text(self.who_does_what),
            "responsible": text(self.responsible),
            "start_date": self.start_date.data,
            "end_date": self.end_date.data,
            "success_signs": text(self.success_signs),
            "evaluation_plan": text(self.evaluation_plan),
            "owner_level_id": self.owner_level.data,
            "expectation_ids": self.expectations.data or [],
            "political_goal_ids": self.political_goals.data or [],
        }


class StatusForm(FlaskForm):
    status = RadioField(
        _l("Ny status"),
        choices=choices((s.value, label) for s, label in STATUS_LABELS.items()),
        validators=[InputRequired(message=_l("Vælg en status."))],
    )
    # No Optional(): it would stop the chain before validate_comment runs.
    comment = TextAreaField(_l("Kommentar"), validators=[Length(max=TEXT_MAX)])

    def validate_comment(self, field):
        if self.status.data in (Status.CHALLENGED.value, Status.STOPPED.value) and not (field.data or "").strip():
            raise ValidationError(_l("Skriv kort, hvad der udfordrer eller hvorfor tiltaget stoppes."))


class EvaluationForm(FlaskForm):
    evaluated_on = BoundedDateField(
        _l("Dato"), default=date.today, validators=[InputRequired(message=_l("Skriv datoen for evalueringen."))]
    )
    what_was_done = TextAreaField(
        _l("Hvad har vi gjort?"),
        validators=[DataRequired(message=_l("Skriv, hvad der er gjort.")), Length(max=TEXT_MAX)],
    )
    signs_observed = TextAreaField(_l("Hvilke tegn har vi set?"), validators=[Optional(), Length(max=TEXT_MAX)])
    data_types = SelectMultipleField(
        _l("Hvilke data har vi brugt?"),
        choices=choices((d.value, label) for d, label in DATA_TYPE_LABELS.items()),
    )
    data_used = TextAreaField(_l("Hvilke data, konkret?"), validators=[Optional(), Length(max=TEXT_MAX)])
    conclusion = RadioField(
        _l("Konklusion"),
        choices=choices((c.value, label) for c, label in CONCLUSION_LABELS.items()),
        validators=[InputRequired(message=_l("Vælg fortsæt, justér eller stop."))],
    )
    next_steps = TextAreaField(_l("Næste skridt"), validators=[Length(max=TEXT_MAX)])

    def validate_evaluated_on(self, field):
        if field.data and field.data > date.today():
            raise ValidationError(_l("Datoen ligger i fremtiden."))

    def validate_next_steps(self, field):
        if self.conclusion.data in (Conclusion.ADJUST.value, Conclusion.STOP.value) and not (field.data or "").strip():
            raise ValidationError(_l("Skriv de næste skridt, når konklusionen er justér eller stop."))

    def values(self) -> dict:
        text = _stripped
        return {
            "evaluated_on": self.evaluated_on.data,
            "what_was_done": text(self.what_was_done),
            "signs_observed": text(self.signs_observed),
            "data_types": list(self.data_types.data or []),
            "data_used": text(self.data_used),
            "conclusion": Conclusion(self.conclusion.data),
            "next_steps": text(self.next_steps),
        }


class ActedOnForm(FlaskForm):
    acted_on_note = TextAreaField(
        _l("Sådan har vi fulgt op"),
        validators=[DataRequired(message=_l("Skriv, hvordan konklusionen er fulgt op.")), Length(max=TEXT_MAX)],
    )


class CommentForm(FlaskForm):
    body = TextAreaField(
        _l("Kommentar"), validators=[DataRequired(message=_l("Skriv en kommentar.")), Length(max=TEXT_MAX)]
    )


class MeasurementForm(FlaskForm):
    year = WholeNumberField(_l("År"), validators=[InputRequired(message=_l("Skriv året.")), YEAR_RANGE])
    value = NumberField(_l("Måling"), validators=[InputRequired(message=_l("Skriv målingen."))])
    note = StringField(_l("Note"), validators=[Optional(), Length(max=300)])
    pupils = WholeNumberField(
        _l("Antal elever"), validators=[Optional(), NumberRange(min=0, max=100_000, message=_l("Skriv et antal mellem 0 og 100.000."))]
    )
    new_series = BooleanField(_l("Målingen starter en ny serie"))

    def __init__(self, *args, unit: str = "", **kwargs):
        super().__init__(*args, **kwargs)
        self.unit = unit

    def validate_value(self, field):
        problem = unit_range_problem(field.data, self.unit)
        if problem:
            raise ValidationError(problem)


class DeleteMeasurementForm(FlaskForm):
    year = WholeNumberField(validators=[InputRequired(), YEAR_RANGE])


class MoveForm(FlaskForm):
    direction = SelectField(choices=choices([("up", "up"), ("down", "down")]), validators=[InputRequired()])


class StartStrategyForm(FlaskForm):
    period = SelectField(_l("Strategiperiode"), validators=[InputRequired(message=_l("Vælg en periode."))])
    goals = CheckboxesField(_l("Mål"))
    initiatives = CheckboxesField(_l("Tiltag"))

    def __init__(self, *args, periods=(), source=None, **kwargs):
        super().__init__(*args, **kwargs)
        self.period.choices = choices((p.key, p.name) for p in periods)
        goals = [g for g in (source.goals if source else []) if g.archived_at is None]
        self.goals.choices = choices((g.id, g.title) for g in goals)
        self.initiatives.choices = choices((i.id, i.title) for g in goals for i in g.active_initiatives)
