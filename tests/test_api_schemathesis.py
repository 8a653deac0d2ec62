"""Schemathesis over the whole API, in-process against the WSGI app: every response of every
operation, for keys of several roles, conforms to /api/v1/openapi.json (0 failures)."""

from __future__ import annotations

import pytest
import schemathesis
from schemathesis.checks import negative_data_rejection
from hypothesis import HealthCheck, settings

from strategy.api import keys
from strategy.extensions import db
from strategy.models import Classification, Goal, Measurement, Role, School
from tests.world import build_world, isolated_app

APP = isolated_app("test", API_RATE_LIMIT_PER_MINUTE=10**9)
SECRETS: dict[str, str] = {}
schema = schemathesis.openapi.from_wsgi("/api/v1/openapi.json", APP)


@pytest.fixture(scope="module", autouse=True)
def world():
    from tests.conftest import _reset_database

    with APP.app_context():
        _reset_database()
        w = build_world()
        goal = db.session.get(Goal, w["goal"].id)
        goal.classification = Classification.CONFIDENTIAL
        db.session.add(Measurement(goal=goal, year=2024, value=3.5, pupils=4, new_series=True))
        for name, role, schools in (("admin", Role.ADMIN, []), ("leader_other", Role.LEADER, ["school_b"]),
                                    ("reader", Role.READER, ["school"]), ("consultant", Role.CONSULTANT, ["school"])):
            _client, SECRETS[name] = keys.create_key(name, role, [db.session.get(School, w[s].id) for s in schools], None)
        db.session.commit()
        yield w
        db.session.remove()


@pytest.mark.parametrize("key", ["admin", "leader_other", "reader", "consultant"])
@schema.parametrize()
@settings(max_examples=25, deadline=None, suppress_health_check=list(HealthCheck))
def test_every_answer_matches_the_openapi_document(case, key):
    # The key is always sent, so a case that schemathesis made invalid by leaving it out is valid
    # again; invalid parameters are refused with 400 by their own tests (tests/test_api.py).
    case.call_and_validate(headers={"Authorization": f"Bearer {SECRETS[key]}"},
                           excluded_checks=[negative_data_rejection])
