"""Partner organisations: on the page, on the form, in share links, and in their own view."""

import csv
import io
import re
from pathlib import Path

import pytest
from django.core.management import CommandError, call_command
from django.test import Client
from PIL import Image

from firma.organiser.audit.models import AuditEntry
from firma.petitions.models import ConsentRecord, Partner, Petition, Signature
from firma.petitions.tokens import self_service_token
from firma.tenancy.models import Membership, Organisation
from tests.conftest import confirmation_path, petition_form_data, run_worker, sign, url

from .conftest import as_member

pytestmark = pytest.mark.django_db

FRIENDS = {
    "name": "Friends of the Earth",
    "website": "https://foe.example",
    "privacy_url": "https://foe.example/privacy",
    "opt_in": True,
}


def inline(number: int, **fields) -> dict:
    """One partner of the admin's inline formset, as the change form posts it."""
    values = {"position": str(number), "name": "", "slug": "", "website": "", "privacy_url": ""}
    values.update({key: value for key, value in fields.items() if key != "opt_in"})
    if fields.get("opt_in"):
        values["opt_in"] = "on"
    return {f"partners-{number}-{key}": value for key, value in values.items()}


def save_partners(client, petition: Petition, *partners: dict):
    data = petition_form_data(
        petition,
        **{"partners-TOTAL_FORMS": str(len(partners))},
        organisation=petition.organisation_id,
    )
    for number, fields in enumerate(partners):
        data.update(inline(number, **fields))
    return client.post(f"/admin/petitions/petition/{petition.pk}/change/", data)


@pytest.fixture
def partnered(client_a, petition_a, org_b) -> Petition:
    """Petition A, launched by Union A with Campaign B (on this site) and Friends (outside),
    both offering their own consent."""
    response = save_partners(
        client_a,
        petition_a,
        {"organisation": org_b.slug, "privacy_url": "https://b.example/privacy", "opt_in": 1},
        FRIENDS,
    )
    assert response.status_code == 302, response.content
    client_a.logout()
    return petition_a


def confirm_all(mailbox) -> None:
    run_worker()
    for message in mailbox.messages:
        assert Client().post(confirmation_path(message)).status_code == 302


def partners_given(signature: Signature) -> list[str]:
    """The slugs of the partners the signer's records in force give their consent to."""
    latest = signature.consents.filter(choice=ConsentRecord.Choice.PARTNER).latest_per_choice()
    return sorted(record.partner.slug for record in latest.values() if record.given)


def rows_of(response) -> list[dict]:
    assert response["Content-Type"].startswith("text/csv")
    content = b"".join(response.streaming_content).decode()
    return list(csv.DictReader(io.StringIO(content)))


def test_the_page_says_who_launched_it_with_whom_the_same_for_every_reader(partnered, settings):
    settings.PAGE_CACHE_SECONDS = 60
    page = url("petitions:detail", slug=partnered.slug)
    first, second = Client().get(page + "?via=campaign-b"), Client().get(page + "?via=campaign-b")

    assert "Launched by Union A with" in first.text
    assert "Campaign B" in first.text and "Friends of the Earth" in first.text
    assert first.content == second.content and first["ETag"] == second["ETag"]
    assert not second.cookies and "public" in second["Cache-Control"]
    assert 'name="via" value="campaign-b"' in first.text
    # Each partner's own box, unticked, with its privacy notice.
    boxes = re.findall(r'<input type="checkbox" name="partner_opt_in"[^>]*>', first.text)
    assert len(boxes) == 2 and not any("checked" in box for box in boxes)
    assert "Keep me informed about the campaigns of Campaign B." in first.text
    assert 'href="https://foe.example/privacy"' in first.text
    assert 'href="https://b.example/privacy"' in first.text

    spanish = Client().get(url("petitions:detail", "es", slug=partnered.slug))
    assert "Lanzada por Union A con" in spanish.text


