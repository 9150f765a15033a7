"""The answers to a petition's questions in the API: all of them for its organisers (JSON,
OSDI, webhooks), the public questions' beside listed names."""

import json

import pytest

from firma.petitions.models import Question, Signature
from tests.api.receivers import confirm, make_webhook, run_worker
from tests.organiser.conftest import add

pytestmark = pytest.mark.django_db


@pytest.fixture
def asked(petition_a):
    Question.objects.create(
        petition=petition_a,
        key="shift",
        kind="choice",
        label="Shift",
        choices="Morning\nNight",
        public=True,
        translations={"es": {"label": "Turno", "choices": ["Mañana", "Noche"]}},
    )
    Question.objects.create(
        petition=petition_a, key="phone", kind="phone", label="Telephone", position=1
    )
    add(
        petition_a,
        "Lena Listed",
        "lena@example.org",
        public=True,
        answers={"shift": "Night", "phone": "+5511912345678", "removed": ["a", "b"]},
    )
    return petition_a


def test_organisers_read_every_answer(client, asked, reader_a):
    results = client.get(
        "/api/v1/manage/petitions/water-a/signatures?status=confirmed", headers=reader_a
    ).json()["results"]
    lena = next(row for row in results if row["email"] == "lena@example.org")
    assert lena["answers"] == {
        "shift": "Night",
        "phone": "+5511912345678",
        "removed": ["a", "b"],
    }
    assert next(row for row in results if row["email"] == "ana@example.org")["answers"] == {}

    managed = client.get("/api/v1/manage/petitions/water-a", headers=reader_a).json()
    assert [question["key"] for question in managed["questions"]] == ["shift", "phone"]
    assert managed["questions"][0]["choices"] == ["Morning", "Night"]
    assert managed["questions"][0]["translations"]["es"]["label"] == "Turno"


def test_osdi_carries_the_answers_as_custom_fields(client, asked, reader_a):
    data = client.get(
        "/api/v1/osdi/petitions/water-a/signatures?status=confirmed", headers=reader_a
    ).json()
    people = {
        row["person"]["email_addresses"][0]["address"]: row["person"]
        for row in data["_embedded"]["osdi:signatures"]
    }
    assert people["lena@example.org"]["custom_fields"] == {
        "shift": "Night",
        "phone": "+5511912345678",
        "removed": "a, b",
        "signing_as": "individual",
    }


def test_the_public_list_shows_public_answers_only(client, asked):
    results = client.get("/api/v1/petitions/water-a/signers").json()["results"]
    lena = next(row for row in results if row["name"] == "Lena Listed")
    assert lena["answers"] == {"shift": "Night"}
    assert "+5511912345678" not in json.dumps(results)


def test_the_confirmation_webhook_carries_the_answers(client, hook_settings, receiver, asked):
    make_webhook(asked.organisation, receiver, ["signature.confirmed"])
    pending = asked.signatures.get(status=Signature.Status.PENDING)
    Signature.objects.filter(pk=pending.pk).update(answers={"shift": "Morning"})
    confirm(client, pending)
    run_worker()
    [(_headers, body, _verdict)] = receiver.requests
    assert json.loads(body)["data"]["signature"]["answers"] == {"shift": "Morning"}


def test_organisers_replace_the_questions_through_the_api(client, asked, writer_a):
    sent = {
        "questions": [
            {
                "key": "shift",
                "kind": "choices",
                "label": "Shifts",
                "choices": ["Morning", "Night", "Weekend"],
                "translations": {"es": {"label": "Turnos", "choices": ["Mañana", "Noche"]}},
            },
            {"key": "member", "kind": "checkbox", "label": "Member", "required": True},
        ]
    }
    response = client.patch(
        "/api/v1/manage/petitions/water-a",
        json.dumps(sent),
        content_type="application/json",
        headers=writer_a,
    )
    assert response.status_code == 200, response.content
    assert [(q["key"], q["kind"]) for q in response.json()["questions"]] == [
        ("shift", "choices"),
        ("member", "checkbox"),
    ]
    shift = Question.objects.get(key="shift")
    assert shift.options_in("es") == [
        ("Morning", "Mañana"),
        ("Night", "Noche"),
        ("Weekend", "Weekend"),
    ]
    # The phone question, answered by Lena, leaves the form and keeps her answer.
    assert Question.objects.get(key="phone").removed_at is not None
    lena = Signature.objects.get(email="lena@example.org")
    assert lena.answers["phone"] == "+5511912345678"


@pytest.mark.parametrize(
    ("questions", "message"),
    [
        ([{"key": "Bad Key", "kind": "number", "label": "Q"}], "A key is lower-case letters"),
        ([{"key": "x", "kind": "choice", "label": "Q", "choices": ["A"]}], "two choices"),
        (
            [{"key": "x", "kind": "number", "label": "Q", "translations": {"xx": {}}}],
            "Translations are by language",
        ),
        ([{"key": "x", "kind": "number", "label": "Q"}] * 2, "x is used twice"),
    ],
)
def test_bad_questions_through_the_api_are_refused(client, asked, writer_a, questions, message):
    response = client.patch(
        "/api/v1/manage/petitions/water-a",
        json.dumps({"questions": questions}),
        content_type="application/json",
        headers=writer_a,
    )
    assert response.status_code == 400
    assert message in json.dumps(response.json()["fields"]["questions"], ensure_ascii=False)
    assert list(Question.objects.asked().values_list("key", flat=True)) == ["shift", "phone"]


def test_the_csv_of_the_api_has_a_column_per_question(client, asked, reader_a):
    import csv
    import io

    response = client.get(
        "/api/v1/manage/petitions/water-a/signatures.csv?status=confirmed", headers=reader_a
    )
    rows = list(csv.DictReader(io.StringIO(b"".join(response.streaming_content).decode())))
    lena = next(row for row in rows if row["email"] == "lena@example.org")
    assert (lena["q_shift"], lena["q_phone"]) == ("Night", "'+5511912345678")
    assert "answers" not in lena
