from flask_babel import lazy_gettext as _l
from flask_wtf import FlaskForm
from wtforms import HiddenField, PasswordField, SelectField, StringField
from wtforms.fields.choices import SelectChoice
from wtforms.validators import DataRequired, Length, ValidationError


class LoginForm(FlaskForm):
    email = StringField(
        _l("E-mailadresse"),
        validators=[DataRequired(message=_l("Skriv din e-mailadresse.")), Length(max=254)],
        render_kw={"autocomplete": "username", "inputmode": "email", "spellcheck": "false"},
    )
    password = PasswordField(
        _l("Adgangskode"),
        validators=[DataRequired(message=_l("Skriv din adgangskode.")), Length(max=1000)],
        render_kw={"autocomplete": "current-password"},
    )
    next = HiddenField()


class LanguageForm(FlaskForm):
    locale = SelectField(_l("Sprog"), choices=[SelectChoice("da", "Dansk"), SelectChoice("en", "English")])
    next = HiddenField()


class ForgotPasswordForm(FlaskForm):
    email = StringField(
        _l("E-mailadresse"),
        validators=[DataRequired(message=_l("Skriv din e-mailadresse.")), Length(max=254)],
        render_kw={"autocomplete": "username", "inputmode": "email", "spellcheck": "false"},
    )


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
        from strategy.auth.accounts import password_problem

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