def test_two_partners_bring_signers_and_each_sees_only_its_own_consents(
    partnered, org_b, mailbox, client
):
    sign(client, partnered, email="bea@example.org", via="campaign-b", partner_opt_in="campaign-b")
    sign(
        client,
        partnered,
        email="fred@example.org",
        via="friends-of-the-earth",
        partner_opt_in="friends-of-the-earth",
    )
    sign(client, partnered, email="carl@example.org", via="campaign-b")
    sign(
        client,
        partnered,
        email="olga@example.org",
        partner_opt_in=["campaign-b", "friends-of-the-earth"],
    )
    confirm_all(mailbox)
    campaign, friends = Partner.objects.order_by("position")
    assert Signature.objects.filter(partner=campaign).count() == 2
    assert Signature.objects.filter(partner=friends).count() == 1
    olga = Signature.objects.get(email="olga@example.org")
    assert olga.partner is None
    # The signer's own copy of their data names the consents they gave.
    token = self_service_token(olga)
    data = client.get(url("petitions:my_signature_data", slug=partnered.slug, token=token)).json()
    assert [consent["partner"] for consent in data["partner_consents"]] == [
        "Campaign B",
        "Friends of the Earth",
    ]

    partner_user = as_member(Client(), org_b, Membership.Role.PARTNER)
    view = partner_user.get(f"/admin/petitions/petition/{partnered.pk}/partners/{campaign.pk}/")
    assert view.status_code == 200
    assert "2 confirmed signatures brought by this partner." in view.text
    assert "2 signers agreed to hear from this partner." in view.text
    assert "1 signer it brought did not: counted only." in view.text
    assert "?via=campaign-b" in view.text and "data-via=&quot;campaign-b&quot;" in view.text
    assert "carl@example.org" not in view.text

    export = partner_user.post(
        f"/admin/petitions/petition/{partnered.pk}/partners/{campaign.pk}/consents.csv"
    )
    rows = rows_of(export)
    assert sorted(row["email"] for row in rows) == ["bea@example.org", "olga@example.org"]
    assert {row["brought_by_partner"] for row in rows if row["email"] == "bea@example.org"} == {
        "yes"
    }
    assert rows[0]["consent"] == (
        "Keep me informed about the campaigns of Campaign B.\n\n"
        "Privacy notice of Campaign B: https://b.example/privacy"
    )
    entry = AuditEntry.objects.get(action="partner_export")
    assert entry.petition == partnered and entry.detail == "Campaign B: 2"

    # The other partner's view and export are not theirs to see.
    other = f"/admin/petitions/petition/{partnered.pk}/partners/{friends.pk}/"
    assert partner_user.get(other).status_code == 404
    assert partner_user.post(other + "consents.csv").status_code == 404

    # The petition's moderator finds every partner's share link and view on its page...
    moderator = as_member(Client(), partnered.organisation, Membership.Role.MODERATOR)
    listing = moderator.get(f"/admin/petitions/petition/{partnered.pk}/partners/").text
    assert (
        "/p/water-a/?via=campaign-b" in listing
        and "/p/water-a/?via=friends-of-the-earth" in listing
    )
    assert other in listing
    # ...and exports the outside partner's consents, to hand over.
    rows = rows_of(moderator.post(other + "consents.csv"))
    assert sorted(row["email"] for row in rows) == ["fred@example.org", "olga@example.org"]
    # A viewer sees the figures, without the export.
    viewer = as_member(Client(), partnered.organisation, Membership.Role.VIEWER)
    assert viewer.get(other).status_code == 200
    assert viewer.post(other + "consents.csv").status_code == 403


def test_a_partners_embed_brings_its_signatures(partnered, client):
    partnered.allow_embedding = True
    partnered.save()
    frame = client.get(url("petitions:embed", slug=partnered.slug) + "?via=campaign-b")
    assert 'name="via" value="campaign-b"' in frame.text
    token = re.search(r'name="embed_token" value="([^"]+)"', frame.text).group(1)
    response = client.post(
        url("petitions:embed_sign", slug=partnered.slug),
        {
            "full_name": "Emb Edded",
            "organization": "Union",
            "country": "BR",
            "email": "emb@example.org",
            "via": "campaign-b",
            "embed_token": token,
        },
    )
    assert response.status_code == 302
    assert Signature.objects.get().partner.slug == "campaign-b"


