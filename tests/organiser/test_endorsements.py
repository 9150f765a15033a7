"""Endorsements: signing on behalf of an organisation, confirming by e-mail, and the organisers'
verdict, which decides what the page lists; the count holds each endorsement once."""

import io

import pytest
from django.urls import reverse
from pypdf import PdfReader

from firma.organiser.audit.models import AuditEntry
from firma.petitions import counting
from firma.petitions.models import Signature
from firma.tenancy.models import Membership
from tests.conftest import confirmation_path, run_worker, sign, url

from .conftest import as_member

pytestmark = pytest.mark.django_db

ORGANISATIONS = [
    # (address, organisation, website, country)
    ("rosa@metal-union.example", "Metal Workers' Union", "https://www.metal-union.example", "BR"),
    ("jo@gmail.example", "Syndicat des Eaux", "eaux.example", "FR"),
    ("li@farmers.example", "Farmers' League", "", "BR"),
]


def endorse(client, petition, address, organisation, website, country, number, **overrides):
    fields = {
        "signing_as": "organisation",
        "full_name": f"Signer {number}",
        "organisation_name": organisation,
        "organisation_position": "Secretary",
        "organisation_website": website,
        "country": country,
        "email": address,
        "organization": "",
    }
    return sign(client, petition, REMOTE_ADDR=f"10.1.0.{number}", **{**fields, **overrides})


def confirm_all(client, mailbox) -> None:
    run_worker()
    for message in mailbox.messages:
        assert client.post(confirmation_path(message)).status_code == 302


@pytest.fixture
def endorsed(client, petition_a, mailbox):
    """Three organisations and one individual signed petition A and confirmed."""
    for number, row in enumerate(ORGANISATIONS, start=1):
        assert endorse(client, petition_a, *row, number).status_code == 302
    assert sign(client, petition_a, REMOTE_ADDR="10.2.0.1", email="ivo@example.org").status_code
    confirm_all(client, mailbox)
    return petition_a


def review_url(petition, name="endorsements", *args) -> str:
    return reverse(f"admin:petitions_petition_{name}", args=[petition.pk, *args])


def page(client, petition) -> str:
    client.logout()
    return client.get(url("petitions:detail", slug=petition.slug)).text


def test_the_form_offers_both_ways_of_signing_without_script(client, petition_a):
    text = page(client, petition_a)
    assert 'name="signing_as" value="individual"' in text
    assert 'name="signing_as" value="organisation"' in text
    for name in ("organisation_name", "organisation_position", "organisation_website"):
        assert f'name="{name}"' in text
    assert "Only if you sign on behalf of an organisation" in text


def test_endorsements_are_confirmed_verified_and_shown_by_country(
    client, org_a, endorsed, django_capture_on_commit_callbacks
):
    stored = Signature.objects.filter(petition=endorsed)
    assert stored.filter(kind="organisation", status="confirmed").count() == 3
    union = stored.get(organisation_name="Metal Workers' Union")
    assert union.affiliation == "Secretary, Metal Workers' Union"
    assert union.organisation_website == "https://www.metal-union.example"
    assert stored.get(organisation_name="Syndicat des Eaux").organisation_website == (
        "https://eaux.example"
    )
    # Counted once each, with the individual; listed nowhere on the page before verification.
    counting.reconcile()
    assert counting.total(endorsed) == 4
    text = page(client, endorsed)
    assert "Endorsing organisations" not in text
    assert "Metal Workers" not in text
    assert "Signer 1" not in text  # organisations are never among the individual signers
    assert "Ana Souza" in text

    as_member(client, org_a, Membership.Role.MODERATOR)
    review = client.get(review_url(endorsed)).text
    assert "Metal Workers&#x27; Union" in review
    assert "at the organisation's website's domain (metal-union.example)" in review
    assert "at gmail.example, not at the organisation's website's domain" in review
    for signature in stored.filter(kind="organisation"):
        with django_capture_on_commit_callbacks(execute=True):
            response = client.post(review_url(endorsed, "endorsement_verify", signature.pk))
        assert response.status_code == 302
    assert AuditEntry.objects.filter(action="endorsement_verified").count() == 3

    text = page(client, endorsed)
    assert "3 organisations in 2 countries" in text
    brazil = text.index("<h3>Brazil")
    france = text.index("<h3>France")
    assert brazil < text.index("Farmers&#x27; League") < france
    assert brazil < text.index("Metal Workers&#x27; Union") < france
    assert france < text.index("Syndicat des Eaux")
    assert "(2)" in text[brazil:france]
    assert 'href="https://www.metal-union.example"' in text
    assert counting.total(endorsed) == 4


