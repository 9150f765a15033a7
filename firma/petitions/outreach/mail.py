"""E-mails about a petition's outreach: sent once each, through the task queue.

Like the signers' e-mails (petitions/mail/tasks.py), each is noted in SentEmail right after the
SMTP server took it, under a key of its own: a task run again after its worker died, or retried,
never sends it twice.
"""

import logging
import smtplib
from datetime import timedelta

from django.conf import settings
from django.contrib.auth import get_user_model
from django.core.mail import EmailMultiAlternatives
from django.template.loader import render_to_string
from django.urls import reverse
from django.utils import timezone, translation
from django_tasks import task
from django_tasks.base import Task

from firma.petitions.models import Petition, Response, SentEmail
from firma.tenancy.models import Membership

logger = logging.getLogger("firma.mail")

# Who hears about a petition's outreach: the members who may act on it.
ORGANISER_ROLES = [Membership.Role.EDITOR, Membership.Role.OWNER]


def organisers(petition: Petition) -> list[int]:
    """The ids of the organisation's editors and owners who have an e-mail address."""
    if petition.organisation_id is None:
        return []
    return list(
        Membership.objects.filter(
            organisation_id=petition.organisation_id,
            role__in=ORGANISER_ROLES,
            user__is_active=True,
        )
        .exclude(user__email="")
        .order_by("user_id")
        .values_list("user_id", flat=True)
    )


def render(template: str, context: dict, to: list[str], **headers) -> EmailMultiAlternatives:
    """The e-mail from `template`_subject.txt, `template`.txt and `template`.html."""
    subject = render_to_string(f"{template}_subject.txt", context)
    message = EmailMultiAlternatives(
        subject=" ".join(subject.split()),
        body=render_to_string(f"{template}.txt", context),
        to=to,
        **headers,
    )
    message.attach_alternative(render_to_string(f"{template}.html", context), "text/html")
    return message


def send_once(key: str, message: EmailMultiAlternatives) -> bool:
    """Send `message` unless one with `key` left already; True once it has left.

    Raises the SMTP error for the caller to retry.
    """
    if SentEmail.objects.filter(task_id=key).exists():
        return True
    message.send()
    SentEmail.objects.get_or_create(task_id=key)
    return True


def retry(later: Task, attempt: int, error: Exception, *args) -> None:
    """Queue `later` again after the next of EMAIL_RETRY_DELAYS, or give up and log it."""
    delays = settings.EMAIL_RETRY_DELAYS
    if attempt > len(delays):
        logger.error("Giving up %s%s: %s", later.name, args, error)
        return
    logger.warning("%s%s failed (%s), attempt %s", later.name, args, error, attempt)
    run_after = timezone.now() + timedelta(seconds=delays[attempt - 1])
    later.using(run_after=run_after).enqueue(*args, attempt=attempt + 1)


def response_notice(response: Response, user) -> EmailMultiAlternatives:
    """Tells an organiser that a target answered, and where to publish or decline it."""
    petition = response.petition
    with translation.override(settings.LANGUAGE_CODE):
        context = {
            "user": user,
            "response": response,
            "petition": petition,
            "text": petition.text_for(petition.default_language),
            "workspace_url": settings.BASE_URL
            + reverse("admin:petitions_petition_change", args=[petition.pk]),
        }
        return render("petitions/outreach/email/response_received", context, [user.email])


@task()
def send_response_notice(response_id: int, user_id: int, attempt: int = 1) -> None:
    response = Response.objects.select_related("petition", "target").filter(pk=response_id).first()
    user = get_user_model().objects.filter(pk=user_id, is_active=True).first()
    if response is None or user is None or not user.email:
        return
    try:
        send_once(f"response:{response_id}:{user_id}", response_notice(response, user))
    except (smtplib.SMTPException, OSError) as error:
        retry(send_response_notice, attempt, error, response_id, user_id)
