"""Single sign-on with the municipality's identity provider: OpenID Connect through Authlib.

Authorization code flow with PKCE (S256); ``state`` and ``nonce`` are kept in the session by
Authlib and used once; the ID token's signature (keys from the provider's JWKS, fetched again
when a token names a key id it does not know: key rotation), issuer, audience, expiry and nonce
are verified before anything about the person is believed.

Who gets in is decided here, from the verified claims:
- the roles claim (``OIDC_ROLES_CLAIM``, Entra ID's app roles) is mapped by ``OIDC_ROLE_MAP``;
  no mapped role: no access (and no account), whatever the account was before;
- the first sign-in with a mapped role creates the account (``OIDC_CREATE_USERS``, default on)
  or links to an existing account with the same e-mail address; an account is linked to one
  provider identity (issuer and ``sub``) for good;
- every sign-in sets name, role and (for leaders and readers) the school from the provider;
- a deactivated account is refused, as at the local sign-in.
"""

from __future__ import annotations

import logging
from dataclasses import dataclass
from urllib.parse import urlsplit

import requests
import sqlalchemy as sa
from authlib.common.errors import AuthlibBaseError
from authlib.integrations.flask_client import OAuth
from flask import current_app
from joserfc.errors import JoseError

from strategy import audit
from strategy.auth.accounts import normalise_email, user_snapshot
from strategy.extensions import db
from strategy.models import Role, School, User

log = logging.getLogger("maalpil.auth.sso")

# Most privileged first: a person with several mapped roles gets the strongest one.
ROLE_ORDER = [Role.ADMIN, Role.DIRECTORATE, Role.CONSULTANT, Role.LEADER, Role.READER]
SCHOOL_ROLES = (Role.LEADER, Role.READER)
# What a provider that is down, slow or answering nonsense raises through Authlib.
PROVIDER_ERRORS = (requests.RequestException, AuthlibBaseError, JoseError, ValueError, KeyError, TypeError,
                   RuntimeError)


class SignInRefused(Exception):
    """The provider answered, but this person may not sign in (``kind`` says why, for the page)."""

    def __init__(self, kind: str, reason: str, user: User | None = None):
        super().__init__(reason)
        self.kind = kind  # "no_role", "no_school", "domain", "inactive", "not_linked", "local_only"
        self.reason = reason
        self.user = user


def enabled() -> bool:
    config = current_app.config
    return bool(config["OIDC_DISCOVERY_URL"] and config["OIDC_CLIENT_ID"])


def provider_name() -> str:
    return current_app.config["OIDC_PROVIDER_NAME"]


def _pairs(setting: str) -> dict[str, str]:
    """ "a=b,c=d" -> {"a": "b", "c": "d"}; blanks ignored."""
    pairs = {}
    for item in setting.split(","):
        key, sep, value = item.partition("=")
        if sep and key.strip() and value.strip():
            pairs[key.strip()] = value.strip()
    return pairs


def role_map() -> dict[str, Role]:
    mapped = {}
    for claim_value, role in _pairs(current_app.config["OIDC_ROLE_MAP"]).items():
        try:
            mapped[claim_value] = Role(role)
        except ValueError:
            log.warning("OIDC_ROLE_MAP: %r is not a role of Målpil (ignored)", role)
    return mapped


def client():
    """The Authlib client for this app, made when first needed (and again if the settings change)."""
    config = current_app.config
    settings = (config["OIDC_DISCOVERY_URL"], config["OIDC_CLIENT_ID"], config["OIDC_CLIENT_SECRET"],
                config["OIDC_SCOPES"], config["OIDC_TIMEOUT_SECONDS"])
    cached = current_app.extensions.get("maalpil_oidc")
    if cached is None or cached[0] != settings:
        oauth = OAuth()
        oauth.init_app(current_app)
        remote = oauth.register(
            "provider",
            client_id=config["OIDC_CLIENT_ID"],
            client_secret=config["OIDC_CLIENT_SECRET"],
            server_metadata_url=config["OIDC_DISCOVERY_URL"],
            client_kwargs={
                "scope": config["OIDC_SCOPES"],
                "code_challenge_method": "S256",
                # Every call to the provider (discovery, JWKS, token) gives up after this long.
                "default_timeout": config["OIDC_TIMEOUT_SECONDS"],
            },
        )
        cached = (settings, remote)
        current_app.extensions["maalpil_oidc"] = cached
    return cached[1]


