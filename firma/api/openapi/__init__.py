"""The OpenAPI 3.1 document of the API, served at /api/openapi.json.

The tests check every answer of the API they receive against it, so it cannot drift from the
code without a test failing. Its pieces live by resource beside this module (`common` holds the
types and helpers they share); here they are put together in the document's order.
"""

from django.conf import settings

from firma.api.openapi import ledger, osdi_helper
from firma.api.openapi.common import ERROR, ERRORS, STRING, obj, ok, page_of, ref
from firma.api.openapi.paths import PATHS
from firma.api.openapi.petitions import (
    COUNTS_BY_COUNTRY,
    COUNTS_BY_DAY,
    LEGACY,
    MANAGED,
    PARTNER,
    PETITION,
    PETITION_SUMMARY,
    QUESTION,
    TEXT,
)
from firma.api.openapi.signatures import (
    CONSENT_RECORD,
    CONSENT_RECORDS,
    ENDORSEMENT,
    OSDI_COLLECTION,
    OSDI_SIGNATURE,
    PRIVATE_SIGNATURE,
    SIGNER,
)
from firma.api.openapi.targets import (
    DELIVERIES,
    DELIVERY,
    MANAGED_RESPONSES,
    MANAGED_TARGETS,
    OUTCOME,
    PETITION_OUTCOME,
    PRIVATE_RESPONSE,
    RESPONSE,
    TARGET,
)

__all__ = ["PATHS", "SCHEMAS", "document"]

SCHEMAS = {
    "Error": ERROR,
    "Text": TEXT,
    "PetitionSummary": obj(PETITION_SUMMARY),
    "Petition": obj(PETITION),
    "ManagedPetition": obj(MANAGED),
    "Partner": PARTNER,
    "Target": obj(TARGET),
    "Question": QUESTION,
    "ManagedTarget": obj({**TARGET, "email": STRING}),
    "Delivery": DELIVERY,
    "ManagedTargets": MANAGED_TARGETS,
    "Deliveries": DELIVERIES,
    "PetitionPage": page_of("PetitionSummary"),
    "ManagedPetitionPage": page_of("ManagedPetition"),
    "CountsByCountry": COUNTS_BY_COUNTRY,
    "CountsByDay": COUNTS_BY_DAY,
    "Signer": SIGNER,
    "SignerPage": page_of("Signer", petition=STRING),
    "Signature": PRIVATE_SIGNATURE,
    "SignaturePage": page_of("Signature", petition=STRING),
    "ConsentRecord": CONSENT_RECORD,
    "ConsentRecords": CONSENT_RECORDS,
    "OsdiSignature": OSDI_SIGNATURE,
    "Endorsement": ENDORSEMENT,
    "OsdiSignatures": OSDI_COLLECTION,
    "LegacyPetition": LEGACY,
    "Outcome": OUTCOME,
    "Response": obj(RESPONSE),
    "ManagedResponse": obj(PRIVATE_RESPONSE),
    "ManagedResponses": MANAGED_RESPONSES,
    "PetitionOutcome": PETITION_OUTCOME,
    **ledger.SCHEMAS,
    **osdi_helper.schemas(OSDI_SIGNATURE),
}

DESCRIPTION = """\
Public endpoints need no key, may be read from any origin (CORS) and send ETag, Last-Modified
and Cache-Control; every endpoint also answers OPTIONS. The /api/v1/manage/ and /api/v1/osdi/
endpoints need an organisation's API token, created in the back office:
`Authorization: Bearer firma_…`. Errors are always JSON: {"error": code, "detail": text}, with
`fields` for invalid data. See docs/api.md, which also describes the webhooks."""


def document() -> dict:
    return {
        "openapi": "3.1.0",
        "info": {"title": "firma API", "version": "1", "description": DESCRIPTION},
        "servers": [{"url": settings.BASE_URL}],
        "paths": PATHS,
        "components": {
            "schemas": SCHEMAS,
            "responses": {
                name: ok(ref("Error"), description) for name, description in ERRORS.values()
            },
            "securitySchemes": {"token": {"type": "http", "scheme": "bearer"}},
        },
    }
