"""API keys: issued (shown once, stored hashed), checked, rate limited and audited.

A key acts as a person of its role would: ``Principal`` stands in for the user in the permission
rules and their SQL twins, so the key sees exactly what that person sees.
"""

from __future__ import annotations

import secrets
from dataclasses import dataclass, field
from datetime import UTC, date, datetime, timedelta

import sqlalchemy as sa

from strategy import audit
from strategy.extensions import db
from strategy.models import ApiClient, ApiUsage, Role, School, User, utcnow
from strategy.models.data import hash_key

KEY_PREFIX = "mp_"
DEFAULT_LIFETIME = timedelta(days=365)


class ApiKeyError(ValueError):
    """A key that cannot be issued as asked (the message is shown)."""


@dataclass
class Principal:
    """The person an API key acts as, for ``can`` and the clause functions of permissions.py."""

    role: Role
    school_id: int | None
    assigned_schools: list[School]
    api_client_id: int
    id: int = -1  # no user: "own" drafts match nothing
    is_authenticated: bool = True
    is_active: bool = True
    name: str = ""
    extra: dict = field(default_factory=dict)


def principal_of(client: ApiClient) -> Principal:
    schools = list(client.schools)
    own = schools[0].id if client.role in (Role.LEADER, Role.READER) and schools else None
    return Principal(role=client.role, school_id=own, assigned_schools=schools, api_client_id=client.id,
                     name=client.name)


def create_key(name: str, role: Role, schools: list[School], actor: User | None,
               expires_on: date | None = None) -> tuple[ApiClient, str]:
    """A new key; the secret is returned once and only its hash is kept."""
    name = name.strip()
    if not name:
        raise ApiKeyError("Giv nøglen et navn.")
    if role in (Role.LEADER, Role.READER) and len(schools) != 1:
        raise ApiKeyError("En nøgle med rollen skoleleder eller læser hører til præcis én skole.")
    if role == Role.CONSULTANT and not schools:
        raise ApiKeyError("En konsulentnøgle skal have mindst én skole.")
    if role in (Role.ADMIN, Role.DIRECTORATE):
        schools = []
    today = datetime.now(UTC).date()
    expires_on = expires_on or today + DEFAULT_LIFETIME
    if expires_on < today:
        raise ApiKeyError("Udløbsdatoen ligger før i dag.")
    secret = KEY_PREFIX + secrets.token_urlsafe(32)
    client = ApiClient(name=name[:200], role=role, prefix=secret[:10], key_hash=hash_key(secret),
                       created_by_id=actor.id if actor else None, expires_on=expires_on)
    client.schools = schools
    db.session.add(client)
    db.session.flush()
    audit.record("create", client, {"name": client.name, "role": role.value, "schools": [s.name for s in schools],
                                    "expires_on": expires_on.isoformat()},
                 summary=f"API-nøgle udstedt: {client.name}", actor=actor)
    return client, secret


def revoke_key(client: ApiClient, actor: User | None) -> bool:
    if client.revoked_at is not None:
        return False
    client.revoked_at = utcnow()
    audit.record("update", client, {"revoked_at": [None, audit._plain(client.revoked_at)]},
                 summary=f"API-nøgle tilbagekaldt: {client.name}", actor=actor)
    return True


def find_key(secret: str) -> ApiClient | None:
    if not secret.startswith(KEY_PREFIX) or len(secret) > 200:
        return None
    client = db.session.scalar(sa.select(ApiClient).where(ApiClient.key_hash == hash_key(secret)))
    if client is None or not client.is_usable(datetime.now(UTC).date()):
        return None
    return client


def take_rate_token(client: ApiClient, per_minute: int, now: datetime | None = None) -> int | None:
    """Count one call against the key's minute; None when allowed, else the seconds to wait.

    One atomic UPDATE in the database, so that every worker process counts in the same place."""
    now = now or datetime.now(UTC)
    window = int(now.timestamp() // 60)
    count = db.session.execute(
        sa.update(ApiClient)
        .where(ApiClient.id == client.id)
        .values(
            rate_count=sa.case((ApiClient.rate_window == window, ApiClient.rate_count + 1), else_=1),
            rate_window=window,
        )
        .returning(ApiClient.rate_count)
        .execution_options(synchronize_session=False)
    ).scalar_one()
    if count > per_minute:
        return max(1, 60 - int(now.timestamp()) % 60)
    return None


def record_use(client: ApiClient, endpoint: str, rows: int, now: datetime | None = None) -> None:
    """The audit of a call, aggregated per key, endpoint and hour (calls and rows counted)."""
    now = now or datetime.now(UTC)
    hour = now.replace(minute=0, second=0, microsecond=0)
    values = dict(count=ApiUsage.count + 1, last_at=now)
    updated = db.session.execute(
        sa.update(ApiUsage)
        .where(ApiUsage.api_client_id == client.id, ApiUsage.endpoint == endpoint, ApiUsage.hour == hour)
        .values(**values, rows=ApiUsage.rows + rows)
        .execution_options(synchronize_session=False)
    ).rowcount
    if not updated:
        try:
            with db.session.begin_nested():
                db.session.add(ApiUsage(api_client_id=client.id, endpoint=endpoint, hour=hour, count=1, rows=rows,
                                        last_at=now))
        except sa.exc.IntegrityError:  # another process inserted the hour's row first
            db.session.execute(
                sa.update(ApiUsage)
                .where(ApiUsage.api_client_id == client.id, ApiUsage.endpoint == endpoint, ApiUsage.hour == hour)
                .values(**values, rows=ApiUsage.rows + rows)
                .execution_options(synchronize_session=False)
            )
    db.session.execute(
        sa.update(ApiClient).where(ApiClient.id == client.id).values(last_used_at=now)
        .execution_options(synchronize_session=False)
    )
