"""What the verifier catches: leaves edited or deleted behind firma's back, signatures added
to the database behind its back, and a head that contradicts one saved earlier."""

import json

import pytest
from django.core.management.base import CommandError

from firma.ledger import merkle, services
from firma.ledger.models import Head, Leaf, Ledger, Node, Salt
from firma.petitions import counting
from firma.petitions.models import Signature
from tests.ledger.conftest import command, confirm, publish, verify

pytestmark = pytest.mark.django_db


@pytest.fixture
def ledger(petition) -> Ledger:
    confirm(petition, range(5))
    publish()
    return Ledger.objects.get(petition=petition)


def test_an_untouched_ledger_verifies(client, petition, ledger):
    status, said = verify(client, petition)
    assert status == 0, said
    assert "OK: size 5, count 5" in said


def test_an_edited_leaf_is_caught(client, petition, ledger):
    leaf = Leaf.objects.get(ledger=ledger, index=2)
    leaf.entry = leaf.entry.replace('"standing":true', '"standing":false')
    leaf.save()
    status, said = verify(client, petition)
    assert status == 1
    assert "MISMATCH" in said
    assert "leaf 2: signature" in said or "size 5 does not match the leaves" in said


def test_an_edited_leaf_with_its_hash_recomputed_is_caught(client, petition, ledger):
    leaf = Leaf.objects.get(ledger=ledger, index=1)
    entry = json.loads(leaf.entry)
    entry["time"] = "2020-01-01T00:00:00Z"
    leaf.entry = json.dumps(entry, sort_keys=True, separators=(",", ":"))
    leaf.hash = merkle.leaf_hash(leaf.entry.encode())
    leaf.save()
    status, said = verify(client, petition)
    assert status == 1
    assert "the signed head at size 5 does not match the leaves" in said


def test_a_deleted_leaf_is_caught(client, petition, ledger):
    Leaf.objects.filter(ledger=ledger, index=3).delete()
    status, said = verify(client, petition)
    assert status == 1
    assert "leaf 3 is missing" in said


def test_a_deleted_last_leaf_is_caught(client, petition, ledger):
    Leaf.objects.filter(ledger=ledger, index=4).delete()
    status, said = verify(client, petition)
    assert status == 1
    assert "leaf 4 is missing" in said


def test_a_forged_head_is_caught(client, petition, ledger):
    head = Head.objects.get(ledger=ledger)
    head.count = 50
    head.save()
    status, said = verify(client, petition)
    assert status == 1
    assert "signature is not valid" in said


def test_signatures_added_behind_firmas_back_make_the_counts_disagree(client, petition, ledger):
    Signature.objects.create(
        petition=petition,
        full_name="Nobody",
        email="padding@example.org",
        language="en",
        status=Signature.Status.CONFIRMED,
    )
    counting.reconcile()  # the count shown catches up with the database, as it does every 5 min
    publish()
    status, said = verify(client, petition)
    assert status == 1
    assert "the petition shows 6 signatures but its latest signed head counts 5" in said


def test_the_command_fails_naming_the_mismatch(client, petition, ledger, capsys):
    Leaf.objects.filter(ledger=ledger, index=0).delete()
    with pytest.raises(CommandError):
        command(client, petition)
    assert "leaf 0 is missing" in capsys.readouterr().err


def test_consistency_holds_across_appends(client, petition, ledger, tmp_path):
    saved = tmp_path / "head.json"
    assert verify(client, petition, "--save-head", str(saved))[0] == 0
    for round_ in range(3):
        confirm(petition, range(10 + 10 * round_, 13 + 10 * round_))
        publish()
        status, said = verify(client, petition, "--saved-head", str(saved))
        assert status == 0, said
        assert "the saved head (size 5" in said


def test_a_head_that_contradicts_an_earlier_one_is_caught(client, petition, ledger, tmp_path):
    saved = tmp_path / "head.json"
    assert verify(client, petition, "--save-head", str(saved))[0] == 0
    # History rewritten with the site's own key: the same ledger, other leaves, fresh heads.
    for model in (Leaf, Node, Head, Salt):
        model.objects.filter(ledger=ledger).delete()
    Ledger.objects.filter(pk=ledger.pk).update(size=0, count=0, frontier=b"", signed_size=0)
    Signature.objects.filter(petition=petition).delete()
    counting.reconcile()  # the tallies follow the deletion
    confirm(petition, range(20, 27))
    publish()
    assert verify(client, petition)[0] == 0  # on its own, the rewritten ledger holds together
    status, said = verify(client, petition, "--saved-head", str(saved))
    assert status == 1
    assert "the saved head (size 5" in said and "the ledger was rewritten" in said


def test_a_saved_head_of_another_size_with_the_same_root_is_refused(
    client, petition, ledger, tmp_path
):
    head = json.loads(client.get(f"/api/v1/petitions/{petition.slug}/ledger/head").content)["head"]
    head["size"] = 3
    saved = tmp_path / "head.json"
    saved.write_text(json.dumps(head))
    status, said = verify(client, petition, "--saved-head", str(saved))
    assert status == 1
    assert "the saved head" in said and "signature is not valid" in said


def test_appending_is_idempotent_after_a_crash(petition, ledger):
    """The events are taken in the transaction that appends them: nothing twice."""
    assert services.append_pending() == 0
    assert Leaf.objects.filter(ledger=ledger).count() == 5
