"""A petition's own questions: asked by the signing form in the page's language, judged by the
rules, kept with the signature, shown beside listed names when public, and erased with the
signer's data."""

import json

import pytest
from django.core.management import call_command

from firma.petitions.models import Question, Signature
from tests.conftest import confirmation_path, run_worker, sign, signing_data, url

pytestmark = pytest.mark.django_db


def ask(petition, key: str, kind: str, label: str, **fields) -> Question:
    fields.setdefault("position", petition.questions.count())
    return Question.objects.create(petition=petition, key=key, kind=kind, label=label, **fields)


@pytest.fixture
def questions(petition):
    """A question of each kind, in English with a Spanish translation."""
    ask(
        petition,
        "workplace",
        "short_text",
        "Where do you work?",
        help_text="Your employer or school.",
        required=True,
        public=True,
        translations={"es": {"label": "¿Dónde trabajas?", "help_text": "Tu empleador."}},
    )
    ask(
        petition,
        "story",
        "long_text",
        "Your story",
        translations={"es": {"label": "Tu historia"}},
    )
    ask(
        petition,
        "shift",
        "choice",
        "Which shift?",
        choices="Morning\nNight",
        required=True,
        public=True,
        translations={"es": {"label": "¿Qué turno?", "choices": ["Mañana", "Noche"]}},
    )
    ask(
        petition,
        "topics",
        "choices",
        "Topics you care about",
        choices="Pay\nSafety\nHours",
        translations={"es": {"label": "Temas", "choices": ["Salario", "Seguridad", "Horas"]}},
    )
    ask(
        petition,
        "member",
        "checkbox",
        "I am a union member",
        required=True,
        translations={"es": {"label": "Soy miembro del sindicato"}},
    )
    ask(petition, "years", "number", "Years in the job", translations={"es": {"label": "Años"}})
    ask(
        petition,
        "postcode",
        "postal_code",
        "Postal code",
        translations={"es": {"label": "Código postal"}},
    )
    ask(petition, "phone", "phone", "Telephone", translations={"es": {"label": "Teléfono"}})
    return petition


GOOD_ANSWERS = {
    "q_workplace": "  Escola   Municipal  ",
    "q_story": "We have no water\nsince May.",
    "q_shift": "Night",
    "q_topics": ["Hours", "Pay"],
    "q_member": "on",
    "q_years": "12,5",
    "q_postcode": "01310-100",
    "q_phone": "(11) 91234-5678",
}


def test_the_form_asks_each_question_in_the_page_language(client, questions):
    english = client.get(url("petitions:detail", slug=questions.slug)).text
    assert 'name="q_workplace"' in english
    assert "Where do you work?" in english
    assert 'id="id_q_workplace_help">Your employer or school.' in english
    assert 'aria-describedby="id_q_workplace_help"' in english
    assert 'type="radio" name="q_shift" value="Night"' in english
    assert 'type="checkbox" name="q_topics" value="Safety"' in english
    assert 'type="checkbox" name="q_member"' in english
    assert 'type="tel" name="q_phone"' in english
    assert 'autocomplete="postal-code"' in english
    # The questions come after the comment and before the consent boxes.
    assert english.index('name="comment"') < english.index('name="q_workplace"')
    assert english.index('name="q_phone"') < english.index('name="public"')

    spanish = client.get(url("petitions:detail", "es", slug=questions.slug)).text
    assert "¿Dónde trabajas?" in spanish
    assert "Tu empleador." in spanish
    # Choices are shown translated and sent as the stored value.
    assert 'value="Night"' in spanish
    assert "Noche" in spanish
    assert "Seguridad" in spanish
    assert "Where do you work?" not in spanish


def test_the_same_page_for_every_reader_with_questions(client, questions, settings):
    settings.PAGE_CACHE_SECONDS = 60
    first = client.get(url("petitions:detail", slug=questions.slug))
    second = client.get(url("petitions:detail", slug=questions.slug))
    assert first.content == second.content
    assert "csrfmiddlewaretoken" not in first.text
    assert not first.cookies


def test_each_kind_of_answer_is_kept_with_the_signature(client, questions, mailbox):
    response = sign(client, questions, **GOOD_ANSWERS)
    assert response.status_code == 302
    signature = Signature.objects.get()
    assert signature.answers == {
        "workplace": "Escola Municipal",
        "story": "We have no water\nsince May.",
        "shift": "Night",
        "topics": ["Pay", "Hours"],  # in the question's order
        "member": True,
        "years": 12.5,
        "postcode": "01310-100",
        "phone": "+5511912345678",  # E.164, read as a number of Brazil, the signer's country
    }
    run_worker()
    client.post(confirmation_path(mailbox.messages[0]))
    signature.refresh_from_db()
    assert signature.status == Signature.Status.CONFIRMED
    assert signature.answers["phone"] == "+5511912345678"


