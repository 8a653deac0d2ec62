"""`flask seed` loads seed/ into the database idempotently, and updates corrected texts."""

import sqlalchemy as sa
import yaml

from strategy import seeding
from strategy.extensions import db
from strategy.models import Expectation, PoliticalGoal, ProfileLevel, School, Strategy, User


def count(model) -> int:
    return db.session.scalar(sa.select(sa.func.count()).select_from(model))


def test_every_expectation_of_the_yaml_is_in_the_database_under_its_level_and_category(seeded):
    municipal = seeding.read_yaml("learning_pipeline.yaml")
    local = seeding.read_yaml("herningvej_learning_pipeline.yaml")
    wanted = [(lvl, False) for lvl in municipal["levels"]] + [
        (lvl, True) for lvl in local["levels"] if not lvl["municipal"]
    ]
    for data, is_local in wanted:
        level = db.session.scalar(
            sa.select(ProfileLevel).where(
                ProfileLevel.key == data["key"],
                ProfileLevel.school_id.is_not(None) if is_local else ProfileLevel.school_id.is_(None),
            )
        )
        assert level is not None, data["key"]
        for category, texts in data["expectations"].items():
            stored = [e.text for e in level.expectations if e.category.value == category]
            assert stored == texts, (data["key"], category)
    assert count(ProfileLevel) == 10


def test_herningvej_local_levels_belong_to_the_school(seeded):
    levels = db.session.scalars(sa.select(ProfileLevel).where(ProfileLevel.school_id.is_not(None))).all()
    assert {(lvl.school.name, lvl.name) for lvl in levels} == {
        ("Herningvej Skole", "Forældre"),
        ("Herningvej Skole", "Elever"),
    }


def test_the_five_vision_markers(seeded):
    markers = db.session.scalars(
        sa.select(PoliticalGoal).join(PoliticalGoal.policy).where(PoliticalGoal.policy.has(kind="vision"))
    ).all()
    assert len(markers) == 5
    assert "Alle har en ven i skolen" in {m.text for m in markers}


def test_seeding_twice_changes_nothing(seeded):
    counter = seeding.seed_reference_data()
    db.session.commit()
    assert (counter.created, counter.updated, counter.deleted) == (0, 0, 0)


def test_reseeding_after_a_correction_updates_the_text(seeded, monkeypatch):
    original = seeding.read_yaml

    def corrected(name):
        data = original(name)
        if name == "learning_pipeline.yaml":
            data["levels"][0]["expectations"]["priorities"][0] = "Rettet tekst"
        return data

    monkeypatch.setattr(seeding, "read_yaml", corrected)
    before = count(Expectation)
    counter = seeding.seed_reference_data()
    db.session.commit()
    assert counter.updated == 1 and counter.created == 0
    assert count(Expectation) == before
    assert db.session.scalar(sa.select(Expectation).where(Expectation.text == "Rettet tekst")) is not None


def test_seed_loads_no_demo_data(seeded):
    assert count(User) == 0
    assert count(Strategy) == 0
    assert db.session.scalar(sa.select(sa.func.count()).select_from(School).where(School.is_demo)) == 0


def test_the_seed_command(app):
    runner = app.test_cli_runner()
    first = runner.invoke(args=["seed"])
    second = runner.invoke(args=["seed"])
    assert first.exit_code == 0 and "created" in first.output
    assert second.output.strip() == "Reference data: 0 created, 0 updated, 0 deleted."


def test_yaml_files_parse(app):
    for path in seeding.seed_files():
        assert isinstance(yaml.safe_load(path.read_text(encoding="utf-8")), dict), path.name
