"""The OpenAPI 3.1 description of /api/v1/, built from the same list of listings the routes serve."""

from __future__ import annotations

from strategy.models import Classification, Conclusion, DataType, Status

INT = {"type": "integer"}
STR = {"type": "string"}
BOOL = {"type": "boolean"}
NUM = {"type": "number"}


def nullable(schema: dict) -> dict:
    return {**schema, "type": [schema["type"], "null"]}


DATE = {"type": "string", "format": "date"}
DATETIME = {"type": "string", "format": "date-time"}


def obj(**properties) -> dict:
    return {"type": "object", "properties": properties, "required": list(properties), "additionalProperties": False}


MEASUREMENT = obj(
    year=INT,
    value={**nullable(NUM), "description": "null when fewer than 5 pupils (too_few_pupils)"},
    pupils=nullable(INT),
    too_few_pupils=BOOL,
    new_series={**BOOL, "description": "the first measurement of a new series: no line across the break"},
)

SCHEMAS: dict[str, dict] = {
    "schools": obj(id=INT, name=STR, institution_number=nullable({**STR, "pattern": "^[0-9]{6}$"}),
                   cluster_id=nullable(INT), cluster=nullable(STR)),
    "periods": obj(id=INT, key=STR, name=STR, start_year=INT, end_year=INT),
    "political-goals": obj(id=INT, key=STR, short_name=STR, text=STR, policy=STR),
    "strategies": obj(id=INT, school_id=INT, period_id=INT, current_year=INT, last_activity_at=DATETIME),
    "goals": obj(
        id=INT, strategy_id=INT, school_id=INT, title=STR, archived=BOOL,
        classification={"type": "string", "enum": [c.value for c in Classification]},
        indicator_hidden={**BOOL, "description": "true when the key's role may not see this (Fortrolig) indicator"},
        indicator={
            "oneOf": [
                {"type": "null"},
                obj(name=STR, unit=STR, data_type={"type": ["string", "null"], "enum": [d.value for d in DataType] + [None]},
                    baseline_value=nullable(NUM), baseline_year=nullable(INT), target_value=nullable(NUM),
                    target_year=nullable(INT)),
            ]
        },
        measurements={"type": "array", "items": MEASUREMENT},
        political_goal_ids={"type": "array", "items": INT},
        updated_at=DATETIME,
    ),
    "measurements": obj(id=INT, goal_id=INT, school_id=INT, **MEASUREMENT["properties"], updated_at=nullable(DATETIME)),
    "initiatives": obj(
        id=INT, goal_id=INT, school_id=INT, title=STR, responsible=STR, start_date=nullable(DATE), end_date=nullable(DATE),
        status={"type": "string", "enum": [s.value for s in Status]}, status_changed_at=nullable(DATETIME), archived=BOOL,
        political_goal_ids={"type": "array", "items": INT},
        status_history={"type": "array", "items": obj(status={"type": "string", "enum": [s.value for s in Status]},
                                                       at=DATETIME)},
        updated_at=DATETIME,
    ),
    "evaluations": obj(id=INT, initiative_id=nullable(INT), goal_id=nullable(INT), school_id=INT, evaluated_on=DATE,
                       conclusion={"type": "string", "enum": [c.value for c in Conclusion]}, acted_on=BOOL,
                       created_at=DATETIME),
    "agreements": obj(id=INT, school_id=INT, due_on=nullable(DATE), done=BOOL, overdue=BOOL),
    "cadence": obj(school_id=INT, school_year={**INT, "description": "2025 is the school year 2025/26"},
                   one_to_one_held=INT, one_to_one_expected=INT, one_to_one_min=INT, one_to_one_max=INT,
                   lus_held=BOOL, grus_held=BOOL, lus_planned=BOOL, grus_planned=BOOL),
}

