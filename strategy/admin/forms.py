"""Forms of the administration. Choices come from the database, passed in by the route."""

from flask import current_app
from flask_babel import gettext as _, lazy_gettext as _l
from flask_wtf import FlaskForm
from wtforms import (
    BooleanField,
    HiddenField,
    IntegerField,
    SelectField,
    SelectMultipleField,
    StringField,
    TextAreaField,
)
from wtforms.fields.choices import SelectChoice
from wtforms.validators import StopValidation, DataRequired, InputRequired, Length, NumberRange, Optional, Regexp, ValidationError

from strategy.admin import domain
from strategy.admin.queries import level_label
from strategy.inputs import choice_int, optional_choice_int, parse_int
from strategy.models import ActivityLevel, Cluster, ExpectationCategory, Role, School

EMAIL_PATTERN = r"^[^@\s]+@[^@\s]+\.[^@\s]+$"


def options(pairs) -> list[SelectChoice]:
    return [SelectChoice(value=value, label=str(label)) for value, label in pairs]


def _strip(value):
    return value.strip() if isinstance(value, str) else value


class UserForm(FlaskForm):
    """Create or edit an account. No password: the person chooses it from an invitation (or signs in
    through the identity provider); the administrator never sees or types one."""

    email = StringField(
        _l("E-mailadresse"),
        filters=[_strip],
        validators=[
            DataRequired(message=_l("Skriv brugerens e-mailadresse.")),
            Length(max=254),
            Regexp(EMAIL_PATTERN, message=_l("Skriv en gyldig e-mailadresse, fx navn@kommune.dk.")),
        ],
        render_kw={"autocomplete": "off", "inputmode": "email", "spellcheck": "false"},
    )
    name = StringField(
        _l("Navn"),
        filters=[_strip],
        validators=[DataRequired(message=_l("Skriv brugerens navn.")), Length(max=200)],
    )
    title = StringField(_l("Stilling"), filters=[_strip], validators=[Optional(), Length(max=200)])
    role = SelectField(_l("Rolle"))
    school_id = SelectField(_l("Skole"), coerce=optional_choice_int)
    profile_level_id = SelectField(_l("Niveau i Learning Pipeline"), coerce=optional_choice_int)
    assigned_school_ids = SelectMultipleField(_l("Tildelte skoler"), coerce=choice_int)
    send_invitation = BooleanField(_l("Send en invitation på e-mail"), default=True)

    def __init__(self, *args, schools, levels, user=None, current=None, **kwargs):
        super().__init__(*args, **kwargs)
        self.user = user  # the account being edited; None when creating
        self.current = current  # the administrator at the keyboard
        self.role.choices = options([(r.value, str(label)) for r, label in domain.ROLE_LABELS.items()])
        self.school_id.choices = options([("", _("Ingen skole"))] + [(s.id, s.name) for s in schools])
        self.profile_level_id.choices = options([("", _("Intet niveau"))] + [(lv.id, level_label(lv)) for lv in levels])
        self.assigned_school_ids.choices = options([(s.id, s.name) for s in schools])
        if user is not None:
            del self.send_invitation

    @property
    def chosen_role(self) -> Role | None:
        try:
            return Role(self.role.data)
        except ValueError:
            return None

    def validate_email(self, field):
        if domain.email_taken(field.data, except_user=self.user):
            raise ValidationError(_("Der findes allerede en bruger med denne e-mailadresse."))

    def validate_school_id(self, field):
        if self.chosen_role in domain.SCHOOL_ROLES and field.data is None:
            raise ValidationError(_("Vælg skolen: en skoleleder, læser eller et skolebestyrelsesmedlem hører til én skole."))

    def validate_role(self, field):
        # An administrator who demotes themselves locks themselves out of this page.
        if self.user is not None and self.current is not None and self.user.id == self.current.id:
            if self.chosen_role != Role.ADMIN:
                raise ValidationError(_("Du kan ikke fjerne din egen administratorrolle."))



def min_password_length() -> int:
    return current_app.config["PASSWORD_MIN_LENGTH"]


# --- schools and clusters -----------------------------------------------------------------------


