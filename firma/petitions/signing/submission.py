"""What the signing service takes: a submission, whichever way it came (page, embed, API)."""

from dataclasses import dataclass, field

from firma.petitions.consents.wordings import Consent
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
    organisation_news: bool = False
    # Every consent the signer was shown, ticked or not, and where (ConsentRecord.Channel).
    consents: list[Consent] = field(default_factory=list)
    channel: str = "page"
    source: str = ""
    referrer: str = ""
    fill_seconds: int | None = None
    challenge_used: bool = False
    flags: list[str] = field(default_factory=list)
