"""Historik: which audit events a person may see, and how a recorded change reads.

One module for every page that shows history (the administrator's log, one user's actions,
a goal's or initiative's Historik). The permission is part of the query
(``audit_detail_clause``): an event whose object the reader may not read now is shown as
"changed" with the names of the fields, never the values or the summary.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date, datetime

import sqlalchemy as sa
from flask_babel import format_date, gettext as _, lazy_gettext as _l
from sqlalchemy.orm import joinedload

from strategy import labels
from strategy.extensions import db
from strategy.inputs import finite_or_none
from strategy.models import AuditEvent, Classification, Conclusion, DataType, Role, Status, User, Visibility
from strategy.permissions import audit_detail_clause

TYPE_LABELS = {
    "User": _l("Bruger"), "School": _l("Skole"), "Cluster": _l("Klynge"), "Period": _l("Strategiperiode"),
    "MunicipalActivity": _l("Strategisk aktivitet"), "PoliticalGoal": _l("Politisk mål"), "Policy": _l("Politik"),
    "ProfileLevel": _l("Niveau"), "Expectation": _l("Forventning"), "Strategy": _l("Virksomhedsstrategi"),
    "Goal": _l("Mål"), "Initiative": _l("Tiltag"), "StatusUpdate": _l("Status"), "Evaluation": _l("Evaluering"),
    "Measurement": _l("Måling"), "Comment": _l("Kommentar"), "Meeting": _l("Opfølgning / samtale"),
    "AgendaItem": _l("Dagsordenspunkt"), "SparringNote": _l("Sparringsnotat"), "Agreement": _l("Aftale"),
    "WatchlistEntry": _l("Opmærksomhedsliste"), "StrategySnapshot": _l("Årsafslutning"),
}
ACTION_LABELS = {
    "create": _l("Oprettet"), "update": _l("Ændret"), "delete": _l("Slettet"), "read": _l("Læst"),
    "status": _l("Status"), "move": _l("Flyttet"), "archive": _l("Arkiveret"), "restore": _l("Genskabt"),
    "login": _l("Logget ind"), "logout": _l("Logget ud"), "password_reset": _l("Adgangskode nulstillet"),
    "export": _l("Eksporteret"), "anonymise": _l("Anonymiseret"), "login_refused": _l("Log ind afvist"),
    "invitation_sent": _l("Invitation sendt"), "invitation_used": _l("Invitation brugt"),
    "invitation_revoked": _l("Invitation trukket tilbage"),
    "password_reset_requested": _l("Link til ny adgangskode sendt"), "password_change": _l("Adgangskode ændret"),
    "sessions_ended": _l("Logget ud alle steder"),
}
FIELD_LABELS = {
    # strategy
    "title": _l("Titel"), "description": _l("Beskrivelse"), "political_goals": _l("Politiske mål"),
    "indicator": _l("Hvad vi måler"), "data_type": _l("Datatype"), "unit": _l("Enhed"),
    "classification": _l("Klassifikation"), "municipal_indicator_id": _l("Fælles indikator"),
    "baseline_value": _l("Udgangspunkt"), "baseline_year": _l("År for udgangspunkt"),
    "target_value": _l("Målsætning"), "target_year": _l("År for målsætning"), "measurements": _l("Målinger"),
    "rollup": _l("Samlet status"), "starting_point": _l("Ståsted"), "what_we_try": _l("Hvad vi afprøver"),
    "who_does_what": _l("Hvem gør hvad og hvornår"), "responsible": _l("Ansvarlig"),
    "start_date": _l("Startdato"), "end_date": _l("Slutdato"), "success_signs": _l("Tegn på at vi lykkes"),
    "evaluation_plan": _l("Hvordan og hvornår vi evaluerer"), "owner_level": _l("Niveau"),
    "expectations": _l("Forventninger"), "status": _l("Status"), "comment": _l("Kommentar"),
    "position": _l("Placering"), "archived_at": _l("Arkiveret"), "current_year": _l("Revisionsår"),
    "body": _l("Kommentar"), "evaluated_on": _l("Dato"), "what_was_done": _l("Hvad har vi gjort"),
    "signs_observed": _l("Tegn vi har set"), "data_types": _l("Datatyper"), "data_used": _l("Data"),
    "conclusion": _l("Konklusion"), "next_steps": _l("Næste skridt"), "acted_on_at": _l("Fulgt op"),
    "acted_on_note": _l("Sådan har vi fulgt op"), "period": _l("Periode"),
    # administration
    "email": _l("E-mailadresse"), "name": _l("Navn"), "role": _l("Rolle"), "school": _l("Skole"),
    "school_id": _l("Skole"), "profile_level": _l("Niveau"), "assigned_schools": _l("Tildelte skoler"),
    "active": _l("Aktiv"), "cluster": _l("Klynge"), "key": _l("Kort navn"), "start_year": _l("Startår"),
    "end_year": _l("Slutår"), "text": _l("Tekst"), "heading": _l("Overskrift"), "level": _l("Niveau"),
    "year": _l("År"), "policy": _l("Politik"), "short_name": _l("Kort navn"), "themes": _l("Temaer"),
    "category": _l("Kategori"), "copied_from": _l("Kopieret fra"), "visibility": _l("Synlighed"),
    "reason": _l("Begrundelse"), "institution_number": _l("Institutionsnummer"),
    # follow-up
    "held_on": _l("Dato"), "participants": _l("Deltagere"), "subject": _l("Leder"), "stances": _l("Positioner"),
    "observation": _l("Iagttagelse"), "experience": _l("Oplevelse"), "interpretation": _l("Fortolkning"),
    "suggestion": _l("Forslag"), "goals": _l("Mål"), "initiatives": _l("Tiltag"), "meeting_type": _l("Type"),
    "starts_at": _l("Tidspunkt"), "state": _l("Status"), "purpose": _l("Formål"), "minutes": _l("Referat"),
    "agenda": _l("Dagsorden"), "owner": _l("Ansvarlig"), "owner_name": _l("Ansvarlig"), "due_on": _l("Frist"),
    "done_at": _l("Udført"),
}
_ENUM_FIELDS = {
    "status": Status, "rollup": Status, "conclusion": Conclusion, "data_type": DataType,
    "classification": Classification, "visibility": Visibility, "role": Role,
}
_DATE_FIELDS = {"start_date", "end_date", "evaluated_on", "held_on", "due_on"}


def field_label(name: str) -> str:
    if name.startswith("measurement:"):
        return _("Måling %(year)s", year=name.split(":", 1)[1])
    return str(FIELD_LABELS[name]) if name in FIELD_LABELS else name.replace("_", " ")


def _number(value) -> str:
    from strategy.web import fmt_number

    number = finite_or_none(value)
    return fmt_number(number) if number is not None else _("(ugyldigt tal)")


def display_value(name: str, value) -> str:
    """A stored value as a reader would write it: dates, numbers, labels, lists. Never fails on
    what an old row holds (a value that is not a finite number is said to be invalid)."""
    if value is None or value == "" or value == []:
        return ""
    if isinstance(value, bool):
        return _("Ja") if value else _("Nej")
    if isinstance(value, dict):
        if "value" in value:  # a measurement {value, note}
            text = _number(value.get("value"))
            return f"{text} ({value['note']})" if value.get("note") else text
        return ", ".join(f"{k}: {display_value(k, v)}" for k, v in value.items())
    if isinstance(value, list | tuple):
        if name == "data_types":
            return ", ".join(labels.label_of(DataType, v) for v in value)
        if value and isinstance(value[0], dict) and "year" in value[0]:
            return ", ".join(f"{m.get('year')}: {_number(m.get('value'))}" for m in value)
        return ", ".join(display_value(name, v) for v in value)
    if name in _ENUM_FIELDS:
        return labels.label_of(_ENUM_FIELDS[name], value.value if hasattr(value, "value") else value)
    if isinstance(value, datetime):
        return format_date(value, "medium")
    if isinstance(value, date):
        return format_date(value, "medium")
    if name in _DATE_FIELDS and isinstance(value, str):
        try:
            return format_date(date.fromisoformat(value[:10]), "medium")
        except ValueError:
            return value
    if isinstance(value, float | int) and not isinstance(value, bool):
        return _number(value) if isinstance(value, float) else str(value)
    text = str(value)
    return text if len(text) <= 300 else text[:299] + "…"


@dataclass(frozen=True)
class Change:
    label: str
    before: str | None  # None when the change is not a from→to pair (a create or delete)
    after: str


@dataclass(frozen=True)
class HistoryRow:
    """One event as a page shows it. ``readable`` False: only that it happened, and which fields."""

    event: AuditEvent
    readable: bool

    @property
    def type_label(self) -> str:
        return str(TYPE_LABELS.get(self.event.object_type, self.event.object_type))

    @property
    def action_label(self) -> str:
        return str(ACTION_LABELS.get(self.event.action, self.event.action))

    @property
    def summary(self) -> str:
        return self.event.summary if self.readable else ""

    @property
    def changes(self) -> list[Change]:
        event = self.event
        result = []
        pairs = event.action not in ("create", "delete")
        for name, change in sorted((event.changes or {}).items()):
            label = field_label(name)
            if not self.readable:
                result.append(Change(label, None, ""))
            elif pairs and isinstance(change, list | tuple) and len(change) == 2:
                result.append(Change(label, display_value(name, change[0]), display_value(name, change[1])))
            else:
                result.append(Change(label, None, display_value(name, change)))
        return result


def history_rows(user: User, where, limit: int | None = None, offset: int = 0) -> list[HistoryRow]:
    """The events matching ``where``, newest first, each with whether ``user`` may read it."""
    query = (
        sa.select(AuditEvent, audit_detail_clause(user).label("readable"))
        .where(where)
        .options(joinedload(AuditEvent.actor))
        .order_by(AuditEvent.at.desc(), AuditEvent.id.desc())
        .offset(offset)
    )
    if limit is not None:
        query = query.limit(limit)
    return [HistoryRow(event, bool(readable)) for event, readable in db.session.execute(query)]
