"""Signing and confirming: the two changes a signer makes. They take a cleaned Submission,
never a form or a request."""

import contextlib
import threading
from dataclasses import dataclass

from django.db import IntegrityError, connection, transaction
from django.db.models import Q
from django.utils import timezone

from firma.core import events as events
from firma.core.clients import Client
from firma.core.turns import WriteTurn
from firma.petitions import counting
from firma.petitions.consents import services as consents
from firma.petitions.mail import cooldown, suppression
from firma.petitions.mail import tasks as tasks
from firma.petitions.models import Signature
from firma.petitions.rules import mailboxes
from firma.petitions.signing import facts
from firma.petitions.signing.submission import Submission
from firma.petitions.versions import services as versions

# What a new submission may replace in an unconfirmed signature with the same address.
SUBMITTED_FIELDS = [
    # Signing again sends a new link: its unconfirmed signature is kept as long as that link
    # works (retention.expired_unconfirmed).
    "created_at",
    "full_name",
    "affiliation",
    "country",
    "comment",
    "public",
    "news_opt_in",
    "answers",
    "organisation_news",
    "language",
    "ip_hash",
    "user_agent_family",
    "fill_seconds",
    "challenge_used",
    "flags",
    "source",
    "referrer",
    "kind",
    "organisation_name",
    "organisation_position",
    "organisation_website",
    "partner",
]


def sign(submission: Submission, language: str, client: Client) -> None:
    """Record a valid submission and e-mail the address.

    A new address gets a confirmation link. For an address that has signed this petition
    already, nothing new is created: an unconfirmed signature takes the new details and gets a
    fresh link (the confirmation page shows what will be published), a confirmed one stays as
    it is and gets a short note; either only if the address had no e-mail about the petition
    within the hour (mail.cooldown). An address that said "this wasn't me" gets nothing, and
    nothing is stored. The person at the keyboard sees the same either way, so the form
    reveals nobody's signature. A submission that tripped the honeypot is kept for the
    organiser to judge, and no e-mail is sent for it.
    """
    signature = Signature(
        petition=submission.petition,
        full_name=submission.full_name,
        affiliation=submission.affiliation,
        country=submission.country,
        email=submission.email,
        mailbox=mailboxes.mailbox(submission.email),
        email_domain=submission.email.rpartition("@")[2],
        comment=submission.comment,
        public=submission.public,
        news_opt_in=submission.news_opt_in,
        answers=submission.answers,
        organisation_news=submission.organisation_news,
        source=submission.source,
        referrer=submission.referrer,
        language=language,
        ip_hash=client.ip_hash,
        user_agent_family=client.user_agent_family,
        fill_seconds=submission.fill_seconds,
        challenge_used=submission.challenge_used,
        flags=" ".join(submission.flags),
        version=facts.of(submission.petition).version,  # read only: see with_versions
        kind=submission.kind,
        organisation_name=submission.organisation_name,
        organisation_position=submission.organisation_position,
        organisation_website=submission.organisation_website,
        partner_id=submission.partner_id,
    )
    # What the signer was shown and chose, recorded with the signature it ends up in.
    signature.consents_shown = (submission.consents, submission.channel)
    if facts.of(signature.petition).any_suppressed and suppression.is_suppressed(
        signature.petition_id, signature.email
    ):
        return  # the address said it never signed: nothing is stored, nothing is sent
    if submission.confirmed_upstream:
        with write_turn():
            store_confirmed(signature)
    elif "honeypot" in submission.flags:
        store_unsent(signature)
    else:
        signature.emailed_at = timezone.now()  # its link is queued with it
        group_commit.write(signature)


def store_unsent(signature: Signature) -> None:
    """Keep a honeypot's catch, but never over what a person sent."""
    try:
        with transaction.atomic():
            signature.save()
            record_consents([signature])
    except IntegrityError:
        pass


def record_consents(signatures: list[Signature], into: Signature | None = None) -> None:
    """The consents shown to each signer, recorded for their signature (or for `into`, the
    signature with the same address that took their details), in one go."""
    consents.record(
        (into or signature, *getattr(signature, "consents_shown", ([], "")))
        for signature in signatures
    )


def store_one(signature: Signature) -> None:
    """Store a signature alone and queue its e-mail, in one transaction: both, or neither."""
    try:
        with transaction.atomic():
            signature.save()
            record_consents([signature])
            tasks.send_confirmation_request.enqueue(signature.pk)
        return
    except IntegrityError:
        pass
    with transaction.atomic():
        # The same mailbox through another variant of the address counts as the same address.
        existing = (
            Signature.objects.select_for_update()
            .filter(Q(mailbox=signature.mailbox) | Q(email=signature.email))
            .filter(petition=signature.petition)
            .order_by("pk")
            .first()
        )
        if existing is None:  # erased or deleted meanwhile: store it as new
            signature.save()
            record_consents([signature])
            tasks.send_confirmation_request.enqueue(signature.pk)
            return
        # One e-mail an hour at most, however often the form is sent: it cannot be used to
        # flood a mailbox. The answer on the page is the same either way.
        if existing.status == Signature.Status.CONFIRMED:
            if cooldown.claim(existing.pk):
                tasks.send_already_signed_note.enqueue(existing.pk)
            return
        for field in SUBMITTED_FIELDS:
            setattr(existing, field, getattr(signature, field))
        existing.save(update_fields=SUBMITTED_FIELDS)
        # The consents are the ones of the form sent last, like the other details: its
        # records come after the earlier ones, and so are in force.
        record_consents([signature], into=existing)
        if cooldown.claim(existing.pk):
            tasks.send_confirmation_request.enqueue(existing.pk)


