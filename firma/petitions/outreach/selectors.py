"""Reading a petition's outreach, for the public pages, the workspace, the feeds and the API:
its targets and deliveries, what a target is sent, published responses, the timeline of a
petition, silent targets, and the archive of petitions.

Everything here is read for the petition page, which the page cache renders at most once a
second per language: each lookup is one or two queries, and milestone dates, which only a
scan of the signatures can tell, are kept in the cache once found.
"""

from dataclasses import dataclass, field
from datetime import datetime, timedelta

from django.core.cache import cache
from django.db.models import (
    Case,
    Exists,
    F,
    IntegerField,
    OuterRef,
    Prefetch,
    QuerySet,
    Subquery,
    Value,
    When,
)
from django.shortcuts import get_object_or_404
from django.utils import timezone

from firma.petitions import counting
from firma.petitions.models import (
    Delivery,
    DeliveryRecipient,
    Petition,
    Response,
    Signature,
    Target,
)
from firma.petitions.outreach.tokens import recipient_id

# The first milestone on the timeline; the next ones are ten times the previous one (as the
# organisers' milestone e-mails count them).
FIRST_MILESTONE = 100
# How long a milestone's date is kept: it only moves if signatures before it are invalidated.
MILESTONE_SECONDS = 24 * 60 * 60


def targets_for(petition: Petition) -> QuerySet[Target]:
    return petition.targets.all()


def targets_with_address(petition: Petition) -> QuerySet[Target]:
    return petition.targets.exclude(email="")


def deliveries_for(petition: Petition) -> QuerySet[Delivery]:
    """The petition's deliveries, oldest first, each with its targets."""
    return petition.deliveries.prefetch_related(
        Prefetch("targets", queryset=Target.objects.order_by("position", "pk"))
    )


def recipient_for(token: str, salt: str) -> DeliveryRecipient:
    """The target and delivery a private link is for.

    Raises tokens.LinkExpired or tokens.LinkInvalid for a link that is not (or no longer)
    valid, and Http404 when its delivery was deleted.
    """
    found = recipient_id(token, salt)
    return get_object_or_404(
        DeliveryRecipient.objects.select_related("delivery__petition", "target"), pk=found
    )


def signatures_for_targets(petition: Petition) -> QuerySet[Signature]:
    """The signatures a target sees: confirmed, valid and not hidden by a moderator.

    Whether each name is shown is for names_shown() to say.
    """
    return Signature.objects.confirmed().filter(petition=petition, hidden=False)


def names_shown(petition: Petition) -> str:
    """Which signers a target sees by name: "all" (the petition delivers the names of signers
    who are not listed), or "listed" (the others appear as "not listed")."""
    return "all" if petition.deliver_unlisted_names else "listed"


@dataclass
class Thread:
    """One target's published responses: the first answer, then its follow-ups."""

    target: Target | None
    responses: list[Response] = field(default_factory=list)

    @property
    def first(self) -> Response:
        return self.responses[0]

    @property
    def follow_ups(self) -> list[Response]:
        return self.responses[1:]


@dataclass
class Moment:
    """One step on a petition's timeline. `kind` picks how the page words it."""

    kind: str  # opened, milestone, delivery, response, closed, outcome
    at: datetime
    number: int | None = None
    delivery: Delivery | None = None
    response: Response | None = None

    @property
    def target_names(self) -> str:
        """Whom a delivery went to, for the timeline's sentence."""
        targets = self.delivery.targets.all() if self.delivery else []
        return ", ".join(target.name for target in targets)

    @property
    def anchor(self) -> str:
        """A stable id for the step, for links from the feed to the page."""
        item = self.response or self.delivery
        if item is not None:
            return f"{self.kind}-{item.pk}"
        return f"{self.kind}-{self.number}" if self.number else self.kind


def published_responses(petition: Petition) -> QuerySet[Response]:
    """The petition's published responses, oldest answer first, with their targets."""
    return (
        petition.responses.published()
        .select_related("target")
        .order_by("received_at", "published_at", "pk")
    )


def response_threads(petition: Petition) -> list[Thread]:
    """The published responses grouped by target, each group in the order they answered; a
    later answer follows the first, never replaces it. Groups in the order of first answers."""
    threads: dict[int | None, Thread] = {}
    for response in published_responses(petition):
        key = response.target_id if response.target_id else -response.pk
        threads.setdefault(key, Thread(response.target)).responses.append(response)
    return list(threads.values())


def latest_responses(limit: int = 50) -> QuerySet[Response]:
    """The published responses of all public petitions, newest published first."""
    return (
        Response.objects.published()
        .filter(petition__in=Petition.objects.public())
        .select_related("target", "petition")
        .prefetch_related("petition__texts")
        .order_by("-published_at", "-pk")[:limit]
    )


