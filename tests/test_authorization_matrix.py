"""Every route x every method x every role, with the expected status pinned in ONE table:
MATRIX in tests/route_rules.py (its docstring says how the URLs are filled and what an empty
form gets).

A route in the URL map that is missing from MATRIX fails the test by name: add its row after
deciding, from DESIGN.md's permission table, who may do what.

Regenerate a draft of rows with `python -m tests.test_authorization_matrix` (it prints what
the app answers today, to be checked against the permission table, never pasted blindly).
"""

from __future__ import annotations

import pytest

from strategy.extensions import db
from tests.helpers import sign_in
from tests.route_rules import COLUMNS, MATRIX
from tests.world import SCHOOL_SCOPED, VARIANTS, WorldKeeper, isolated_app, kept_world, url_for_endpoint


# --- the machinery ---------------------------------------------------------------------------


def _routes(app) -> list[tuple[str, str]]:
    pairs = set()
    for rule in app.url_map.iter_rules():
        if rule.endpoint == "static":
            continue
        for method in rule.methods - {"HEAD", "OPTIONS"}:
            pairs.add((rule.endpoint, method))
    return sorted(pairs)


def _variants(app) -> list[tuple[str, str]]:
    """Rows for other objects: school B's (every school-scoped route), drafts, internal notes."""
    rows = []
    for rule in app.url_map.iter_rules():
        if rule.endpoint.startswith(("static", "admin.")):
            continue
        arguments = set(rule.arguments)
        for variant, params in VARIANTS.items():
            wanted = SCHOOL_SCOPED if variant == "B" else set(params)
            if arguments & wanted:
                for method in rule.methods - {"HEAD", "OPTIONS"}:
                    rows.append((f"{rule.endpoint}@{variant}", method))
    return sorted(rows)


_APP = isolated_app("test")
ROUTES = _routes(_APP)
PRESENT = {endpoint for endpoint, _method in ROUTES}
CASES = [
    (endpoint, method, role)
    for endpoint, methods in MATRIX.items()
    if endpoint.partition("@")[0] in PRESENT
    for method in methods
    for role in COLUMNS
]


@pytest.fixture(scope="module")
def keeper():
    with kept_world() as keeper:
        yield keeper


def request_as(keeper: WorldKeeper, endpoint: str, method: str, role: str):
    world = keeper.fresh()
    app = keeper.app
    client = app.test_client()
    if world.user(role) is not None:
        sign_in(client, world.user(role))
    url = url_for_endpoint(app, endpoint, world)
    response = client.open(url, method=method, data={} if method != "GET" else None)
    keeper.after(method, response)
    return response


def test_every_route_in_the_url_map_is_in_the_table():
    missing = [f"{endpoint} {method}" for endpoint, method in ROUTES + _variants(_APP)
               if method not in MATRIX.get(endpoint, {})]
    assert not missing, "routes missing from MATRIX in tests/route_rules.py:\n  " + "\n  ".join(missing)


def test_the_table_has_no_rows_for_routes_that_are_gone():
    present = set(ROUTES) | set(_variants(_APP))
    stale = [f"{e} {m}" for e, methods in MATRIX.items() for m in methods if (e, m) not in present]
    assert not stale, "MATRIX rows for routes that no longer exist:\n  " + "\n  ".join(stale)
    assert all(len(row) == len(COLUMNS) for methods in MATRIX.values() for row in methods.values())


@pytest.mark.parametrize("endpoint, method, role", CASES, ids=[f"{e}-{m}-{r}" for e, m, r in CASES])
def test_route_by_role(keeper, endpoint, method, role):
    expected = MATRIX[endpoint][method][COLUMNS.index(role)]
    response = request_as(keeper, endpoint, method, role)
    assert response.status_code == expected, (
        f"{method} {endpoint} as {role}: {response.status_code}, expected {expected}"
        f" (Location: {response.headers.get('Location')})"
    )
    assert response.status_code < 500
    if response.status_code == 302 and role == "anonymous":
        assert response.headers["Location"].startswith("/login")


