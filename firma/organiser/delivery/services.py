"""Delivering a petition: the e-mail to each target, deliveries made elsewhere, and the count
at which the organisers are told it is time (and, if the petition says so, firma delivers).

Each target's e-mail is a task of its own, sent once (petitions/outreach/mail.py): a worker that
dies after the SMTP server took it does not send it again when the task is run once more.
"""

import smtplib
from datetime import timedelta

from django.conf import settings
from django.contrib.auth import get_user_model
from django.contrib.auth.models import AbstractBaseUser
from django.core.mail import EmailMultiAlternatives
from django.db import transaction
from django.urls import reverse
from django.utils import timezone, translation
from django.utils.translation import gettext as _
from django.utils.translation import ngettext
from django_countries import countries
from django_tasks import task

from firma.core import events as events
from firma.core import periodic as periodic
from firma.ledger.selectors import latest_head
from firma.organiser.audit import services as audit
from firma.organiser.audit.services import Action
from firma.petitions import counting
from firma.petitions.models import Delivery, DeliveryRecipient, Petition, Target
from firma.petitions.outreach import mail
from firma.petitions.outreach.selectors import targets_with_address
from firma.petitions.outreach.tokens import document_token, respond_token

THRESHOLD_INTERVAL = timedelta(seconds=30)
# Shown instead of the private links in a preview: the real ones exist once it is sent.
PREVIEW_LINK = "https://…"


def absolute(path: str) -> str:
    return settings.BASE_URL + path


def reply_to() -> list[str]:
    """Where a target's reply goes: the organisation's contact, when it is an address."""
    contact = settings.ORGANISATION_CONTACT
    return [contact] if "@" in contact and "://" not in contact else []


def describe(targets: list[Target]) -> str:
    return ", ".join(str(target) for target in targets)


@transaction.atomic
def deliver(
    petition: Petition,
    targets: list[Target],
    message: str,
    user: AbstractBaseUser | None,
) -> Delivery:
    """E-mail the petition to `targets` (each must have an address), with the count now."""
    found = counting.counts(petition)
    delivery = Delivery.objects.create(
        petition=petition,
        method=Delivery.Method.EMAIL,
        signature_count=sum(found.values()),
        counts_by_country=found,
        message=message,
        # The ledger's signed head: the target can check later that the count was not padded.
        ledger_head=latest_head(petition) or {},
        created_by=user,
    )
    recipients = [DeliveryRecipient.objects.create(delivery=delivery, target=t) for t in targets]
    audit.record(petition, user, Action.DELIVERED, describe(targets))
    events.petition_delivered.send(Petition, petition=petition, delivery=delivery)
    for recipient in recipients:
        send_delivery_email.enqueue(recipient.pk)
    return delivery


@transaction.atomic
def record_offline(
    petition: Petition,
    targets: list[Target],
    delivered_at,
    signature_count: int,
    note: str,
    user: AbstractBaseUser | None,
) -> Delivery:
    """Record a delivery made by hand or by post."""
    delivery = Delivery.objects.create(
        petition=petition,
        method=Delivery.Method.OFFLINE,
        delivered_at=delivered_at,
        signature_count=signature_count,
        note=note,
        created_by=user,
    )
    for target in targets:
        DeliveryRecipient.objects.create(delivery=delivery, target=target)
    audit.record(petition, user, Action.DELIVERY_RECORDED, f"{describe(targets)}: {note}")
    events.petition_delivered.send(Petition, petition=petition, delivery=delivery)
    return delivery


# The e-mail.


def country_lines(counts: dict[str, int]) -> list[tuple[str, int]]:
    """(country name, count), largest first; signatures without a country last."""
    rows = sorted(
        ((countries.name(code), n) for code, n in counts.items() if code and n > 0),
        key=lambda row: (-row[1], row[0]),
    )
    if counts.get(""):
        rows.append((_("No country given"), counts[""]))
    return rows


def delivery_email(
    recipient: DeliveryRecipient, links: tuple[str, str] | None = None
) -> EmailMultiAlternatives:
    """The petition as its target receives it, in the petition's default language.

    `links` (document, respond) replace the private links, for a preview.
    """
    delivery, target = recipient.delivery, recipient.target
    petition = delivery.petition
    language = petition.default_language
    with translation.override(language):
        if links is None:
            links = (
                absolute(reverse("delivery-document", args=[document_token(recipient)])),
                absolute(reverse("petitions:respond", args=[respond_token(recipient)])),
            )
        context = {
            "petition": petition,
            "text": petition.text_for(language),
            "target": target,
            "role": target.role_in(language),
            "delivery": delivery,
            "countries": country_lines(delivery.counts_by_country),
            "document_url": links[0],
            "respond_url": links[1],
            "petition_url": absolute(petition.get_absolute_url()),
            "ledger_url": absolute(reverse("api:v1-ledger-head", kwargs={"slug": petition.slug})),
            "organisation": petition.organisation.name if petition.organisation else "",
            "LANGUAGE_CODE": language,
        }
        return mail.render(
            "organiser/delivery_email/delivery", context, [target.email], reply_to=reply_to()
        )


