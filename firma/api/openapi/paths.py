"""The paths of the API: the public petitions, the organisation's management endpoints and OSDI,
with the ledger's and the record signature helper's merged in."""

from firma.api.openapi import ledger, osdi_helper
from firma.api.openapi.common import (
    FILTERS,
    INTEGER,
    LANGUAGE,
    PAGING,
    SLUG,
    STRING,
    ok,
    operation,
    path_parameter,
    private,
    public_get,
    ref,
)
from firma.api.openapi.petitions import NEW_PETITION, PETITION_INPUT, TEXT_INPUT
from firma.api.openapi.targets import DELIVERY_INPUT, NEW_RESPONSE, OUTCOME_INPUT, TARGET_INPUT

PATHS = {
    "/api/petitions/{slug}": {
        "parameters": [SLUG],
        "get": operation(
            "The first, unversioned petition summary, in the reader's language",
            {"200": ok(ref("LegacyPetition"))},
            404,
            deprecated=True,
        ),
    },
    "/api/openapi.json": {
        "get": public_get("This document", {"type": "object"}),
    },
    "/api/v1/petitions": {
        "get": public_get(
            "Public petitions, newest first", ref("PetitionPage"), 400, parameters=PAGING
        ),
    },
    "/api/v1/petitions/{slug}": {
        "parameters": [SLUG],
        "get": public_get("A petition with its texts and count", ref("Petition"), 404),
    },
    "/api/v1/petitions/{slug}/counts/countries": {
        "parameters": [SLUG],
        "get": public_get(
            "Confirmed signatures by country, largest first", ref("CountsByCountry"), 404
        ),
    },
    "/api/v1/petitions/{slug}/counts/days": {
        "parameters": [SLUG],
        "get": public_get(
            "Confirmed signatures by day of confirmation, oldest first", ref("CountsByDay"), 404
        ),
    },
    "/api/v1/petitions/{slug}/signers": {
        "parameters": [SLUG],
        "get": public_get(
            "Signers who chose to be listed, newest first",
            ref("SignerPage"),
            400,
            404,
            parameters=PAGING,
        ),
    },
    "/api/v1/manage/petitions": {
        "get": private(
            "The organisation's petitions, drafts included",
            {"200": ok(ref("ManagedPetitionPage"))},
            400,
            parameters=PAGING,
        ),
        "post": private(
            "Create a petition with its texts (read-write token)",
            {"201": ok(ref("ManagedPetition"), "Created")},
            400,
            403,
            requestBody={
                "required": True,
                "content": {"application/json": {"schema": NEW_PETITION}},
            },
        ),
    },
    "/api/v1/manage/petitions/{slug}": {
        "parameters": [SLUG],
        "get": private("A petition of the organisation", {"200": ok(ref("ManagedPetition"))}, 404),
        "patch": private(
            "Change the fields sent (read-write token)",
            {"200": ok(ref("ManagedPetition"))},
            400,
            403,
            404,
            requestBody={
                "required": True,
                "content": {"application/json": {"schema": PETITION_INPUT}},
            },
        ),
    },
    "/api/v1/manage/petitions/{slug}/texts/{language}": {
        "parameters": [SLUG, path_parameter("language", LANGUAGE)],
        "get": private("One translation", {"200": ok(ref("Text"))}, 404),
        "put": private(
            "Create or replace a translation (read-write token)",
            {"200": ok(ref("Text"), "Replaced"), "201": ok(ref("Text"), "Created")},
            400,
            403,
            404,
            requestBody={"required": True, "content": {"application/json": {"schema": TEXT_INPUT}}},
        ),
    },
    "/api/v1/manage/petitions/{slug}/signatures": {
        "parameters": [SLUG],
        "get": private(
            "Signatures with their private fields, oldest first",
            {"200": ok(ref("SignaturePage"))},
            400,
            404,
            parameters=[*PAGING, *FILTERS],
        ),
    },
    "/api/v1/manage/petitions/{slug}/signatures/{signature_id}/consents": {
        "parameters": [SLUG, path_parameter("signature_id", INTEGER)],
        "get": private(
            "One signature's consent records, oldest first, for a data-subject request",
            {"200": ok(ref("ConsentRecords"))},
            404,
        ),
    },
    "/api/v1/manage/petitions/{slug}/signatures.csv": {
        "parameters": [SLUG],
        "get": private(
            "The filtered signatures as one CSV file",
            {"200": ok(STRING, media="text/csv")},
            400,
            404,
            parameters=FILTERS,
        ),
    },
    "/api/v1/manage/petitions/{slug}/responses": {
        "parameters": [SLUG],
        "get": private(
            "Every response, pending and declined ones too",
            {"200": ok(ref("ManagedResponses"))},
            404,
        ),
        "post": private(
            "Enter a response received elsewhere (read-write token)",
            {"201": ok(ref("ManagedResponse"), "Created")},
            400,
            403,
            404,
            requestBody={
                "required": True,
                "content": {"application/json": {"schema": NEW_RESPONSE}},
            },
        ),
    },
    "/api/v1/manage/petitions/{slug}/outcome": {
        "parameters": [SLUG],
        "get": private("The petition's outcome", {"200": ok(ref("PetitionOutcome"))}, 404),
        "put": private(
            "Record the outcome (read-write token)",
            {"200": ok(ref("PetitionOutcome"))},
            400,
            403,
            404,
            requestBody={
                "required": True,
                "content": {"application/json": {"schema": OUTCOME_INPUT}},
            },
        ),
    },
    "/api/v1/manage/petitions/{slug}/targets": {
        "parameters": [SLUG],
        "get": private("The petition's targets, in order", {"200": ok(ref("ManagedTargets"))}, 404),
        "post": private(
            "Add a target (read-write token)",
            {"201": ok(ref("ManagedTarget"), "Created")},
            400,
            403,
            404,
            requestBody={
                "required": True,
                "content": {"application/json": {"schema": TARGET_INPUT}},
            },
        ),
    },
    "/api/v1/manage/petitions/{slug}/deliveries": {
        "parameters": [SLUG],
        "get": private(
            "The petition's deliveries, oldest first", {"200": ok(ref("Deliveries"))}, 404
        ),
        "post": private(
            "Deliver by e-mail to targets with an address, or record a delivery made elsewhere "
            "(read-write token); sends the petition.delivered webhook",
            {"201": ok(ref("Delivery"), "Created")},
            400,
            403,
            404,
            requestBody={
                "required": True,
                "content": {"application/json": {"schema": DELIVERY_INPUT}},
            },
        ),
    },
    "/api/v1/osdi/petitions/{slug}/signatures": {
        "parameters": [SLUG],
        "get": private(
            "Signatures as an OSDI osdi:signatures collection",
            {"200": ok(ref("OsdiSignatures"), media="application/hal+json")},
            400,
            404,
            parameters=[*PAGING, *FILTERS],
        ),
    },
}

PATHS.update(ledger.paths(public_get, SLUG))
PATHS.update(osdi_helper.paths(private, SLUG, ref("Error")))