def test_the_partner_role_sees_nothing_else(partnered, org_b, petition_b, signature_a):
    partner_user = as_member(Client(), org_b, Membership.Role.PARTNER)
    campaign = Partner.objects.get(slug="campaign-b")

    index = partner_user.get("/admin/")
    assert index.status_code == 200
    assert f"/admin/petitions/petition/{partnered.pk}/partners/{campaign.pk}/" in index.text
    for page in [
        f"/admin/petitions/petition/{partnered.pk}/change/",
        f"/admin/petitions/petition/{partnered.pk}/dashboard/",
        f"/admin/petitions/petition/{partnered.pk}/export/",
        f"/admin/petitions/petition/{partnered.pk}/moderation/",
        f"/admin/petitions/petition/{partnered.pk}/partners/",
        f"/admin/petitions/petition/{petition_b.pk}/change/",
        f"/admin/petitions/petition/{petition_b.pk}/dashboard/",
        f"/admin/petitions/signature/{signature_a.pk}/change/",
    ]:
        assert partner_user.get(page).status_code in (302, 403, 404), page
    signatures = partner_user.get("/admin/petitions/signature/")
    assert signatures.status_code == 403 or "alice@a-mail.example" not in signatures.text

    # Someone of a third organisation finds no partner view at all.
    stranger = as_member(
        Client(), Organisation.objects.create(name="C", slug="c"), Membership.Role.OWNER
    )
    view = f"/admin/petitions/petition/{partnered.pk}/partners/{campaign.pk}/"
    assert stranger.get(view).status_code == 404


def png_with_metadata() -> bytes:
    image = Image.new("RGB", (1200, 300), "navy")
    exif = Image.Exif()
    exif[0x010F] = "SecretCameraMaker"  # Make
    output = io.BytesIO()
    image.save(output, format="JPEG", exif=exif.tobytes(), comment=b"hidden note")
    return output.getvalue()


def test_a_logo_is_re_encoded_and_a_bad_one_refused(client_a, petition_a):
    from django.core.files.uploadedfile import SimpleUploadedFile

    bad = SimpleUploadedFile("logo.png", b"<svg onload=alert(1)></svg>", "image/png")
    data = petition_form_data(petition_a, **{"partners-TOTAL_FORMS": "1"})
    data["organisation"] = petition_a.organisation_id
    data.update(inline(0, name="Outside Org"))
    response = client_a.post(
        f"/admin/petitions/petition/{petition_a.pk}/change/", {**data, "partners-0-logo_file": bad}
    )
    assert response.status_code == 200
    assert "The logo could not be read as an image" in response.text
    assert not Partner.objects.exists()

    good = SimpleUploadedFile("logo.jpg", png_with_metadata(), "image/jpeg")
    response = client_a.post(
        f"/admin/petitions/petition/{petition_a.pk}/change/", {**data, "partners-0-logo_file": good}
    )
    assert response.status_code == 302
    partner = Partner.objects.get()
    page = Client().get(url("petitions:detail", slug=petition_a.slug)).text
    logo_url = re.search(r'<img src="([^"]*/logo\.png\?v=\w+)"', page).group(1)
    logo = Client().get(logo_url)
    assert logo.status_code == 200 and logo["Content-Type"] == "image/png"
    assert b"SecretCameraMaker" not in logo.content and b"hidden note" not in logo.content
    with Image.open(io.BytesIO(logo.content)) as image:
        assert image.format == "PNG" and not image.getexif()
        assert image.size[0] <= 256 and image.size[1] <= 80
    assert logo["ETag"] == f'"{partner.logo_version}"'

    huge = SimpleUploadedFile("big.png", b"\x89PNG" + b"0" * (2 * 1024 * 1024), "image/png")
    response = client_a.post(
        f"/admin/petitions/petition/{petition_a.pk}/change/",
        {
            **data,
            "partners-INITIAL_FORMS": "1",
            "partners-0-id": partner.pk,
            "partners-0-petition": petition_a.pk,
            "partners-0-logo_file": huge,
        },
    )
    assert "The logo is larger than 2 MB" in response.text


