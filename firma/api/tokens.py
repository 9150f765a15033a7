"""Organiser API tokens: `firma_<prefix>_<secret>`, sent as `Authorization: Bearer …`.

The prefix finds the row; the whole token is compared by its SHA-256 hash, the only form in
which it is stored. A token has 256 random bits, so a fast hash is enough: there is nothing to
guess by brute force, unlike a password.
"""

import hashlib
import hmac
import secrets
from datetime import timedelta

from django.contrib.auth.models import AbstractBaseUser
from django.db.models import Q
from django.http import HttpRequest
from django.utils import timezone

from firma.api.errors import ApiError
from firma.api.models import ApiToken
from firma.tenancy.models import Organisation

SCHEME = "firma"
# last_used_at is a hint for organisers, not a log: written at most this often per token.
USE_RESOLUTION = timedelta(minutes=1)


def hash_token(token: str) -> str:
    return hashlib.sha256(token.encode()).hexdigest()


def issue(row: ApiToken) -> str:
    """Give the unsaved `row` a new token; returns it, the only time it is ever seen."""
    row.prefix = secrets.token_hex(6)
    token = f"{SCHEME}_{row.prefix}_{secrets.token_urlsafe(32)}"
    row.secret_hash = hash_token(token)
    return token


def create_token(
    organisation: Organisation,
    name: str,
    scope: str,
    user: AbstractBaseUser | None = None,
    **permissions,
) -> tuple[ApiToken, str]:
    """A new token; `permissions` are records_signatures, confirmed_upstream and the
    partner it is bound to."""
    row = ApiToken(
        organisation=organisation, name=name, scope=scope, created_by=user, **permissions
    )
    token = issue(row)
    row.save()
    return row, token


def find_token(token: str) -> ApiToken | None:
    """The token row `token` belongs to, revoked or not; None if it matches none."""
    scheme, _, rest = token.partition("_")
    prefix = rest.partition("_")[0]
    if scheme != SCHEME or not prefix:
        return None
    row = (
        ApiToken.objects.select_related("organisation", "partner")
        .defer("partner__logo")
        .filter(prefix=prefix)
        .first()
    )
    if row is None or not hmac.compare_digest(row.secret_hash, hash_token(token)):
        return None
    return row


def authenticate(request: HttpRequest, write: bool = False) -> ApiToken:
    """The active token of the request's Authorization header; raises ApiError (401, 403)."""
    scheme, _, token = request.headers.get("Authorization", "").partition(" ")
    if scheme.lower() != "bearer" or not token.strip():
        raise ApiError(401, "missing_token", "Send an API token: Authorization: Bearer <token>.")
    row = find_token(token.strip())
    if row is None:
        raise ApiError(401, "invalid_token", "The API token is not valid.")
    if row.revoked_at is not None:
        raise ApiError(401, "revoked_token", "The API token was revoked.")
    if write and not row.may_write:
        raise ApiError(403, "insufficient_scope", "This API token may only read.")
    note_use(row)
    return row


def note_use(row: ApiToken) -> None:
    now = timezone.now()
    stale = Q(last_used_at__isnull=True) | Q(last_used_at__lt=now - USE_RESOLUTION)
    ApiToken.objects.filter(stale, pk=row.pk).update(last_used_at=now)


def revoke(tokens) -> int:
    """Revoke the active tokens of the queryset `tokens`; how many were."""
    return tokens.filter(revoked_at__isnull=True).update(revoked_at=timezone.now())
