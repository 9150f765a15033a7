"""Background tasks: one e-mail each. `manage.py db_worker` runs them."""

import logging
import smtplib
from datetime import timedelta

from django.conf import settings
from django.core.mail import EmailMessage
from django.utils import timezone
from django_tasks import task
from django_tasks.base import Task, TaskContext

from . import emails
from .models import SentEmail, Signature

logger = logging.getLogger("firma.mail")


@task(takes_context=True)
def send_confirmation_request(context: TaskContext, signature_id: int, attempt: int = 1) -> None:
    signature = Signature.objects.select_related("petition").filter(pk=signature_id).first()
    if signature is None or signature.status != Signature.Status.PENDING:
        return  # deleted or confirmed meanwhile: the link is no longer needed
    message = emails.confirmation_request(signature)
    deliver(context, message, signature, send_confirmation_request, attempt)


@task(takes_context=True)
def send_already_signed_note(context: TaskContext, signature_id: int, attempt: int = 1) -> None:
    signature = Signature.objects.select_related("petition").filter(pk=signature_id).first()
    if signature is None:
        return
    message = emails.already_signed_note(signature)
    deliver(context, message, signature, send_already_signed_note, attempt)


def deliver(
    context: TaskContext, message: EmailMessage, signature: Signature, retry: Task, attempt: int
) -> None:
    """Send, or try again later with growing delays; record a permanent failure on the signature.

    A task whose worker died is run again (recovery.py); the SentEmail row written right after
    the SMTP server accepted the message keeps a second run from sending it twice.
    """
    task_id = str(context.task_result.id)
    if SentEmail.objects.filter(task_id=task_id).exists():
        return
    try:
        message.send()
    except (smtplib.SMTPException, OSError) as error:
        delays = settings.EMAIL_RETRY_DELAYS
        if is_permanent(error) or attempt > len(delays):
            logger.error("Giving up e-mail to signature %s: %s", signature.pk, error)
            Signature.objects.filter(pk=signature.pk).update(email_error=str(error)[:500])
            return
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
        return
    SentEmail.objects.create(task_id=task_id)
    if signature.email_error:
        Signature.objects.filter(pk=signature.pk).update(email_error="")


def is_permanent(error: Exception) -> bool:
    """A 5xx answer about the message or its recipient will not change if we ask again."""
    if isinstance(error, smtplib.SMTPRecipientsRefused):
        return all(code >= 500 for code, _ in error.recipients.values())
    if isinstance(error, smtplib.SMTPAuthenticationError):
        return False  # our configuration, not the address: worth retrying once fixed
    if isinstance(error, smtplib.SMTPResponseException):
        return error.smtp_code >= 500
    return False
