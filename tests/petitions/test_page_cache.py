"""The petition page is rendered once and shared by anonymous readers (petitions/pages.py)."""

import time

import pytest
from django.test import Client

from firma.organiser.lifecycle import services as lifecycle
from firma.petitions.models import PetitionText, Signature
from firma.petitions.page import cache as pages
from firma.petitions.signing import services as petition_signing
from tests.conftest import signing_data, url

pytestmark = pytest.mark.django_db


@pytest.fixture(autouse=True)
def page_cache(settings):
    settings.PAGE_CACHE_SECONDS = 60


def test_readers_share_one_render_the_same_bytes_for_every_cache(petition):
    page = url("petitions:detail", slug=petition.slug)
    first, second = Client(enforce_csrf_checks=True), Client(enforce_csrf_checks=True)
    first_page = first.get(page)
    PetitionText.objects.filter(petition=petition).update(title="Changed meanwhile")
    second_page = second.get(page, HTTP_REFERER="https://union.example/news")

    assert "Clean water for every school" in second_page.text  # the shared copy
    assert "Changed meanwhile" not in second_page.text
    assert first_page.content == second_page.content
    assert "csrfmiddlewaretoken" not in second_page.text
    assert not second_page.cookies
    cache_control = second_page["Cache-Control"]
    assert "public" in cache_control and "max-age=60" in cache_control
    assert "stale-while-revalidate" in cache_control
    assert second_page["ETag"] == first_page["ETag"]

    again = Client().get(page, HTTP_IF_NONE_MATCH=first_page["ETag"])
    assert again.status_code == 304
    assert again.content == b""

    for number, client in enumerate([first, second]):
        data = signing_data(email=f"reader{number}@example.org")
        response = client.post(url("petitions:sign", slug=petition.slug), data)
        assert response.status_code == 302
    assert Signature.objects.count() == 2


def test_organisers_and_other_queries_get_their_own_render(petition, admin_client):
    page = url("petitions:detail", slug=petition.slug)
    Client().get(page)
    PetitionText.objects.filter(petition=petition).update(title="Changed meanwhile")
    assert "Changed meanwhile" in admin_client.get(page).text
    assert "Changed meanwhile" in Client().get(page + "?utm_campaign=x").text
    assert "Changed meanwhile" not in Client().get(page).text


def test_each_page_of_signers_and_each_language_is_its_own_copy(petition, settings):
    settings.SIGNERS_PER_PAGE = 1
    for name in ["Ana Listed", "Bo Listed"]:
        signature = Signature.objects.create(
            petition=petition, full_name=name, email=f"{name[:2]}@x.org", public=True
        )
        petition_signing.confirm(signature)
    page = url("petitions:detail", slug=petition.slug)
    assert "Bo Listed" in Client().get(page).text
    assert "Ana Listed" in Client().get(page + "?page=2").text
    spanish = Client().get(url("petitions:detail", "es", slug=petition.slug))
    assert spanish.status_code == 200
    assert 'lang="es"' in spanish.text


def test_the_cache_can_be_switched_off(petition, settings):
    settings.PAGE_CACHE_SECONDS = 0
    page = url("petitions:detail", slug=petition.slug)
    Client().get(page)
    PetitionText.objects.filter(petition=petition).update(title="Changed meanwhile")
    assert "Changed meanwhile" in Client().get(page).text


def test_while_one_reader_renders_the_page_again_the_others_get_the_previous_copy(
    petition, settings
):
    from django.core.cache import cache
    from django.test import RequestFactory
    from django.utils import translation

    settings.PAGE_CACHE_SECONDS = 0.05
    page = url("petitions:detail", slug=petition.slug)
    Client().get(page)
    PetitionText.objects.filter(petition=petition).update(title="Changed meanwhile")
    time.sleep(0.1)  # the copy is due for renewal
    with translation.override("en"):
        key = pages.shared_key(RequestFactory().get(page), petition.slug)
    cache.add(f"{key}:renewing", 1)  # someone is rendering it
    assert "Changed meanwhile" not in Client().get(page).text
    cache.delete(f"{key}:renewing")
    assert "Changed meanwhile" in Client().get(page).text  # this reader renders it


def test_a_petition_closed_here_refuses_signatures_at_once(petition, client):
    """Each process keeps the petition people sign for a while; its own changes reach it."""
    sign = url("petitions:sign", slug=petition.slug)
    assert client.post(sign, signing_data(email="first@example.org")).status_code == 302
    lifecycle.close(petition)
    assert client.post(sign, signing_data(email="second@example.org")).status_code == 409
    assert Signature.objects.count() == 1
