"""The common case of a sign POST, read without Django's form classes.

On a viral day almost every sign POST is a well-filled form for an open petition. Building a
SignatureForm for it (copying its fields, widgets and their attributes, the country list) costs
more than everything else the request does but the write. Here the submitted values are read
straight from request.POST and judged by the very rule functions the form calls
(firma.petitions.rules.signer, the defences' deliverability check), into the same Submission.

Whatever is not the common case gives None, and the view goes on to the form as before: a value
a rule refuses (the form says which and why), a null character (the form's fields refuse it), a
petition that asks for the challenge or questions of its own or whose partners offer their own
consent (each box shown is recorded, ticked or not), a signer brought by a partner, a signature
on behalf of an organisation. Nothing here writes: a caller that gets None has counted nothing
and stored nothing.
"""

from django.conf import settings
from django.core.exceptions import ValidationError
from django.http import QueryDict

from firma.petitions.consents import wordings
from firma.petitions.defences.addresses import deliverable
from firma.petitions.models import ConsentRecord, Petition
from firma.petitions.rules import endorsements
from firma.petitions.rules import signer as rules
from firma.petitions.signing import facts
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
# What only the form handles: a partner's link or boxes, and an organisation's endorsement.
FORM_ONLY = (
    "via",
    "partner_opt_in",
    "organisation_name",
    "organisation_position",
    "organisation_website",
)


def submission(petition: Petition, data: QueryDict, *, embed: bool = False) -> Submission | None:
    """The cleaned submission when every rule accepts the form; None for the form to explain."""
    if not settings.SIGNING_LEAN:
        return None
    values = {name: data.get(name, "") for name in TEXT_FIELDS}
    if any("\0" in value for value in values.values()):
        return None
    if any(data.get(name) for name in FORM_ONLY) or data.get("signing_as", "").strip() not in (
        "",
        endorsements.INDIVIDUAL,
    ):
        return None
    if facts.of(petition).questions or facts.of(petition).partner_consents:
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
    ticked = {name: rules.checked(data.get(name)) for name in wordings.FORM_FIELDS}
    return Submission(
        petition=petition,
        full_name=full_name,
        email=email,
        affiliation=affiliation,
        country=country,
        comment=comment,
        public=ticked["public"],
        news_opt_in=ticked["news_opt_in"],
        organisation_news=ticked["organisation_news"],
        consents=wordings.shown_on_form(petition, ticked),
        channel=ConsentRecord.Channel.EMBED if embed else ConsentRecord.Channel.PAGE,
        source=(source or EMBED_SOURCE) if embed else source,
        referrer=rules.host(values["referrer"]),
        fill_seconds=fill_seconds,
        challenge_used=False,
        flags=[*flags, *timer_flags],
    )