class SchoolForm(FlaskForm):
    name = StringField(
        _l("Skolens navn"),
        filters=[_strip],
        validators=[DataRequired(message=_l("Skriv skolens navn.")), Length(max=255)],
    )
    cluster_id = SelectField(_l("Klynge"), coerce=optional_choice_int)
    institution_number = StringField(
        _l("Institutionsnummer"),
        filters=[_strip],
        validators=[Optional(), Regexp(r"^[0-9]{6}$", message=_l("Skriv seks cifre, fx 280123."))],
    )

    def __init__(self, *args, clusters, school=None, **kwargs):
        super().__init__(*args, **kwargs)
        self.school = school
        self.cluster_id.choices = options([("", _("Ingen klynge"))] + [(c.id, c.name) for c in clusters])

    def validate_name(self, field):
        if domain.name_taken(School, field.data, except_obj=self.school):
            raise ValidationError(_("Der findes allerede en skole med dette navn."))

    def validate_institution_number(self, field):
        if field.data and domain.institution_number_taken(field.data, except_obj=self.school):
            raise ValidationError(_("En anden skole har allerede dette institutionsnummer."))


class MoveSchoolForm(FlaskForm):
    cluster_id = SelectField(_l("Flyt til klynge"), coerce=optional_choice_int)

    def __init__(self, *args, clusters, **kwargs):
        super().__init__(*args, **kwargs)
        self.cluster_id.choices = options([("", _("Ingen klynge"))] + [(c.id, c.name) for c in clusters])


class ClusterForm(FlaskForm):
    name = StringField(
        _l("Klyngens navn"),
        filters=[_strip],
        validators=[DataRequired(message=_l("Skriv klyngens navn.")), Length(max=255)],
    )

    def __init__(self, *args, cluster=None, **kwargs):
        super().__init__(*args, **kwargs)
        self.cluster = cluster

    def validate_name(self, field):
        if domain.name_taken(Cluster, field.data, except_obj=self.cluster):
            raise ValidationError(_("Der findes allerede en klynge med dette navn."))


# --- periods ------------------------------------------------------------------------------------

class YearField(IntegerField):
    """An integer year whose parse error is Danish (WTForms' own message is English)."""

    def process_formdata(self, valuelist):
        if not valuelist or not valuelist[0].strip():
            self.data = None
            return
        self.data = parse_int(valuelist[0], high=9999)
        if self.data is None:
            raise ValueError(_("Skriv et årstal med tal, fx 2025."))

    def pre_validate(self, form):
        if self.process_errors:
            raise StopValidation()  # one message at the field, not also the range's


YEAR_RANGE = NumberRange(min=2000, max=2100, message=_l("Skriv et årstal mellem 2000 og 2100."))


class PeriodForm(FlaskForm):
    key = StringField(
        _l("Kort navn"),
        filters=[_strip],
        validators=[
            Optional(),
            Length(max=32),
            Regexp(r"^[0-9a-z][0-9a-z-]*$", message=_l("Brug kun tal, små bogstaver og bindestreg, fx 2025-2027.")),
        ],
    )
    title = StringField(_l("Titel"), filters=[_strip], validators=[Optional(), Length(max=255)])
    start_year = YearField(
        _l("Startår"),
        validators=[InputRequired(message=_l("Skriv periodens startår, fx 2025.")), YEAR_RANGE],
        render_kw={"inputmode": "numeric"},
    )
    end_year = YearField(
        _l("Slutår"),
        validators=[InputRequired(message=_l("Skriv periodens slutår, fx 2027.")), YEAR_RANGE],
        render_kw={"inputmode": "numeric"},
    )

    def __init__(self, *args, period=None, **kwargs):
        super().__init__(*args, **kwargs)
        self.period = period

    def validate_end_year(self, field):
        if self.start_year.data is not None and field.data is not None and field.data < self.start_year.data:
            raise ValidationError(_("Slutåret kan ikke ligge før startåret."))

    def resolved_key(self) -> str:
        return self.key.data or f"{self.start_year.data}-{self.end_year.data}"

    def validate(self, extra_validators=None) -> bool:
        valid = super().validate(extra_validators)
        if valid and domain.period_key_taken(self.resolved_key(), except_period=self.period):
            self.key.errors.append(_("Der findes allerede en strategiperiode med dette korte navn."))
            valid = False
        return valid


