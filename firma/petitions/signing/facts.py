"""What every sign POST asks the database about its petition, read once per loaded petition.

A viral petition's sign POSTs all ask the same things: which questions the form asks, whether
partners offer consents of their own, which version of the text is current, and whether any
address has disowned a signature. Each
process loads the petition it signs at most once per PAGE_CACHE_SECONDS (selectors.
petition_to_sign); the answers are kept on that copy, so they are as old as it is at most: as
old as the page the signer was shown. A process forgets its copy at once when it changes the
petition, a question, a partner, a version or a suppression itself (PetitionsConfig.ready).

Nothing is lost by the wait: a signature's version is what the page showed, the confirmation
task checks the suppressions again before it sends anything, and a form that asks a question
the copy does not know yet goes through the form's own checks the next second.
"""

from dataclasses import dataclass

from firma.petitions.models import Partner, Petition, PetitionVersion, Question, Suppression
from firma.petitions.questions.selectors import asked
from firma.petitions.versions import services as versions

ATTRIBUTE = "_signing_facts"


@dataclass(frozen=True)
class SigningFacts:
    questions: list[Question]
    partner_consents: bool  # a partner offers its own box on the form
    version: PetitionVersion | None
    any_suppressed: bool


def of(petition: Petition) -> SigningFacts:
    facts = petition.__dict__.get(ATTRIBUTE)
    if facts is None:
        # Two threads of a process may both read them the first time: the same answers.
        facts = SigningFacts(
            questions=asked(petition),
            partner_consents=Partner.objects.filter(petition=petition, opt_in=True).exists(),
            version=versions.latest(petition),
            any_suppressed=Suppression.objects.filter(petition=petition).exists(),
        )
        petition.__dict__[ATTRIBUTE] = facts
    return facts
