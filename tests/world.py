"""A small municipality for the cross-cutting tests (authorization matrix, XSS, fuzzing, backup).

School A has everything (strategy, goal, initiative with status/evaluation/comments, notes of
every visibility, meetings, agreements); school B has its own strategy and follow-up so that
"another school's object" can be asked for. One user per role the matrix checks.

Built in one commit, without seed/ (which takes too long to load hundreds of times).
Every free text goes through ``text(field)`` so that a test can put a payload in each field.
"""

from __future__ import annotations

import contextlib
import contextvars
from collections.abc import Callable
from dataclasses import dataclass, field
from datetime import UTC, date, datetime, timedelta
from html.parser import HTMLParser

from flask.testing import FlaskClient

from strategy.extensions import db
from tests.helpers import sign_in
from strategy.models.accounts import hash_token
from strategy.models import (
    AccountToken,
    TokenPurpose,
    SignInMethod,
    UserSession,
    ActivityLevel,
    AgendaItem,
    ApiClient,
    ImportBatch,
    ImportUpload,
    MunicipalIndicator,
    AuditEvent,
    Comment,
    Conclusion,
    DataType,
    Evaluation,
    Expectation,
    ExpectationCategory,
    FollowUpFormat,
    Goal,
    Initiative,
    Measurement,
    MeetingState,
    MeetingType,
    MunicipalActivity,
    Notification,
    NotificationKind,
    Period,
    PeriodFollowUp,
    Policy,
    PoliticalGoal,
    ProfileLevel,
    ReferenceText,
    Role,
    SchoolDevelopmentConversation,
    Status,
    StatusUpdate,
    StrategySnapshot,
    SusFocusArea,
    SusTopic,
    Theme,
    Tool,
    ToolItem,
    User,
    Visibility,
    WatchlistEntry,
)

# The roles of the authorization matrix, in the order its table lists them.
ROLES = (
    "anonymous",
    "reader",  # reader of school A
    "leader",  # leader of school A
    "leader_other",  # leader of school B
    "consultant",  # consultant assigned to school A (author of A's notes and meetings)
    "consultant_other",  # consultant assigned to school B only
    "directorate",
    "admin",
    "board",  # school board member of school A (skolebestyrelsen)
    "committee",  # member of the Skoleudvalg (all schools)
)


@dataclass
class World:
    users: dict[str, User | None] = field(default_factory=dict)
    objects: dict[str, object] = field(default_factory=dict)

    def __getitem__(self, name: str):
        return self.objects[name]

    def user(self, role: str) -> User | None:
        return self.users[role]


def _plain(name: str) -> str:
    return name


WORLD_TOKENS = {"invitation": "world-invitation-link-token", "reset_link": "world-reset-link-token"}


