"""The words consents are given under: those of the signing form, and those a signer presses
to withdraw one. What a form shows and what its records keep come from here, so they are the
same text."""

from dataclasses import dataclass

from django.urls import reverse
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from firma.petitions.models import ConsentRecord, Partner, Petition

Choice = ConsentRecord.Choice

# The signing form's checkboxes, by HTTP field name, and the consent each one gives.
FORM_FIELDS = {
    "public": Choice.LISTING,
    "news_opt_in": Choice.PETITION_NEWS,
    "organisation_news": Choice.ORGANISATION_NEWS,
}

LABELS = {
    Choice.LISTING: gettext_lazy(
        "Show my name, organisation, country and comment in the public list of signers."
    ),
    Choice.PETITION_NEWS: gettext_lazy(
        "Tell me about this petition: its updates, its delivery and the response."
    ),
    Choice.ORGANISATION_NEWS: gettext_lazy(
        "Send me news and campaigns from the organisers, beyond this petition."
    ),
}


@dataclass(frozen=True)
class Consent:
    """A consent as shown: which, whether given, in which words."""

    choice: str
    given: bool
    wording: str
    # The partner a consent to hear from a partner is given to; None for the others.
    partner_id: int | None = None


def privacy_notice(petition: Petition) -> list[str]:
    """The paragraphs under the signing form, which the signer accepts by pressing the button."""
    signing = _(
        "Signing records your support for this petition, which can reveal a political opinion: "
        "we only record it with your explicit consent, given by pressing the button. We keep "
        "what you enter to count and deliver your signature, and send one e-mail to confirm it. "
        "Your e-mail address is never published or shared. Your name, organisation, country and "
        "comment appear publicly only if you tick the box above."
    )
    if petition.deliver_unlisted_names:
        delivery = _(
            "When the petition is delivered, the people it is addressed to receive the count and "
            "the name, organisation and country of every confirmed signer, including those not "
            "listed publicly; never e-mail addresses."
        )
    else:
        delivery = _(
            "When the petition is delivered, the people it is addressed to receive the count and "
            "the name, organisation and country of the confirmed signers listed publicly; the "
            "others are counted without their names. Never e-mail addresses."
        )
    return [signing, delivery]


def privacy_wording(petition: Petition) -> str:
    """The notice as kept in a record: its paragraphs and where the full notice was linked."""
    link = f"{_('How we handle your data')}: {reverse('petitions:privacy')}"
    return "\n\n".join([*privacy_notice(petition), link])


def partner_label(partner: Partner) -> str:
    """The words of a partner's consent box, in the active language."""
    return _("Keep me informed about the campaigns of %(name)s.") % {"name": partner.name}


def partner_wording(partner: Partner) -> str:
    """A partner's box as kept in a record: its words and the privacy notice linked beside it."""
    label = partner_label(partner)
    if not partner.privacy_url:
        return label
    notice = _("Privacy notice of %(name)s") % {"name": partner.name}
    return f"{label}\n\n{notice}: {partner.privacy_url}"


def shown_on_form(
    petition: Petition,
    ticked: dict[str, bool],
    partners: list[tuple[Partner, bool]] = (),
) -> list[Consent]:
    """Every consent a sent signing form asked for, ticked or not, in the active language.
    `ticked` has the form's checkboxes by field name; those it lacks were not shown.
    `partners` has each partner whose box was shown, with whether it was ticked."""
    consents = [Consent(Choice.PRIVACY, True, privacy_wording(petition))]
    for name, choice in FORM_FIELDS.items():
        if name in ticked:
            consents.append(Consent(choice, bool(ticked[name]), str(LABELS[choice])))
    for partner, given in partners:
        consents.append(Consent(Choice.PARTNER, given, partner_wording(partner), partner.pk))
    return consents


# What a signer presses to withdraw (or, for the listing, to give again) a consent.
def withdrawal(choice: str) -> str:
    return {
        Choice.LISTING: _("Remove my name from the public list"),
        Choice.PETITION_NEWS: _("Stop sending me news"),
        Choice.ORGANISATION_NEWS: _("Stop sending me the organisers' other news"),
        Choice.PARTNER: _("Stop giving my details to the partners"),
    }[choice]


def listing_again() -> str:
    return _("Show my name in the public list")


def by_organisers() -> str:
    return _("Withdrawn by the organisers at the signer's request.")


def paper_listing() -> str:
    return _("Being listed publicly, as chosen on the paper form.")


def paper_privacy() -> str:
    return _("Signed on paper; imported by the organisers.")
