"""Background tasks: one e-mail each, or the confirmation e-mails of signatures written
together. `manage.py db_worker` runs them."""

import logging
import smtplib
from collections.abc import Callable
from datetime import timedelta

from django.conf import settings
from django.core.mail import EmailMessage, get_connection
from django.utils import timezone
from django_tasks import task
from django_tasks.base import Task, TaskContext

from firma.petitions.mail import emails as emails
from firma.petitions.mail import suppression
from firma.petitions.models import SentEmail, Signature

logger = logging.getLogger("firma.mail")


@task(takes_context=True)
def send_confirmation_request(context: TaskContext, signature_id: int, attempt: int = 1) -> None:
    signature = Signature.objects.select_related("petition").filter(pk=signature_id).first()
    if signature is None or signature.status != Signature.Status.PENDING:
        return  # deleted or confirmed meanwhile: the link is no longer needed
    message = emails.confirmation_request(signature)
    deliver(context, message, signature, send_confirmation_request, attempt)


@task(takes_context=True)
def send_confirmation_requests(context: TaskContext, signature_ids: list[int]) -> None:
    """The confirmation e-mails of signatures written together (signing.GroupCommit), over one
    SMTP connection. Each is noted as sent on its own, so a run after a worker died sends only
    the rest; one that fails is retried on its own, as send_confirmation_request."""
    send_batch(context, signature_ids, emails.confirmation_request, send_confirmation_request)


@task(takes_context=True)
def send_reminder(context: TaskContext, signature_id: int, attempt: int = 1) -> None:
    signature = Signature.objects.select_related("petition").filter(pk=signature_id).first()
    if signature is None or signature.status != Signature.Status.PENDING:
        return  # confirmed or deleted meanwhile: never remind then
    deliver(context, emails.reminder(signature), signature, send_reminder, attempt)


@task(takes_context=True)
def send_reminders(context: TaskContext, signature_ids: list[int]) -> None:
    """The reminders queued together (mail.reminders), as send_confirmation_requests."""
    send_batch(context, signature_ids, emails.reminder, send_reminder)


def send_batch(
    context: TaskContext,
    signature_ids: list[int],
    render: Callable[[Signature], EmailMessage],
    retry: Task,
) -> None:
    """One e-mail to each signature still pending, over one SMTP connection."""
    signatures = list(
        Signature.objects.select_related("petition")
        .prefetch_related("petition__texts")  # one query for the batch, not one per e-mail
        .filter(pk__in=signature_ids, status=Signature.Status.PENDING)
        .order_by("pk")
    )
    task_id = str(context.task_result.id)
    keys = {signature.pk: f"{task_id}:{signature.pk}" for signature in signatures}
    sent = set(
        SentEmail.objects.filter(task_id__in=keys.values()).values_list("task_id", flat=True)
    )
    connection = get_connection()
    try:
        for signature in signatures:
            if keys[signature.pk] in sent:
                continue
            message = render(signature)
            message.connection = connection
            if not deliver(context, message, signature, retry, 1, keys[signature.pk], checked=True):
                connection.close()  # the next message opens a fresh one
    finally:
        connection.close()


@task(takes_context=True)
def send_already_signed_note(context: TaskContext, signature_id: int, attempt: int = 1) -> None:
    signature = Signature.objects.select_related("petition").filter(pk=signature_id).first()
    if signature is None:
        return
    message = emails.already_signed_note(signature)
    deliver(context, message, signature, send_already_signed_note, attempt)


def deliver(
    context: TaskContext,
    message: EmailMessage,
    signature: Signature,
    retry: Task,
    attempt: int,
    sent_key: str = "",
    *,
    checked: bool = False,
) -> bool:
    """Send, or try again later with growing delays; record a permanent failure on the signature.
    True if the message has left (now or in an earlier run).

    A task whose worker died is run again (recovery.py); the SentEmail row written right after
    the SMTP server accepted the message keeps a second run from sending it twice (`checked`:
    the caller has looked for that row already).
    """
    sent_key = sent_key or str(context.task_result.id)
    if not checked and SentEmail.objects.filter(task_id=sent_key).exists():
        return True
    if suppression.is_suppressed(signature.petition_id, signature.email):
        return True  # "this wasn't me" since it was queued: the address gets nothing more
    try:
        message.send()
    except (smtplib.SMTPException, OSError) as error:
        delays = settings.EMAIL_RETRY_DELAYS
        if is_permanent(error) or attempt > len(delays):
            logger.error("Giving up e-mail to signature %s: %s", signature.pk, error)
            Signature.objects.filter(pk=signature.pk).update(email_error=str(error)[:500])
            return False
        delay = delays[attempt - 1]
        logger.warning(
            "E-mail to signature %s failed (%s), attempt %s; retrying in %ss",
            signature.pk,
            error,
            attempt,
            delay,
        )
        later = retry.using(run_after=timezone.now() + timedelta(seconds=delay))
        later.enqueue(signature.pk, attempt=attempt + 1)
        return False
    SentEmail.objects.create(task_id=sent_key)
    if signature.email_error:
        Signature.objects.filter(pk=signature.pk).update(email_error="")
    return True


def is_permanent(error: Exception) -> bool:
    """A 5xx answer about the message or its recipient will not change if we ask again."""
    if isinstance(error, smtplib.SMTPRecipientsRefused):
        return all(code >= 500 for code, _ in error.recipients.values())
    if isinstance(error, smtplib.SMTPAuthenticationError):
        return False  # our configuration, not the address: worth retrying once fixed
    if isinstance(error, smtplib.SMTPResponseException):
        return error.smtp_code >= 500
    return False