def build_world(text: Callable[[str], str] = _plain, password_hash: str = "") -> World:
    """Create the world and commit it. ``text(field)`` gives every free-text value."""
    from tests.conftest import PASSWORD_HASH, Factory

    password_hash = password_hash or PASSWORD_HASH
    now = datetime.now(UTC)
    today = date.today()
    w = World()
    o = w.objects
    add = db.session.add
    make = Factory(commit=False)  # the tests' one way to create records; committed once, at the end

    # --- reference data -------------------------------------------------------------------
    o["theme"] = Theme(key="laering", name="Læring", position=1)
    o["policy"] = Policy(key="skolepolitik", name=text("policy.name"), kind="policy", description=text("policy.description"))
    o["political_goal"] = PoliticalGoal(
        key="pg-1", policy=o["policy"], text=text("political_goal.text"), short_name="Alle børn lærer", position=1,
        themes=[o["theme"]],
    )
    o["period"] = Period(key="2025-2027", name="2025-2027", title=text("period.title"), start_year=2025, end_year=2027)
    o["activity"] = MunicipalActivity(period=o["period"], policy=o["policy"], level=ActivityLevel.LEADERSHIP,
                                      year=2025, heading="Ledelse", text=text("activity.text"))
    add(PeriodFollowUp(period=o["period"], text=text("period_follow_up.text")))
    add(FollowUpFormat(key="one-to-one", name="1:1-samtale", meeting_type="one_to_one", min_per_year=4,
                       max_per_year=6, description=text("follow_up_format.description")))
    o["level"] = ProfileLevel(key="leder-af-ledere", name=text("level.name"), position=1)
    o["expectation"] = Expectation(level=o["level"], category=ExpectationCategory.PRIORITIES,
                                   text=text("expectation.text"), position=1)
    o["expectation2"] = Expectation(level=o["level"], category=ExpectationCategory.PRIORITIES,
                                    text="Anden forventning", position=2)
    o["tool"] = Tool(key="feedbackmodellen", name=text("tool.name"), intro=text("tool.intro"))
    add(ToolItem(tool=o["tool"], key="iagttagelse", name="Iagttagelse", description=text("tool_item.description")))
    for key in ("pipeline-intro", "pipeline-faq-1", "foundation", "children-experience"):
        add(ReferenceText(key=key, title=key, body=text("reference_text.body")))

    # --- schools and people -----------------------------------------------------------------
    o["cluster"] = make.cluster(text("cluster.name") + " Klynge")
    o["school"] = make.school(text("school.name") + " A", o["cluster"])
    o["school_b"] = make.school("Skole B", o["cluster"])
    o["school_c"] = make.school("Skole C uden strategi")  # no strategy yet, no cluster
    o["cluster_empty"] = make.cluster("Tom klynge")

    def person(key: str, role: Role, school=None, assigned=(), **values) -> User:
        return make.user(role, school=school, assigned=assigned, email=f"{key}@example.dk",
                         name=values.pop("name", key.replace("_", " ").title()),
                         password_hash=values.pop("password_hash", password_hash), **values)

    w.users = {
        "anonymous": None,
        "reader": person("reader", Role.READER, o["school"]),
        "leader": person("leader", Role.LEADER, o["school"], name=text("user.name"), title=text("user.title"),
                         profile_level=o["level"]),
        "leader_other": person("leader_other", Role.LEADER, o["school_b"]),
        "consultant": person("consultant", Role.CONSULTANT, assigned=[o["school"]]),
        "consultant_other": person("consultant_other", Role.CONSULTANT, assigned=[o["school_b"]]),
        "directorate": person("directorate", Role.DIRECTORATE),
        "admin": person("admin", Role.ADMIN),
        "board": person("board", Role.BOARD, o["school"]),
        "committee": person("committee", Role.COMMITTEE),
    }
    u = w.users
    o["former"] = person("former", Role.LEADER, o["school"], active=False)  # a deactivated account
    # Invited, no password yet: the links below are the ones in the e-mails (only their hashes are kept).
    o["invitee"] = person("invitee", Role.READER, o["school"], password_hash="")
    for key, purpose, holder in (("invitation", TokenPurpose.INVITATION, o["invitee"]),
                                 ("reset_link", TokenPurpose.RESET, u["reader"])):
        o[key] = AccountToken(user=holder, purpose=purpose, token_hash=hash_token(WORLD_TOKENS[key]),
                              expires_at=now + timedelta(days=1))
        add(o[key])
    o["local_level"] = ProfileLevel(key="lokal", name="Lokalt niveau", school=o["school"], position=9)

    # --- school A's strategy -------------------------------------------------------------------
    o["strategy"] = make.strategy(o["school"], o["period"])
    o["goal"] = Goal(
        strategy=o["strategy"], title=text("goal.title"), description=text("goal.description"),
        indicator=text("goal.indicator"), unit="%", data_type=DataType.RESULT, baseline_value=60,
        baseline_year=2024, target_value=75, target_year=2027, political_goals=[o["political_goal"]],
    )
    add(Measurement(goal=o["goal"], year=2025, value=64, note=text("measurement.note")))
    o["initiative"] = Initiative(
        goal=o["goal"], title=text("initiative.title"), starting_point=text("initiative.starting_point"),
        what_we_try=text("initiative.what_we_try"), who_does_what=text("initiative.who_does_what"),
        responsible=text("initiative.responsible"), success_signs=text("initiative.success_signs"),
        evaluation_plan=text("initiative.evaluation_plan"), start_date=today - timedelta(days=60),
        end_date=today + timedelta(days=300), status=Status.IN_PROGRESS, status_changed_at=now,
        owner_level=o["level"], political_goals=[o["political_goal"]], expectations=[o["expectation"]],
    )
    o["status_update"] = StatusUpdate(initiative=o["initiative"], status=Status.IN_PROGRESS,
                                      comment=text("status_update.comment"), author=u["leader"])
    o["evaluation"] = Evaluation(
        initiative=o["initiative"], evaluated_on=today, what_was_done=text("evaluation.what_was_done"),
        signs_observed=text("evaluation.signs_observed"), data_types=[DataType.RESULT.value],
        data_used=text("evaluation.data_used"), conclusion=Conclusion.ADJUST, next_steps=text("evaluation.next_steps"),
        author=u["leader"],
    )
    o["goal_evaluation"] = Evaluation(
        goal=o["goal"], evaluated_on=today, what_was_done=text("evaluation.what_was_done"),
        conclusion=Conclusion.CONTINUE, author=u["leader"],
    )
    o["archived_goal"] = Goal(strategy=o["strategy"], title="Arkiveret mål", position=9, archived_at=now)
    o["goal2"] = Goal(strategy=o["strategy"], title="Andet mål", position=1)
    o["initiative2"] = Initiative(goal=o["goal"], title="Andet tiltag", position=1)
    o["archived_initiative"] = Initiative(goal=o["goal"], title="Arkiveret tiltag", position=9, archived_at=now)
    add(StrategySnapshot(strategy=o["strategy"], year=2024, data={"goals": []}, closed_by=u["leader"]))

    # --- school B's strategy -------------------------------------------------------------------
    o["strategy_b"] = make.strategy(o["school_b"], o["period"])
    o["goal_b"] = Goal(strategy=o["strategy_b"], title="Mål B")
    o["initiative_b"] = Initiative(goal=o["goal_b"], title="Tiltag B")
    o["evaluation_b"] = Evaluation(initiative=o["initiative_b"], evaluated_on=today, conclusion=Conclusion.STOP,
                                   author=u["leader_other"])

    db.session.add_all(o.values())
    db.session.flush()
    o["goal_comment"] = Comment(goal_id=o["goal"].id, body=text("comment.body"), author=u["consultant"])
    o["comment"] = Comment(initiative_id=o["initiative"].id, body=text("comment.body"), author=u["consultant"])
    add(o["goal_comment"])
    add(o["comment"])

    # --- follow-up at school A -------------------------------------------------------------------
    def note(key, visibility, school, author, **values):
        o[key] = make.note(
            school, author, visibility, held_on=today - timedelta(days=7), subject=values.pop("subject", None),
            participants=text("note.participants"), observation=text("note.observation"),
            experience=text("note.experience"), interpretation=text("note.interpretation"),
            suggestion=text("note.suggestion"), **values,
        )

    note("note", Visibility.SHARED, o["school"], u["consultant"], subject=u["leader"],
         goals=[o["goal"]], initiatives=[o["initiative"]])
    note("note_draft", Visibility.DRAFT, o["school"], u["consultant"])
    note("note_internal", Visibility.INTERNAL, o["school"], u["consultant"])
    note("note_b", Visibility.SHARED, o["school_b"], u["consultant_other"])

    def meeting(key, visibility, school, organiser, **values):
        o[key] = make.meeting(
            school, organiser, MeetingType.ONE_TO_ONE, MeetingState.PLANNED, now + timedelta(days=14), visibility,
            subject=values.pop("subject", None), title=text("meeting.title"), purpose=text("meeting.purpose"),
            expected_outcome=text("meeting.expected_outcome"), participants=text("meeting.participants"),
            roles=text("meeting.roles"), notes=text("meeting.notes"), **values,
        )

    meeting("meeting", Visibility.SHARED, o["school"], u["consultant"], subject=u["leader"])
    meeting("meeting_draft", Visibility.DRAFT, o["school"], u["consultant"])
    meeting("meeting_b", Visibility.SHARED, o["school_b"], u["consultant_other"])
    o["agenda_item"] = AgendaItem(
        meeting=o["meeting"], position=0, title=text("agenda_item.title"), purpose=text("agenda_item.purpose"),
        process=text("agenda_item.process"), responsible=text("agenda_item.responsible"), minutes=20,
        notes=text("agenda_item.notes"), goal=o["goal"],
    )
    add(o["agenda_item"])

    def agreement(key, parent, owner):
        o[key] = make.agreement(parent, text("agreement.text"), owner, due_on=today + timedelta(days=30),
                                owner_name=text("agreement.owner_name"))

    agreement("agreement", o["note"], u["leader"])
    agreement("meeting_agreement", o["meeting"], u["consultant"])
    agreement("agreement_draft", o["note_draft"], u["consultant"])
    agreement("agreement_b", o["note_b"], u["leader_other"])
    # --- school A's skoleudviklingssamtale: last year's, held with an agreement; this year's in preparation
    from strategy.cadence import school_year_of

    this_year = school_year_of(today)
    o["sus_meeting_last"] = make.meeting(
        o["school"], u["directorate"], MeetingType.SUS, MeetingState.HELD, now - timedelta(days=365),
        Visibility.SHARED, title=text("meeting.title"), notes=text("meeting.notes"),
    )
    o["sus_last"] = SchoolDevelopmentConversation(school=o["school"], school_year=this_year - 1,
                                                  meeting=o["sus_meeting_last"])
    o["sus"] = SchoolDevelopmentConversation(school=o["school"], school_year=this_year,
                                             parent_representative=u["board"], invited_at=now)
    o["sus_b"] = SchoolDevelopmentConversation(school=o["school_b"], school_year=this_year)
    o["focus_area"] = SusFocusArea(sus=o["sus"], title=text("focus_area.title"),
                                   description=text("focus_area.description"), goal=o["goal"])
    o["topic"] = SusTopic(sus=o["sus"], political_goal=o["political_goal"], note=text("topic.note"))
    o["focus_area_b"] = SusFocusArea(sus=o["sus_b"], title="Fokus B")
    o["topic_b"] = SusTopic(sus=o["sus_b"], activity=o["activity"])
    add_all = db.session.add_all
    add_all([o["sus_last"], o["sus"], o["sus_b"], o["focus_area"], o["topic"], o["focus_area_b"], o["topic_b"]])
    o["watch"] = WatchlistEntry(school=o["school"], reason=text("watchlist.reason"), created_by=u["directorate"])
    add(o["watch"])
    db.session.flush()
    # A signed-in session of school A's leader (Min konto lists and ends it; nobody else sees it).
    o["user_session"] = UserSession(user=u["leader"], method=SignInMethod.PASSWORD, session_token=u["leader"].session_token,
                                    user_agent=text("user_session.user_agent"))
    add(o["user_session"])
    for key in ("agreement", "meeting_agreement", "agreement_draft"):  # an id only, no relationship
        o[key].created_by_id = u["consultant"].id
    o["agreement_b"].created_by_id = u["consultant_other"].id
    # The leader of school A was told the note was shared (notifications are their own only).
    o["notification"] = Notification(recipient=u["leader"], kind=NotificationKind.NOTE_SHARED, actor=u["consultant"],
                                     school_id=o["school"].id, object_type="note", object_id=o["note"].id,
                                     params={"school": o["school"].name, "date": o["note"].held_on.isoformat()})
    add(o["notification"])
    # --- data in and out: a fælles indikator, an admin's upload half-way through the wizard, a batch, a key
    o["school"].institution_number, o["school_b"].institution_number = "280001", "280002"
    o["municipal_indicator"] = MunicipalIndicator(name="Trivsel: social trivsel")
    add(o["municipal_indicator"])
    db.session.flush()
    o["goal"].municipal_indicator_id = o["municipal_indicator"].id
    o["import_upload"] = ImportUpload(
        created_by_id=u["admin"].id, filename="trivsel.csv",
        content="Institutionsnummer;Skoleår;Værdi\n280001;2024/25;4,1\n".encode(),
        mapping={"columns": {"school": 0, "year": 1, "value": 2, "pupils": None},
                 "target": {"municipal_id": o["municipal_indicator"].id}},
    )
    o["import_batch"] = ImportBatch(created_by_id=u["admin"].id, filename="tidligere.csv", target="Trivsel", changes=[])
    o["api_client"] = ApiClient(name="Power BI", role=Role.DIRECTORATE, prefix="mp_world", key_hash="0" * 64,
                                expires_on=today + timedelta(days=365))
    for key in ("import_upload", "import_batch", "api_client"):
        add(o[key])
    add(AuditEvent(actor_id=u["leader"].id, action="update", object_type="Goal", object_id=o["goal"].id,
                   school_id=o["school"].id, summary=text("audit.summary"),
                   changes={"title": ["Før", text("goal.title")]}))
    db.session.commit()
    return w


