"""The e-mails a signer receives, each rendered from its own subject, text and HTML templates."""

from django.conf import settings
from django.core.mail import EmailMultiAlternatives
from django.template.loader import render_to_string
from django.urls import reverse
from django.utils import translation

from firma.petitions.models import Signature
from firma.petitions.tokens import confirmation_token, self_service_token


def absolute_url(path: str) -> str:
    return settings.BASE_URL + path


def confirmation_request(signature: Signature) -> EmailMultiAlternatives:
    with translation.override(signature.language):
        confirm_path = reverse(
            "petitions:confirm",
            kwargs={"slug": signature.petition.slug, "token": confirmation_token(signature)},
        )
        return _render("confirm", signature, {"confirm_url": absolute_url(confirm_path)})


def reminder(signature: Signature) -> EmailMultiAlternatives:
    """The confirmation link again, for a signer who has not used it yet."""
    with translation.override(signature.language):
        confirm_path = reverse(
            "petitions:confirm",
            kwargs={"slug": signature.petition.slug, "token": confirmation_token(signature)},
        )
        return _render("reminder", signature, {"confirm_url": absolute_url(confirm_path)})


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
