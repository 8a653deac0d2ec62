"""`python -m bench.data`: the import and the API on the 100-school bench municipality.

    .venv/bin/python -m bench.data [--schools 100]

In-process (no HTTP server), on a fresh SQLite file (or DATABASE_URL, as bench/run.py):
1. a 300-row file (every school, 3 school years) into a fælles indikator linked to one goal per
   school: preview (read + plan) and confirm (apply + commit), then the same file again;
2. a 50,000-row file (every school, 111 years, then repeated: the duplicates are reported) the same way;
3. an API page of 500 initiatives (admin key), median of 20 calls, and the query count of a page
   of 50 against one of 500.
Ends with one line ``BENCH-DATA {json}``.
"""

from __future__ import annotations

import argparse
import json
import statistics
import sys
import tempfile
import time
from pathlib import Path

import sqlalchemy as sa

from bench.run import build, database_url, make_app


def _csv(rows: list[tuple[str, str, float, int]]) -> bytes:
    lines = ["Institutionsnummer;Skoleår;Andel (%);Antal elever"]
    lines += [f"{n};{y};{str(v).replace('.', ',')};{p}" for n, y, v, p in rows]
    return ("\r\n".join(lines) + "\r\n").encode("cp1252")


def _timed(fn):
    start = time.perf_counter()
    result = fn()
    return result, time.perf_counter() - start


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--schools", type=int, default=100)
    args = parser.parse_args()
    tmp = Path(tempfile.mkdtemp(prefix="maalpil-bench-data-"))
    url, dialect = database_url(tmp, "bench-data.sqlite")
    build(url, args.schools)
    app = make_app(url)

    from strategy.api import keys
    from strategy.extensions import db
    from strategy.imports import engine
    from strategy.imports.cli import _System
    from strategy.imports.reader import read_table
    from strategy.models import Goal, Measurement, MunicipalIndicator, Role, School, Strategy

    results: dict[str, object] = {"dialect": dialect, "schools": args.schools}
    with app.app_context():
        schools = list(db.session.scalars(sa.select(School).order_by(School.id)))
        for i, school in enumerate(schools):
            school.institution_number = f"{280000 + i:06d}"
        indicator = MunicipalIndicator(name="Trivsel (bench)", unit="%")
        db.session.add(indicator)
        db.session.flush()
        for school in schools:
            goal = db.session.scalar(
                sa.select(Goal).join(Strategy).where(Strategy.school_id == school.id, Goal.archived_at.is_(None))
                .order_by(Strategy.period_id.desc(), Goal.id).limit(1)
            )
            if goal is not None:
                goal.municipal_indicator_id = indicator.id
        _client, secret = keys.create_key("bench", Role.ADMIN, [], None)
        db.session.commit()

        def run_import(label: str, content: bytes) -> None:
            def preview():
                table = read_table(content, f"{label}.csv", 10 * 1024 * 1024, 50_000)
                mapping = engine.guess_mapping(table.header)
                target = engine.Target(municipal=db.session.get(MunicipalIndicator, indicator.id))
                return table, target, engine.plan(table, mapping, target, _System())

            (table, target, plan), t_preview = _timed(preview)

            def confirm():
                batch = engine.apply(plan, target, f"{label}.csv", None)
                db.session.commit()
                return batch

            batch, t_confirm = _timed(confirm)
            (_t, _g, again), t_again = _timed(preview)
            results[label] = {
                "rows": len(table.rows), "preview_s": round(t_preview, 3), "confirm_s": round(t_confirm, 3),
                "new": plan.count("new"), "changed": plan.count("changed"), "unusable": plan.count("unusable"),
                "reimport_preview_s": round(t_again, 3), "reimport_unchanged": again.count("unchanged"),
                "reimport_writes": len(again.writes), "batch": batch.id if batch else None,
            }
            db.session.remove()

        small = [(s.institution_number, f"{y}/{str(y + 1)[-2:]}", round(60 + (i * 7 + y) % 30 + 0.5, 1), 120)
                 for i, s in enumerate(schools) for y in (2022, 2023, 2024)]
        run_import("import_300", _csv(small))
        big = []
        years = list(range(1989, 2099))  # school years 1989/90 .. 2098/99 -> 1990 .. 2099
        while len(big) < 50_000:
            for i, s in enumerate(schools):
                for y in years:
                    big.append((s.institution_number, f"{y}/{str(y + 1)[-2:]}", float((i + y) % 100), 40))
                    if len(big) == 50_000:
                        break
                if len(big) == 50_000:
                    break
        run_import("import_50000", _csv(big))
        results["measurements"] = db.session.scalar(sa.select(sa.func.count(Measurement.id)))

        client = app.test_client()
        headers = {"Authorization": f"Bearer {secret}"}
        app.config["API_RATE_LIMIT_PER_MINUTE"] = 10**9
        client.get("/api/v1/initiatives?limit=500", headers=headers)  # warm: the hour's audit row
        statements: list[str] = []

        def count(conn, cursor, statement, parameters, context, executemany):
            statements.append(statement)

        with app.app_context():
            engine_ = db.engine
        sa.event.listen(engine_, "before_cursor_execute", count)
        client.get("/api/v1/initiatives?limit=50", headers=headers)
        q50 = len(statements)
        statements.clear()
        response = client.get("/api/v1/initiatives?limit=500", headers=headers)
        q500 = len(statements)
        sa.event.remove(engine_, "before_cursor_execute", count)
        times, cpu = [], []
        for _ in range(20):
            start, start_cpu = time.perf_counter(), time.process_time()
            response = client.get("/api/v1/initiatives?limit=500", headers=headers)
            times.append(time.perf_counter() - start)
            cpu.append(time.process_time() - start_cpu)
        rows = len(response.get_json()["data"])
        results["api_initiatives_500"] = {"rows": rows, "median_ms": round(statistics.median(times) * 1000, 1),
                                          "median_cpu_ms": round(statistics.median(cpu) * 1000, 1),
                                          "max_ms": round(max(times) * 1000, 1), "queries_50": q50, "queries_500": q500,
                                          "bytes": len(response.get_data())}
    results["load_average"] = [round(x, 2) for x in __import__("os").getloadavg()]
    print(json.dumps(results, indent=1))
    print("BENCH-DATA " + json.dumps(results))
    small, big, api = results["import_300"], results["import_50000"], results["api_initiatives_500"]
    lines = [
        f"# bench.data ({dialect}, {args.schools} schools, load average {results['load_average']})", "",
        "| what | rows | preview (s) | confirm (s) | re-import preview (s) | re-import writes |",
        "| --- | --- | --- | --- | --- | --- |",
        f"| import 300 rows | {small['rows']} | {small['preview_s']} | {small['confirm_s']} | {small['reimport_preview_s']} | {small['reimport_writes']} |",
        f"| import 50,000 rows | {big['rows']} | {big['preview_s']} | {big['confirm_s']} | {big['reimport_preview_s']} | {big['reimport_writes']} |",
        "", "| API | rows | median (ms) | median CPU (ms) | max (ms) | queries @50 | queries @500 | bytes |",
        "| --- | --- | --- | --- | --- | --- | --- | --- |",
        f"| /api/v1/initiatives?limit=500 | {api['rows']} | {api['median_ms']} | {api['median_cpu_ms']} | {api['max_ms']} | {api['queries_50']} | {api['queries_500']} | {api['bytes']} |",
    ]
    (Path(__file__).parent / "last_run_data.md").write_text("\n".join(lines) + "\n")
    if q50 != q500:
        sys.exit("bench.data: the query count grows with the page size")


if __name__ == "__main__":
    main()