# --- URLs of the world's objects -------------------------------------------------------------

# URL variable -> how to get its value from the world. A route with a variable missing here
# fails loudly (add it), so that no route is silently left out of the cross-cutting tests.
PARAMS: dict[str, Callable[[World], object]] = {
    "school_id": lambda w: w["school"].id,
    "cluster_id": lambda w: w["cluster"].id,
    "strategy_id": lambda w: w["strategy"].id,
    "goal_id": lambda w: w["goal"].id,
    "initiative_id": lambda w: w["initiative"].id,
    "evaluation_id": lambda w: w["evaluation"].id,
    "comment_id": lambda w: w["comment"].id,
    "status_update_id": lambda w: w["status_update"].id,
    "note_id": lambda w: w["note"].id,
    "meeting_id": lambda w: w["meeting"].id,
    "agreement_id": lambda w: w["agreement"].id,
    "agenda_item_id": lambda w: w["agenda_item"].id,
    "notification_id": lambda w: w["notification"].id,
    "item_id": lambda w: w["agenda_item"].id,
    "entry_id": lambda w: w["watch"].id,
    "watch_id": lambda w: w["watch"].id,
    "user_id": lambda w: w.users["leader"].id,
    "session_id": lambda w: w["user_session"].id,
    # A one-time link that was never issued: everybody gets the "Linket virker ikke" page.
    "token": lambda w: "never-issued-token",
    "level_id": lambda w: w["level"].id,
    "expectation_id": lambda w: w["expectation"].id,
    "political_goal_id": lambda w: w["political_goal"].id,
    "policy_id": lambda w: w["policy"].id,
    "period_id": lambda w: w["period"].id,
    "period_key": lambda w: w["period"].key,
    "tool_key": lambda w: w["tool"].key,
    "activity_id": lambda w: w["activity"].id,
    "year": lambda w: 2024,  # the closed year of school A's strategy
    "table": lambda w: "overblik",
    "sus_id": lambda w: w["sus"].id,
    "area_id": lambda w: w["focus_area"].id,
    "topic_id": lambda w: w["topic"].id,
    "batch_id": lambda w: w["import_batch"].id,
    "client_id": lambda w: w["api_client"].id,
    "name": lambda w: "schools",  # an API list
}

