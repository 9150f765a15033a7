"""Updates to signers: news the organisers write per language, shown on the petition page and
e-mailed through the task queue to the confirmed signers who asked for news.

Sending is throttled: each run of `send_update` sends one batch, then queues the next run late
enough that no more than UPDATE_SEND_RATE e-mails leave a minute. Pausing ends the chain at its
next run; resuming starts it again.

Nobody receives the same update twice. Before each e-mail, a delivery row is created for the
signer (unique per update and signature, so two runs cannot both claim one signer); its sent_at
is set once the mail server has taken the message. A row without sent_at is never sent again:
when the worker died, or the connection broke, between the claim and the mail server's answer,
the signer may or may not have the message, and firma prefers that one signer misses an update
to anyone receiving it twice (at most once). The sending page counts such rows as unconfirmed;
rows with an error are messages the mail server refused.
"""

import logging
import smtplib
from collections.abc import Iterable
from datetime import datetime, timedelta
from email.utils import parseaddr

from django.conf import settings
from django.contrib.auth.models import AbstractBaseUser
from django.core.mail import EmailMultiAlternatives, get_connection
from django.core.mail.backends.base import BaseEmailBackend
from django.db import IntegrityError, transaction
from django.db.models import Count, Exists, OuterRef, Q, QuerySet
from django.template.loader import render_to_string
from django.urls import reverse
from django.utils import timezone, translation
from django_tasks import TaskResultStatus, task
from django_tasks_db.models import DBTaskResult

from firma.organiser.updates.models import Update, UpdateDelivery, UpdateText
from firma.petitions.mail.emails import absolute_url
from firma.petitions.models import Petition, Signature
from firma.petitions.tokens import self_service_token, unsubscribe_token

logger = logging.getLogger("firma.mail")

Status = Update.Status
# One run sends at most this many e-mails, so that a confirmation e-mail queued meanwhile waits
# seconds, not minutes.
BATCH_SIZE = 50
# Confirmation e-mails, which signers wait for, go before updates, which nobody waits for.
PRIORITY = -10
# How long to wait before trying again when the mail server cannot be reached.
SERVER_DOWN_PAUSE = timedelta(minutes=1)
# Answers that say the mail server did not take the message: it surely did not arrive.
REFUSED = (smtplib.SMTPRecipientsRefused, smtplib.SMTPSenderRefused, smtplib.SMTPDataError)


def recipients(update: Update) -> QuerySet[Signature]:
    """The signers still to receive `update`: confirmed, valid, with an address, asking for news,
    and not claimed by a delivery yet."""
    claimed = UpdateDelivery.objects.filter(update=update.pk, signature=OuterRef("pk"))
    return (
        Signature.objects.confirmed()
        .filter(petition=update.petition_id, news_opt_in=True)
        .exclude(email="")
        .filter(~Exists(claimed))
    )


def text_for(texts: Iterable[UpdateText], language: str, default: str) -> UpdateText | None:
    """The text in `language`, else in the petition's default language, else any."""
    by_language = {text.language: text for text in texts}
    return (
        by_language.get(language)
        or by_language.get(default)
        or next(iter(by_language.values()), None)
    )


def published(petition: Petition, language: str) -> list[UpdateText]:
    """The petition's published updates, newest first, each in `language` where it was written
    in it. One query: the petition page is read far more often than updates are written."""
    texts = (
        UpdateText.objects.filter(update__petition=petition, update__published_at__isnull=False)
        .select_related("update")
        .order_by("-update__published_at", "-update_id")
    )
    by_update: dict[int, list[UpdateText]] = {}
    for text in texts:
        by_update.setdefault(text.update_id, []).append(text)
    return [text_for(group, language, petition.default_language) for group in by_update.values()]


def progress(update: Update) -> dict[str, int]:
    """How far sending has come: sent, refused, unconfirmed (see above) and still waiting."""
    counts = update.deliveries.aggregate(
        sent=Count("pk", filter=Q(sent_at__isnull=False)),
        failed=Count("pk", filter=Q(sent_at__isnull=True) & ~Q(error="")),
        unconfirmed=Count("pk", filter=Q(sent_at__isnull=True, error="")),
    )
    return {**counts, "waiting": recipients(update).count()}


# The e-mail.


def unsubscribe_mailbox() -> str:
    """Where the List-Unsubscribe header's mailto goes: the organisation's contact if it is an
    address, else the sender's."""
    contact = settings.ORGANISATION_CONTACT
    if "@" in contact and "://" not in contact:
        return contact
    return parseaddr(settings.DEFAULT_FROM_EMAIL)[1]


def message_for(
    update: Update, texts: Iterable[UpdateText], signature: Signature
) -> EmailMultiAlternatives:
    """The update for one signer, in their language or the petition's default one."""
    petition = update.petition
    text = text_for(texts, signature.language, petition.default_language)
    with translation.override(signature.language):
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
        context = {
            "signature": signature,
            "petition": petition,
            "text": petition.text_for(signature.language),
            "update": update,
            "update_text": text,
            "petition_url": absolute_url(petition.get_absolute_url()),
            "my_signature_url": my_signature_url,
            "unsubscribe_url": unsubscribe_url,
        }
        subject = render_to_string("organiser/email/update_subject.txt", context)
        message = EmailMultiAlternatives(
            subject=" ".join(subject.split()),
            body=render_to_string("organiser/email/update.txt", context),
            to=[signature.email],
            headers={
                # RFC 2369 and RFC 8058: mail programs offer their own unsubscribe button, and
                # press it with a POST to the link.
                "List-Unsubscribe": (
                    f"<{unsubscribe_url}>, <mailto:{unsubscribe_mailbox()}?subject=unsubscribe>"
                ),
                "List-Unsubscribe-Post": "List-Unsubscribe=One-Click",
            },
        )
        message.attach_alternative(
            render_to_string("organiser/email/update.html", context), "text/html"
        )
    return message


