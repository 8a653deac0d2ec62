from flask_babel import lazy_gettext as _l
from flask_wtf import FlaskForm
from wtforms import SelectField, TextAreaField
from wtforms.validators import DataRequired, Length


def school_id_or_none(value) -> int | None:
    """The placeholder option has an empty value (HTML wants that of a required select's first option)."""
    return int(value) if value not in (None, "") else None


class WatchlistForm(FlaskForm):
    """Put a school on the directorate's watchlist. ``school_id`` choices are the schools in scope."""

    school_id = SelectField(
        _l("Skole"), coerce=school_id_or_none, validators=[DataRequired(message=_l("Vælg en skole."))],
        validate_choice=True,
    )
    reason = TextAreaField(
        _l("Begrundelse"),
        validators=[
            DataRequired(message=_l("Skriv hvorfor skolen skal på watchlisten.")),
            Length(max=2000, message=_l("Begrundelsen må højst være %(max)d tegn.")),
        ],
        render_kw={"rows": 3},
    )


class RemoveWatchlistForm(FlaskForm):
    """Only the CSRF token: removing needs no input."""