# Per endpoint, where one name means different things (a period's key, a tool's key ...).
ENDPOINT_PARAMS: dict[str, dict[str, Callable[[World], object]]] = {
    "reference.period": {"key": lambda w: w["period"].key},
    "reference.tool": {"key": lambda w: w["tool"].key},
    "admin.political_goal": {"goal_id": lambda w: w["political_goal"].id},
    # the import wizard's steps carry the upload's token (a one-time link's token is another thing)
    **{endpoint: {"token": lambda w: w["import_upload"].token}
       for endpoint in ("imports.columns", "imports.indicator", "imports.preview", "imports.confirm")},
}


# Query-string arguments some endpoints need (htmx helpers that build a row for a school).
ENDPOINT_QUERY: dict[str, Callable[[World], dict]] = {
    "followup.agenda_row": lambda w: {"school_id": w["school"].id},
    "followup.agreement_row": lambda w: {"school_id": w["school"].id},
    "followup.note_school_fields": lambda w: {"school_id": w["school"].id},
}

# "endpoint@variant" asks for other objects than school A's shared ones.
VARIANTS: dict[str, dict[str, Callable[[World], object]]] = {
    # school B's objects: what a reader of A, a leader of A, A's consultant get for another school
    "B": {
        "school_id": lambda w: w["school_b"].id,
        "strategy_id": lambda w: w["strategy_b"].id,
        "goal_id": lambda w: w["goal_b"].id,
        "initiative_id": lambda w: w["initiative_b"].id,
        "evaluation_id": lambda w: w["evaluation_b"].id,
        "note_id": lambda w: w["note_b"].id,
        "meeting_id": lambda w: w["meeting_b"].id,
        "agreement_id": lambda w: w["agreement_b"].id,
        "sus_id": lambda w: w["sus_b"].id,
        "area_id": lambda w: w["focus_area_b"].id,
        "topic_id": lambda w: w["topic_b"].id,
    },
    # the consultant's draft note and meeting at school A (the author's eyes only)
    "draft": {
        "note_id": lambda w: w["note_draft"].id,
        "meeting_id": lambda w: w["meeting_draft"].id,
        "agreement_id": lambda w: w["agreement_draft"].id,
    },
    # a note internal to the administration
    "internal": {"note_id": lambda w: w["note_internal"].id},
}
SCHOOL_SCOPED = set(VARIANTS["B"])


