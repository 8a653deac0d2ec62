"""No page, list, count or fragment shows a sparring note, a conversation or an agreement to someone
the permissions table does not allow: every role x every visibility.

The world: school A with an author consultant and another assigned consultant, school B with its
own consultant and leader. One note (or meeting) at school A by the author in the visibility under
test, with an overdue agreement owned by A's leader.
"""

import re
from datetime import date

import pytest
import sqlalchemy as sa

from strategy.extensions import db
from strategy.models import AuditEvent, MeetingState, MeetingType, Role, Visibility
from tests.helpers import htmx_headers, local, text_of, yesterday

ACTORS = ["author", "assigned", "unassigned", "leader", "other_leader", "reader", "directorate", "admin"]

# Who may read a note/meeting at school A written by "author", per visibility (DESIGN.md table).
MAY_READ = {
    Visibility.DRAFT: {"author"},
    Visibility.SHARED: {"author", "assigned", "leader", "directorate", "admin"},
    Visibility.INTERNAL: {"author", "assigned", "directorate", "admin"},
}
# Who may open school A's follow-up page at all.
OPENS_SCHOOL_PAGE = {"author", "assigned", "leader", "directorate", "admin"}

CASES = [(actor, vis) for vis in Visibility for actor in ACTORS]
IDS = [f"{actor}-{vis.value}" for actor, vis in CASES]


@pytest.fixture
def world(make):
    a, b = make.school("Skole A"), make.school("Skole B")
    people = {
        "author": make.user(Role.CONSULTANT, assigned=[a], name="Forfatter Konsulent"),
        "assigned": make.user(Role.CONSULTANT, assigned=[a], name="Anden Konsulent"),
        "unassigned": make.user(Role.CONSULTANT, assigned=[b], name="Fremmed Konsulent"),
        "leader": make.user(Role.LEADER, school=a, name="Leder A"),
        "other_leader": make.user(Role.LEADER, school=b, name="Leder B"),
        "reader": make.user(Role.READER, school=a, name="Læser A"),
        "directorate": make.user(Role.DIRECTORATE, name="Direktion"),
        "admin": make.user(Role.ADMIN, name="Admin"),
    }
    return {"a": a, "b": b, **people}


def _note_world(make, world, visibility):
    n = make.note(world["a"], world["author"], visibility=visibility, held_on=date(2025, 10, 2),
                  participants="Deltagerne")
    make.agreement(n, text=f"NOTEAFTALE-{visibility.value}", owner=world["leader"], due_on=yesterday())
    return n


def _meeting_world(make, world, visibility):
    m = make.meeting(world["a"], world["author"], visibility=visibility, title=f"SAMTALE-{visibility.value}",
                     state=MeetingState.HELD, starts_at=local(date.today()))
    make.agreement(m, text=f"MØDEAFTALE-{visibility.value}", owner=world["leader"], due_on=yesterday())
    return m


@pytest.mark.parametrize("actor, visibility", CASES, ids=IDS)
def test_note_page(client, login_as, world, actor, visibility, make):
    n = _note_world(make, world, visibility)
    login_as(world[actor])

    response = client.get(f"/notater/{n.id}")

    allowed = actor in MAY_READ[visibility]
    assert response.status_code == (200 if allowed else 403)
    assert ("Deltagerne" in text_of(response)) is allowed


@pytest.mark.parametrize("actor, visibility", CASES, ids=IDS)
def test_note_and_its_agreement_on_the_school_page(client, login_as, world, actor, visibility, make):
    n = _note_world(make, world, visibility)
    login_as(world[actor])

    response = client.get(f"/skoler/{world['a'].id}/opfoelgning")

    if actor not in OPENS_SCHOOL_PAGE:
        assert response.status_code == 403
        return
    html = response.get_data(as_text=True)
    allowed = actor in MAY_READ[visibility]
    assert (f"/notater/{n.id}" in html) is allowed
    assert (f"NOTEAFTALE-{visibility.value}" in html) is allowed


@pytest.mark.parametrize("actor, visibility", CASES, ids=IDS)
def test_meeting_page_and_school_list(client, login_as, world, actor, visibility, make):
    m = _meeting_world(make, world, visibility)
    login_as(world[actor])
    allowed = actor in MAY_READ[visibility]

    page = client.get(f"/samtaler/{m.id}")
    assert page.status_code == (200 if allowed else 403)

    listing = client.get(f"/skoler/{world['a'].id}/opfoelgning")
    if actor in OPENS_SCHOOL_PAGE:
        html = listing.get_data(as_text=True)
        assert (f"SAMTALE-{visibility.value}" in html) is allowed
        assert (f"MØDEAFTALE-{visibility.value}" in html) is allowed
    else:
        assert listing.status_code == 403


@pytest.mark.parametrize("actor, visibility", CASES, ids=IDS)
def test_agreements_page_shows_only_readable_agreements(client, login_as, world, actor, visibility, make):
    _note_world(make, world, visibility)
    _meeting_world(make, world, visibility)
    login_as(world[actor])

    response = client.get("/mine-aftaler")

    assert response.status_code == 200
    text = text_of(response)
    # The leader owns both agreements; the others see them as overdue at a school they follow.
    allowed = actor in MAY_READ[visibility]
    assert (f"NOTEAFTALE-{visibility.value}" in text) is allowed
    assert (f"MØDEAFTALE-{visibility.value}" in text) is allowed