def store_confirmed(signature: Signature) -> None:
    """Store and count a signature a partner's own double opt-in confirmed; no e-mail is sent.
    An address already on the petition keeps its signature, which counts from now on."""
    signature.version = signature.version or versions.current(signature.petition)
    signature.confirmed_upstream = True
    try:
        with transaction.atomic():
            signature.save()
            record_consents([signature])
            confirm(signature)
        return
    except IntegrityError:
        pass
    existing = (
        Signature.objects.filter(Q(mailbox=signature.mailbox) | Q(email=signature.email))
        .filter(petition=signature.petition)
        .order_by("pk")
        .first()
    )
    if existing is not None and existing.status == Signature.Status.PENDING:
        with transaction.atomic():
            Signature.objects.filter(pk=existing.pk).update(confirmed_upstream=True)
            confirm(existing)


@dataclass(eq=False)
class Waiting:
    signature: Signature
    done: bool = False  # its writer is through with it
    stored: bool = False
    error: Exception | None = None

    def outcome(self) -> None:
        if not self.stored:
            raise self.error or RuntimeError("The signature's writer stopped before writing it")


class GroupCommit:
    """New signatures that a process's threads receive together, written in one transaction.

    On a viral day most of a sign POST's database time is the transaction around one row and
    its e-mail task, and the threads of a process (and the processes, on SQLite) queue for the
    write lock. Here a thread with a signature to write either writes, in its own transaction
    on its own connection, every signature waiting at that moment (with one task for their
    e-mails), or, if another thread is writing, waits for it and then writes what gathered
    meanwhile. Alone, a thread writes its own at once: there is no timer, so a quiet site pays
    no delay. Every thread returns only once its signature is committed, or raises what
    prevented it, so an answer still means the signature is stored.

    A batch that meets an address already on the petition (from another batch, process or
    server) is rolled back and each of its signatures is stored alone, the usual way. On
    SQLite, the writers of all processes take turns on a lock file (write_turn).
    """

    def __init__(self) -> None:
        self.waiting: list[Waiting] = []
        self.busy = False
        self.turn = threading.Condition()

    def write(self, signature: Signature) -> None:
        entry = Waiting(signature)
        with self.turn:
            self.waiting.append(entry)
            while self.busy and not entry.done:
                self.turn.wait()
            if entry.done:
                return entry.outcome()
            self.busy = True
            batch, self.waiting = self.waiting, []
        try:
            self.write_batch(batch)
        finally:
            with self.turn:
                for other in batch:
                    other.done = True
                self.busy = False
                self.turn.notify_all()
        entry.outcome()

    def write_batch(self, batch: list[Waiting]) -> None:
        with write_turn():
            with_versions(batch)
            self.write_entries(batch)

    def write_entries(self, batch: list[Waiting]) -> None:
        """Each entry written, or given the error that prevented it."""
        if len(batch) > 1:
            try:
                if self.write_together([entry.signature for entry in batch]):
                    for entry in batch:
                        entry.stored = True
                    return
            except Exception as error:
                for entry in batch:
                    entry.error = error
                return
        for entry in batch:
            try:
                store_one(entry.signature)
                entry.stored = True
            except Exception as error:
                entry.error = error

    def write_together(self, signatures: list[Signature]) -> bool:
        """All the signatures and one task for their e-mails, or, if one of them repeats an
        address already stored or in the batch, nothing (and False)."""
        if len({(s.petition_id, s.mailbox) for s in signatures}) < len(signatures):
            return False
        try:
            with transaction.atomic():
                Signature.objects.bulk_create(signatures)
                record_consents(signatures)
                tasks.send_confirmation_requests.enqueue([s.pk for s in signatures])
            return True
        except IntegrityError:
            for signature in signatures:
                signature.pk = None
                signature._state.adding = True
            return False


def with_versions(batch: list[Waiting]) -> None:
    """Give the signatures of a petition without any version yet (opened before versions were
    kept, or outside the admin) its first one. Here, in the writers' turn, rather than where
    the form is read: threads signing at once would all try to write it together."""
    for entry in batch:
        if entry.signature.version_id is None:
            entry.signature.version = versions.current(entry.signature.petition)


group_commit = GroupCommit()

_turns: dict[str, WriteTurn] = {}


def write_turn() -> contextlib.AbstractContextManager:
    """On a SQLite file, the signature writers of all processes take turns (firma.core.turns)."""
    if connection.vendor != "sqlite" or connection.is_in_memory_db():
        return contextlib.nullcontext()
    name = str(connection.settings_dict["NAME"])
    if name not in _turns:
        _turns[name] = WriteTurn(f"{name}-signers.lock")
    return _turns[name]


@transaction.atomic
def confirm(signature: Signature) -> None:
    """Count a pending signature. Confirming twice changes nothing."""
    now = timezone.now()
    changed = Signature.objects.filter(pk=signature.pk, status=Signature.Status.PENDING).update(
        status=Signature.Status.CONFIRMED, confirmed_at=now
    )
    if not changed:
        return
    signature.status, signature.confirmed_at = Signature.Status.CONFIRMED, now
    if signature.invalidation_id is None:
        counting.record(signature.petition_id, signature.country, 1)
    events.signature_confirmed.send(Signature, signature=signature)