def url_for_endpoint(app, endpoint: str, world: World, **overrides) -> str:
    """The URL of ``endpoint`` (or ``endpoint@variant``) with its variables filled from the world."""
    from flask import url_for

    endpoint, _sep, variant = endpoint.partition("@")
    (rule,) = [r for r in app.url_map.iter_rules() if r.endpoint == endpoint][:1] or [None]
    if rule is None:
        raise KeyError(f"no route {endpoint}")
    values = {**ENDPOINT_QUERY.get(endpoint, lambda w: {})(world)}
    if variant:
        for name, getter in VARIANTS[variant].items():
            if name in rule.arguments or name in values:
                values[name] = getter(world)
    for name in rule.arguments:
        if name in overrides or name in values:
            values[name] = overrides.get(name, values.get(name))
            continue
        getter = ENDPOINT_PARAMS.get(endpoint, {}).get(name) or PARAMS.get(name)
        if getter is None:
            raise KeyError(f"{endpoint}: URL variable <{name}> has no value; add it to PARAMS in tests/world.py")
        values[name] = getter(world)
    with app.test_request_context():
        return url_for(endpoint, **values)


def database_fingerprint() -> dict[str, tuple[int, int]]:
    """Row count and a checksum of every table: equal fingerprints mean nothing changed."""
    import hashlib

    import sqlalchemy as sa

    result = {}
    for table in db.metadata.sorted_tables:
        order = list(table.primary_key.columns) or list(table.columns)
        rows = db.session.execute(sa.select(table).order_by(*order)).all()
        digest = hashlib.sha256(repr([tuple(r) for r in rows]).encode()).hexdigest()[:16]
        result[table.name] = (len(rows), digest)
    return result


