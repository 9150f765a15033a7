"""Signing a petition, from the page to a confirmed signature, through HTTP and real SMTP."""

import re

import pytest
from django.test import Client

from firma.petitions import counting
from firma.petitions.models import Signature
from tests.conftest import confirmation_path, cool_down_passed, run_worker, sign, signing_data, url

pytestmark = pytest.mark.django_db(transaction=True)


def csrf_token(html: str) -> str:
    return re.search(r'name="csrfmiddlewaretoken" value="([^"]+)"', html).group(1)


def test_a_signer_signs_confirms_and_is_counted_and_listed(petition, mailbox):
    browser = Client(enforce_csrf_checks=True)
    page = browser.get(url("petitions:detail", slug=petition.slug))
    assert page.status_code == 200
    assert "Clean water for every school" in page.text
    assert "<strong>clean water</strong>" in page.text  # Markdown rendered

    data = signing_data(
        full_name="Łukasz Żółć",
        organization="Związek Nauczycielstwa",
        country="PL",
        email="Lukasz@Example.ORG",
        comment="Solidarność!",
    )
    # A browser says the form came from this site's own page; the page carries no token.
    own_page = {"HTTP_ORIGIN": "http://testserver", "HTTP_SEC_FETCH_SITE": "same-origin"}
    response = browser.post(url("petitions:sign", slug=petition.slug), data, **own_page)
    assert response.status_code == 302
    thanks = browser.get(response["Location"])
    assert "check your inbox" in thanks.text

    # Nothing counts before the e-mail is confirmed.
    assert counting.total(petition) == 0
    run_worker()
    [message] = mailbox.to("lukasz@example.org")
    assert "Clean water for every school" in message["Subject"]
    assert message.get_body(("html",)) is not None
    link = confirmation_path(message)
    assert "/confirm" in link

    # Opening the link (as a mail scanner would) changes nothing.
    confirm_page = browser.get(link)
    assert confirm_page.status_code == 200
    assert Signature.objects.get().status == Signature.Status.PENDING

    response = browser.post(link, {"csrfmiddlewaretoken": csrf_token(confirm_page.text)})
    assert response.status_code == 302
    assert "1 confirmed signature" in browser.get(response["Location"]).text

    signature = Signature.objects.get()
    assert signature.status == Signature.Status.CONFIRMED
    assert signature.email == "lukasz@example.org"
    page = browser.get(url("petitions:detail", slug=petition.slug))
    assert "Łukasz Żółć" in page.text
    assert "Związek Nauczycielstwa" in page.text
    assert "Solidarność!" in page.text
    assert "Poland" in page.text
    assert "lukasz@example.org" not in page.text.lower()
    assert re.search(r'class="number">1<', page.text)
    assert browser.get(f"/api/petitions/{petition.slug}").json()["signature_count"] == 1


def test_confirming_twice_is_harmless(client, petition, mailbox):
    sign(client, petition)
    run_worker()
    link = confirmation_path(mailbox.messages[0])
    assert client.post(link).status_code == 302
    first = Signature.objects.get().confirmed_at
    assert client.post(link).status_code == 302
    assert Signature.objects.get().confirmed_at == first
    assert counting.total(petition) == 1
    assert "already confirmed" in client.get(link).text


@pytest.mark.parametrize("spelling", ["ana@example.org", "ANA@example.org", " ana@EXAMPLE.org "])
def test_signing_again_creates_nothing_and_sends_a_fresh_link(client, petition, mailbox, spelling):
    first = sign(client, petition)
    cool_down_passed()  # within the hour, the details change but no link is sent (test_cooldown)
    again = sign(client, petition, email=spelling, full_name="Someone Else")
    # The person at the keyboard cannot tell the second time from the first.
    assert again.status_code == first.status_code == 302
    assert again["Location"] == first["Location"]
    assert Signature.objects.count() == 1
    # Unconfirmed details are only a claim: the latest one is what the address will confirm.
    assert Signature.objects.get().full_name == "Someone Else"

    run_worker()
    links = [confirmation_path(message) for message in mailbox.to("ana@example.org")]
    assert len(links) == 2
    assert "Someone Else" in client.get(links[1]).text  # the page shows what is confirmed
    client.post(links[1])  # the fresh link works
    assert counting.total(petition) == 1


def test_signing_again_after_confirming_sends_a_note(client, petition, mailbox):
    sign(client, petition)
    run_worker()
    client.post(confirmation_path(mailbox.messages[0]))
    cool_down_passed()

    response = sign(client, petition, full_name="Impostor")
    assert response.status_code == 302
    run_worker()
    note = mailbox.to("ana@example.org")[-1]
    assert "already signed" in note["Subject"]
    assert "/confirm" not in note.get_body(("plain",)).get_content()
    assert Signature.objects.count() == 1
    assert counting.total(petition) == 1
    assert Signature.objects.get().full_name == "Ana Souza"


def test_only_confirmed_signers_who_asked_are_listed(client, petition, mailbox):
    sign(client, petition, full_name="Listed Person", email="listed@example.org")
    sign(client, petition, full_name="Private Person", email="private@example.org", public=None)
    sign(client, petition, full_name="Pending Person", email="pending@example.org")
    run_worker()
    for address in ["listed@example.org", "private@example.org"]:
        client.post(confirmation_path(mailbox.to(address)[0]))

    page = client.get(url("petitions:detail", slug=petition.slug)).text
    assert "Listed Person" in page
    assert "Private Person" not in page
    assert "Pending Person" not in page
    assert counting.total(petition) == 2
    assert re.search(r'class="number">2<', page)
    assert '<progress max="100" value="2"' in page  # 2 of a goal of 100