def preview(petition: Petition, targets: list[Target], message: str) -> EmailMultiAlternatives:
    """The e-mail the first of `targets` would receive, now, without saving anything."""
    found = counting.counts(petition)
    delivery = Delivery(
        petition=petition,
        method=Delivery.Method.EMAIL,
        signature_count=sum(found.values()),
        counts_by_country=found,
        message=message,
        ledger_head=latest_head(petition) or {},
    )
    recipient = DeliveryRecipient(delivery=delivery, target=targets[0])
    return delivery_email(recipient, links=(PREVIEW_LINK, PREVIEW_LINK))


@task()
def send_delivery_email(recipient_id: int, attempt: int = 1) -> None:
    recipient = (
        DeliveryRecipient.objects.select_related("delivery__petition__organisation", "target")
        .filter(pk=recipient_id)
        .first()
    )
    if recipient is None or not recipient.target.email or recipient.sent_at:
        return
    try:
        mail.send_once(f"delivery:{recipient_id}", delivery_email(recipient))
    except (smtplib.SMTPException, OSError) as error:
        mail.retry(send_delivery_email, attempt, error, recipient_id)
        return
    DeliveryRecipient.objects.filter(pk=recipient_id).update(sent_at=timezone.now())


# The count to deliver at.


def reach_threshold(petition: Petition) -> bool:
    """Note that `petition` reached its count to deliver at, once; tell its organisers, and
    deliver to every target with an address if the petition delivers by itself."""
    with transaction.atomic():
        now = timezone.now()
        noted = Petition.objects.filter(pk=petition.pk, threshold_reached_at__isnull=True).update(
            threshold_reached_at=now
        )
        if not noted:
            return False  # noted by a run at the same moment
        petition.threshold_reached_at = now
        count = counting.total(petition)
        audit.record(petition, None, Action.THRESHOLD_REACHED, str(count))
        for user_id in mail.organisers(petition):
            send_threshold_email.enqueue(petition.pk, user_id)
        targets = list(targets_with_address(petition))
        if petition.auto_deliver and targets:
            deliver(petition, targets, "", None)
    return True


def note_thresholds() -> list[Petition]:
    """Petitions whose confirmed count reached their `deliver_at` since the last look."""
    due = Petition.objects.filter(
        status__in=[Petition.Status.OPEN, Petition.Status.CLOSED],
        deliver_at__isnull=False,
        threshold_reached_at__isnull=True,
    ).select_related("organisation")
    return [
        petition
        for petition in due.order_by("pk")
        if counting.total(petition) >= petition.deliver_at and reach_threshold(petition)
    ]


@task()
def check_thresholds() -> None:
    """Look for petitions at their count to deliver at, then queue the next look."""
    try:
        note_thresholds()
    finally:
        periodic.schedule(check_thresholds, run_after=timezone.now() + THRESHOLD_INTERVAL)


def threshold_email(petition: Petition, user: AbstractBaseUser) -> EmailMultiAlternatives:
    with translation.override(settings.LANGUAGE_CODE):
        page = reverse("admin:petitions_petition_delivery", args=[petition.pk])
        context = {
            "user": user,
            "petition": petition,
            "text": petition.text_for(petition.default_language),
            "count": counting.total(petition),
            "delivered": petition.auto_deliver and targets_with_address(petition).exists(),
            "delivery_url": absolute(page),
        }
        return mail.render("organiser/delivery_email/threshold", context, [user.email])


@task()
def send_threshold_email(petition_id: int, user_id: int, attempt: int = 1) -> None:
    petition = Petition.objects.filter(pk=petition_id).first()
    user = get_user_model().objects.filter(pk=user_id, is_active=True).first()
    if petition is None or user is None or not user.email:
        return
    try:
        mail.send_once(f"threshold:{petition_id}:{user_id}", threshold_email(petition, user))
    except (smtplib.SMTPException, OSError) as error:
        mail.retry(send_threshold_email, attempt, error, petition_id, user_id)


def sent_summary(delivery: Delivery) -> str:
    count = delivery.recipients.count()
    return ngettext(
        "The petition is on its way to %(count)d target.",
        "The petition is on its way to %(count)d targets.",
        count,
    ) % {"count": count}


PERIODIC = [check_thresholds]