class IsolatedClient(FlaskClient):
    """A test client whose every request gets its own app context, g and database session.

    An app created in a test module and used under ``with app.app_context()`` would otherwise
    lend that context to each request: Flask-Login's cached user and Flask-WTF's token in ``g``
    would leak from one request into the next, and a "signed out" check could pass for the
    wrong reason. Running each request in an empty contextvars Context is what a server does.
    """

    def open(self, *args, **kwargs):
        return contextvars.Context().run(super().open, *args, **kwargs)


def isolated_app(config: str = "test", **overrides):
    """create_app(...) whose test_client() is an IsolatedClient."""
    from strategy import create_app

    app = create_app(config, **overrides)
    app.test_client_class = IsolatedClient
    return app


def _freeze(world: World) -> World:
    """Load every attribute, then detach: ids, keys and session tokens stay readable."""
    for obj in [*world.objects.values(), *(u for u in world.users.values() if u is not None)]:
        db.session.refresh(obj)
    db.session.expunge_all()
    db.session.remove()  # no transaction left open: on PostgreSQL it would block a TRUNCATE
    return world


class WorldKeeper:
    """One world for many requests, put back only after a request may have changed it.

    On SQLite in memory the pristine world is kept as a copy and put back with the backup API
    (a millisecond); on PostgreSQL it is rebuilt (tables truncated, ids restart, so URLs stay).
    """

    def __init__(self, app, text: Callable[[str], str] = _plain):
        self.app = app
        self.text = text
        self.world: World | None = None
        self.dirty = True
        self._template = None
        self._fingerprint = None
        url = db.engine.url
        self._in_memory = url.get_backend_name() == "sqlite" and url.database in (None, "", ":memory:")

    def fresh(self) -> World:
        if self.dirty:
            self._restore()
            self.dirty = False
            self._fingerprint = None
        return self.world

    def changes(self) -> int | None:
        """SQLite's count of rows written on the shared in-memory connection (None elsewhere)."""
        if not self._in_memory:
            return None
        raw = db.engine.raw_connection()
        try:
            return raw.driver_connection.total_changes
        finally:
            raw.close()

    def fingerprint(self) -> dict[str, tuple[int, str]]:
        """The fingerprint of the world as restored (taken once per restore)."""
        if self._fingerprint is None:
            self._fingerprint = database_fingerprint()
            db.session.remove()
        return self._fingerprint

    def after(self, method: str, response) -> None:
        """Note whether a response may have written something."""
        refused_anonymous = response.status_code == 302 and response.headers.get("Location", "").startswith("/login")
        if method != "GET" and response.status_code < 400 and not refused_anonymous:
            self.dirty = True

    def _restore(self) -> None:
        import sqlite3

        from tests.conftest import _reset_database

        db.session.remove()
        if self._template is not None:
            raw = db.engine.raw_connection()
            try:
                self._template.backup(raw.driver_connection)
            finally:
                raw.close()
            db.session.remove()
            return
        _reset_database()
        self.world = _freeze(build_world(self.text))
        if self._in_memory:
            self._template = sqlite3.connect(":memory:")
            raw = db.engine.raw_connection()
            try:
                raw.driver_connection.backup(self._template)
            finally:
                raw.close()

    def close(self) -> None:
        if self._template is not None:
            self._template.close()
        db.session.remove()


