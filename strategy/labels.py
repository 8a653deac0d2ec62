"""The interface words of every enum: one Danish word per value (DESIGN.md glossary), used by
templates, exports, reports, e-mails and JS alike. ``label(value)`` finds the word for any enum
member or its stored string."""

from __future__ import annotations

import enum

from flask_babel import lazy_gettext as _l

from strategy.models import (
    ActivityLevel,
    Classification,
    Conclusion,
    DataType,
    ExpectationCategory,
    MeetingState,
    MeetingType,
    Role,
    Stance,
    Status,
    Visibility,
)

STATUS = {
    Status.NOT_STARTED: _l("Ikke startet"),
    Status.IN_PROGRESS: _l("I gang"),
    Status.ON_TRACK: _l("På rette spor"),
    Status.CHALLENGED: _l("Udfordret"),
    Status.COMPLETED: _l("Gennemført"),
    Status.STOPPED: _l("Stoppet"),
}
DATA_TYPE = {
    DataType.RESULT: _l("Resultatdata"),
    DataType.PROCESS: _l("Processuelle data"),
    DataType.DEMOGRAPHIC: _l("Demografiske data"),
    DataType.PERCEPTION: _l("Perceptionsdata"),
}
CONCLUSION = {
    Conclusion.CONTINUE: _l("Fortsæt"),
    Conclusion.ADJUST: _l("Justér"),
    Conclusion.STOP: _l("Stop"),
}
CLASSIFICATION = {
    Classification.PUBLIC: _l("Offentlig"),
    Classification.INTERNAL: _l("Intern"),
    Classification.CONFIDENTIAL: _l("Fortrolig"),
}
STANCE = {
    Stance.SUPPORTIVE: _l("Understøttende"),
    Stance.CHALLENGING: _l("Udfordrende"),
    Stance.DIRECTIVE: _l("Retningsgivende"),
    Stance.EVALUATIVE: _l("Kvalitetsvurderende"),
}
MEETING_TYPE = {
    MeetingType.ONE_TO_ONE: _l("1:1-samtale"),
    MeetingType.LUS: _l("LUS"),
    MeetingType.GRUS: _l("GRUS"),
    MeetingType.TEAM_DEVELOPMENT: _l("Teamudviklingssamtale"),
    MeetingType.THEME_MEETING: _l("Temamøde"),
    MeetingType.SPARRING: _l("Sparring"),
    MeetingType.SUS: _l("Skoleudviklingssamtale"),
}
MEETING_STATE = {
    MeetingState.PLANNED: _l("Planlagt"),
    MeetingState.HELD: _l("Afholdt"),
    MeetingState.CANCELLED: _l("Aflyst"),
}
VISIBILITY = {
    Visibility.DRAFT: _l("Udkast (kun dig)"),
    Visibility.SHARED: _l("Delt med skolens ledelse"),
    Visibility.INTERNAL: _l("Internt i forvaltningen"),
}
VISIBILITY_SHORT = {
    Visibility.DRAFT: _l("Udkast"),
    Visibility.SHARED: _l("Delt med skolen"),
    Visibility.INTERNAL: _l("Internt"),
}
CATEGORY = {
    ExpectationCategory.PRIORITIES: _l("Prioriteter"),
    ExpectationCategory.WORK_VALUES: _l("Arbejdsværdier"),
    ExpectationCategory.SKILLS: _l("Færdigheder"),
}
ROLE = {
    Role.ADMIN: _l("Administrator"),
    Role.DIRECTORATE: _l("Direktion"),
    Role.CONSULTANT: _l("Konsulent"),
    Role.LEADER: _l("Skoleleder"),
    Role.READER: _l("Læser"),
    Role.BOARD: _l("Skolebestyrelsesmedlem"),
    Role.COMMITTEE: _l("Medlem af Skoleudvalget"),
}
ACTIVITY_LEVEL = {
    ActivityLevel.EMPLOYEE: _l("Medarbejderniveau"),
    ActivityLevel.LEADERSHIP: _l("Ledelsesniveau"),
}

BY_ENUM: dict[type[enum.Enum], dict] = {
    Status: STATUS, DataType: DATA_TYPE, Conclusion: CONCLUSION, Classification: CLASSIFICATION,
    Stance: STANCE, MeetingType: MEETING_TYPE, MeetingState: MEETING_STATE, Visibility: VISIBILITY,
    ExpectationCategory: CATEGORY, Role: ROLE, ActivityLevel: ACTIVITY_LEVEL,
}


def label_of(enum_cls: type[enum.Enum], value) -> str:
    """The word for a member or its stored value; an unknown value is shown as it is."""
    try:
        return str(BY_ENUM[enum_cls][enum_cls(value)])
    except ValueError:
        return str(value or "")


def status_label(value) -> str:
    return label_of(Status, value)


def conclusion_label(value) -> str:
    return label_of(Conclusion, value)


def data_type_label(value) -> str:
    return label_of(DataType, value)


def label(member: enum.Enum | None) -> str:
    """The word for an enum member (templates: ``{{ label(user.role) }}``)."""
    if member is None:
        return ""
    return str(BY_ENUM[type(member)][member])


def plain(labels: dict) -> dict[str, str]:
    """{stored value: word} for templates, JS and exports that hold plain strings."""
    return {member.value: str(word) for member, word in labels.items()}
