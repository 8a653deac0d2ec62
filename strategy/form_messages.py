"""WTForms' own messages in the interface's language.

WTForms ships no Danish catalogue, so its built-in messages ("Not a valid date value.", "This field
is required.", "Field cannot be longer than 200 characters." ...) would appear in English on a
Danish page. Flask-WTF looks for a request's WTForms catalogue on ``request.wtforms_translations``
before it loads WTForms' own; ``init_app`` puts this one there. It maps each message to a Danish
string of our catalogue, so English users get translations/en like every other string.
"""

from flask import Flask, request
from flask_babel import lazy_gettext as _l

# WTForms' English message -> our Danish one (same placeholders: WTForms fills them in afterwards).
MESSAGES = {
    "This field is required.": _l("Feltet skal udfyldes."),
    "Invalid input.": _l("Ugyldig værdi."),
    "Invalid email address.": _l("Skriv en gyldig e-mailadresse."),
    "Invalid URL.": _l("Skriv en gyldig webadresse."),
    "Field must be equal to %(other_name)s.": _l("Feltet skal være det samme som %(other_name)s."),
    "Field must be at least %(min)d character long.": _l("Skriv mindst %(min)d tegn."),
    "Field must be at least %(min)d characters long.": _l("Skriv mindst %(min)d tegn."),
    "Field cannot be longer than %(max)d character.": _l("Feltet må højst være %(max)d tegn."),
    "Field cannot be longer than %(max)d characters.": _l("Feltet må højst være %(max)d tegn."),
    "Field must be exactly %(max)d character long.": _l("Feltet skal være præcis %(max)d tegn."),
    "Field must be exactly %(max)d characters long.": _l("Feltet skal være præcis %(max)d tegn."),
    "Field must be between %(min)d and %(max)d characters long.": _l("Feltet skal være mellem %(min)d og %(max)d tegn."),
    "Number must be at least %(min)s.": _l("Tallet skal være mindst %(min)s."),
    "Number must be at most %(max)s.": _l("Tallet må højst være %(max)s."),
    "Number must be between %(min)s and %(max)s.": _l("Tallet skal være mellem %(min)s og %(max)s."),
    "Date must be at least %(min)s.": _l("Datoen må tidligst være %(min)s."),
    "Date must be at most %(max)s.": _l("Datoen må senest være %(max)s."),
    "Date must be between %(min)s and %(max)s.": _l("Datoen skal ligge mellem %(min)s og %(max)s."),
    "Invalid value, must be one of: %(values)s.": _l("Ugyldig værdi. Vælg en af: %(values)s."),
    "Invalid value, can't be any of: %(values)s.": _l("Ugyldig værdi. Den må ikke være: %(values)s."),
    "Invalid Choice: could not coerce.": _l("Vælg en af mulighederne."),
    "Not a valid choice.": _l("Vælg en af mulighederne."),
    "Invalid choice(s): one or more data inputs could not be coerced.": _l("Vælg blandt mulighederne."),
    "'%(value)s' is not a valid choice for this field.": _l("»%(value)s« er ikke en af mulighederne."),
    "'%(value)s' are not valid choices for this field.": _l("»%(value)s« er ikke blandt mulighederne."),
    "Not a valid datetime value.": _l("Skriv et gyldigt tidspunkt."),
    "Not a valid date value.": _l("Skriv en gyldig dato."),
    "Not a valid time value.": _l("Skriv et gyldigt klokkeslæt."),
    "Not a valid week value.": _l("Skriv en gyldig uge."),
    "Not a valid integer value.": _l("Skriv et helt tal."),
    "Not a valid decimal value.": _l("Skriv et tal."),
    "Not a valid float value.": _l("Skriv et tal."),
}


class FormMessages:
    """The gettext interface Flask-WTF expects of a catalogue; unknown messages pass unchanged."""

    def ugettext(self, string: str) -> str:
        message = MESSAGES.get(string)
        return str(message) if message is not None else string

    def ungettext(self, singular: str, plural: str, n: int) -> str:
        return self.ugettext(singular if n == 1 else plural)


FORM_MESSAGES = FormMessages()


def init_app(app: Flask) -> None:
    @app.before_request
    def use_our_form_messages() -> None:
        request.wtforms_translations = FORM_MESSAGES