@pytest.mark.parametrize("actor", ["author", "assigned", "unassigned"])
@pytest.mark.parametrize("visibility", list(Visibility), ids=lambda v: v.value)
def test_mine_skoler_counts_and_dates_only_what_the_consultant_may_read(client, login_as, world, actor, visibility, make):
    _note_world(make, world, visibility)
    login_as(world[actor])

    response = client.get("/mine-skoler")
    text = text_of(response)

    if actor == "unassigned":
        assert "Skole A" not in text
        return
    allowed = actor in MAY_READ[visibility]
    last_contact, open_agreements = (_cell(response, "Skole A", column) for column in ("Seneste kontakt", "Åbne aftaler"))
    assert (last_contact == "2. okt. 2025") is allowed
    assert (open_agreements == "1 1 overskredet") is allowed
    if not allowed:
        assert last_contact == "Ingen registreret" and open_agreements == "0"


def _cell(response, school: str, column: str) -> str:
    """The text of ``column`` in ``school``'s row of the table on Mine skoler."""
    html = response.get_data(as_text=True)
    row = next(r for r in html.split("<tr")[1:] if f">{school}</a>" in r)
    cell = re.search(rf'<td data-title="{re.escape(column)}"[^>]*>(.*?)</td>', row, re.S).group(1)
    return re.sub(r"\s+", " ", re.sub(r"<[^>]+>", " ", cell)).strip()


@pytest.mark.parametrize("actor, visibility", CASES, ids=IDS)
def test_ticking_off_an_agreement_needs_the_right_to_read_it(client, login_as, world, actor, visibility, make):
    n = _note_world(make, world, visibility)
    item = n.agreements[0] if n.agreements else None
    item_id = item.id
    login_as(world[actor])

    response = client.post(f"/aftaler/{item_id}/udfoert", data={"done": "1"}, headers=htmx_headers())

    may_complete = actor in MAY_READ[visibility] and actor in {"author", "leader"}
    assert response.status_code == (200 if may_complete else 403)


FRAGMENTS = [
    "/aftaler/ny-raekke?school_id={a}&add_agreement=1",
    "/samtaler/ny-punkt?school_id={a}&add_item=1",
    "/notater/skolefelter?school_id={a}",
    "/skoler/{a}/notater/ny",
    "/skoler/{a}/samtaler/ny",
]


@pytest.mark.parametrize("url", FRAGMENTS)
@pytest.mark.parametrize("actor", ACTORS)
def test_forms_and_fragments_only_for_consultants_of_the_school(client, login_as, world, actor, url):
    login_as(world[actor])
    response = client.get(url.format(a=world["a"].id), headers=htmx_headers())
    assert response.status_code == (200 if actor in {"author", "assigned"} else 403)


@pytest.mark.parametrize("actor", ACTORS)
def test_only_the_author_edits_a_note(client, login_as, world, actor, make):
    n = _note_world(make, world, Visibility.SHARED)
    login_as(world[actor])
    assert client.get(f"/notater/{n.id}/rediger").status_code == (200 if actor == "author" else 403)
    posted = client.post(f"/notater/{n.id}/rediger", data={"held_on": "2025-10-02", "visibility": "shared",
                                                         "version": "1", "observation": "ÆNDRET"})
    assert posted.status_code in ((200, 303) if actor == "author" else (403,))


@pytest.mark.parametrize("actor", ACTORS)
def test_who_edits_a_meeting(client, login_as, world, actor, make):
    m = _meeting_world(make, world, Visibility.SHARED)
    login_as(world[actor])
    assert client.get(f"/samtaler/{m.id}/rediger").status_code == (200 if actor in {"author", "assigned"} else 403)


def _reads(note_id):
    return list(db.session.scalars(sa.select(AuditEvent).where(
        AuditEvent.action == "read", AuditEvent.object_type == "SparringNote", AuditEvent.object_id == note_id)))


@pytest.mark.parametrize("actor", ["assigned", "leader", "directorate", "admin"])
def test_reading_another_persons_note_is_recorded(client, login_as, world, actor, make):
    n = _note_world(make, world, Visibility.SHARED)
    reader_id = world[actor].id
    login_as(world[actor])

    assert client.get(f"/notater/{n.id}").status_code == 200

    events = _reads(n.id)
    assert [(e.actor_id, e.school_id) for e in events] == [(reader_id, world["a"].id)]


def test_the_author_reading_their_own_note_is_not_recorded(client, login_as, world, make):
    n = _note_world(make, world, Visibility.SHARED)
    login_as(world["author"])
    client.get(f"/notater/{n.id}")
    assert _reads(n.id) == []


@pytest.mark.parametrize("actor", ["unassigned", "other_leader", "reader", "leader"])
def test_a_refused_read_leaves_no_read_event(client, login_as, world, actor, make):
    n = _note_world(make, world, Visibility.INTERNAL)
    login_as(world[actor])
    assert client.get(f"/notater/{n.id}").status_code == 403
    assert _reads(n.id) == []


def test_a_draft_meeting_is_not_counted_in_the_cadence(client, login_as, world, make):
    make.meeting(world["a"], world["author"], visibility=Visibility.DRAFT,
                 meeting_type=MeetingType.LUS, starts_at=local(date.today()))
    login_as(world["directorate"])
    text = text_of(client.get(f"/skoler/{world['a'].id}/opfoelgning"))
    assert "LUS: afholdt" not in text