@contextlib.contextmanager
def own_app(config: str = "test", **overrides):
    """An app of its own (``isolated_app``) over an empty database, inside its app context: for
    tests whose commits other connections must see (threads, processes) or that need the app
    built otherwise than the run's."""
    from tests.conftest import _reset_database

    app = isolated_app(config, **overrides)
    with app.app_context():
        _reset_database()
        try:
            yield app
        finally:
            db.session.remove()


@contextlib.contextmanager
def kept_world(text: Callable[[str], str] = _plain, **config):
    """A WorldKeeper on an app of its own (``isolated_app("test", **config)``), inside its app
    context, for a module's ``keeper`` fixture: ``with kept_world() as keeper: yield keeper``."""
    app = isolated_app("test", **config)
    with app.app_context():
        keeper = WorldKeeper(app, text=text)
        try:
            yield keeper
        finally:
            keeper.close()


def crawl_urls(app, world: World, admin_variants: bool = True) -> list[str]:
    """Every GET page of the world: each endpoint, its variants (school B's objects, the drafts,
    the internal note; the administration's too unless ``admin_variants`` is False) and the
    pages of CRAWL_EXTRA."""
    from urllib.parse import urlencode

    endpoints = get_endpoints(app)
    urls = [url_for_endpoint(app, e, world) for e in endpoints]
    for variant in ("B", "draft", "internal"):
        for e in endpoints:
            if not admin_variants and e.startswith("admin."):
                continue
            try:
                url = url_for_endpoint(app, f"{e}@{variant}", world)
            except KeyError:
                continue
            if url not in urls:
                urls.append(url)
    for endpoint, params, query in CRAWL_EXTRA:
        url = url_for_endpoint(app, endpoint, world, **params(world))
        urls.append(url + ("?" + urlencode(query) if query else ""))
    return urls


# --- the forms the pages offer -----------------------------------------------------------------


@dataclass
class FormField:
    name: str
    kind: str  # text, textarea, hidden, number, date, select, checkbox, radio, email, password, button ...
    options: list[str] = field(default_factory=list)
    multiple: bool = False
    value: str = ""


@dataclass
class FormSpec:
    action: str  # the URL the form posts to
    page: str  # the page it was found on
    fields: dict[str, FormField] = field(default_factory=dict)


class _FormParser(HTMLParser):
    """Every POST form of a page with its fields (inputs, textareas, selects, named buttons)."""

    def __init__(self, page: str):
        super().__init__(convert_charrefs=True)
        self.page = page
        self.forms: list[FormSpec] = []
        self._form: FormSpec | None = None
        self._select: FormField | None = None
        self._textarea: FormField | None = None

    def handle_starttag(self, tag, attrs):
        a = {k: (v if v is not None else "") for k, v in attrs}
        if tag == "form":
            post = a.get("hx-post") or (a.get("action") if a.get("method", "get").lower() == "post" else None)
            self._form = FormSpec(action=post or "", page=self.page) if post is not None else None
            if self._form is not None and not self._form.action:
                self._form.action = self.page
            return
        if self._form is None or not a.get("name"):
            if tag == "option" and self._select is not None:
                self._select.options.append(a.get("value", ""))
            return
        name, fields = a["name"], self._form.fields
        if tag == "input":
            kind = a.get("type", "text").lower()
            if kind in ("checkbox", "radio"):
                f = fields.setdefault(name, FormField(name, kind))
                f.options.append(a.get("value", "y"))
                f.multiple = f.multiple or (kind == "checkbox" and len(f.options) > 1)
            elif kind not in ("submit", "reset", "image", "file"):
                fields[name] = FormField(name, kind, value=a.get("value", ""))
        elif tag == "textarea":
            self._textarea = fields[name] = FormField(name, "textarea")
        elif tag == "select":
            self._select = fields[name] = FormField(name, "select", multiple="multiple" in a)
        elif tag == "button" and a.get("type", "submit") == "submit":
            f = fields.setdefault(name, FormField(name, "button"))
            f.options.append(a.get("value", ""))

    def handle_startendtag(self, tag, attrs):
        self.handle_starttag(tag, attrs)

    def handle_data(self, data):
        if self._textarea is not None:
            self._textarea.value += data

    def handle_endtag(self, tag):
        if tag == "form" and self._form is not None:
            self.forms.append(self._form)
            self._form = None
        elif tag == "select":
            self._select = None
        elif tag == "textarea":
            self._textarea = None