def silent_targets(petition: Petition, now: datetime | None = None) -> list[tuple[Target, int]]:
    """(target, days since the petition was delivered to them) for each target whose time to
    answer (`response_days`) has passed without any published response from them."""
    if not petition.response_days:
        return []
    now = now or timezone.now()
    deadline = now - timedelta(days=petition.response_days)
    answered = Response.objects.published().filter(petition=petition).values("target_id")
    recipients = (
        DeliveryRecipient.objects.filter(
            delivery__petition=petition, delivery__delivered_at__lte=deadline
        )
        .exclude(target_id__in=Subquery(answered.filter(target__isnull=False)))
        .select_related("target", "delivery")
        .order_by("delivery__delivered_at", "target__position", "target_id")
    )
    silent: dict[int, tuple[Target, int]] = {}
    for recipient in recipients:
        days = (now - recipient.delivery.delivered_at).days
        silent.setdefault(recipient.target_id, (recipient.target, days))
    return list(silent.values())


def milestones_up_to(count: int, goal: int | None = None) -> list[int]:
    """The counts a petition with `count` signatures has passed: 100, 1,000 … and its goal."""
    reached = set()
    number = FIRST_MILESTONE
    while number <= count:
        reached.add(number)
        number *= 10
    if goal and goal <= count:
        reached.add(goal)
    return sorted(reached)


def milestones(petition: Petition) -> list[tuple[int, datetime]]:
    """(number, when the number-th counted signature was confirmed), smallest first."""
    found = []
    for number in milestones_up_to(counting.total(petition), petition.goal):
        key = f"firma:milestone:{petition.pk}:{number}"
        reached = cache.get(key)
        if reached is None:
            # The partial index of counted signatures by confirmation time serves this scan.
            reached = (
                petition.signatures.confirmed()
                .filter(confirmed_at__isnull=False)
                .order_by("confirmed_at", "pk")
                .values_list("confirmed_at", flat=True)[number - 1 : number]
                .first()
            )
            if reached is None:
                continue  # counted without a confirmation time (imported): no date to show
            cache.set(key, reached, MILESTONE_SECONDS)
        found.append((number, reached))
    return found


def timeline(petition: Petition) -> list[Moment]:
    """What happened to the petition, oldest first: opened, milestones, deliveries,
    responses, closed, outcome."""
    moments = [Moment("opened", petition.created_at)]
    moments += [Moment("milestone", at, number=number) for number, at in milestones(petition)]
    deliveries = petition.deliveries.prefetch_related("targets").order_by("delivered_at", "pk")
    moments += [Moment("delivery", d.delivered_at, delivery=d) for d in deliveries]
    moments += [
        Moment("response", r.received_at, response=r) for r in published_responses(petition)
    ]
    if petition.closed_at and petition.status != Petition.Status.OPEN:
        moments.append(Moment("closed", petition.closed_at))
    if petition.outcome and petition.outcome_at:
        moments.append(Moment("outcome", petition.outcome_at))
    order = {"opened": 0, "milestone": 1, "delivery": 2, "response": 3, "closed": 4, "outcome": 5}
    return sorted(moments, key=lambda moment: (moment.at, order[moment.kind]))


# The archive: the public index of petitions.

OPEN, CLOSED = "open", "closed"


def archive(status: str = "", outcome: str = "") -> QuerySet[Petition]:
    """Public petitions, open ones first (newest first), then the others (latest closed
    first), each with `latest_response_id`; narrowed to a status (open or closed) and an
    outcome when given."""
    still_open = Petition.objects.open().filter(pk=OuterRef("pk"))
    latest = (
        Response.objects.published()
        .filter(petition=OuterRef("pk"))
        .order_by("-published_at", "-pk")
        .values("pk")[:1]
    )
    petitions = (
        Petition.objects.public()
        .annotate(
            taking=Case(
                When(Exists(still_open), then=Value(1)),
                default=Value(0),
                output_field=IntegerField(),
            ),
            latest_response_id=Subquery(latest),
        )
        .prefetch_related("texts")
    )
    if status == OPEN:
        petitions = petitions.filter(taking=1)
    elif status == CLOSED:
        petitions = petitions.filter(taking=0)
    if outcome:
        petitions = petitions.filter(outcome=outcome)
    return petitions.order_by("-taking", F("closed_at").desc(nulls_last=True), "-created_at", "-pk")


def responses_by_id(ids: list[int]) -> dict[int, Response]:
    """The responses the archive's page shows, with their targets, in one query."""
    found = Response.objects.filter(pk__in=[pk for pk in ids if pk]).select_related("target")
    return {response.pk: response for response in found}


def response_of(petition: Petition, response_id: int | str) -> Response:
    """One response to `petition`, with its target; 404 for any other."""
    return get_object_or_404(
        Response.objects.select_related("target"), pk=response_id, petition=petition
    )


def responses_to_review(petition: Petition) -> dict[str, list[Response]]:
    """The organisers' list: pending responses first, then published, then declined."""
    found = {status: [] for status in Response.Status.values}
    for response in petition.responses.select_related("target").order_by("received_at", "pk"):
        found[response.status].append(response)
    return found
