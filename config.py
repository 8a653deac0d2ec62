"""Configuration classes. Every value that differs between machines comes from the environment."""

import os
from datetime import timedelta
from pathlib import Path

BASE_DIR = Path(__file__).resolve().parent
DEFAULT_SECRET_KEY = "dev-only-secret-key-change-me"


def _env_int(name: str, default: int) -> int:
    return int(os.environ.get(name, default))


def _database_url(default: str) -> str:
    url = os.environ.get("DATABASE_URL", default)
    # Hosting platforms hand out postgres:// URLs; SQLAlchemy wants an explicit driver.
    if url.startswith("postgres://"):
        url = "postgresql+psycopg://" + url[len("postgres://") :]
    elif url.startswith("postgresql://"):
        url = "postgresql+psycopg://" + url[len("postgresql://") :]
    return url


class Config:
    SECRET_KEY = os.environ.get("SECRET_KEY", DEFAULT_SECRET_KEY)
    SQLALCHEMY_DATABASE_URI = _database_url(f"sqlite:///{BASE_DIR / 'instance' / 'maalpil.sqlite'}")
    # pre_ping lets the pool recover by itself after the database restarts.
    SQLALCHEMY_ENGINE_OPTIONS = {"pool_pre_ping": True}
    SQLALCHEMY_RECORD_QUERIES = False
    # While PostgreSQL restarts, a request waits this long for a connection instead of failing.
    DATABASE_CONNECT_RETRY_SECONDS = float(os.environ.get("DATABASE_CONNECT_RETRY_SECONDS", 15))

    BABEL_DEFAULT_LOCALE = "da"
    BABEL_DEFAULT_TIMEZONE = "Europe/Copenhagen"
    LANGUAGES = ("da", "en")
    BABEL_TRANSLATION_DIRECTORIES = str(BASE_DIR / "translations")

    WTF_CSRF_TIME_LIMIT = _env_int("CSRF_TIME_LIMIT_SECONDS", 8 * 3600)
    WTF_CSRF_HEADERS = ["X-CSRFToken"]

    SESSION_COOKIE_HTTPONLY = True
    SESSION_COOKIE_SAMESITE = "Lax"
    SESSION_COOKIE_SECURE = os.environ.get("SESSION_COOKIE_SECURE", "0") == "1"
    SESSION_COOKIE_NAME = "maalpil_session"
    REMEMBER_COOKIE_HTTPONLY = True
    REMEMBER_COOKIE_SAMESITE = "Lax"
    # Sessions end after this long without a request, and in any case after the absolute lifetime.
    SESSION_IDLE_TIMEOUT = timedelta(minutes=_env_int("SESSION_IDLE_MINUTES", 60))
    SESSION_ABSOLUTE_LIFETIME = timedelta(hours=_env_int("SESSION_ABSOLUTE_HOURS", 12))
    PERMANENT_SESSION_LIFETIME = SESSION_ABSOLUTE_LIFETIME

    PASSWORD_MIN_LENGTH = _env_int("PASSWORD_MIN_LENGTH", 12)
    LOGIN_MAX_FAILURES = _env_int("LOGIN_MAX_FAILURES", 5)
    LOGIN_LOCKOUT = timedelta(minutes=_env_int("LOGIN_LOCKOUT_MINUTES", 15))
    # Failed attempts from one network address (any accounts) within the window before it must wait.
    LOGIN_IP_MAX_FAILURES = _env_int("LOGIN_IP_MAX_FAILURES", 30)
    LOGIN_IP_WINDOW = timedelta(minutes=_env_int("LOGIN_IP_WINDOW_MINUTES", 15))
    # Behind a reverse proxy (TLS terminated there): how many proxies' X-Forwarded-* to trust.
    # Without it every sign-in seems to come from the proxy's address and HSTS is never sent.
    TRUSTED_PROXY_COUNT = _env_int("TRUSTED_PROXY_COUNT", 0)

    # A school whose strategy has not changed for this many days is flagged in the overview.
    STALE_AFTER_DAYS = _env_int("STALE_AFTER_DAYS", 60)
    PREFERRED_URL_SCHEME = os.environ.get("PREFERRED_URL_SCHEME", "http")

    # E-mail, with Flask-Mail's setting names. Without MAIL_SERVER, e-mails go to the log.
    MAIL_SERVER = os.environ.get("MAIL_SERVER", "")
    MAIL_PORT = _env_int("MAIL_PORT", 25)
    MAIL_USE_TLS = os.environ.get("MAIL_USE_TLS", "0") == "1"
    MAIL_USE_SSL = os.environ.get("MAIL_USE_SSL", "0") == "1"
    MAIL_USERNAME = os.environ.get("MAIL_USERNAME", "")
    MAIL_PASSWORD = os.environ.get("MAIL_PASSWORD", "")
    MAIL_DEFAULT_SENDER = os.environ.get("MAIL_DEFAULT_SENDER", "Målpil <noreply@maalpil.local>")
    MAIL_TIMEOUT_SECONDS = float(os.environ.get("MAIL_TIMEOUT_SECONDS", 20))
    # A message that failed this many deliveries is given up on (and shown so in the admin's log).
    MAIL_MAX_ATTEMPTS = _env_int("MAIL_MAX_ATTEMPTS", 10)
    # Links in e-mails are absolute: the address people reach Målpil at.
    PUBLIC_BASE_URL = os.environ.get("PUBLIC_BASE_URL", "http://127.0.0.1:5000")
    BACKUP_DIR = os.environ.get("BACKUP_DIR", str(BASE_DIR / "backups"))

    # The read-only API: calls per key and minute (counted in the database, across processes).
    API_RATE_LIMIT_PER_MINUTE = _env_int("API_RATE_LIMIT_PER_MINUTE", 120)
    # Measurement imports: the upload's own limit (above the app's MAX_CONTENT_LENGTH) and rows.
    IMPORT_MAX_BYTES = _env_int("IMPORT_MAX_BYTES", 10 * 1024 * 1024)
    IMPORT_MAX_ROWS = _env_int("IMPORT_MAX_ROWS", 50_000)


class DevelopmentConfig(Config):
    DEBUG = False


class TestConfig(Config):
    TESTING = True
    SECRET_KEY = "test-secret-key"
    SQLALCHEMY_DATABASE_URI = _database_url("sqlite://")
    WTF_CSRF_ENABLED = False
    PASSWORD_MIN_LENGTH = 8
    SQLALCHEMY_RECORD_QUERIES = True


class ProductionConfig(Config):
    SESSION_COOKIE_SECURE = os.environ.get("SESSION_COOKIE_SECURE", "1") == "1"
    REMEMBER_COOKIE_SECURE = SESSION_COOKIE_SECURE
    PREFERRED_URL_SCHEME = "https"


CONFIGS = {
    "development": DevelopmentConfig,
    "test": TestConfig,
    "production": ProductionConfig,
}
