"""Background tasks: one e-mail each. `manage.py db_worker` runs them."""

import logging
import smtplib
from datetime import timedelta

from django.conf import settings
from django.core.mail import EmailMessage
from django.utils import timezone
from django_tasks import task
from django_tasks.base import Task

from . import emails
from .models import Signature

logger = logging.getLogger("firma.mail")


@task()
def send_confirmation_request(signature_id: int, attempt: int = 1) -> None:
    signature = Signature.objects.select_related("petition").filter(pk=signature_id).first()
    if signature is None or signature.status != Signature.Status.PENDING:
        return  # deleted or confirmed meanwhile: the link is no longer needed
    deliver(emails.confirmation_request(signature), signature, send_confirmation_request, attempt)


@task()
def send_already_signed_note(signature_id: int, attempt: int = 1) -> None:
    signature = Signature.objects.select_related("petition").filter(pk=signature_id).first()
    if signature is None:
        return
    deliver(emails.already_signed_note(signature), signature, send_already_signed_note, attempt)


def deliver(message: EmailMessage, signature: Signature, retry: Task, attempt: int) -> None:
    """Send, or try again later with growing delays; record a permanent failure on the signature."""
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