def test_optional_questions_may_be_left_empty(client, questions):
    answers = {"q_workplace": "School", "q_shift": "Morning", "q_member": "on"}
    assert sign(client, questions, **answers).status_code == 302
    assert Signature.objects.get().answers == {
        "workplace": "School",
        "shift": "Morning",
        "member": True,
    }


BAD_ANSWERS = {
    "q_workplace": "   ",
    "q_story": "x" * 2001,
    "q_shift": "Evening",
    "q_topics": ["Pay", "Holidays"],
    "q_years": "twelve",
    "q_postcode": "1234",
    "q_phone": "12345",
}
MESSAGES = {
    "en": [
        "Please answer this question.",
        "Please shorten your answer to 2000 characters.",
        "Please choose one of the options.",
        "Please tick this box to sign.",
        "Please enter a number, like 12 or 3.5.",
        "This is not a postal code of the country you chose.",
        "Please enter a valid telephone number",
    ],
    "es": [
        "Responde a esta pregunta.",
        "Acorta tu respuesta a 2000 caracteres como máximo.",
        "Elige una de las opciones.",
        "Marca esta casilla para firmar.",
        "Escribe un número, como 12 o 3,5.",
        "Esto no es un código postal del país que elegiste.",
        "Escribe un número de teléfono válido",
    ],
}


@pytest.mark.parametrize("language", ["en", "es"])
def test_bad_answers_are_refused_in_the_page_language(client, questions, language):
    response = sign(client, questions, language, **BAD_ANSWERS)
    assert response.status_code == 400
    page = response.text
    for message in MESSAGES[language]:
        assert message in page, message
    assert not Signature.objects.exists()
    # What was typed stays in the form.
    assert 'value="twelve"' in page
    assert 'value="1234"' in page
    assert 'aria-describedby="id_q_years_error"' in page


def test_postal_codes_and_telephones_are_read_for_the_signers_country(client, questions):
    answers = {"q_workplace": "School", "q_shift": "Morning", "q_member": "on"}
    # A German postal code is five digits; a number without +49 is read as German.
    response = sign(client, questions, country="DE", q_postcode="1011", q_phone="030 901820")
    assert "This is not a postal code of the country you chose." in response.text
    sign(client, questions, country="DE", q_postcode="10117", q_phone="030 901820", **answers)
    assert Signature.objects.get().answers["phone"] == "+4930901820"
    assert Signature.objects.get().answers["postcode"] == "10117"
    # A country without a known format takes any plausible code; a foreign telephone number
    # needs its country code.
    answers["email"] = "other@example.org"
    sign(client, questions, country="AE", q_postcode="a1 b2", q_phone="+44 20 7946 0958", **answers)
    other = Signature.objects.get(email="other@example.org")
    assert other.answers["postcode"] == "A1 B2"
    assert other.answers["phone"] == "+442079460958"


def test_public_answers_are_shown_beside_the_name(client, questions, mailbox):
    sign(client, questions, **{**GOOD_ANSWERS, "q_story": "Private story"})
    run_worker()
    client.post(confirmation_path(mailbox.messages[0]))
    english = client.get(url("petitions:detail", slug=questions.slug)).text
    assert "Where do you work?: Escola Municipal" in english
    assert "Which shift?: Night" in english
    assert "Private story" not in english
    assert "+5511912345678" not in english
    spanish = client.get(url("petitions:detail", "es", slug=questions.slug)).text
    assert "¿Qué turno?: Noche" in spanish


def test_a_removed_question_leaves_the_form_and_not_the_answers(client, questions):
    sign(client, questions, **GOOD_ANSWERS)
    from firma.petitions.questions import services

    services.remove(questions.questions.get(key="years"))
    unanswered = ask(questions, "unused", "short_text", "Never answered")
    services.remove(unanswered)
    assert not Question.objects.filter(key="unused").exists()
    assert Question.objects.get(key="years").removed_at is not None
    page = client.get(url("petitions:detail", slug=questions.slug)).text
    assert 'name="q_years"' not in page
    assert Signature.objects.get().answers["years"] == 12.5


def test_retention_erases_the_answers(client, questions, settings):
    from datetime import timedelta

    from django.utils import timezone

    sign(client, questions, **GOOD_ANSWERS)
    Signature.objects.update(status=Signature.Status.CONFIRMED, confirmed_at=timezone.now())
    questions.change_status("closed")
    questions.closed_at = timezone.now() - timedelta(days=100)
    questions.retention_days = 90
    questions.save()
    call_command("anonymise", stdout=None)
    assert Signature.objects.get().answers == {}


QUESTIONS_FILE = """+++
slug = "union-drive"
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
key = "shift"
kind = "choice"
label = "Which shift?"
choices = ["Morning", "Night"]

[[questions]]
key = "phone"
kind = "phone"
label = "Telephone"
+++
Nurses need safe hours.
"""

QUESTIONS_IN_SPANISH = """+++
slug = "union-drive"
title = "Horarios seguros para enfermeras"
language = "es"

[[questions]]
key = "shift"
label = "¿Qué turno?"
choices = ["Mañana", "Noche"]
+++
Las enfermeras necesitan horarios seguros.
"""


