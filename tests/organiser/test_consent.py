"""Consent is the signer's: organisers withdraw a listing or news opt-in, never give one; and a
viewer sees no e-mail address in the signatures list, as in the exports they may download."""

import pytest

from firma.petitions.models import Signature
from firma.tenancy.models import Membership

from .conftest import add, as_member, member

pytestmark = pytest.mark.django_db

Role = Membership.Role


def change_url(signature: Signature) -> str:
    return f"/admin/petitions/signature/{signature.pk}/change/"


def edit(client, signature: Signature, **ticked: bool) -> int:
    data = {
        "full_name": signature.full_name,
        "affiliation": signature.affiliation,
        "country": signature.country,
        "comment": signature.comment,
    }
    data.update({name: "on" for name, on in ticked.items() if on})
    return client.post(change_url(signature), data).status_code


def test_a_moderator_cannot_list_a_signer_or_sign_them_up_for_news(client, org_a, petition_a):
    quiet = add(petition_a, "Quiet Signer", "quiet@example.org", public=False, news_opt_in=False)
    as_member(client, org_a, Role.MODERATOR)
    page = client.get(change_url(quiet)).text
    assert "Only the signer can give this consent" in page
    assert edit(client, quiet, public=True, news_opt_in=True) == 302
    quiet.refresh_from_db()
    assert (quiet.public, quiet.news_opt_in) == (False, False)


def test_a_moderator_can_withdraw_both_on_the_signers_request(client, org_a, petition_a):
    loud = add(petition_a, "Loud Signer", "loud@example.org", public=True, news_opt_in=True)
    as_member(client, org_a, Role.MODERATOR)
    assert edit(client, loud, public=False, news_opt_in=False) == 302
    loud.refresh_from_db()
    assert (loud.public, loud.news_opt_in) == (False, False)
    # And, once withdrawn, it cannot be given back here either.
    assert edit(client, loud, public=True, news_opt_in=True) == 302
    loud.refresh_from_db()
    assert (loud.public, loud.news_opt_in) == (False, False)


def test_a_viewer_sees_no_address_in_the_list_the_search_or_a_signature(
    client, org_a, petition_a, signature_a
):
    bounced = add(petition_a, "Bounced", "bounced@example.org", email_error="550 bounced@exa")
    as_member(client, org_a, Role.VIEWER)
    listing = client.get("/admin/petitions/signature/").text
    assert "Alice Alpha" in listing
    assert "alice@a-mail.example" not in listing
    found = client.get("/admin/petitions/signature/", {"q": "alice@a-mail.example"}).text
    assert "Alice Alpha" not in found
    for signature in (signature_a, bounced):
        page = client.get(change_url(signature)).text
        assert signature.full_name in page
        assert signature.email not in page
        assert "550 bounced" not in page
    # Nor in what they may export: the public version only.
    export = client.post(
        f"/admin/petitions/petition/{petition_a.pk}/export/",
        {"format": "csv", "columns": ["full_name", "email"], "internal": "on"},
    )
    assert export["Content-Type"].startswith("text/html")  # refused: the form again
    assert "E-mail addresses are only in internal exports." in export.text
    assert "alice@a-mail.example" not in export.text


def test_a_moderator_and_a_member_of_two_see_what_each_role_allows(
    client, org_a, org_b, petition_a, petition_b, signature_a, signature_b
):
    as_member(client, org_a, Role.MODERATOR)
    assert "alice@a-mail.example" in client.get("/admin/petitions/signature/").text
    both = member(org_a, Role.MODERATOR, "two-hats")
    Membership.objects.create(organisation=org_b, user=both, role=Role.VIEWER)
    client.force_login(both)
    listing = client.get("/admin/petitions/signature/").text
    assert "alice@a-mail.example" in listing
    assert "bob@b-mail.example" not in listing
    assert "Bob Bravo" in listing
