"""Organisers edit a petition's questions on its page, and export the answers: a column each,
answers to removed questions included, private answers in internal exports only."""

import pytest

from firma.petitions.models import Question, Signature
from firma.tenancy.models import Membership
from tests.conftest import petition_form_data, sign

from .conftest import add, as_member
from .test_exports import download, export

pytestmark = pytest.mark.django_db


def question_rows(*questions: dict, existing: list[Question] = ()) -> dict:
    """The inline's part of the petition form: `existing` questions as they are, then
    `questions` (an `id` makes a row one of the existing ones)."""
    data = {
        "questions-TOTAL_FORMS": str(len(existing) + len(questions)),
        "questions-INITIAL_FORMS": str(len(existing)),
    }
    rows = [
        {
            "id": question.pk,
            "key": question.key,
            "kind": question.kind,
            "label": question.label,
            "choices": question.choices,
            "position": question.position,
        }
        for question in existing
    ]
    for number, row in enumerate([*rows, *questions]):
        row = {"position": number, "translations": "{}", "help_text": "", **row}
        data.update({f"questions-{number}-{name}": value for name, value in row.items()})
    return data


def save_petition(client, petition, rows: dict):
    data = petition_form_data(petition, organisation=petition.organisation_id, **rows)
    return client.post(f"/admin/petitions/petition/{petition.pk}/change/", data)


def test_editors_add_questions_on_the_petition_page(client_a, petition_a):
    rows = question_rows(
        {
            "key": "workplace",
            "kind": "short_text",
            "label": "Where do you work?",
            "required": "on",
            "public": "on",
            "translations": '{"es": {"label": "¿Dónde trabajas?"}}',
        },
        {"key": "shift", "kind": "choice", "label": "Shift", "choices": "Morning\n\nNight\n"},
    )
    response = save_petition(client_a, petition_a, rows)
    assert response.status_code == 302, response.content.decode()[:3000]
    workplace, shift = Question.objects.filter(petition=petition_a)
    assert (workplace.key, workplace.required, workplace.public) == ("workplace", True, True)
    assert workplace.label_in("es") == "¿Dónde trabajas?"
    assert shift.options == ["Morning", "Night"]
    page = client_a.get(f"/admin/petitions/petition/{petition_a.pk}/change/").text
    assert 'name="questions-0-key"' in page


@pytest.mark.parametrize(
    ("row", "message"),
    [
        ({"key": "Work place", "kind": "short_text"}, "A key is lower-case letters"),
        ({"key": "shift", "kind": "choice", "choices": "Only one"}, "at least two choices"),
        ({"key": "shift", "kind": "choices", "choices": "A\nA"}, "only once"),
        ({"key": "x", "kind": "colour"}, "Select a valid choice"),
    ],
)
def test_bad_questions_are_refused(client_a, petition_a, row, message):
    response = save_petition(client_a, petition_a, question_rows({"label": "Q", **row}))
    assert response.status_code == 200
    assert message in response.text
    assert not Question.objects.exists()


def test_keys_are_one_per_question_and_ten_at_most(client_a, petition_a):
    twice = question_rows(*({"key": "same", "kind": "number", "label": "Q"} for _ in range(2)))
    assert "same is used twice" in save_petition(client_a, petition_a, twice).text
    many = [{"key": f"q{number}", "kind": "number", "label": "Q"} for number in range(11)]
    response = save_petition(client_a, petition_a, question_rows(*many))
    assert response.status_code == 200
    assert not Question.objects.exists()


def answered(petition) -> Question:
    """Two questions; Ana answers both, Bea only the first."""
    Question.objects.create(petition=petition, key="workplace", kind="short_text", label="Work")
    Question.objects.create(
        petition=petition, key="years", kind="number", label="Years", public=True, position=1
    )
    add(
        petition,
        "Ana Souza",
        "ana@example.org",
        public=True,
        answers={"workplace": "=Hospital", "years": 3},
    )
    add(petition, "Bea Lima", "bea@example.org", answers={"workplace": "School"})
    return petition