@pytest.mark.parametrize(
    ("partner", "message"),
    [
        (
            {"name": "No Notice", "opt_in": 1},
            "A partner that offers its own consent needs a privacy notice URL.",
        ),
        (
            {"website": "https://x.example"},
            "Give the partner&#x27;s name, or the slug of an organisation on this site.",
        ),
        ({"organisation": "nowhere"}, "No organisation on this site has the slug &#x27;nowhere"),
        ({"name": "X", "website": "javascript:alert(1)"}, "Please enter an address starting"),
    ],
)
def test_a_partner_is_checked_in_the_workspace(client_a, petition_a, partner, message):
    response = save_partners(client_a, petition_a, partner)
    assert response.status_code == 200
    assert message in response.text
    assert not Partner.objects.exists()


PETITION_FILE = """+++
slug = "water-a"
title = "Water for A"
language = "en"

[[partners]]
slug = "campaign-b"
opt_in = true
privacy_url = "https://b.example/privacy"

[[partners]]
name = "Friends of the Earth"
website = "https://foe.example"
privacy_url = "https://foe.example/privacy"
opt_in = false
+++
Text of A.
"""


def import_file(tmp_path: Path, content: str) -> None:
    path = tmp_path / "petition.md"
    path.write_text(content, encoding="utf-8")
    call_command("import_petition", path, stdout=io.StringIO())


def test_partners_come_from_the_petition_file(tmp_path, petition_a, org_b):
    import_file(tmp_path, PETITION_FILE)
    campaign, friends = Partner.objects.filter(petition=petition_a).order_by("position")
    assert (campaign.organisation, campaign.name, campaign.slug) == (
        org_b,
        "Campaign B",
        "campaign-b",
    )
    assert campaign.opt_in and campaign.privacy_url == "https://b.example/privacy"
    assert (friends.name, friends.slug, friends.website) == (
        "Friends of the Earth",
        "friends-of-the-earth",
        "https://foe.example",
    )
    assert not friends.opt_in and friends.organisation is None

    # Importing again keeps the partners (and what hangs on them), in the new order.
    reordered = PETITION_FILE.replace(
        'slug = "campaign-b"\nopt_in = true', 'slug = "campaign-b"\nopt_in = false'
    )
    import_file(tmp_path, reordered)
    assert Partner.objects.get(slug="campaign-b").pk == campaign.pk
    assert not Partner.objects.get(slug="campaign-b").opt_in


@pytest.mark.parametrize(
    ("table", "message"),
    [
        ('slug = "nowhere"', "No organisation on this site has the slug 'nowhere'"),
        ('name = "X"\nopt_in = true', "needs a privacy notice URL"),
        ('name = "X"\nopt_in = "yes"', "Must be true or false"),
        ('name = "X"\nlogo = "x.png"', "unknown key 'logo'"),
        (
            'website = "https://x.example"',
            "Give the partner's name, or the slug of an organisation on this site.",
        ),
    ],
)
def test_bad_partners_in_the_file_are_refused(tmp_path, petition_a, table, message):
    content = PETITION_FILE.split("[[partners]]")[0] + "[[partners]]\n" + table + "\n+++\nText.\n"
    with pytest.raises(CommandError, match=re.escape(message)):
        import_file(tmp_path, content)
    assert not Partner.objects.exists()


def test_a_partner_with_consents_is_not_removed_by_a_file(
    tmp_path, petition_a, org_b, client, mailbox
):
    import_file(tmp_path, PETITION_FILE)
    sign(client, petition_a, email="bea@example.org", partner_opt_in="campaign-b")
    run_worker()
    without = (
        PETITION_FILE.split("[[partners]]")[0] + "[[partners]]\n" + 'name = "Other"\n+++\nText.\n'
    )
    with pytest.raises(CommandError, match="consent records or API tokens refer to it"):
        import_file(tmp_path, without)
    assert Partner.objects.filter(slug="campaign-b").exists()


