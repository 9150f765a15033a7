"""A petition with a question of each kind, imported from its files: its form passes axe-core
with its errors shown by the page and by the server, and signs with the answers."""

import uuid

import pytest
from playwright.sync_api import expect

from tests.browser.conftest import fill_in, sign_button, translated

SLUG = "nurses-ask"
ENGLISH = f"""+++
slug = "{SLUG}"
title = "Safe hours for nurses"
language = "en"
status = "open"

[[questions]]
key = "workplace"
kind = "short_text"
label = "Where do you work?"
help_text = "Your hospital or clinic."
required = true
public = true

[[questions]]
key = "story"
kind = "long_text"
label = "Your story"

[[questions]]
key = "shift"
kind = "choice"
label = "Which shift?"
choices = ["Morning", "Night"]
required = true

[[questions]]
key = "topics"
kind = "choices"
label = "Topics"
choices = ["Pay", "Hours"]

[[questions]]
key = "member"
kind = "checkbox"
label = "I am a union member"
required = true

[[questions]]
key = "years"
kind = "number"
label = "Years in the job"

[[questions]]
key = "postcode"
kind = "postal_code"
label = "Postal code"

[[questions]]
key = "phone"
kind = "phone"
label = "Telephone"
+++
Nurses need safe hours.
"""
SPANISH = f"""+++
slug = "{SLUG}"
title = "Horarios seguros para enfermeras"
language = "es"

[[questions]]
key = "workplace"
label = "¿Dónde trabajas?"
help_text = "Tu hospital o clínica."

[[questions]]
key = "shift"
label = "¿Qué turno?"
choices = ["Mañana", "Noche"]

[[questions]]
key = "member"
label = "Soy miembro del sindicato"

[[questions]]
key = "postcode"
label = "Código postal"
+++
Las enfermeras necesitan horarios seguros.
"""
WORDS = {
    "en": {
        "workplace": "Where do you work?",
        "night": "Night",
        "member": "I am a union member",
        "postcode": "Postal code",
    },
    "es": {
        "workplace": "¿Dónde trabajas?",
        "night": "Noche",
        "member": "Soy miembro del sindicato",
        "postcode": "Código postal",
    },
}


@pytest.fixture
def asking(live, tmp_path) -> str:
    files = []
    for name, content in [("en.md", ENGLISH), ("es.md", SPANISH)]:
        path = tmp_path / name
        path.write_text(content, encoding="utf-8")
        files.append(str(path))
    live.manage("import_petition", *files)
    return SLUG


@pytest.mark.parametrize("language", ["en", "es"])
def test_a_form_with_questions_passes_axe_and_signs(person, live, asking, language):
    nurse = person("phone", check_accessibility=True)
    page = nurse.open(f"/{language}/p/{asking}/")
    words = WORDS[language]
    expect(page.get_by_label(words["workplace"])).to_be_visible()

    sign_button(page, language).click()  # sent empty: checked in the page
    expect(page.locator("#error-summary")).to_be_focused()
    nurse.arrived("errors")
    with nurse.leaving():  # sent as it is, as a browser without JavaScript does
        page.evaluate("document.querySelector('.signing form').submit()")
    expect(page.locator("#error-summary")).to_be_focused()
    errors = page.locator("#error-summary")
    expect(errors).to_contain_text(translated(language, "Please answer this question."))
    expect(errors).to_contain_text(translated(language, "Please tick this box to sign."))

    email = f"{uuid.uuid4().hex[:12]}@example.org"
    fill_in(page, language, full_name="Nadia Nurse", email=email, country="DE")
    page.get_by_label(words["workplace"]).fill("Charité")
    page.get_by_label(words["night"]).check()
    page.get_by_label(words["member"]).check()
    page.get_by_label(words["postcode"]).fill("10117")
    with nurse.leaving():
        sign_button(page, language).click()
    expect(page.get_by_role("heading", level=1)).to_have_text(
        translated(language, "Almost done: check your inbox")
    )
    assert nurse.violations == []
    stored = live.manage(
        "shell",
        "-c",
        "from firma.petitions.models import Signature; "
        f"print(sorted(Signature.objects.get(email='{email}').answers.items()))",
    )
    assert "('shift', 'Night')" in stored
    assert "('postcode', '10117')" in stored
    assert "('member', True)" in stored
