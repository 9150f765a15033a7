"""A closed petition that was delivered and answered, its outcome, and the archive: axe-clean
in every language, on a phone without sideways scrolling, and readable without JavaScript."""

import pytest
from playwright.sync_api import expect

from tests.browser.conftest import log_in, translated

SLUG = "answered-petition"
# Run in the live firma's own database with `manage.py shell`: a closed petition addressed to
# two targets, delivered a month ago; one answered (with a follow-up and a Spanish translation),
# one answer came by post, and nobody else answered.
SETUP = f"""
from datetime import timedelta
from django.utils import timezone
from firma.organiser.responses import services
from firma.petitions.models import Delivery, Petition, PetitionText, Response, Target

now = timezone.now()
petition, created = Petition.objects.get_or_create(
    slug="{SLUG}",
    defaults={{"status": "closed", "response_days": 14, "closed_at": now}},
)
if created:
    PetitionText.objects.create(
        petition=petition, language="en", title="Safe bridges", body="Repair the bridges."
    )
    targets = [
        Target.objects.create(petition=petition, name=name, role=role, position=number)
        for number, (name, role) in enumerate(
            [("Ana Alves", "Minister"), ("Bruno Bento", "Mayor"), ("Carla Cruz", "Governor")]
        )
    ]
    delivery = Delivery.objects.create(
        petition=petition, method="offline", signature_count=1234,
        delivered_at=now - timedelta(days=30),
    )
    delivery.targets.set(targets)
    answers = [
        (targets[0], "We will **repair** them.", "link", "", 20),
        (targets[1], "The council agrees.", "entered", "post", 10),
        (targets[0], "Work starts in May.", "link", "", 5),
    ]
    for target, text, source, via, days in answers:
        response = Response.objects.create(
            petition=petition, target=target, text=text, language="en", source=source,
            received_via=via, received_at=now - timedelta(days=days), delivery=delivery,
            translations={{"es": "Las **repararemos**."}},
        )
        services.publish(response, None)
    services.record_outcome(petition, None, "partly_won", "Two bridges of three.")
"""


@pytest.fixture
def answered(live) -> str:
    live.manage("shell", "-c", SETUP)
    return SLUG


@pytest.mark.parametrize("language", ["en", "es", "fr", "pt", "ar"])
def test_an_answered_petition_and_the_archive_pass_axe(person, answered, language):
    reader = person("phone", check_accessibility=True)
    page = reader.open(f"/{language}/p/{answered}/")
    expect(page.locator("#outcome")).to_be_visible()
    expect(page.locator(".response")).to_have_count(3)
    expect(page.locator(".silence li")).to_have_count(1)
    expect(page.locator("#timeline li")).not_to_have_count(0)
    reader.open(f"/{language}/?status=closed")
    expect(page.locator(".petition-list")).to_contain_text("Safe bridges")
    reader.open(f"/{language}/?outcome=nonsense")  # the clear page of a bad filter
    assert reader.violations == []


def test_the_archive_filters_and_the_original_open_without_javascript(person, answered):
    reader = person("desktop", javascript=False)
    page = reader.open("/es/")
    page.get_by_label(translated("es", "Outcome")).select_option("partly_won")
    with reader.leaving():
        page.get_by_role("button", name=translated("es", "Show")).click()
    assert "outcome=partly_won" in page.url
    with reader.leaving():
        page.get_by_role("link", name="Safe bridges").click()
    translation = page.locator(".response").first
    expect(translation).to_contain_text("Las repararemos.")
    translation.locator("summary").click()
    expect(translation.locator("details .body")).to_contain_text("We will repair them.")


NEW_PENDING = f"""
from firma.petitions.models import Petition, Response
petition = Petition.objects.get(slug="{SLUG}")
response = Response.objects.create(
    petition=petition, target=petition.targets.last(), text="We need more time.",
    language="en", source="link",
)
print(petition.pk, response.pk)
"""


def test_the_organisers_pages_about_responses_pass_axe(person, organiser, answered, live):
    petition, pending = live.manage("shell", "-c", NEW_PENDING).split()[-2:]
    ana = person("desktop", check_accessibility=True)
    log_in(ana)
    base = f"/admin/petitions/petition/{petition}/"
    for path in [
        "responses/new/",
        f"responses/{pending}/decline/",
        f"responses/{pending}/translate/",
        "outcome/",
        "responses/",
    ]:
        ana.open(base + path)
    page = ana.page
    expect(page.locator(f"#response-{pending}")).to_contain_text("We need more time.")
    with ana.leaving():
        page.locator(f"form[action$='/responses/{pending}/publish/'] input[type=submit]").click()
    expect(page.locator(".messagelist")).to_contain_text("published")
    assert ana.violations == [], "\n".join(ana.violations)