class ActivityForm(FlaskForm):
    text = TextAreaField(
        _l("Aktivitet"),
        filters=[_strip],
        validators=[DataRequired(message=_l("Skriv aktivitetens tekst.")), Length(max=5000)],
        render_kw={"rows": 3},
    )
    heading = StringField(_l("Overskrift"), filters=[_strip], validators=[Optional(), Length(max=255)])
    level = SelectField(_l("Niveau"), default="")
    year = SelectField(_l("År"), coerce=optional_choice_int)
    policy_id = SelectField(_l("Politik"), coerce=optional_choice_int)

    def __init__(self, *args, period, policies, **kwargs):
        super().__init__(*args, **kwargs)
        self.year.choices = options([("", _("Hele perioden"))] + [(y, str(y)) for y in period.years])
        self.policy_id.choices = options([("", _("Ingen politik"))] + [(p.id, p.name) for p in policies])
        self.level.choices = options(
            [("", _("Intet niveau"))] + [(lv.value, label) for lv, label in domain.ACTIVITY_LEVEL_LABELS.items()]
        )
        self._policies = {p.id: p for p in policies}

    def values(self) -> dict:
        return {
            "text": self.text.data,
            "heading": self.heading.data,
            "level": ActivityLevel(self.level.data).value if self.level.data else None,
            "year": self.year.data,
            "policy": self._policies.get(self.policy_id.data),
        }


# --- political goals ----------------------------------------------------------------------------


class PoliticalGoalForm(FlaskForm):
    text = TextAreaField(
        _l("Mål"),
        filters=[_strip],
        validators=[DataRequired(message=_l("Skriv målets tekst.")), Length(max=5000)],
        render_kw={"rows": 3},
    )
    short_name = StringField(
        _l("Kort navn"),
        filters=[_strip],
        validators=[Optional(), Length(max=80, message=_l("Højst 80 tegn."))],
    )
    theme_ids = SelectMultipleField(_l("Temaer"), coerce=choice_int)

    def __init__(self, *args, themes, **kwargs):
        super().__init__(*args, **kwargs)
        self.theme_ids.choices = options([(t.id, t.name) for t in themes])
        self._themes = {t.id: t for t in themes}

    def chosen_themes(self):
        return [self._themes[i] for i in self.theme_ids.data or [] if i in self._themes]


# --- Learning Pipeline ------------------------------------------------------------------------


class LocalLevelForm(FlaskForm):
    school_id = SelectField(_l("Skole"), coerce=optional_choice_int)
    name = StringField(
        _l("Niveauets navn"),
        filters=[_strip],
        validators=[DataRequired(message=_l("Skriv niveauets navn, fx Forældre.")), Length(max=255)],
    )
    copy_from_id = SelectField(_l("Start med forventningerne fra"), coerce=optional_choice_int)

    def __init__(self, *args, schools, levels, **kwargs):
        super().__init__(*args, **kwargs)
        self.school_id.choices = options([("", _("Vælg skole"))] + [(s.id, s.name) for s in schools])
        self.copy_from_id.choices = options([("", _("Ingen – start tomt"))] + [(lv.id, level_label(lv)) for lv in levels])

    def validate_school_id(self, field):
        if field.data is None:
            raise ValidationError(_("Vælg den skole, niveauet hører til."))


class LevelNameForm(FlaskForm):
    name = StringField(
        _l("Niveauets navn"),
        filters=[_strip],
        validators=[DataRequired(message=_l("Skriv niveauets navn.")), Length(max=255)],
    )


class ExpectationForm(FlaskForm):
    """One expectation's text; used with a prefix per expectation so many sit on one page."""

    text = TextAreaField(
        _l("Forventning"),
        filters=[_strip],
        validators=[DataRequired(message=_l("Skriv forventningens tekst.")), Length(max=2000)],
        render_kw={"rows": 2},
    )


class NewExpectationForm(ExpectationForm):
    category = HiddenField(validators=[DataRequired()])

    def validate_category(self, field):
        if field.data not in {c.value for c in ExpectationCategory}:
            raise ValidationError(_("Ukendt kategori."))


class MoveForm(FlaskForm):
    direction = HiddenField(validators=[DataRequired()])

    def validate_direction(self, field):
        if field.data not in ("up", "down"):
            raise ValidationError(_("Ukendt retning."))