def provider_origins() -> list[str]:
    """Where the browser is sent (sign-in, sign-out): the CSP's form-action must allow it."""
    if not enabled():
        return []
    parts = urlsplit(current_app.config["OIDC_DISCOVERY_URL"])
    return [f"{parts.scheme}://{parts.netloc}"]


def authorize_redirect(redirect_uri: str):
    """The redirect to the provider's login (state, nonce and PKCE verifier kept in the session)."""
    return client().authorize_redirect(redirect_uri)


@dataclass
class Identity:
    subject: str
    email: str
    name: str
    roles: list[str]
    school_value: str | None
    id_token: str


def verified_identity() -> Identity:
    """Exchange the code of the callback for tokens and return the verified ID token's claims.

    Raises one of PROVIDER_ERRORS when anything is wrong: a replayed or unknown state, a token
    for another audience, from another issuer, expired, or signed by a key the provider's JWKS
    does not hold."""
    remote = client()
    metadata = remote.load_server_metadata()
    issuer = metadata["issuer"]
    client_id = current_app.config["OIDC_CLIENT_ID"]
    token = remote.authorize_access_token(
        claims_options={
            "iss": {"essential": True, "values": [issuer]},
            "aud": {"essential": True, "values": [client_id]},
            "exp": {"essential": True},
        },
        leeway=60,
    )
    claims = token.get("userinfo")
    if not claims or not token.get("id_token"):
        raise ValueError("the token response has no ID token")
    audience = claims["aud"] if isinstance(claims["aud"], list) else [claims["aud"]]
    if client_id not in audience:  # belt and braces: Authlib checked it through claims_options
        raise ValueError(f"ID token audience {audience} is not {client_id}")
    config = current_app.config
    roles = claims.get(config["OIDC_ROLES_CLAIM"]) or []
    if isinstance(roles, str):
        roles = [roles]
    school_value = None
    if config["OIDC_SCHOOL_CLAIM"]:
        value = claims.get(config["OIDC_SCHOOL_CLAIM"])
        if isinstance(value, list):
            value = value[0] if value else None
        school_value = str(value) if value not in (None, "") else None
    email = claims.get(config["OIDC_EMAIL_CLAIM"]) or claims.get("preferred_username") or ""
    if claims.get("email_verified") is False:
        # An address the provider itself has not verified links to nothing and creates nothing.
        email = ""
    return Identity(
        subject=f"{issuer} {claims['sub']}",
        email=normalise_email(str(email)),
        name=str(claims.get("name") or email or claims["sub"])[:200],
        roles=[str(r) for r in roles],
        school_value=school_value,
        id_token=token["id_token"],
    )


def _mapped_role(identity: Identity) -> Role | None:
    mapping = role_map()
    roles = {mapping[r] for r in identity.roles if r in mapping}
    return next((role for role in ROLE_ORDER if role in roles), None)


def _school_for(value: str | None) -> School | None:
    if value is None:
        return None
    name = _pairs(current_app.config["OIDC_SCHOOL_MAP"]).get(value, value)
    return db.session.scalar(sa.select(School).where(School.name == name))


def _domain_allowed(email: str) -> bool:
    allowed = [d.strip().lower().lstrip("@") for d in current_app.config["OIDC_ALLOWED_EMAIL_DOMAINS"].split(",")
               if d.strip()]
    if not allowed:
        return True
    return email.rpartition("@")[2] in allowed


