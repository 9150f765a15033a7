"""The signer's proof, behind the private link of the self-service pages: a page saying where
their signature is in the ledger, and the proof as a JSON file for scripts/verify_ledger.py."""

from django.core import signing
from django.http import Http404, HttpRequest, HttpResponse, JsonResponse
from django.shortcuts import render
from django.utils.http import content_disposition_header
from django.utils.translation import get_language
from django.views.decorators.http import require_safe

from firma.core.middleware import private
from firma.ledger import selectors
from firma.petitions.models import Signature
from firma.petitions.tokens import signature_for_self_service_token


def own_signature(slug: str, token: str) -> Signature:
    """The signature the private link is for; 404 for a link that is wrong, expired, for
    another petition, or for a signature since erased."""
    try:
        signature = signature_for_self_service_token(token)
    except signing.SignatureExpired:
        signature = None
    if signature is None or signature.petition.slug != slug or signature.anonymised_at:
        raise Http404
    return signature


@require_safe
def my_proof(request: HttpRequest, slug: str, token: str) -> HttpResponse:
    signature = own_signature(slug, token)
    petition = signature.petition
    context = {
        "signature": signature,
        "petition": petition,
        "text": petition.text_for(get_language()),
        "token": token,
        "proof": selectors.signer_proof(signature),
    }
    return private(render(request, "ledger/proof.html", context))


@require_safe
def my_proof_json(request: HttpRequest, slug: str, token: str) -> HttpResponse:
    signature = own_signature(slug, token)
    proof = selectors.signer_proof(signature)
    if proof is None:
        raise Http404
    response = JsonResponse(proof, json_dumps_params={"ensure_ascii": False, "indent": 2})
    filename = f"ledger-proof-{signature.petition.slug}.json"
    response["Content-Disposition"] = content_disposition_header(True, filename)
    return private(response)
