"""Målpil: follow-up on the schools' strategies. ``create_app`` builds the application."""

import logging
import os
from pathlib import Path

from flask import Flask

from config import CONFIGS, DEFAULT_SECRET_KEY, engine_options

ROOT = Path(__file__).resolve().parent.parent


def create_app(config_name: str | None = None, **overrides) -> Flask:
    app = Flask(
        __name__,
        template_folder=str(ROOT / "templates"),
        static_folder=str(ROOT / "static"),
        instance_path=str(ROOT / "instance"),
    )
    config_name = config_name or os.environ.get("MAALPIL_CONFIG", "development")
    app.config.from_object(CONFIGS[config_name])
    app.config.update(overrides)
    if "SQLALCHEMY_ENGINE_OPTIONS" not in overrides:  # a pool fits the database finally chosen
        app.config["SQLALCHEMY_ENGINE_OPTIONS"] = engine_options(app.config["SQLALCHEMY_DATABASE_URI"])
    _refuse_unsafe_production(app, config_name)
    Path(app.instance_path).mkdir(exist_ok=True)
    logging.basicConfig(level=logging.WARNING, format="%(asctime)s %(levelname)s %(name)s: %(message)s")
    logging.getLogger("maalpil").setLevel(logging.INFO)

    from strategy import cli, form_messages, security, web
    from strategy.extensions import babel, csrf, db, login_manager, migrate, retry_connections
    from strategy.search import index as search_index

    db.init_app(app)
    search_index.install()
    with app.app_context():
        retry_connections(db.engine, app.config["DATABASE_CONNECT_RETRY_SECONDS"])
    migrate.init_app(app, db, directory=str(ROOT / "migrations"))
    csrf.init_app(app)
    login_manager.init_app(app)
    babel.init_app(app, locale_selector=web.select_locale, timezone_selector=web.select_timezone)
    security.init_app(app)
    web.init_app(app)
    form_messages.init_app(app)
    cli.init_app(app)

    from strategy.account.routes import bp as account_bp
    from strategy.admin.routes import bp as admin_bp
    from strategy.api.admin_routes import bp as api_keys_bp
    from strategy.api.routes import bp as api_bp
    from strategy.imports.routes import bp as imports_bp
    from strategy.auth.routes import bp as auth_bp
    from strategy.followup.routes import bp as followup_bp
    from strategy.help.routes import bp as help_bp
    from strategy.main.routes import bp as main_bp
    from strategy.notifications.routes import bp as notifications_bp
    from strategy.overview.routes import bp as overview_bp
    from strategy.reference.routes import bp as reference_bp
    from strategy.schools.routes import bp as schools_bp
    from strategy.search.routes import bp as search_bp
    from strategy.sharing.routes import bp as sharing_bp
    from strategy.sus.board import board_bp, committee_bp
    from strategy.sus.routes import bp as sus_bp

    for blueprint in (main_bp, auth_bp, reference_bp, schools_bp, followup_bp, overview_bp, admin_bp, account_bp,
                      sus_bp, board_bp, committee_bp, notifications_bp, api_bp, api_keys_bp, imports_bp,
                      search_bp, sharing_bp, help_bp):
        app.register_blueprint(blueprint)
    return app


def _refuse_unsafe_production(app: Flask, config_name: str) -> None:
    if config_name != "production":
        return
    if app.config["SECRET_KEY"] in (None, "", DEFAULT_SECRET_KEY):
        raise RuntimeError("SECRET_KEY must be set in the environment in production.")
    if app.debug:
        raise RuntimeError("Debug mode must be off in production.")
