"""Form pieces more than one feature uses: the button form that carries only its CSRF token, a
list of checkboxes of ids, choice lists, the limit of a long text, and choosing a password."""

from flask_babel import lazy_gettext as _l
from flask_wtf import FlaskForm
from wtforms import PasswordField, SelectMultipleField
from wtforms.fields.choices import SelectChoice
from wtforms.validators import DataRequired, Length, ValidationError

from strategy.inputs import choice_int
from strategy.passwords import password_problem

TEXT_MAX = 10_000


def choices(pairs) -> list[SelectChoice]:
    return [SelectChoice(value, label) for value, label in pairs]


class ActionForm(FlaskForm):
    """A button that changes something (archive, delete, deactivate): only the CSRF token travels."""


class CheckboxesField(SelectMultipleField):
    """A list of checkboxes (rendered by the checkboxes macro); ids as ints."""

    def __init__(self, label=None, validators=None, **kwargs):
        kwargs.setdefault("coerce", choice_int)
        super().__init__(label, validators, **kwargs)

    def pre_validate(self, form):
        allowed = {self.coerce(c.value) for c in (self.choices or [])}
        if any(v not in allowed for v in self.data or []):
            raise ValidationError(str(_l("Vælg blandt mulighederne.")))


class NewPasswordForm(FlaskForm):
    """Choosing a password (from an invitation or a reset link, or on "Min konto")."""

    new_password = PasswordField(
        _l("Ny adgangskode"),
        validators=[DataRequired(message=_l("Skriv en ny adgangskode.")), Length(max=1000)],
        render_kw={"autocomplete": "new-password"},
    )
    repeat = PasswordField(
        _l("Gentag den nye adgangskode"),
        validators=[DataRequired(message=_l("Skriv den nye adgangskode igen.")), Length(max=1000)],
        render_kw={"autocomplete": "new-password"},
    )

    def validate_new_password(self, field):
        problem = password_problem(field.data or "")
        if problem:
            raise ValidationError(problem)

    def validate_repeat(self, field):
        if field.data != self.new_password.data:
            raise ValidationError(_l("De to adgangskoder er ikke ens."))


class ChangePasswordForm(NewPasswordForm):
    current_password = PasswordField(
        _l("Nuværende adgangskode"),
        validators=[DataRequired(message=_l("Skriv din nuværende adgangskode.")), Length(max=1000)],
        render_kw={"autocomplete": "current-password"},
    )
