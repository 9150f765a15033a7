"""The e-mails a signer receives, each rendered from its own subject, text and HTML templates."""

from django.conf import settings
from django.core.mail import EmailMultiAlternatives
from django.template.loader import render_to_string
from django.urls import reverse
from django.utils import translation

from firma.petitions.models import Signature
from firma.petitions.tokens import confirmation_token, not_me_token, self_service_token


def absolute_url(path: str) -> str:
    return settings.BASE_URL + path


def confirmation_request(signature: Signature) -> EmailMultiAlternatives:
    with translation.override(signature.language):
        return _render("confirm", signature, confirmation_links(signature))


def reminder(signature: Signature) -> EmailMultiAlternatives:
    """The confirmation link again, for a signer who has not used it yet."""
    with translation.override(signature.language):
        return _render("reminder", signature, confirmation_links(signature))


def confirmation_links(signature: Signature) -> dict[str, str]:
    """The links of every e-mail asking for a confirmation: to confirm, and for whoever did
    not sign, to say so and hear nothing more."""
    slug = signature.petition.slug
    confirm = reverse(
        "petitions:confirm", kwargs={"slug": slug, "token": confirmation_token(signature)}
    )
    not_me = reverse("petitions:not_me", kwargs={"slug": slug, "token": not_me_token(signature)})
    return {"confirm_url": absolute_url(confirm), "not_me_url": absolute_url(not_me)}


def already_signed_note(signature: Signature) -> EmailMultiAlternatives:
    with translation.override(signature.language):
        return _render("already_signed", signature, {})


def _render(name: str, signature: Signature, extra: dict) -> EmailMultiAlternatives:
    petition = signature.petition
    context = {
        "signature": signature,
        "petition": petition,
        "text": petition.text_for(signature.language),
        "petition_url": absolute_url(petition.get_absolute_url()),
        "my_signature_url": absolute_url(
            reverse(
                "petitions:my_signature",
                kwargs={"slug": petition.slug, "token": self_service_token(signature)},
            )
        ),
        **extra,
    }
    subject = render_to_string(f"petitions/email/{name}_subject.txt", context)
    message = EmailMultiAlternatives(
        subject=" ".join(subject.split()),
        body=render_to_string(f"petitions/email/{name}.txt", context),
        to=[signature.email],
    )
    message.attach_alternative(
        render_to_string(f"petitions/email/{name}.html", context), "text/html"
    )
    return message
