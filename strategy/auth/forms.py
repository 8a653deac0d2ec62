from flask_babel import lazy_gettext as _l
from flask_wtf import FlaskForm
from wtforms import HiddenField, PasswordField, SelectField, StringField
from wtforms.fields.choices import SelectChoice
from wtforms.validators import DataRequired, Length


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