def test_a_declined_endorsement_counts_but_is_not_listed(client, org_a, endorsed):
    as_member(client, org_a, Membership.Role.MODERATOR)
    union = Signature.objects.get(organisation_name="Metal Workers' Union")
    league = Signature.objects.get(organisation_name="Farmers' League")
    client.post(review_url(endorsed, "endorsement_verify", league.pk))
    form = client.get(review_url(endorsed, "endorsement_decline", union.pk))
    assert form.status_code == 200
    assert client.post(review_url(endorsed, "endorsement_decline", union.pk)).status_code == 400
    response = client.post(
        review_url(endorsed, "endorsement_decline", union.pk), {"reason": "Not their union"}
    )
    assert response.status_code == 302
    union.refresh_from_db()
    assert union.verification == "declined"
    assert union.verification_reason == "Not their union"
    entry = AuditEntry.objects.get(action="endorsement_declined")
    assert entry.signature_id == union.pk
    assert "Not their union" in entry.detail

    text = page(client, endorsed)
    assert "1 organisation in 1 country" in text
    assert "Farmers&#x27; League" in text
    assert "Metal Workers" not in text
    counting.reconcile()
    assert counting.total(endorsed) == 4


def test_viewers_see_endorsements_but_may_not_verify(client, org_a, endorsed):
    as_member(client, org_a, Membership.Role.VIEWER)
    union = Signature.objects.get(organisation_name="Metal Workers' Union")
    assert client.get(review_url(endorsed)).status_code == 200
    assert client.post(review_url(endorsed, "endorsement_verify", union.pk)).status_code == 403
    union.refresh_from_db()
    assert union.verification == "pending"


def test_the_page_is_drawn_again_once_an_endorsement_is_verified(
    client, settings, org_a, endorsed, django_capture_on_commit_callbacks
):
    settings.PAGE_CACHE_SECONDS = 60
    before = page(client, endorsed)
    assert "Endorsing organisations" not in before
    as_member(client, org_a, Membership.Role.MODERATOR)
    union = Signature.objects.get(organisation_name="Metal Workers' Union")
    with django_capture_on_commit_callbacks(execute=True):
        client.post(review_url(endorsed, "endorsement_verify", union.pk))
    client.logout()
    first = client.get(url("petitions:detail", slug=endorsed.slug))
    second = client.get(url("petitions:detail", slug=endorsed.slug))
    assert "1 organisation in 1 country" in first.text
    assert first.content == second.content  # the same bytes for every reader
    assert first["ETag"] == second["ETag"]
    assert "public" in first["Cache-Control"]
    assert "Set-Cookie" not in first


@pytest.mark.parametrize(
    ("overrides", "field"),
    [
        ({"organisation_name": ""}, "organisation_name"),
        ({"organisation_position": "  "}, "organisation_position"),
        ({"country": "  "}, "country"),
        ({"organisation_website": "not a site"}, "organisation_website"),
        ({"signing_as": "company"}, "signing_as"),
    ],
)
def test_the_server_asks_what_signing_for_an_organisation_needs(
    client, petition_a, overrides, field
):
    address, organisation, website, country = ORGANISATIONS[0]
    fields = {"website": website, "country": country, **overrides}
    response = endorse(client, petition_a, address, organisation, number=1, **fields)
    assert response.status_code == 400
    assert f'id="id_{field}_error"' in response.text
    assert not Signature.objects.exists()


def test_an_individual_needs_no_organisation(client, petition_a):
    response = sign(
        client, petition_a, signing_as="individual", organisation_name="", organisation_position=""
    )
    assert response.status_code == 302
    signature = Signature.objects.get()
    assert signature.kind == "individual"
    assert signature.organisation_name == ""


def test_the_delivery_document_lists_the_organisations_first(client, org_a, endorsed):
    union = Signature.objects.get(organisation_name="Metal Workers' Union")
    eaux = Signature.objects.get(organisation_name="Syndicat des Eaux")
    as_member(client, org_a, Membership.Role.OWNER)
    for signature in (union, eaux):
        client.post(review_url(endorsed, "endorsement_verify", signature.pk))
    response = client.post(
        reverse("admin:petitions_petition_export", args=[endorsed.pk]),
        {"format": "pdf", "internal": "on"},
    )
    assert response.status_code == 200
    reader = PdfReader(io.BytesIO(b"".join(response.streaming_content)))
    text = "\n".join(page.extract_text() for page in reader.pages)
    heading = text.index("2 endorsing organisations")
    assert heading < text.index("Brazil (1)") < text.index("Metal Workers' Union")
    assert text.index("Metal Workers' Union") < text.index("metal-union.example")
    assert text.index("Syndicat des Eaux") < text.index("Signers")
    # The unverified one and the individual follow, among the signers.
    signers = text.index("Signers")
    assert signers < text.index("Signer 3") and signers < text.index("Ana Souza")
    assert "Signer 1" not in text  # an organisation is named, not the person who signed for it
