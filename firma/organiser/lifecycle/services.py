"""A petition's life: draft -> open -> closed -> archived, and the milestones on the way.

Closing happens by hand (an editor's button or action) or, at the end of the closing day, by
the periodic `close_due_petitions` task. Archiving is for closed petitions: they stay readable
and refuse signatures, but leave the organisers' everyday lists.

Milestones (100, 1,000, 10,000 … and the goal) are noted by the periodic `check_milestones` task,
which compares each petition's count with the milestones it has reached already: a Milestone row
per number, unique, so that none is announced twice even when two runs overlap.
"""

import logging
import smtplib
from datetime import timedelta

from django.conf import settings
from django.contrib.auth import get_user_model
from django.contrib.auth.models import AbstractBaseUser
from django.core.mail import EmailMultiAlternatives
from django.db import IntegrityError, transaction
from django.template.loader import render_to_string
from django.urls import reverse
from django.utils import timezone, translation
from django_tasks import task

from firma.core import events as events
from firma.core import periodic as periodic
from firma.organiser.audit import services as audit
from firma.organiser.audit.services import Action
from firma.organiser.lifecycle.models import Milestone
from firma.petitions import counting
from firma.petitions.models import Petition
from firma.tenancy.models import Membership

logger = logging.getLogger("firma.lifecycle")

CLOSE_INTERVAL = timedelta(minutes=5)
MILESTONE_INTERVAL = timedelta(seconds=30)
FIRST_MILESTONE = 100

Status = Petition.Status
# Which status each lifecycle step starts from.
CLOSABLE = [Status.OPEN]
ARCHIVABLE = [Status.CLOSED]


@transaction.atomic
def close(petition: Petition, user: AbstractBaseUser | None = None) -> bool:
    """Stop `petition` taking signatures; False if it was not open (closed meanwhile, say)."""
    locked = Petition.objects.select_for_update().get(pk=petition.pk)
    if locked.status not in CLOSABLE:
        return False
    locked.change_status(Status.CLOSED)
    locked.save(update_fields=["status", "closed_at"])
    petition.status, petition.closed_at = locked.status, locked.closed_at
    closed(petition, user)
    return True


def closed(petition: Petition, user: AbstractBaseUser | None) -> None:
    """Record and announce that `petition` was closed, in the transaction that closed it."""
    audit.record(petition, user, Action.CLOSED if user else Action.CLOSED_ON_DATE)
    events.petition_closed.send(Petition, petition=petition)


@transaction.atomic
def archive(petition: Petition, user: AbstractBaseUser | None = None) -> bool:
    """Archive a closed petition; False if it was not closed."""
    locked = Petition.objects.select_for_update().get(pk=petition.pk)
    if locked.status not in ARCHIVABLE:
        return False
    locked.change_status(Status.ARCHIVED)
    locked.save(update_fields=["status", "closed_at"])
    petition.status, petition.closed_at = locked.status, locked.closed_at
    audit.record(petition, user, Action.ARCHIVED)
    return True


def due_for_closing() -> list[Petition]:
    """Open petitions whose closing day is over."""
    return list(
        Petition.objects.filter(status=Status.OPEN, closes_on__lt=timezone.localdate()).order_by(
            "pk"
        )
    )


def close_due() -> list[Petition]:
    """Close every petition whose closing day is over; returns those closed now."""
    return [petition for petition in due_for_closing() if close(petition)]


@task()
def close_due_petitions() -> None:
    """Close the petitions past their closing day, then queue the next check."""
    try:
        close_due()
    finally:
        periodic.schedule(close_due_petitions, run_after=timezone.now() + CLOSE_INTERVAL)


# Milestones


def milestones_up_to(count: int, goal: int | None) -> list[int]:
    """The milestones a petition with `count` signatures has reached, smallest first."""
    reached = set()
    number = FIRST_MILESTONE
    while number <= count:
        reached.add(number)
        number *= 10
    if goal and goal <= count:
        reached.add(goal)
    return sorted(reached)


def note_milestones(petition: Petition) -> list[Milestone]:
    """Note the milestones `petition` reached since the last look; returns the new ones.

    When several are reached at once (an import, or the first look at a large petition), each
    is noted and announced as an event, but the members get one e-mail, about the largest.
    """
    known = set(petition.milestones.values_list("number", flat=True))
    new = [
        number
        for number in milestones_up_to(counting.total(petition), petition.goal)
        if number not in known
    ]
    noted = []
    with transaction.atomic():
        for number in new:
            try:
                with transaction.atomic():
                    noted.append(Milestone.objects.create(petition=petition, number=number))
            except IntegrityError:
                continue  # noted by a run at the same moment
            events.milestone_reached.send(Petition, petition=petition, number=number)
        if noted:
            for user_id in members_to_tell(petition):
                send_milestone_email.enqueue(noted[-1].pk, user_id)
    return noted


def members_to_tell(petition: Petition) -> list[int]:
    if petition.organisation_id is None:
        return []
    return list(
        Membership.objects.filter(organisation_id=petition.organisation_id, user__is_active=True)
        .exclude(user__email="")
        .order_by("user_id")
        .values_list("user_id", flat=True)
    )


def note_all_milestones() -> list[Milestone]:
    noted = []
    for petition in Petition.objects.public().exclude(status=Status.ARCHIVED).order_by("pk"):
        noted.extend(note_milestones(petition))
    return noted


@task()
def check_milestones() -> None:
    """Note the milestones reached, then queue the next check."""
    try:
        note_all_milestones()
    finally:
        periodic.schedule(check_milestones, run_after=timezone.now() + MILESTONE_INTERVAL)


def milestone_email(milestone: Milestone, user: AbstractBaseUser) -> EmailMultiAlternatives:
    petition = milestone.petition
    with translation.override(settings.LANGUAGE_CODE):
        dashboard = reverse("admin:petitions_petition_dashboard", args=[petition.pk])
        context = {
            "user": user,
            "milestone": milestone,
            "petition": petition,
            "text": petition.text_for(petition.default_language),
            "is_goal": milestone.number == petition.goal,
            "petition_url": settings.BASE_URL + petition.get_absolute_url(),
            "dashboard_url": settings.BASE_URL + dashboard,
        }
        subject = render_to_string("organiser/email/milestone_subject.txt", context)
        message = EmailMultiAlternatives(
            subject=" ".join(subject.split()),
            body=render_to_string("organiser/email/milestone.txt", context),
            to=[user.email],
        )
        message.attach_alternative(
            render_to_string("organiser/email/milestone.html", context), "text/html"
        )
    return message


@task()
def send_milestone_email(milestone_id: int, user_id: int, attempt: int = 1) -> None:
    milestone = Milestone.objects.select_related("petition").filter(pk=milestone_id).first()
    user = get_user_model().objects.filter(pk=user_id, is_active=True).first()
    if milestone is None or user is None or not user.email:
        return
    try:
        milestone_email(milestone, user).send()
    except (smtplib.SMTPException, OSError) as error:
        delays = settings.EMAIL_RETRY_DELAYS
        if attempt > len(delays):
            logger.error("Giving up milestone e-mail to user %s: %s", user_id, error)
            return
        logger.warning("Milestone e-mail to user %s failed (%s), retrying", user_id, error)
        later = send_milestone_email.using(
            run_after=timezone.now() + timedelta(seconds=delays[attempt - 1])
        )
        later.enqueue(milestone_id, user_id, attempt=attempt + 1)


PERIODIC = [close_due_petitions, check_milestones]