def test_a_question_deleted_after_answers_leaves_the_form_and_stays_in_exports(
    client_a, petition_a, admin_client
):
    answered(petition_a)
    existing = list(Question.objects.filter(petition=petition_a))
    rows = question_rows(existing=existing)
    rows["questions-1-DELETE"] = "on"
    response = save_petition(client_a, petition_a, rows)
    assert response.status_code == 302, response.content.decode()[:3000]

    years = Question.objects.get(key="years")
    assert years.removed_at is not None
    assert 'name="q_years"' not in client_a.get(petition_a.get_absolute_url()).text
    assert Signature.objects.get(email="ana@example.org").answers["years"] == 3
    export_page = client_a.get(f"/admin/petitions/petition/{petition_a.pk}/export/").text
    assert "Years (removed from the form)" in export_page

    for kind in ["csv", "xlsx"]:
        rows = export(admin_client, petition_a, kind)
        ana, bea = rows
        assert ana["q_workplace"] == "'=Hospital"  # inert text, like every cell
        assert ana["q_years"] == "3"
        assert (bea["q_workplace"], bea["q_years"]) == ("School", "")

    # A question left unanswered goes for good.
    unanswered = Question.objects.create(
        petition=petition_a, key="unused", kind="checkbox", label="Never", position=2
    )
    existing = list(Question.objects.filter(petition=petition_a).asked())
    rows = question_rows(existing=existing)
    rows["questions-1-DELETE"] = "on"
    assert save_petition(client_a, petition_a, rows).status_code == 302
    assert not Question.objects.filter(pk=unanswered.pk).exists()


def test_the_key_of_an_answered_question_stays(client_a, petition_a):
    answered(petition_a)
    existing = list(Question.objects.filter(petition=petition_a))
    rows = question_rows(existing=existing)
    rows["questions-0-key"] = "employer"
    response = save_petition(client_a, petition_a, rows)
    assert "its key stays" in response.text
    assert Question.objects.filter(key="workplace").exists()


def test_private_answers_are_in_internal_exports_only(client, petition_a):
    answered(petition_a)
    moderator = as_member(client, petition_a.organisation, Membership.Role.MODERATOR)
    page = moderator.get(f"/admin/petitions/petition/{petition_a.pk}/export/").text
    assert 'value="q_workplace"' in page
    assert 'value="q_years"' in page

    public = download(moderator, petition_a, columns=["full_name", "q_years"])
    assert [(row["full_name"], row["q_years"]) for row in public] == [
        ("Ana Souza", "3"),
        ("not listed", ""),  # an unlisted signer's answers are not in a public export
    ]
    response = moderator.post(
        f"/admin/petitions/petition/{petition_a.pk}/export/",
        {"format": "csv", "columns": ["full_name", "q_workplace"]},
    )
    assert "Answers to private questions are only in internal exports." in response.text

    internal = download(moderator, petition_a, columns=["full_name", "q_workplace"], internal="on")
    assert [row["q_workplace"] for row in internal] == ["'=Hospital", "School"]


def test_a_signer_who_answered_is_exported_with_the_answers(client, petition_a, admin_client):
    Question.objects.create(
        petition=petition_a, key="topics", kind="choices", label="Topics", choices="Pay\nHours"
    )
    Question.objects.create(
        petition=petition_a, key="member", kind="checkbox", label="Member", position=1
    )
    sign(client, petition_a, q_topics=["Hours", "Pay"])
    Signature.objects.update(status=Signature.Status.CONFIRMED)
    [row] = export(admin_client, petition_a, "csv")
    assert row["q_topics"] == "Pay, Hours"
    assert row["q_member"] == "no"


def test_the_signature_page_shows_the_answers_removed_questions_included(client, petition_a):
    answered(petition_a)
    Question.objects.filter(key="years").update(removed_at="2026-01-01T00:00:00Z")
    moderator = as_member(client, petition_a.organisation, Membership.Role.MODERATOR)
    ana = Signature.objects.get(email="ana@example.org")
    page = moderator.get(f"/admin/petitions/signature/{ana.pk}/change/").text
    assert "Work: =Hospital<br>Years: 3" in page


@pytest.mark.parametrize(
    "translations",
    ['{"es": {"choices": "Mañana"}}', '{"xx": {"label": "Q"}}', '{"es": {"colour": "red"}}'],
)
def test_translations_in_the_back_office_are_checked(client_a, petition_a, translations):
    rows = question_rows(
        {
            "key": "shift",
            "kind": "choice",
            "label": "Shift",
            "choices": "A\nB",
            "translations": translations,
        }
    )
    response = save_petition(client_a, petition_a, rows)
    assert response.status_code == 200
    assert not Question.objects.exists()