def test_a_partner_whose_signers_consented_is_not_deleted_with_their_consents(
    partnered, client, editor_a
):
    # Only Campaign B's box is shown, so only Campaign B is named in a record.
    Partner.objects.filter(slug="friends-of-the-earth").update(opt_in=False)
    sign(client, partnered, email="bea@example.org", partner_opt_in="campaign-b")
    campaign, friends = Partner.objects.order_by("position")
    data = petition_form_data(
        partnered,
        organisation=partnered.organisation_id,
        **{"partners-TOTAL_FORMS": "2", "partners-INITIAL_FORMS": "2"},
    )
    for number, partner in enumerate([campaign, friends]):
        data.update(
            inline(
                number,
                id=str(partner.pk),
                petition=str(partnered.pk),
                organisation=partner.organisation.slug if partner.organisation else "",
                name=partner.name,
                slug=partner.slug,
                website=partner.website,
                privacy_url=partner.privacy_url,
                opt_in=partner.opt_in,
            )
        )
    client.force_login(editor_a)
    response = client.post(
        f"/admin/petitions/petition/{partnered.pk}/change/",
        {**data, "partners-0-DELETE": "on", "partners-1-DELETE": "on"},
    )
    assert response.status_code == 200
    assert "would require deleting the following protected related objects" in response.text
    assert Partner.objects.count() == 2

    # One without consents goes.
    response = client.post(
        f"/admin/petitions/petition/{partnered.pk}/change/", {**data, "partners-1-DELETE": "on"}
    )
    assert response.status_code == 302
    assert list(Partner.objects.all()) == [campaign]


@pytest.mark.django_db(transaction=True)
def test_signatures_written_together_keep_their_partner_and_consents(petition_a):
    from tests.petitions.test_group_commit import sign_together

    partner = Partner.objects.create(
        petition=petition_a,
        slug="friends",
        name="Friends",
        **{"privacy_url": "https://foe.example/privacy", "opt_in": True},
    )
    addresses = [f"signer{n}@example.org" for n in range(4)]
    statuses = sign_together(petition_a, addresses, via="friends", partner_opt_in="friends")
    assert statuses == [302] * 4
    assert Signature.objects.filter(partner=partner).count() == 4
    given = ConsentRecord.objects.filter(partner=partner, given=True)
    assert sorted(given.values_list("signature__email", flat=True)) == addresses


def test_signing_again_before_confirming_keeps_the_last_forms_consents(partnered, client):
    sign(client, partnered, email="bea@example.org", partner_opt_in="campaign-b")
    sign(client, partnered, email="bea@example.org", partner_opt_in="friends-of-the-earth")
    signature = Signature.objects.get()
    assert partners_given(signature) == ["friends-of-the-earth"]


def test_a_petition_with_partner_consents_can_still_be_deleted(partnered, client, org_a):
    sign(client, partnered, email="bea@example.org", partner_opt_in="campaign-b")
    owner = as_member(Client(), org_a, Membership.Role.OWNER)
    delete = f"/admin/petitions/petition/{partnered.pk}/delete/"
    assert owner.get(delete).status_code == 200
    assert owner.post(delete, {"post": "yes"}).status_code == 302
    assert not Petition.objects.filter(pk=partnered.pk).exists()
    assert not Partner.objects.exists()


def test_a_signer_withdraws_the_consents_given_to_partners(partnered, client, mailbox):
    sign(client, partnered, email="bea@example.org", partner_opt_in=["campaign-b"])
    confirm_all(mailbox)
    signature = Signature.objects.get()
    mine = url("petitions:my_signature", slug=partnered.slug, token=self_service_token(signature))
    page = client.get(mine).text
    assert "News from the partners" in page and "Campaign B" in page
    withdraw = mine + "partners/"
    assert 'href="https://b.example/privacy"' in client.get(withdraw).text
    records = signature.consents.count()
    assert client.get(withdraw).status_code == 200
    assert signature.consents.count() == records  # opening the page changes nothing
    assert client.post(withdraw).status_code == 302
    assert partners_given(signature) == []
    assert Signature.objects.confirmed().count() == 1  # the signature stays
    withdrawn = signature.consents.get(choice=ConsentRecord.Choice.PARTNER, channel="self_service")
    assert withdrawn.partner.slug == "campaign-b" and not withdrawn.given
    assert withdrawn.wording.text == "Stop giving my details to the partners"
    page = client.get(mine).text
    assert f'href="{withdraw}"' not in page
    assert "Hearing from a partner: Campaign B" in page  # given, then withdrawn: both kept
    # Campaign B's export no longer holds the signer.
    owner = as_member(Client(), partnered.organisation, Membership.Role.OWNER)
    view = f"/admin/petitions/petition/{partnered.pk}/partners/{withdrawn.partner_id}/"
    export = view + "consents.csv"
    assert rows_of(owner.post(export)) == []
