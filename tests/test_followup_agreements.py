"""Agreements (Aftaler): overdue from the day after the due date, ticking off, "Mine aftaler"."""

import json
from datetime import date, timedelta

import pytest
import sqlalchemy as sa

from strategy.extensions import db
from strategy.models import Agreement, AuditEvent, Role, Visibility
from tests.helpers import htmx_headers, reload, text_of, yesterday


@pytest.fixture
def people(make):
    school = make.school("Nordskolen")
    return {
        "school": school,
        "leader": make.user(Role.LEADER, school=school, name="Lone Leder"),
        "consultant": make.user(Role.CONSULTANT, assigned=[school], name="Karen Konsulent"),
    }


@pytest.mark.parametrize(
    "due, done, overdue",
    [
        (date(2026, 3, 9), False, True),    # due yesterday
        (date(2026, 3, 10), False, False),  # due today: still in time
        (date(2026, 3, 11), False, False),
        (date(2026, 3, 9), True, False),    # done
        (None, False, False),               # no due date
    ],
)
def test_an_agreement_becomes_overdue_the_day_after_its_due_date(due, done, overdue):
    a = Agreement(text="x", due_on=due, done_at=date(2026, 3, 1) if done else None)
    assert a.is_overdue(date(2026, 3, 10)) is overdue


def test_overdue_is_highlighted_only_after_the_due_date(client, login_as, people, make):
    n = make.note(people["school"], people["consultant"])
    make.agreement(n, text="Frist i går", owner=people["leader"], due_on=yesterday())
    make.agreement(n, text="Frist i dag", owner=people["leader"], due_on=date.today())
    login_as(people["leader"])

    html = client.get("/mine-aftaler").get_data(as_text=True)

    yesterday_item = html[html.index("Frist i går"):html.index("Frist i dag")]
    today_item = html[html.index("Frist i dag"):]
    assert "Overskredet" in yesterday_item and "Overskredet" not in today_item
    assert 'is-overdue' in html[:html.index("Frist i går")].rsplit("<li", 1)[1]


def test_mine_aftaler_lists_own_open_agreements_only(client, login_as, people, make):
    n = make.note(people["school"], people["consultant"])
    make.agreement(n, text="Min åbne", owner=people["consultant"], due_on=date.today() + timedelta(days=5))
    make.agreement(n, text="Min udførte", owner=people["consultant"], due_on=yesterday(), done=True)
    make.agreement(n, text="Lones", owner=people["leader"], due_on=date.today() + timedelta(days=5))
    login_as(people["consultant"])

    text = text_of(client.get("/mine-aftaler"))

    assert "Min åbne" in text
    assert "Min udførte" not in text
    assert "Lones" not in text  # not mine, and not overdue


def test_overdue_agreements_of_others_show_for_the_schools_consultant_and_leader(client, login_as, people, make):
    n = make.note(people["school"], people["consultant"], visibility=Visibility.SHARED)
    make.agreement(n, text="Konsulentens overskredne", owner=people["consultant"], due_on=yesterday())
    deputy = make.user(Role.LEADER, school=people["school"], name="Viceleder")

    login_as(deputy)
    assert "Konsulentens overskredne" in text_of(client.get("/mine-aftaler"))
    login_as(make.user(Role.LEADER, name="Anden skoles leder"))
    assert "Konsulentens overskredne" not in text_of(client.get("/mine-aftaler"))


def test_ticking_off_with_htmx_swaps_the_item_and_records_it(client, login_as, people, make):
    n = make.note(people["school"], people["consultant"])
    item = make.agreement(n, text="Send data", owner=people["leader"], due_on=yesterday())
    item_id = item.id
    login_as(people["leader"])

    response = client.post(f"/aftaler/{item_id}/udfoert", data={"done": "1"}, headers=htmx_headers())

    assert response.status_code == 200
    html = response.get_data(as_text=True)
    assert html.lstrip().startswith("<li") and "Genåbn" in html and "Overskredet" not in html
    assert json.loads(response.headers["HX-Trigger"])["announce"] == "Aftalen er markeret som udført."
    assert reload(item).done_at is not None
    event = db.session.scalar(sa.select(AuditEvent).where(AuditEvent.object_type == "Agreement"))
    assert event.action == "update" and event.changes["done_at"][0] is None

    client.post(f"/aftaler/{item_id}/udfoert", data={"done": "0"}, headers=htmx_headers())
    assert reload(item).done_at is None


def test_ticking_off_without_javascript_returns_to_the_page(client, login_as, people, make):
    n = make.note(people["school"], people["consultant"])
    item = make.agreement(n, text="Send data", owner=people["leader"], due_on=yesterday())
    login_as(people["consultant"])
    response = client.post(f"/aftaler/{item.id}/udfoert", data={"done": "1", "next": "/mine-aftaler"})
    assert response.status_code == 303 and response.headers["Location"] == "/mine-aftaler"


def test_an_unsafe_next_is_ignored(client, login_as, people, make):
    n = make.note(people["school"], people["consultant"])
    item = make.agreement(n, text="Send data", owner=people["leader"], due_on=yesterday())
    login_as(people["consultant"])
    response = client.post(f"/aftaler/{item.id}/udfoert", data={"done": "1", "next": "//evil.example"})
    assert response.headers["Location"] == f"/skoler/{people['school'].id}/opfoelgning"


def test_ticking_off_is_post_only(client, login_as, people, make):
    n = make.note(people["school"], people["consultant"])
    item = make.agreement(n, owner=people["leader"])
    login_as(people["leader"])
    assert client.get(f"/aftaler/{item.id}/udfoert").status_code == 405
