"""A proof-of-work challenge (ALTCHA) that bots must pay for and people hardly notice.

It is off for normal traffic. SIGNING_CHALLENGE sets the site-wide mode: "adaptive" (the
default) lets each petition decide — its organiser can switch it on or off, and in "auto" it
turns itself on for SIGNING_CHALLENGE_HOLD seconds when attempts or failures per minute cross
their thresholds — while "always" and "never" override every petition. Everything runs on
this server: the widget's script is vendored, no cookie is set, nothing is sent elsewhere.
"""

import logging
import time
from datetime import timedelta

import altcha
from django.conf import settings
from django.core.cache import cache
from django.utils import timezone
from django.utils.crypto import salted_hmac

from firma.core.cache import ProcessCopies
from firma.petitions.defences.ratelimits import hit_often
from firma.petitions.models import Petition

ALGORITHM = "SHA-256"
logger = logging.getLogger("firma.challenge")


def hmac_secret() -> str:
    return salted_hmac("firma.petitions.defences.challenge", "altcha").hexdigest()


def switched_on_key(petition: Petition) -> str:
    return f"challenge-on:{petition.pk}"


# Whether each petition's challenge is switched on, as this process last read it: every sign
# POST asks, so that is a dict lookup; a switch made by another process is seen within a second.
switched_on = ProcessCopies()
SWITCH_SEEN_SECONDS = 1.0


def is_required(petition: Petition) -> bool:
    mode = settings.SIGNING_CHALLENGE
    if mode in ("always", "never"):
        return mode == "always"
    if petition.challenge != Petition.Challenge.AUTO:
        return petition.challenge == Petition.Challenge.ON
    key = switched_on_key(petition)
    known = switched_on.get(key)
    if known is None:
        known = cache.get(key) is not None
        switched_on.put(key, known, time.time() + SWITCH_SEEN_SECONDS)
    return known


def observe(petition: Petition, failed: bool) -> None:
    """Count a signing attempt; switch the challenge on if the petition looks under attack."""
    window = settings.SIGNING_CHALLENGE_WINDOW
    attempts = hit_often(f"attempts:{petition.pk}", window)
    failures = hit_often(f"failures:{petition.pk}", window) if failed else 0
    too_many = attempts > settings.SIGNING_CHALLENGE_ATTEMPTS_PER_MINUTE
    failing = (
        failures >= settings.SIGNING_CHALLENGE_MIN_FAILURES
        and failures / attempts >= settings.SIGNING_CHALLENGE_FAILURE_RATIO
    )
    if (too_many or failing) and cache.add(
        switched_on_key(petition), True, timeout=settings.SIGNING_CHALLENGE_HOLD
    ):
        switched_on.put(switched_on_key(petition), True, time.time() + SWITCH_SEEN_SECONDS)
        logger.warning(
            "Challenge switched on for petition %s (%s attempts, %s failures this minute)",
            petition.slug,
            attempts,
            failures,
        )


def new_challenge() -> dict:
    expires = timezone.now() + timedelta(seconds=settings.SIGNING_CHALLENGE_EXPIRES)
    challenge = altcha.create_challenge(
        algorithm=ALGORITHM,
        cost=1,
        key_prefix="0" * settings.SIGNING_CHALLENGE_DIFFICULTY,
        expires_at=expires,
        hmac_secret=hmac_secret(),
    )
    return challenge.to_dict()


def verify(payload: str) -> bool:
    """A correct solution to a challenge we issued, not expired, and never used before."""
    if not payload or len(payload) > 4000:
        return False
    result = altcha.verify_solution(payload, hmac_secret=hmac_secret())
    if not result.verified:
        return False
    signature = altcha.Payload.from_base64(payload).challenge.signature
    # The first use stores the signature until the challenge expires; a replay finds it.
    return cache.add(f"challenge-used:{signature}", True, settings.SIGNING_CHALLENGE_EXPIRES)