def preview(update: Update, text: UpdateText, user: AbstractBaseUser) -> EmailMultiAlternatives:
    """The e-mail a signer writing in `text`'s language would get, addressed to `user`."""
    name = user.get_full_name() or user.get_username()
    sample = Signature(
        pk=0, petition=update.petition, full_name=name, email=user.email, language=text.language
    )
    return message_for(update, [text], sample)


# Sending.


def send(update: Update) -> bool:
    """Publish a draft and start e-mailing it; False if it was not a draft any more."""
    with transaction.atomic():
        started = Update.objects.filter(pk=update.pk, status=Status.DRAFT).update(
            status=Status.SENDING, published_at=timezone.now()
        )
        if started:
            queue(update.pk)
    return bool(started)


def pause(update: Update) -> bool:
    """Stop sending at the next batch; False if the update was not being sent."""
    return bool(
        Update.objects.filter(pk=update.pk, status=Status.SENDING).update(status=Status.PAUSED)
    )


def resume(update: Update) -> bool:
    """Send the rest of a paused update. A sending one is queued again too, in case its worker
    died: the queue holds one run per update at most, and the claims keep it once each."""
    with transaction.atomic():
        resumed = Update.objects.filter(
            pk=update.pk, status__in=[Status.PAUSED, Status.SENDING]
        ).update(status=Status.SENDING)
        if resumed:
            queue(update.pk)
    return bool(resumed)


def queue(update_id: int, run_after: datetime | None = None) -> None:
    """Queue the next run for the update unless one waits already, so that pausing and resuming
    never leaves two chains sending the same update at twice the rate."""
    waiting = DBTaskResult.objects.filter(
        task_path=send_update.module_path,
        status=TaskResultStatus.READY,
        args_kwargs__args=[update_id],
    )
    if waiting.exists():
        return
    (send_update.using(run_after=run_after) if run_after else send_update).enqueue(update_id)


@task(priority=PRIORITY)
def send_update(update_id: int) -> None:
    """Send the update to the next batch of signers, then queue the next run, or mark it sent."""
    updates = Update.objects.select_related("petition").prefetch_related("petition__texts")
    update = updates.filter(pk=update_id).first()
    if update is None or update.status != Status.SENDING:
        return  # paused or deleted: resuming queues a new run
    started = timezone.now()
    size = min(BATCH_SIZE, settings.UPDATE_SEND_RATE)
    batch = list(recipients(update).order_by("pk")[:size])
    pause_between = timedelta(minutes=len(batch) / settings.UPDATE_SEND_RATE)
    if batch:
        try:
            send_batch(update, batch)
        except (smtplib.SMTPException, OSError) as error:
            # The connection could not be opened: nobody was claimed, the next run tries again.
            logger.warning("Update %s: cannot reach the mail server (%s)", update.pk, error)
            pause_between = SERVER_DOWN_PAUSE
    if recipients(update).exists():
        queue(update.pk, run_after=started + pause_between)
    else:
        Update.objects.filter(pk=update.pk, status=Status.SENDING).update(status=Status.SENT)


def send_batch(update: Update, signatures: list[Signature]) -> None:
    """Send to each signer not claimed by another run, over one connection."""
    texts = list(update.texts.all())
    connection = get_connection()
    connection.open()
    try:
        for signature in signatures:
            delivery = claim(update, signature)
            if delivery is not None and not deliver(delivery, texts, connection):
                return  # the connection broke: the next run opens a new one
    finally:
        connection.close()


def claim(update: Update, signature: Signature) -> UpdateDelivery | None:
    """The signer's delivery row, created now; None if another run claimed them first."""
    try:
        with transaction.atomic():
            return UpdateDelivery.objects.create(update=update, signature=signature)
    except IntegrityError:
        return None


def deliver(
    delivery: UpdateDelivery, texts: list[UpdateText], connection: BaseEmailBackend
) -> bool:
    """Send one claimed e-mail and note the outcome; False when the connection broke."""
    message = message_for(delivery.update, texts, delivery.signature)
    message.connection = connection
    deliveries = UpdateDelivery.objects.filter(pk=delivery.pk)
    try:
        message.send()
    except REFUSED as error:
        # Not retried, even after a temporary refusal: the relay does its own retrying, and a
        # signer refused at every attempt would keep the update from ever being sent.
        logger.warning("Update e-mail %s refused: %s", delivery, error)
        deliveries.update(error=str(error)[:500])
        return True
    except (smtplib.SMTPException, OSError) as error:
        logger.error("Update e-mail %s may not have arrived, not resent: %s", delivery, error)
        deliveries.update(error=str(error)[:500])
        return False
    deliveries.update(sent_at=timezone.now())
    return True