def sign_in_user(identity: Identity) -> User:
    """The account the verified identity signs in as, created, linked and updated; or SignInRefused.

    Nothing is committed here; the caller commits (with the audit events) or rolls back."""
    user = db.session.scalar(sa.select(User).where(User.oidc_subject == identity.subject))
    if user is None and identity.email and _domain_allowed(identity.email):
        # Linking by e-mail only for the municipality's own domains: another tenant's user
        # with the same address is not this person.
        user = db.session.scalar(sa.select(User).where(User.email == identity.email))
        if user is not None and user.oidc_subject is not None:
            raise SignInRefused("not_linked", f"{identity.email} is linked to another provider identity", user)
    if user is None and (not identity.email or not _domain_allowed(identity.email)):
        raise SignInRefused("domain", f"e-mail {identity.email!r} is not in OIDC_ALLOWED_EMAIL_DOMAINS")
    if user is not None and user.anonymised_at is not None:
        raise SignInRefused("inactive", f"account {user.id} is anonymised", user)
    if user is not None and not user.active:
        raise SignInRefused("inactive", f"account {user.email} is deactivated", user)
    if user is not None and user.oidc_subject is None and user.role == Role.ADMIN and user.password_hash:
        # A local administrator with a password is the break-glass account: never taken over.
        raise SignInRefused("local_only", f"{user.email} is a local administrator (break-glass)", user)

    role = _mapped_role(identity)
    if role is None:
        if user is not None and user.oidc_subject == identity.subject:
            # The role was removed at the provider: no session here either, from now on.
            user.end_all_sessions()
        raise SignInRefused("no_role", f"no mapped role in {identity.roles!r}", user)
    school = _school_for(identity.school_value) if role in SCHOOL_ROLES else None
    if role in SCHOOL_ROLES and school is None:
        school = user.school if user is not None else None
        if school is None:
            raise SignInRefused("no_school", f"role {role} needs a school; claim value {identity.school_value!r}", user)

    if user is None:
        if not current_app.config["OIDC_CREATE_USERS"]:
            raise SignInRefused("not_linked", f"no account for {identity.email} and OIDC_CREATE_USERS is off")
        user = User(email=identity.email, name=identity.name, role=role, school=school,
                    password_hash="", oidc_subject=identity.subject)
        db.session.add(user)
        db.session.flush()
        audit.record("create", user, user_snapshot(user), actor=user,
                     summary=f"Bruger oprettet ved første log ind med {provider_name()}: {user.name}")
        return user

    before = user_snapshot(user)
    if user.oidc_subject is None:
        user.oidc_subject = identity.subject
        # From now on this account signs in through the provider only: its local password goes,
        # so a role removed at the provider cannot be kept by signing in locally.
        user.password_hash = ""
        audit.record("update", user, {"linked": [None, provider_name()]}, actor=user,
                     summary=f"Konto knyttet til {provider_name()}: {user.name}")
    user.name = identity.name or user.name
    if identity.email and identity.email != user.email and not _email_taken(identity.email, user):
        user.email = identity.email
    if user.role != role:
        user.role = role
        if role != Role.CONSULTANT:
            user.assigned_schools = []
    user.school = school if role in SCHOOL_ROLES else None
    changes = audit.diff(before, user_snapshot(user))
    if changes:
        audit.record("update", user, changes, actor=user, summary=f"Opdateret fra {provider_name()}: {user.name}")
    return user


def _email_taken(email: str, user: User) -> bool:
    return db.session.scalar(sa.select(User.id).where(User.email == email, User.id != user.id)) is not None


def logout_url(id_token: str, post_logout_redirect_uri: str) -> str | None:
    """The provider's end-session URL (RP-initiated logout), or None when it offers none or is
    unreachable (then only Målpil's session ends)."""
    if not enabled() or not current_app.config["OIDC_PROVIDER_LOGOUT"]:
        return None
    try:
        metadata = client().load_server_metadata()
    except PROVIDER_ERRORS as error:
        log.warning("sign-out at the provider skipped, provider unavailable: %s", error)
        return None
    endpoint = metadata.get("end_session_endpoint")
    if not endpoint:
        return None
    from authlib.common.urls import add_params_to_uri

    params = [("post_logout_redirect_uri", post_logout_redirect_uri), ("client_id", current_app.config["OIDC_CLIENT_ID"])]
    if id_token:
        params.insert(0, ("id_token_hint", id_token))
    return add_params_to_uri(endpoint, params)