SUMMARIES = {
    "schools": "Skoler med institutionsnummer og klynge",
    "periods": "Strategiperioder",
    "political-goals": "Politiske mål",
    "strategies": "Skolernes strategier",
    "goals": "Mål med indikator og målinger (Fortrolige kun hvor rollen må se dem)",
    "measurements": "Målinger, én række pr. mål og år",
    "initiatives": "Tiltag med seneste status og statushistorik",
    "evaluations": "Evalueringer (konklusion og dato)",
    "agreements": "Aftaler: skole, frist og om de er udført (ingen tekster)",
    "cadence": "Opfølgningens kadence pr. skole (1:1, LUS, GRUS) i dette skoleår",
}

ERROR = obj(error=STR, status=INT)


def _error(description: str, headers: dict | None = None) -> dict:
    answer = {"description": description, "content": {"application/json": {"schema": {"$ref": "#/components/schemas/Error"}}}}
    if headers:
        answer["headers"] = headers
    return answer


def _parameters(updated_since: bool) -> list[dict]:
    params = [
        {"name": "after", "in": "query", "required": False, "description": "the id of the last row of the previous page",
         "schema": {"type": "integer", "minimum": 0, "maximum": 2**31 - 1}},
        {"name": "limit", "in": "query", "required": False, "description": "rows per page (default 100)",
         "schema": {"type": "integer", "minimum": 1, "maximum": 1000}},
    ]
    if updated_since:
        params.append({"name": "updated_since", "in": "query", "required": False,
                       "description": "only rows changed at or after this time",
                       "schema": {"type": "string", "format": "date-time"}})
    return params


def document(listings: dict, server: str) -> dict:
    paths: dict[str, dict] = {}
    retry = {"Retry-After": {"description": "seconds to wait", "schema": {"type": "string", "pattern": "^[0-9]+$"}}}
    errors = {
        "400": _error("a malformed parameter"),
        "401": _error("no valid key", {"WWW-Authenticate": {"schema": {"type": "string"}}}),
        "429": _error("too many calls with this key", retry),
    }
    for name, found in listings.items():
        page = obj(data={"type": "array", "items": {"$ref": f"#/components/schemas/{_ref(name)}"}},
                   next={"type": ["string", "null"], "format": "uri"})
        responses = {
            "200": {"description": "a page of rows",
                    "headers": {"Link": {"description": 'the next page, rel="next"', "schema": {"type": "string"}}},
                    "content": {"application/json": {"schema": page}}},
            **errors,
        }
        if name == "cadence":
            responses["403"] = _error("the key's role may not see the follow-up cadence")
        csv_responses = {
            "200": {"description": "the same page as CSV (UTF-8 with BOM, for Excel and Power BI)",
                    "content": {"text/csv": {"schema": {"type": "string"}}}},
            **{k: v for k, v in responses.items() if k != "200"},
        }
        paths[f"/{name}"] = {"get": {"operationId": f"list_{name.replace('-', '_')}", "summary": SUMMARIES[name],
                                     "parameters": _parameters(found.updated_since), "responses": responses}}
        paths[f"/{name}.csv"] = {"get": {"operationId": f"csv_{name.replace('-', '_')}", "summary": SUMMARIES[name] + " (CSV)",
                                         "parameters": _parameters(found.updated_since), "responses": csv_responses}}
    paths["/openapi.json"] = {"get": {"operationId": "openapi", "summary": "Denne beskrivelse", "security": [],
                                      "responses": {"200": {"description": "OpenAPI 3.1",
                                                            "content": {"application/json": {"schema": {"type": "object"}}}}}}}
    return {
        "openapi": "3.1.0",
        "info": {"title": "Målpil API", "version": "1",
                 "description": "Læse-API til BI (Power BI, Excel). Nøglen ser præcis det, en person med nøglens "
                                "rolle ser. Sparringsnoter og mødetekster er aldrig med."},
        "servers": [{"url": server}],
        "security": [{"bearer": []}],
        "paths": paths,
        "components": {
            "securitySchemes": {"bearer": {"type": "http", "scheme": "bearer"}},
            "schemas": {"Error": ERROR, **{_ref(n): s for n, s in SCHEMAS.items()}},
        },
    }


def _ref(name: str) -> str:
    return "".join(part.capitalize() for part in name.split("-"))
