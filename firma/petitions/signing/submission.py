"""What the signing service takes: a submission, whichever way it came (page, embed, API)."""

from dataclasses import dataclass, field

from firma.petitions.models import Petition


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