def forms_of(html: str, page: str) -> list[FormSpec]:
    parser = _FormParser(page)
    parser.feed(html)
    return parser.forms


def get_endpoints(app) -> list[str]:
    """Every GET endpoint (and its variants), the pages a crawler visits."""
    endpoints = []
    for rule in app.url_map.iter_rules():
        if "GET" in rule.methods and rule.endpoint not in ("static", "auth.login"):
            endpoints.append(rule.endpoint)
    return sorted(set(endpoints))


def post_endpoint_of(app, url: str) -> str | None:
    from urllib.parse import urlsplit

    from werkzeug.exceptions import HTTPException

    try:
        endpoint, _args = app.url_map.bind("localhost").match(urlsplit(url).path, method="POST")
    except HTTPException:
        return None
    return endpoint


# Pages that show a form only in some state: (endpoint, URL variables, query string).
CRAWL_EXTRA: list[tuple[str, Callable[[World], dict], dict]] = [
    ("admin.user", lambda w: {"user_id": w["invitee"].id}, {}),
    ("auth.accept_invitation", lambda w: {"token": WORLD_TOKENS["invitation"]}, {}),
    ("auth.reset_password", lambda w: {"token": WORLD_TOKENS["reset_link"]}, {}),
    ("schools.status", lambda w: {}, {"rediger": 1}),
    ("admin.user", lambda w: {"user_id": w["former"].id}, {}),
    ("admin.cluster", lambda w: {"cluster_id": w["cluster_empty"].id}, {}),
    ("schools.school", lambda w: {"school_id": w["school_c"].id}, {}),
    ("schools.new_strategy", lambda w: {"school_id": w["school_c"].id}, {}),
    ("sus.school", lambda w: {"school_id": w["school_c"].id}, {}),  # no SUS yet: the start button
    ("sharing.adopt", lambda w: {"initiative_id": w["initiative_b"].id}, {}),  # school A's leader adopts B's
]


def _is_download(app, endpoint: str) -> bool:
    return any(r.rule.endswith((".pdf", ".xlsx", ".csv")) for r in app.url_map.iter_rules(endpoint))


def crawl_forms(app, keeper: "WorldKeeper", roles=("leader", "consultant", "admin"),
                htmx: bool = False):
    """{POST endpoint: {role: FormSpec}} for every form the pages show to these roles."""
    from urllib.parse import urlencode

    from tests.helpers import htmx_headers

    found: dict[str, dict[str, FormSpec]] = {}
    pages = [e for e in get_endpoints(app) if not _is_download(app, e)]
    visits = [(role, e, None, {}) for role in roles for e in pages]
    visits += [(role, e, params, query) for role in roles for e, params, query in CRAWL_EXTRA]
    visits.append(("anonymous", "auth.login", None, {}))
    for role, endpoint, params, query in visits:
        world = keeper.fresh()
        client = app.test_client()
        if world.user(role) is not None:
            sign_in(client, world.user(role))
        url = url_for_endpoint(app, endpoint, world, **(params(world) if params else {}))
        if query:
            url += ("&" if "?" in url else "?") + urlencode(query)
        for headers in ({}, htmx_headers()) if htmx else ({},):
            try:
                response = client.get(url, headers=headers)
            except Exception:  # a broken page is the matrix's and the page's own tests' business
                continue
            if response.status_code != 200 or response.mimetype != "text/html":
                continue
            for form in forms_of(response.get_data(as_text=True), url):
                target = post_endpoint_of(app, form.action)
                if target is not None:
                    found.setdefault(target, {}).setdefault(role, form)
    return found


def empty_database() -> None:
    """Every table empty, for an app that lives longer than one test (much cheaper than create_app)."""
    from tests.conftest import _reset_database

    db.session.remove()
    url = db.engine.url
    if url.get_backend_name() == "sqlite" and url.database in (None, "", ":memory:"):
        db.drop_all()
        db.create_all()
    else:
        _reset_database()
