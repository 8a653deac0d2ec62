from flask_babel import lazy_gettext as _l
from flask_wtf import FlaskForm
from wtforms import BooleanField, RadioField
from wtforms.fields.choices import SelectChoice
from wtforms.validators import InputRequired

from strategy.models import DigestFrequency


class SettingsForm(FlaskForm):
    frequency = RadioField(
        _l("E-mail med overblik"),
        choices=[
            SelectChoice(DigestFrequency.WEEKLY.value, _l("Ugentligt")),
            SelectChoice(DigestFrequency.DAILY.value, _l("Dagligt")),
            SelectChoice(DigestFrequency.NONE.value, _l("Aldrig")),
        ],
        validators=[InputRequired(message=_l("Vælg hvor ofte du vil have e-mail."))],
    )
    notes = BooleanField(_l("Notater, samtaler og kommentarer"))
    agreements = BooleanField(_l("Aftaler"))
    status = BooleanField(_l("Status og opfølgning"))
