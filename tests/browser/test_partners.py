"""A petition launched with partners: the page and its consent boxes pass axe-core, and a
signer brought by a partner's link ticks its box, without JavaScript too."""

import uuid

import pytest
from playwright.sync_api import expect

from tests.browser.conftest import fill_in, link_in, translated

COALITION = """+++
slug = "coalition"
title = "A coalition for clean rivers"
language = "en"
status = "open"

[[partners]]
name = "Friends of the Earth"
website = "https://foe.example"
privacy_url = "https://foe.example/privacy"
opt_in = true

[[partners]]
name = "River Keepers"
privacy_url = "https://rivers.example/privacy"
opt_in = true
+++
Rivers are for everyone.
"""


def press(person, language: str, button: str) -> None:
    with person.leaving():
        person.page.get_by_role("button", name=translated(language, button), exact=True).click()


@pytest.mark.parametrize(("language", "javascript"), [("en", True), ("ar", True), ("es", False)])
def test_a_partners_signer_ticks_its_box(person, live, tmp_path, language, javascript):
    path = tmp_path / "coalition.md"
    path.write_text(COALITION, encoding="utf-8")
    live.manage("import_petition", str(path))
    # axe-core runs in the page, so only with JavaScript.
    zoe = person("phone", javascript=javascript, check_accessibility=javascript)
    email = f"{uuid.uuid4().hex[:12]}@example.org"

    page = zoe.open(f"/{language}/p/coalition/?via=friends-of-the-earth")
    expect(page.locator(".partners")).to_contain_text("Friends of the Earth")
    expect(page.locator(".partners")).to_contain_text("River Keepers")
    fill_in(page, language, full_name="Zoë Partner", email=email)
    wording = translated(language, "Keep me informed about the campaigns of %(name)s.")
    box = page.get_by_label(wording % {"name": "Friends of the Earth"}, exact=True)
    expect(box).not_to_be_checked()
    box.check()
    press(zoe, language, "Sign")
    message = live.mail_to(email)
    zoe.open(link_in(message, "confirm"))
    press(zoe, language, "Confirm my signature")
    zoe.open(link_in(message, "my") + "partners/")  # where the signer can take it back
    expect(page.locator("main")).to_contain_text("Friends of the Earth")

    stored = live.manage(
        "shell",
        "-c",
        "from firma.petitions.models import Signature as S; "
        f"s = S.objects.get(email='{email}'); "
        "print(s.status, s.partner.slug, "
        "*s.partner_opt_ins.values_list('partner__slug', flat=True))",
    )
    assert stored.strip().splitlines()[-1].split() == [
        "confirmed",
        "friends-of-the-earth",
        "friends-of-the-earth",
    ]
    assert zoe.violations == []
