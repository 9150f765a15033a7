"""`manage.py generate_signatures`: realistic data in bulk, for size tests and exports."""

from io import StringIO

import pytest
from django.core.management import CommandError, call_command

from firma.petitions import counting
from firma.petitions.models import Signature

pytestmark = pytest.mark.django_db


def generate(*args) -> str:
    out = StringIO()
    call_command("generate_signatures", *args, stdout=out)
    return out.getvalue()


def test_it_adds_confirmed_signatures_that_count(client, petition):
    assert "Added 1200 signatures" in generate(petition.slug, "1200", "--batch", "500")
    generate(petition.slug, "300", "--seed", "2")
    assert counting.total(petition) == 1500
    by_country = dict(counting.by_country(petition))
    assert sum(by_country.values()) == 1500
    assert by_country["AR"] > by_country["JP"]
    assert Signature.objects.values("email").distinct().count() == 1500
    page = client.get(f"/en/p/{petition.slug}/")
    assert page.status_code == 200
    assert "1,500" in page.text


def test_a_share_can_stay_unconfirmed(petition):
    generate(petition.slug, "1000", "--pending", "0.5")
    pending = Signature.objects.pending().count()
    assert 400 < pending < 600
    assert counting.total(petition) == 1000 - pending


def test_mistakes_are_named(petition):
    with pytest.raises(CommandError, match="No petition with the slug 'nope'"):
        generate("nope", "10")
    with pytest.raises(CommandError, match="at least 1"):
        generate(petition.slug, "0")
