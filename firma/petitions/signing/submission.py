"""What the signing service takes: a submission, whichever way it came (page, embed, API)."""

from dataclasses import dataclass, field

from firma.petitions.consents.wordings import Consent
from firma.petitions.models import FieldSetting, Petition

# The source of a signature sent from the embedded form, when its link named none.
EMBED_SOURCE = "embed"
# The form's fields that a petition may ask for, leave optional or not ask, and its settings.
OPTIONAL = {
    "organization": "organization_field",
    "country": "country_field",
    "comment": "comment_field",
}


def asked_fields(petition: Petition) -> dict[str, bool]:
    """The optional fields this petition asks for, each with whether it requires it."""
    asked = {}
    for name, setting_name in OPTIONAL.items():
        setting = getattr(petition, setting_name)
        if setting != FieldSetting.HIDDEN:
            asked[name] = setting == FieldSetting.REQUIRED
    return asked


@dataclass
class Submission:
    """A signing form's cleaned values, and what was observed about how it was filled in:
    everything the signing service stores."""

    petition: Petition
    full_name: str
    email: str
    affiliation: str = ""
    country: str = ""
    comment: str = ""
    public: bool = False
    news_opt_in: bool = False
    # Answers to the petition's own questions, by key (rules.questions).
    answers: dict = field(default_factory=dict)
    organisation_news: bool = False
    # Every consent the signer was shown, ticked or not, and where (ConsentRecord.Channel).
    consents: list[Consent] = field(default_factory=list)
    channel: str = "page"
    source: str = ""
    referrer: str = ""
    fill_seconds: int | None = None
    challenge_used: bool = False
    flags: list[str] = field(default_factory=list)
    # "individual", or "organisation" for an endorsement, with the organisation's details.
    kind: str = "individual"
    organisation_name: str = ""
    organisation_position: str = ""
    organisation_website: str = ""
    # Confirmed by a partner's own double opt-in (an API token marked so): counted at once.
    confirmed_upstream: bool = False
    # The partner whose link (or token) brought the signer. The partners' boxes shown are
    # among the consents.
    partner_id: int | None = None