def observe() -> dict[str, dict[str, tuple[int, ...]]]:
    """What the app answers today, for drafting rows (see the module docstring)."""
    app = isolated_app("test", PROPAGATE_EXCEPTIONS=False)
    observed: dict[str, dict[str, tuple[int, ...]]] = {}
    with app.app_context():
        keeper = WorldKeeper(app)
        for endpoint, method in _routes(app) + _variants(app):
            row = []
            for role in COLUMNS:
                try:
                    row.append(request_as(keeper, endpoint, method, role).status_code)
                except KeyError as error:
                    print(f"# {error}")
                    row.append(0)
            observed.setdefault(endpoint, {})[method] = tuple(row)
            db.session.remove()
        keeper.close()
    return observed


def format_table(rows: dict[str, dict[str, tuple[int, ...]]]) -> str:
    """The MATRIX literal for ``rows``, grouped by blueprint, one aligned line per method."""

    def order(endpoint):
        base, _sep, variant = endpoint.partition("@")
        return base.split(".")[0], base, variant

    lines = ["MATRIX: dict[str, dict[str, tuple[int, ...]]] = {",
             "    # endpoint[@variant]                          method    anon  read  lead l.oth  cons c.oth  dire admin board comm"]
    blueprint = None
    for endpoint in sorted(rows, key=order):
        if endpoint.split(".")[0] != blueprint:
            blueprint = endpoint.split(".")[0]
            lines.append(f"    # --- {blueprint} " + "-" * (90 - len(blueprint)))
        methods = sorted(rows[endpoint], key=lambda m: (m != "GET", m))
        cells = [f'{chr(34) + m + chr(34) + ":":<7} ({", ".join(f"{v:>4}" for v in rows[endpoint][m])})' for m in methods]
        name = f'"{endpoint}":'
        for i, cell in enumerate(cells):
            head = f"    {name:<47} {{" if i == 0 else " " * 53
            tail = "}," if i == len(cells) - 1 else ","
            lines.append(head + cell + tail)
    lines.append("}")
    return "\n".join(lines)


if __name__ == "__main__":
    observed = observe()
    for endpoint, methods in observed.items():
        for method, row in methods.items():
            known = MATRIX.get(endpoint, {}).get(method)
            if known is not None and known != row:
                print(f"# CHANGED {endpoint} {method}: pinned {known}, now {row}")
    print(format_table(observed))


def _int_arguments(rule) -> list[str]:
    from werkzeug.routing import IntegerConverter

    return [name for name, c in rule._converters.items() if isinstance(c, IntegerConverter)]


INT_ROUTES = sorted({
    (rule.endpoint, "GET" if "GET" in rule.methods else "POST")
    for rule in _APP.url_map.iter_rules()
    if _int_arguments(rule)
})


@pytest.mark.parametrize("too_big", [2**31, 10**20], ids=["beyond-int4", "beyond-int8"])
def test_ids_beyond_what_the_database_holds_are_not_found(keeper, too_big):
    """/maal/99999999999 is a 404 for everyone, not a database error (500)."""
    world = keeper.fresh()
    client = keeper.app.test_client()
    sign_in(client, world.user("admin"))
    wrong = []
    for endpoint, method in INT_ROUTES:
        rule = next(keeper.app.url_map.iter_rules(endpoint))
        url = url_for_endpoint(keeper.app, endpoint, world, **{name: too_big for name in _int_arguments(rule)})
        response = client.open(url, method=method)
        keeper.after(method, response)
        # 405 where a GET and a POST share the path: werkzeug then refuses the method first.
        if response.status_code not in (404, 405) or (method == "GET" and response.status_code != 404):
            wrong.append(f"{method} {url}: {response.status_code}")
    assert not wrong, wrong