def test_a_petition_file_gives_the_questions_and_a_translation_their_words(client, tmp_path):
    from tests.petitions.test_import import import_files, write

    import_files(
        write(tmp_path, "en.md", QUESTIONS_FILE), write(tmp_path, "es.md", QUESTIONS_IN_SPANISH)
    )
    workplace, shift, phone = Question.objects.filter(petition__slug="union-drive")
    assert (workplace.kind, workplace.required, workplace.public) == ("short_text", True, True)
    assert workplace.help_text == "Your hospital or clinic."
    assert shift.options == ["Morning", "Night"]
    assert shift.translations == {"es": {"label": "¿Qué turno?", "choices": ["Mañana", "Noche"]}}
    assert (phone.required, phone.public) == (False, False)
    spanish = client.get(url("petitions:detail", "es", slug="union-drive")).text
    assert "¿Qué turno?" in spanish
    assert 'value="Night"' in spanish and "Noche" in spanish

    # The default language's file again, without the phone: it leaves the form.
    import_files(
        write(
            tmp_path,
            "en.md",
            QUESTIONS_FILE.split('[[questions]]\nkey = "phone"')[0] + "+++\nText.\n",
        )
    )
    assert list(
        Question.objects.filter(petition__slug="union-drive").values_list("key", flat=True)
    ) == ["workplace", "shift"]
    assert Question.objects.get(key="shift").translations["es"]["label"] == "¿Qué turno?"


@pytest.mark.parametrize(
    ("table", "message"),
    [
        ('key = "Bad Key"\nkind = "number"\nlabel = "Q"', "A key is lower-case letters"),
        ('key = "x"\nkind = "choice"\nlabel = "Q"\nchoices = ["One"]', "at least two choices"),
        ('key = "x"\nkind = "number"\nlabel = "Q"\nrequired = "yes"', "Must be true or false"),
        ('key = "x"\nkind = "number"\nlabel = "Q"\ncolour = "red"', "unknown key 'colour'"),
        ('key = "x"\nkind = "choice"\nlabel = "Q"\nchoices = "A, B"', "must be an array of texts"),
    ],
)
def test_a_bad_question_in_a_file_is_refused_with_its_reason(tmp_path, table, message):
    from django.core.management import CommandError

    from tests.petitions.test_import import import_files, write

    content = (
        f'+++\nslug = "bad"\ntitle = "Bad"\nlanguage = "en"\n\n[[questions]]\n{table}\n+++\nText.\n'
    )
    with pytest.raises(CommandError, match=message):
        import_files(write(tmp_path, "bad.md", content))
    assert not Question.objects.exists()


def test_a_translation_names_questions_the_petition_asks(tmp_path):
    from django.core.management import CommandError

    from tests.petitions.test_import import import_files, write

    import_files(write(tmp_path, "en.md", QUESTIONS_FILE))
    wrong = QUESTIONS_IN_SPANISH.replace('key = "shift"', 'key = "turno"')
    with pytest.raises(CommandError, match="asks no question 'turno'"):
        import_files(write(tmp_path, "es.md", wrong))


def test_signers_see_their_answers_when_confirming_and_on_their_own_page(
    client, questions, mailbox
):
    from tests.petitions.test_self_service import self_service_path

    sign(client, questions, "es", **GOOD_ANSWERS)
    run_worker()
    [message] = mailbox.messages
    confirming = client.get(confirmation_path(message)).text
    assert "¿Qué turno?" in confirming and "Noche" in confirming
    assert "+5511912345678" in confirming

    own = client.get(self_service_path(message)).text
    assert "<dt>¿Dónde trabajas?</dt><dd>Escola Municipal</dd>" in own
    assert "<dt>Temas</dt><dd>Salario, Horas</dd>" in own
    assert "<dt>Soy miembro del sindicato</dt><dd>sí</dd>" in own
    data = json.loads(client.get(self_service_path(message) + "data.json").content)
    assert data["answers"]["topics"] == ["Pay", "Hours"]


def test_the_embedded_form_asks_the_questions_too(questions):
    from django.test import Client

    from tests.petitions.test_embeds import form_action, form_fields

    questions.allow_embedding = True
    questions.save()
    frame = Client(enforce_csrf_checks=True)
    page = frame.get(url("petitions:embed", "es", slug=questions.slug)).text
    assert "¿Dónde trabajas?" in page and 'name="q_shift"' in page
    data = {**form_fields(page), **signing_data(), "q_shift": "Night"}
    refused = frame.post(form_action(page), data, HTTP_ORIGIN="http://testserver")
    assert refused.status_code == 400
    assert "Responde a esta pregunta." in refused.text  # the workplace, in the frame's language
    data.update(q_workplace="Escola", q_member="on", **form_fields(refused.text))
    signed = frame.post(form_action(page), data, HTTP_ORIGIN="http://testserver")
    assert signed.status_code == 302
    assert Signature.objects.get().answers == {
        "workplace": "Escola",
        "shift": "Night",
        "member": True,
    }
