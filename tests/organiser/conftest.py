"""Two organisations, A and B, each with a petition and signatures, and their members."""

import pytest
from django.contrib.auth.models import User
from django.utils import timezone

from firma.petitions import counting
from firma.petitions.models import Petition, Signature
from firma.tenancy.models import Membership, Organisation
from tests.conftest import make_petition

PASSWORD = "correct horse battery staple"


def add(petition: Petition, name: str, email: str, **fields) -> Signature:
    fields.setdefault("status", Signature.Status.CONFIRMED)
    if fields["status"] == Signature.Status.CONFIRMED:
        fields.setdefault("confirmed_at", timezone.now())
    fields.setdefault("language", "en")
    fields.setdefault("email_domain", email.rpartition("@")[2])
    signature = Signature.objects.create(petition=petition, full_name=name, email=email, **fields)
    counting.record_signatures(Signature.objects.filter(pk=signature.pk), 1)
    return signature


def member(organisation: Organisation, role: str, username: str) -> User:
    user = User.objects.create_user(username, f"{username}@example.org", PASSWORD, is_staff=True)
    Membership.objects.create(organisation=organisation, user=user, role=role)
    return user


@pytest.fixture
def org_a(db) -> Organisation:
    return Organisation.objects.create(name="Union A", slug="union-a")


@pytest.fixture
def org_b(db) -> Organisation:
    return Organisation.objects.create(name="Campaign B", slug="campaign-b")


@pytest.fixture
def petition_a(org_a) -> Petition:
    return make_petition(
        slug="water-a", organisation=org_a, texts={"en": ("Water for A", "Text of A.")}
    )


@pytest.fixture
def petition_b(org_b) -> Petition:
    return make_petition(
        slug="secret-b",
        organisation=org_b,
        status=Petition.Status.DRAFT,
        texts={"en": ("Secret plan of B", "Text of B.")},
    )


@pytest.fixture
def signature_a(petition_a) -> Signature:
    return add(
        petition_a,
        "Alice Alpha",
        "alice@a-mail.example",
        ip_hash="a" * 32,
        flags="too_fast",
        country="PT",
    )


@pytest.fixture
def signature_b(petition_b) -> Signature:
    return add(
        petition_b,
        "Bob Bravo",
        "bob@b-mail.example",
        ip_hash="b" * 32,
        flags="honeypot",
        country="FR",
    )


@pytest.fixture
def editor_a(org_a) -> User:
    return member(org_a, Membership.Role.EDITOR, "editor-a")


@pytest.fixture
def client_a(client, editor_a):
    """The editor of A, logged in."""
    client.force_login(editor_a)
    return client


def as_member(client, organisation: Organisation, role: str):
    client.force_login(member(organisation, role, f"{role}-{organisation.slug}"))
    return client
