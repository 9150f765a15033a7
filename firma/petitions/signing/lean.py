"""The common case of a sign POST, read without Django's form classes.

On a viral day almost every sign POST is a well-filled form for an open petition. Building a
SignatureForm for it (copying its fields, widgets and their attributes, the country list) costs
more than everything else the request does but the write. Here the submitted values are read
straight from request.POST and judged by the very rule functions the form calls
(firma.petitions.rules.signer, the defences' deliverability check), into the same Submission.

Whatever is not the common case gives None, and the view goes on to the form as before: a value
a rule refuses (the form says which and why), a null character (the form's fields refuse it), a
petition that asks for the challenge. Nothing here writes: a caller that gets None has counted
nothing and stored nothing.
"""

from django.conf import settings
from django.core.exceptions import ValidationError
from django.http import QueryDict

from firma.petitions.defences.addresses import deliverable
from firma.petitions.models import Petition
from firma.petitions.rules import signer as rules
from firma.petitions.signing.submission import EMBED_SOURCE, Submission, asked_fields

TEXT_FIELDS = (
    "full_name",
    "organization",
    "country",
    "email",
    "comment",
    "website",
    "started",
    "source",
    "referrer",
    "embed_token",
)


def submission(petition: Petition, data: QueryDict, *, embed: bool = False) -> Submission | None:
    """The cleaned submission when every rule accepts the form; None for the form to explain."""
    if not settings.SIGNING_LEAN:
        return None
    values = {name: data.get(name, "") for name in TEXT_FIELDS}
    if any("\0" in value for value in values.values()):
        return None
    asked = asked_fields(petition)
    try:
        full_name = rules.full_name(values["full_name"])
        affiliation = (
            rules.affiliation(values["organization"], asked["organization"])
            if "organization" in asked
            else ""
        )
        country = rules.country(values["country"], asked["country"]) if "country" in asked else ""
        email = deliverable(rules.email(values["email"]))
        comment = rules.comment(values["comment"], asked["comment"]) if "comment" in asked else ""
        if embed:
            rules.embed_petition(values["embed_token"], petition.pk)
    except ValidationError:
        return None
    flags = ["honeypot"] if rules.caught_by_honeypot(values["website"]) else []
    fill_seconds, timer_flags = rules.fill_time(values["started"])
    source = rules.source(values["source"])
    return Submission(
        petition=petition,
        full_name=full_name,
        email=email,
        affiliation=affiliation,
        country=country,
        comment=comment,
        public=rules.checked(data.get("public")),
        news_opt_in=rules.checked(data.get("news_opt_in")),
        source=(source or EMBED_SOURCE) if embed else source,
        referrer=rules.host(values["referrer"]),
        fill_seconds=fill_seconds,
        challenge_used=False,
        flags=[*flags, *timer_flags],
    )
