"""A published response, e-mailed to the signers who asked to hear about the petition.

One task run sends one batch over one connection, then queues the next run for the signers
after the last one (by id), late enough that no more than UPDATE_SEND_RATE e-mails leave a
minute, as the updates do. Each e-mail sent is noted as a SentEmail row keyed by the response
and the signature: a run repeated after its worker died skips the signers noted already, so
nobody is sent the same response twice in the normal course of things.
"""

import logging
import smtplib
from datetime import timedelta
from email.utils import parseaddr

from django.conf import settings
from django.core.mail import EmailMultiAlternatives, get_connection
from django.db.models import QuerySet
from django.template.loader import render_to_string
from django.urls import reverse
from django.utils import timezone, translation
from django_tasks import task

from firma.petitions.mail.emails import absolute_url
from firma.petitions.models import Response, SentEmail, Signature
from firma.petitions.tokens import self_service_token, unsubscribe_token

logger = logging.getLogger("firma.mail")

BATCH_SIZE = 50
# After the confirmation e-mails, which signers wait for; like the updates.
PRIORITY = -10
SERVER_DOWN_PAUSE = timedelta(minutes=1)
REFUSED = (smtplib.SMTPRecipientsRefused, smtplib.SMTPSenderRefused, smtplib.SMTPDataError)


def recipients(response: Response) -> QuerySet[Signature]:
    """Confirmed, valid signers of the petition with an address who asked for news."""
    return (
        Signature.objects.confirmed()
        .filter(petition=response.petition_id, news_opt_in=True)
        .exclude(email="")
    )


def sent_key(response: Response, signature: Signature) -> str:
    return f"response:{response.pk}:{signature.pk}"


def unsubscribe_mailbox() -> str:
    """The List-Unsubscribe mailto: the organisation's contact if it is an address, else the
    sender's."""
    contact = settings.ORGANISATION_CONTACT
    if "@" in contact and "://" not in contact:
        return contact
    return parseaddr(settings.DEFAULT_FROM_EMAIL)[1]


def message_for(response: Response, signature: Signature) -> EmailMultiAlternatives:
    """The response for one signer: in their language where the organisers translated it."""
    petition = response.petition
    language = signature.language
    translated = language != response.language and language in response.translations
    with translation.override(language):
        kwargs = {"slug": petition.slug}
        unsubscribe_url = absolute_url(
            reverse(
                "petitions:unsubscribe", kwargs={**kwargs, "token": unsubscribe_token(signature)}
            )
        )
        my_signature_url = absolute_url(
            reverse(
                "petitions:my_signature", kwargs={**kwargs, "token": self_service_token(signature)}
            )
        )
        target = response.target
        context = {
            "signature": signature,
            "petition": petition,
            "text": petition.text_for(language),
            "response": response,
            "target_name": target.name if target else "",
            "target_role": target.role_in(language) if target else "",
            "response_text": response.text_in(language) if translated else response.text,
            "response_language": language if translated else response.language,
            "translated": translated,
            "response_url": absolute_url(petition.get_absolute_url() + f"#response-{response.pk}"),
            "my_signature_url": my_signature_url,
            "unsubscribe_url": unsubscribe_url,
        }
        subject = " ".join(
            render_to_string("organiser/email/response_subject.txt", context).split()
        )
        context["subject"] = subject
        message = EmailMultiAlternatives(
            subject=subject,
            body=render_to_string("organiser/email/response.txt", context),
            to=[signature.email],
            headers={
                # RFC 2369 and RFC 8058, as the updates: mail programs show their own button.
                "List-Unsubscribe": (
                    f"<{unsubscribe_url}>, <mailto:{unsubscribe_mailbox()}?subject=unsubscribe>"
                ),
                "List-Unsubscribe-Post": "List-Unsubscribe=One-Click",
            },
        )
        message.attach_alternative(
            render_to_string("organiser/email/response.html", context), "text/html"
        )
    return message


@task(priority=PRIORITY)
def send_response_notices(response_id: int, after: int = 0) -> None:
    """E-mail the response to the next batch of signers (ids above `after`), then queue the
    rest, or note that every signer was sent it."""
    found = Response.objects.select_related("petition", "target").prefetch_related(
        "petition__texts"
    )
    response = found.filter(pk=response_id, status=Response.Status.PUBLISHED).first()
    if response is None:
        return
    started = timezone.now()
    size = min(BATCH_SIZE, settings.UPDATE_SEND_RATE)
    batch = list(recipients(response).filter(pk__gt=after).order_by("pk")[:size])
    if not batch:
        Response.objects.filter(pk=response.pk).update(signers_notified_at=timezone.now())
        return
    try:
        send_batch(response, batch)
    except (smtplib.SMTPException, OSError) as error:
        # The connection could not be opened or broke: this batch is tried again later, and
        # the SentEmail rows keep those already sent from getting it twice.
        logger.warning("Response %s: cannot reach the mail server (%s)", response.pk, error)
        later = send_response_notices.using(run_after=started + SERVER_DOWN_PAUSE)
        later.enqueue(response.pk, after=after)
        return
    if not recipients(response).filter(pk__gt=batch[-1].pk).exists():
        Response.objects.filter(pk=response.pk).update(signers_notified_at=timezone.now())
        return
    pause = timedelta(minutes=len(batch) / settings.UPDATE_SEND_RATE)
    following = send_response_notices.using(run_after=started + pause)
    following.enqueue(response.pk, after=batch[-1].pk)


def send_batch(response: Response, signatures: list[Signature]) -> None:
    keys = {signature.pk: sent_key(response, signature) for signature in signatures}
    sent = set(
        SentEmail.objects.filter(task_id__in=keys.values()).values_list("task_id", flat=True)
    )
    connection = get_connection()
    connection.open()
    try:
        for signature in signatures:
            if keys[signature.pk] in sent:
                continue
            message = message_for(response, signature)
            message.connection = connection
            try:
                message.send()
            except REFUSED as error:
                # Not retried: the relay does its own retrying.
                logger.warning("Response e-mail to signature %s refused: %s", signature.pk, error)
                continue
            SentEmail.objects.create(task_id=keys[signature.pk])
    finally:
        connection.close()
