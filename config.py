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


def engine_options(url: str) -> dict:
    """The engine's options for the database at ``url`` (create_app applies them to the final URL)."""
    # pre_ping lets the pool recover by itself after the database restarts.
    options = {"pool_pre_ping": True}
    if not url.startswith("sqlite"):
        # Connections per process (a gunicorn worker), SQLAlchemy's defaults: a request thread
        # holds at most one, so pool_size = --threads is enough. All instances' workers together
        # must stay under PostgreSQL's max_connections (README, "Production: two instances").
        options["pool_size"] = _env_int("DATABASE_POOL_SIZE", 5)
        options["max_overflow"] = _env_int("DATABASE_MAX_OVERFLOW", 10)
    return options


class Config:
    SECRET_KEY = os.environ.get("SECRET_KEY", DEFAULT_SECRET_KEY)
    SQLALCHEMY_DATABASE_URI = _database_url(f"sqlite:///{BASE_DIR / 'instance' / 'maalpil.sqlite'}")
    SQLALCHEMY_ENGINE_OPTIONS = engine_options(SQLALCHEMY_DATABASE_URI)
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

    # The largest request body, refused with 413 before it is read. The measurements upload has
    # its own limit, IMPORT_MAX_BYTES (security.CleanRequest.max_content_length).
    MAX_CONTENT_LENGTH = _env_int("MAX_CONTENT_LENGTH_BYTES", 2 * 1024 * 1024)

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

    # Single sign-on with the municipality's identity provider (OpenID Connect). Without
    # OIDC_DISCOVERY_URL there is no "Log ind med ..." button, only local accounts. See README.
    OIDC_DISCOVERY_URL = os.environ.get("OIDC_DISCOVERY_URL", "")
    OIDC_CLIENT_ID = os.environ.get("OIDC_CLIENT_ID", "")
    OIDC_CLIENT_SECRET = os.environ.get("OIDC_CLIENT_SECRET", "")
    OIDC_PROVIDER_NAME = os.environ.get("OIDC_PROVIDER_NAME", "kommunens login")
    OIDC_SCOPES = os.environ.get("OIDC_SCOPES", "openid email profile")
    OIDC_ROLES_CLAIM = os.environ.get("OIDC_ROLES_CLAIM", "roles")
    # "Maalpil.Admin=admin,Maalpil.Skolechef=directorate,...": provider role -> Målpil role.
    OIDC_ROLE_MAP = os.environ.get("OIDC_ROLE_MAP", "")
    # The claim that names a leader's or reader's school (an institutionsnummer, a group), and
    # "value=School name,..." for values that are not the school's name itself.
    OIDC_SCHOOL_CLAIM = os.environ.get("OIDC_SCHOOL_CLAIM", "")
    OIDC_SCHOOL_MAP = os.environ.get("OIDC_SCHOOL_MAP", "")
    OIDC_EMAIL_CLAIM = os.environ.get("OIDC_EMAIL_CLAIM", "email")
    OIDC_ALLOWED_EMAIL_DOMAINS = os.environ.get("OIDC_ALLOWED_EMAIL_DOMAINS", "")
    # First sign-in with a mapped role creates the account (1) or only links to one the
    # administrator made (0).
    OIDC_CREATE_USERS = os.environ.get("OIDC_CREATE_USERS", "1") == "1"
    # Who to ask for access, on the "Du har ikke adgang til Målpil endnu" page.
    OIDC_ACCESS_CONTACT = os.environ.get("OIDC_ACCESS_CONTACT", "din skoles administrator eller kommunens IT-support")
    OIDC_TIMEOUT_SECONDS = float(os.environ.get("OIDC_TIMEOUT_SECONDS", 10))
    # Sign out at the provider too (RP-initiated logout) when it offers an end_session_endpoint.
    OIDC_PROVIDER_LOGOUT = os.environ.get("OIDC_PROVIDER_LOGOUT", "1") == "1"

    INVITATION_LIFETIME = timedelta(days=_env_int("INVITATION_DAYS", 7))
    RESET_LIFETIME = timedelta(minutes=_env_int("RESET_LINK_MINUTES", 60))
    # "Glemt adgangskode" requests per e-mail address and per network address within the window.
    RESET_MAX_PER_ADDRESS = _env_int("RESET_MAX_PER_ADDRESS", 3)
    RESET_MAX_PER_IP = _env_int("RESET_MAX_PER_IP", 20)
    RESET_WINDOW = timedelta(minutes=_env_int("RESET_WINDOW_MINUTES", 60))

    # Notifications and reminders (flask send-reminders). An initiative whose status has not been
    # updated for this many school days is due; the consultant is reminded after the grace too.
    STATUS_REMINDER_SCHOOL_DAYS = _env_int("STATUS_REMINDER_SCHOOL_DAYS", 45)
    STATUS_REMINDER_GRACE_SCHOOL_DAYS = _env_int("STATUS_REMINDER_GRACE_SCHOOL_DAYS", 10)
    AGREEMENT_DUE_SOON_DAYS = _env_int("AGREEMENT_DUE_SOON_DAYS", 3)
    # The weekly digest: weekday (0 = Monday) and hour in BABEL_DEFAULT_TIMEZONE; daily ones at the hour.
    DIGEST_WEEKDAY = _env_int("DIGEST_WEEKDAY", 0)
    DIGEST_HOUR = _env_int("DIGEST_HOUR", 7)
    # A digest not sent at its moment (the job did not run) is still sent this many hours after it.
    DIGEST_CATCH_UP_HOURS = _env_int("DIGEST_CATCH_UP_HOURS", 24)
    # School holidays per school year (inclusive ranges, "start..end" separated by commas): they are
    # not school days. Public holidays (Easter-based) are computed, never configured.
    SCHOOL_HOLIDAYS = os.environ.get("SCHOOL_HOLIDAYS", ",".join([
        # 2025/26
        "2025-06-28..2025-08-10", "2025-10-11..2025-10-19", "2025-12-20..2026-01-04",
        "2026-02-07..2026-02-15", "2026-03-28..2026-04-06", "2026-05-15",
        # 2026/27
        "2026-06-27..2026-08-09", "2026-10-10..2026-10-18", "2026-12-19..2027-01-03",
        "2027-02-13..2027-02-21", "2027-03-20..2027-03-29", "2027-05-07",
        "2027-06-26..2027-08-08",
    ]))
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
