from flask_babel import lazy_gettext as _l
from flask_wtf import FlaskForm
from flask_wtf.file import FileField, FileRequired
from wtforms import SelectField
from wtforms.fields.choices import SelectChoice
from wtforms.validators import InputRequired, Optional

from strategy.imports.engine import FIELD_LABELS


class UploadForm(FlaskForm):
    file = FileField(_l("Fil (xlsx eller csv)"), validators=[FileRequired(message=_l("Vælg en fil."))])


def _column(value):
    if value in (None, "", "None"):
        return None
    try:
        return int(value)
    except (TypeError, ValueError):
        return None


class MappingForm(FlaskForm):
    school = SelectField(FIELD_LABELS["school"], coerce=_column, validators=[InputRequired(message=_l("Vælg kolonnen."))])
    year = SelectField(FIELD_LABELS["year"], coerce=_column, validators=[InputRequired(message=_l("Vælg kolonnen."))])
    value = SelectField(FIELD_LABELS["value"], coerce=_column, validators=[InputRequired(message=_l("Vælg kolonnen."))])
    pupils = SelectField(FIELD_LABELS["pupils"], coerce=_column, validators=[Optional()])

    def __init__(self, *args, header: list[str], **kwargs):
        super().__init__(*args, **kwargs)
        columns = [SelectChoice(i, h or str(_l("Kolonne %(n)s", n=i + 1))) for i, h in enumerate(header)]
        for name in ("school", "year", "value"):
            getattr(self, name).choices = [SelectChoice("", str(_l("Vælg kolonne")))] + columns
        self.pupils.choices = [SelectChoice("", str(_l("Ingen")))] + columns

    def validate(self, extra_validators=None):
        ok = super().validate(extra_validators)
        chosen = [f.data for f in (self.school, self.year, self.value, self.pupils) if f.data is not None]
        if len(chosen) != len(set(chosen)):
            self.value.errors = [*self.value.errors, str(_l("Hver kolonne kan kun bruges til én ting."))]
            return False
        for f in (self.school, self.year, self.value):
            if f.data is None and not f.errors:
                f.errors = [str(_l("Vælg kolonnen."))]
                ok = False
        return ok

    def mapping(self) -> dict:
        return {name: getattr(self, name).data for name in ("school", "year", "value", "pupils")}
