"""The signing pipeline that the petition page and the embedded form share: what happens to a
sent form between the request and the answer."""

from enum import StrEnum

from django.http import HttpRequest
from django.utils.translation import get_language

from firma.core import clients
from firma.petitions.defences import challenge, ratelimits, refusals
from firma.petitions.models import Petition
from firma.petitions.signing import lean, services
from firma.petitions.signing.forms import SignatureForm
from firma.petitions.signing.submission import Submission


class Outcome(StrEnum):
    SIGNED = "signed"
    CLOSED = "closed"  # the petition takes no signatures
    INVALID = "invalid"  # the form has errors to show
    TOO_MANY = "too_many"  # a rate limit was hit


def submit(request: HttpRequest, petition: Petition, form: SignatureForm) -> Outcome:
    """Check the defences and the form, in the order that costs an attacker most and a
    signer least, and sign when all agree."""
    client = clients.describe(request)
    if not petition.is_open:
        return Outcome.CLOSED
    if not ratelimits.allow_attempt(client):
        refusals.record(petition, client, request.POST)
        return Outcome.TOO_MANY
    valid = form.is_valid()
    challenge.observe(petition, failed=not valid)
    if not valid:
        refusals.record(petition, client, request.POST)
        return Outcome.INVALID
    return sign(form.submission(), client, request)


def submit_lean(request: HttpRequest, petition: Petition, *, embed: bool = False) -> Outcome | None:
    """submit() for the common case, without the form (see signing.lean): None when the case
    is not common, before anything is counted, for the caller to go on to submit()."""
    if not petition.is_open or challenge.is_required(petition):
        return None
    submission = lean.submission(petition, request.POST, embed=embed)
    if submission is None:
        return None
    client = clients.describe(request)
    if not ratelimits.allow_attempt(client):
        refusals.record(petition, client, request.POST)
        return Outcome.TOO_MANY
    challenge.observe(petition, failed=False)
    return sign(submission, client, request)


def sign(submission: Submission, client: clients.Client, request: HttpRequest) -> Outcome:
    if not ratelimits.allow_signature(submission.email, submission.petition):
        refusals.record(submission.petition, client, request.POST)
        return Outcome.TOO_MANY
    services.sign(submission, get_language(), client)
    return Outcome.SIGNED
