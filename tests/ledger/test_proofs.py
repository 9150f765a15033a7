"""The tree is RFC 9162's, its proofs check with the independent verifier, and a signer's
proof downloads, verifies, and still verifies under later heads; erasure leaves nothing."""

import hashlib
import json

import pytest

from firma.ledger import merkle
from firma.ledger.management.commands.verify_ledger import verifier
from firma.ledger.models import Leaf, Ledger, Salt
from firma.petitions.tokens import self_service_token
from tests.conftest import url
from tests.ledger.conftest import confirm, publish, verify

pytestmark = pytest.mark.django_db


def mth(leaves: list[bytes]) -> bytes:
    """RFC 9162 §2.1.1, word for word."""
    if not leaves:
        return hashlib.sha256(b"").digest()
    if len(leaves) == 1:
        return hashlib.sha256(b"\x00" + leaves[0]).digest()
    k = merkle.split(len(leaves))
    return hashlib.sha256(b"\x01" + mth(leaves[:k]) + mth(leaves[k:])).digest()


def stored_tree(count: int):
    """`count` leaves appended the way the ledger does, and a fetch over what it stored."""
    nodes, frontier = {}, []
    data = [f"leaf {i}".encode() for i in range(count)]
    for index, entry in enumerate(data):
        for level, i, h in merkle.append(index, frontier, merkle.leaf_hash(entry)):
            nodes[level, i] = h
    return data, frontier, lambda keys: {key: nodes[key] for key in keys}


@pytest.mark.parametrize("size", [1, 2, 3, 4, 5, 7, 8, 9, 13, 16, 17, 31, 33])
def test_roots_are_rfc_9162s(size):
    data, frontier, fetch = stored_tree(size)
    assert merkle.root(frontier) == mth(data)
    assert merkle.root_at(size, fetch) == mth(data)
    for smaller in range(size + 1):
        assert merkle.root_at(smaller, fetch) == mth(data[:smaller])


def test_every_inclusion_and_consistency_proof_verifies_with_the_script():
    script = verifier()
    data, _frontier, fetch = stored_tree(21)
    for size in range(1, 22):
        root = mth(data[:size])
        for index in range(size):
            path = merkle.inclusion_proof(index, size, fetch)
            leaf = merkle.leaf_hash(data[index])
            assert script.verify_inclusion(index, size, leaf, path, root)
            assert not script.verify_inclusion(index, size, merkle.leaf_hash(b"x"), path, root)
        for first in range(size + 1):
            proof = merkle.consistency_proof(first, size, fetch)
            old = mth(data[:first])
            assert script.verify_consistency(first, size, old, root, proof), (first, size)
            if 0 < first < size:
                assert not script.verify_consistency(first, size, mth([b"y"] * first), root, proof)


def test_a_proof_reads_logarithmically_many_nodes():
    _data, _frontier, fetch = stored_tree(1000)
    asked = []
    merkle.inclusion_proof(617, 1000, lambda keys: asked.append(len(keys)) or fetch(keys))
    assert len(asked) == 1 and asked[0] <= 2 * 10  # one query, O(log n) subtrees


def download(client, signature) -> dict:
    token = self_service_token(signature)
    path = url("ledger:my_proof_json", slug=signature.petition.slug, token=token)
    response = client.get(path)
    assert response.status_code == 200
    assert "attachment" in response["Content-Disposition"]
    assert "private" in response["Cache-Control"]
    return response.json()


def test_the_signers_page_shows_the_ledger_and_the_proof_link(client, petition):
    (signature,) = confirm(petition, [1])
    token = self_service_token(signature)
    page = url("petitions:my_signature", slug=petition.slug, token=token)
    assert "will enter the public ledger" in client.get(page).content.decode()
    publish()
    text = client.get(page).content.decode()
    assert "entry 0 of this petition" in text
    assert url("ledger:my_proof_json", slug=petition.slug, token=token) in text
    proof_page = client.get(url("ledger:my_proof", slug=petition.slug, token=token))
    assert proof_page.status_code == 200
    assert Salt.objects.get().salt.hex() in proof_page.content.decode()


def test_a_signers_proof_downloads_and_verifies_even_after_later_heads(client, petition, tmp_path):
    signatures = confirm(petition, range(6))
    publish()
    proof = download(client, signatures[3])
    assert proof["email"] == "signer3@example.org" and proof["leaf"]["index"] == 3
    file = tmp_path / "proof.json"
    file.write_text(json.dumps(proof))
    status, said = verify(client, petition, "--proof", str(file))
    assert status == 0, said
    assert f"signature {signatures[3].pk} is leaf 3" in said

    confirm(petition, range(10, 30))
    publish()
    status, said = verify(client, petition, "--proof", str(file))
    assert status == 0, said
    assert download(client, signatures[3])["head"]["size"] == 26


def test_a_doctored_proof_fails(client, petition, tmp_path):
    signatures = confirm(petition, range(4))
    publish()
    proof = download(client, signatures[1])
    file = tmp_path / "proof.json"
    file.write_text(json.dumps({**proof, "email": "someone.else@example.org"}))
    assert "do not give the leaf's digest" in verify(client, petition, "--proof", str(file))[1]
    proof["inclusion"][0] = "00" * 32
    file.write_text(json.dumps(proof))
    assert "is not in its head" in verify(client, petition, "--proof", str(file))[1]


def test_an_erased_signatures_leaf_reveals_nothing(client, petition):
    signatures = confirm(petition, range(3))
    publish()
    signature = signatures[1]
    token = self_service_token(signature)
    delete = url("petitions:my_signature_delete", slug=petition.slug, token=token)
    client.post(delete, {"confirm": "on"})
    assert Salt.objects.get(signature_id=signature.pk).salt is None  # at once, not at the fold
    publish()
    for leaf in Leaf.objects.filter(signature_id=signature.pk):
        assert "signer1" not in leaf.entry and "example.org" not in leaf.entry
        assert "Signer 1" not in leaf.entry
    # The digest can no longer be tied to the address: the salt is gone.
    digest = json.loads(Leaf.objects.get(signature_id=signature.pk, event="confirmed").entry)
    assert hashlib.sha256(b"signer1@example.org").hexdigest() != digest["digest"]
    assert (
        client.get(url("ledger:my_proof_json", slug=petition.slug, token=token)).status_code == 404
    )
    assert verify(client, petition)[0] == 0
    assert Ledger.objects.get().count == 2


def test_another_signers_link_opens_no_proof(client, petition):
    (signature,) = confirm(petition, [1])
    publish()
    for token in ["forged", self_service_token(signature)]:
        found = client.get(url("ledger:my_proof_json", slug="other", token=token))
        assert found.status_code == 404
