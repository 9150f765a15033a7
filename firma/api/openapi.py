"""The OpenAPI 3.1 document of the API, served at /api/openapi.json.

The tests check every answer of the API they receive against it, so it cannot drift from the
code without a test failing.
"""

from django.conf import settings

from firma.api import ledger_openapi, osdi_helper_openapi

STRING = {"type": "string"}
INTEGER = {"type": "integer"}
BOOLEAN = {"type": "boolean"}
NULLABLE_STRING = {"type": ["string", "null"]}
DATE = {"type": "string", "format": "date"}
DATETIME = {"type": "string", "format": "date-time"}
NULLABLE_DATE = {"type": ["string", "null"], "format": "date"}
NULLABLE_DATETIME = {"type": ["string", "null"], "format": "date-time"}
URL = {"type": "string", "format": "uri"}
NEXT = {
    "type": ["string", "null"],
    "format": "uri",
    "description": "The next page, or null on the last one.",
}
STATUS = {"type": "string", "enum": ["draft", "open", "closed", "archived"]}
FIELD_SETTING = {"type": "string", "enum": ["required", "optional", "hidden"]}
LANGUAGE = {"type": "string", "enum": [code for code, _ in settings.LANGUAGES]}

ERRORS = {
    400: ("BadRequest", "Invalid parameters or body; `fields` tells which."),
    401: ("Unauthorized", "No API token, or not a valid one."),
    403: ("Forbidden", "The token may only read."),
    404: ("NotFound", "No such petition (or not one of the token's organisation)."),
    429: ("TooManyRequests", "Rate limit reached; see the Retry-After header."),
}


def ref(name: str) -> dict:
    return {"$ref": f"#/components/schemas/{name}"}


def obj(properties: dict, optional: tuple[str, ...] = ()) -> dict:
    """An object with exactly these properties, all required but the `optional` ones."""
    return {
        "type": "object",
        "properties": properties,
        "required": [name for name in properties if name not in optional],
        "additionalProperties": False,
    }


def page_of(item: str, **extra) -> dict:
    return obj({**extra, "results": {"type": "array", "items": ref(item)}, "next": NEXT})


def ok(schema: dict, description: str = "OK", media: str = "application/json") -> dict:
    return {"description": description, "content": {media: {"schema": schema}}}


def operation(summary: str, responses: dict, *errors: int, **extra) -> dict:
    found = {"summary": summary, "responses": dict(responses)}
    for status in (*errors, 429):
        found["responses"][str(status)] = {"$ref": f"#/components/responses/{ERRORS[status][0]}"}
    return {**found, **extra}


def public_get(summary: str, schema: dict, *errors: int, parameters=()) -> dict:
    responses = {
        "200": ok(schema),
        "304": {"description": "Not modified: the If-None-Match ETag is current."},
    }
    return operation(summary, responses, *errors, parameters=list(parameters))


def private(summary: str, responses: dict, *errors: int, **extra) -> dict:
    return operation(summary, responses, 401, *errors, security=[{"token": []}], **extra)


def path_parameter(name: str, schema: dict = STRING) -> dict:
    return {"name": name, "in": "path", "required": True, "schema": schema}


def query(name: str, schema: dict, description: str) -> dict:
    return {
        "name": name,
        "in": "query",
        "required": False,
        "schema": schema,
        "description": description,
    }


SLUG = path_parameter("slug", {"type": "string", "minLength": 1, "pattern": "^[^/]+$"})
PAGING = [
    query(
        "limit",
        {"type": "integer", "minimum": 1, "maximum": settings.API_MAX_PAGE_SIZE},
        f"Page size, {settings.API_PAGE_SIZE} by default.",
    ),
    query(
        "cursor", {"type": "string", "minLength": 1}, "From the `next` link of the previous page."
    ),
]
FILTERS = [
    query(
        "status",
        {"type": "string", "enum": ["confirmed", "pending", "invalidated"]},
        "confirmed (counted), pending (not confirmed yet) or invalidated.",
    ),
    query("country", {"type": "string", "pattern": "^[A-Za-z]{2}$"}, "ISO 3166 alpha-2 code."),
    query(
        "since",
        {"type": "string", "anyOf": [{"format": "date-time"}, {"format": "date"}]},
        "Signed at or after this moment (ISO 8601; a date is midnight).",
    ),
]

TEXT = obj(
    {"language": LANGUAGE, "title": STRING, "body": STRING, "donation_note": STRING, "url": URL}
)
PETITION_SUMMARY = {
    "slug": STRING,
    "title": STRING,
    "default_language": LANGUAGE,
    "languages": {"type": "array", "items": LANGUAGE},
    "status": STATUS,
    "goal": {"type": ["integer", "null"]},
    "closes_on": NULLABLE_DATE,
    "signature_count": INTEGER,
    "url": URL,
    "api_url": URL,
}
OUTCOME = obj(
    {
        "outcome": {
            "type": "string",
            "enum": ["won", "partly_won", "rejected", "no_response", "withdrawn"],
        },
        "label": {**STRING, "description": "The outcome in words, in English."},
        "text": {**STRING, "description": "The organisers' short text about it."},
        "recorded_at": DATETIME,
    }
)
NULLABLE_OUTCOME = {"oneOf": [ref("Outcome"), {"type": "null"}]}
RESPONSE_TARGET = obj({"name": STRING, "role": STRING, "country": NULLABLE_STRING})
RESPONSE = {
    "id": INTEGER,
    "target": {"oneOf": [RESPONSE_TARGET, {"type": "null"}]},
    "text": {**STRING, "description": "Markdown, as the target wrote it."},
    "language": LANGUAGE,
    "translations": {
        "type": "object",
        "additionalProperties": STRING,
        "description": "The organisers' translations by language code.",
    },
    "document_url": STRING,
    "source": {
        "type": "string",
        "enum": ["link", "entered"],
        "description": "link: sent through the target's private link; entered: received "
        "elsewhere (received_via) and entered by the organisers.",
    },
    "received_via": STRING,
    "received_at": DATETIME,
    "published_at": NULLABLE_DATETIME,
    "url": URL,
}
PRIVATE_RESPONSE = {
    **RESPONSE,
    "status": {"type": "string", "enum": ["pending", "published", "declined"]},
    "decline_reason": STRING,
}
TARGET = {
    "id": INTEGER,
    "name": STRING,
    "role": {**STRING, "description": "In the petition's default language."},
    "role_translations": {
        "type": "object",
        "additionalProperties": STRING,
        "description": "The role in other languages, by language code.",
    },
    "country": NULLABLE_STRING,
}
DELIVERY_METHOD = {"type": "string", "enum": ["email", "offline"]}
DELIVERY = obj(
    {
        "id": INTEGER,
        "method": {**DELIVERY_METHOD, "description": "email: through firma; offline: recorded."},
        "delivered_at": DATETIME,
        "signature_count": INTEGER,
        "counts_by_country": {
            "type": "object",
            "additionalProperties": INTEGER,
            "description": 'Confirmed signatures by country code at delivery ("" for none).',
        },
        "targets": {"type": "array", "items": INTEGER, "description": "Target ids."},
        "note": STRING,
    }
)
PETITION = {
    **PETITION_SUMMARY,
    "texts": {"type": "array", "items": ref("Text")},
    "created_at": DATETIME,
    "closed_at": NULLABLE_DATETIME,
    "outcome": NULLABLE_OUTCOME,
    "responses": {
        "type": "array",
        "items": ref("Response"),
        "description": "Published responses, oldest answer first; a target's later answers "
        "follow their first.",
    },
    "targets": {"type": "array", "items": ref("Target")},
    "deliveries": {"type": "array", "items": ref("Delivery")},
    "partners": {
        "type": "array",
        "items": ref("Partner"),
        "description": "The organisations the petition is launched with, in the page's order.",
    },
}
PARTNER = obj(
    {
        "name": STRING,
        "slug": {**STRING, "description": "Tags the partner's share links (?via=<slug>)."},
        "website": {**STRING, "description": "Empty when not given."},
        "privacy_url": {**STRING, "description": "Empty when not given."},
        "opt_in": {
            **BOOLEAN,
            "description": "Offers signers its own consent box on the form.",
        },
        "logo_url": {
            "type": ["string", "null"],
            "format": "uri",
            "description": "The logo as firma serves it (PNG); null without one.",
        },
    }
)
SETTINGS = {
    "organization_field": FIELD_SETTING,
    "country_field": FIELD_SETTING,
    "comment_field": FIELD_SETTING,
    "allow_embedding": BOOLEAN,
    "retention_days": INTEGER,
    "deliver_at": {
        "type": ["integer", "null"],
        "description": "The organisers are told when the confirmed count reaches it.",
    },
    "auto_deliver": {
        **BOOLEAN,
        "description": "Then the petition is e-mailed to its targets with an address, too.",
    },
    "response_days": {"type": ["integer", "null"], "description": "Days to answer a delivery."},
    "deliver_unlisted_names": {
        **BOOLEAN,
        "description": "Targets get the names of signers not listed publicly too.",
    },
}
MANAGED = {
    **PETITION,
    **SETTINGS,
    "threshold_reached_at": NULLABLE_DATETIME,
    "targets": {"type": "array", "items": ref("ManagedTarget")},
    "questions": {
        "type": "array",
        "items": ref("Question"),
        "description": "The petition's own questions on its form, in order.",
    },
}
QUESTION_KINDS = [
    "short_text",
    "long_text",
    "choice",
    "choices",
    "checkbox",
    "number",
    "postal_code",
    "phone",
]
QUESTION = obj(
    {
        "key": {**STRING, "description": "The form field is q_<key>; answers are keyed by it."},
        "kind": {"type": "string", "enum": QUESTION_KINDS},
        "label": STRING,
        "help_text": STRING,
        "choices": {"type": "array", "items": STRING},
        "translations": {
            "type": "object",
            "description": 'By language: {"es": {"label": …, "help_text": …, "choices": […]}}.',
        },
        "required": BOOLEAN,
        "public": {**BOOLEAN, "description": "Shown beside the name in the public list."},
    }
)
ANSWERS = {
    "type": "object",
    "description": "Answers to the petition's questions by key: text, a list of choices, "
    "true or false, a number. Answers to removed questions stay.",
}
TARGET_INPUT = {
    "type": "object",
    "properties": {
        "name": STRING,
        "role": STRING,
        "email": {"type": "string", "format": "email"},
        "country": {**STRING, "description": "ISO 3166 alpha-2 code."},
        "position": {**INTEGER, "description": "Order among the targets; last by default."},
    },
    "required": ["name"],
}
DELIVERY_INPUT = {
    "type": "object",
    "properties": {
        "method": DELIVERY_METHOD,
        "targets": {"type": "array", "items": INTEGER, "minItems": 1},
        "message": {**STRING, "description": "email: the covering message."},
        "delivered_at": {**DATETIME, "description": "offline: when; now by default."},
        "signature_count": {**INTEGER, "description": "offline: how many were delivered."},
        "note": {**STRING, "description": "offline: how, where."},
    },
    "required": ["method", "targets"],
}
PRIVATE_SIGNATURE = obj(
    {
        "id": INTEGER,
        "petition": STRING,
        "full_name": STRING,
        "organization": STRING,
        "email": STRING,
        "country": NULLABLE_STRING,
        "comment": STRING,
        "comment_hidden": BOOLEAN,
        "listed": {**BOOLEAN, "description": "The signer chose to appear in the public list."},
        "hidden": {**BOOLEAN, "description": "An organiser hid the signer from the list."},
        "news_opt_in": {
            **BOOLEAN,
            "description": "The signer asked to hear about this petition: updates, delivery, "
            "response.",
        },
        "organisation_news": {
            **BOOLEAN,
            "description": "The signer asked for the organisers' other news, beyond this petition.",
        },
        "language": LANGUAGE,
        "status": {"type": "string", "enum": ["pending", "confirmed"]},
        "valid": {**BOOLEAN, "description": "False once invalidated by an organiser."},
        "flags": {"type": "array", "items": STRING},
        "source": STRING,
        "referrer": STRING,
        "paper": BOOLEAN,
        "kind": {
            "type": "string",
            "enum": ["individual", "organisation"],
            "description": "organisation: signed on behalf of one (an endorsement).",
        },
        "organisation": {"oneOf": [ref("Endorsement"), {"type": "null"}]},
        "confirmed_upstream": {
            **BOOLEAN,
            "description": "Counted on the word of a partner's own double opt-in.",
        },
        "answers": ANSWERS,
        "created_at": DATETIME,
        "confirmed_at": NULLABLE_DATETIME,
        "anonymised_at": NULLABLE_DATETIME,
        "partner": {
            **NULLABLE_STRING,
            "description": "The slug of the partner whose share link, embed or API token "
            "brought the signature; null for none.",
        },
    }
)
ENDORSEMENT = obj(
    {
        "name": STRING,
        "position": STRING,
        "website": STRING,
        "verification": {"type": "string", "enum": ["pending", "verified", "declined"]},
        "address_at_website": {
            **BOOLEAN,
            "description": "The signer's address is at the domain of the organisation's website.",
        },
    }
)
OSDI_PERSON = {
    "type": "object",
    "properties": {
        "given_name": STRING,
        "family_name": STRING,
        "languages_spoken": {"type": "array", "items": STRING},
        "email_addresses": {
            "type": "array",
            "items": obj(
                {
                    "address": STRING,
                    "primary": BOOLEAN,
                    "status": {"type": "string", "enum": ["subscribed", "unsubscribed"]},
                }
            ),
        },
        "postal_addresses": {
            "type": "array",
            "items": obj({"primary": BOOLEAN, "country": STRING}),
        },
        "custom_fields": {"type": "object", "additionalProperties": STRING},
    },
    "required": ["given_name", "family_name", "email_addresses", "postal_addresses"],
}
LINK = obj({"href": URL})
OSDI_SIGNATURE = obj(
    {
        "identifiers": {"type": "array", "items": {"type": "string", "pattern": "^firma:[0-9]+$"}},
        "origin_system": STRING,
        "created_date": DATETIME,
        "modified_date": DATETIME,
        "comments": STRING,
        "person": OSDI_PERSON,
        "_links": obj({"osdi:petition": LINK}),
    }
)
OSDI_COLLECTION = obj(
    {
        "origin_system": STRING,
        "per_page": INTEGER,
        "_links": obj({"self": LINK, "next": LINK}, optional=("next",)),
        "_embedded": obj({"osdi:signatures": {"type": "array", "items": ref("OsdiSignature")}}),
    }
)
FIELD_ERRORS = {
    "type": "object",
    "additionalProperties": {
        "type": "array",
        "items": obj({"code": STRING, "message": STRING}),
    },
}
ERROR = obj({"error": STRING, "detail": STRING, "fields": FIELD_ERRORS}, optional=("fields",))
PETITION_INPUT = {
    "type": "object",
    "properties": {
        "slug": STRING,
        "status": STATUS,
        "default_language": LANGUAGE,
        "goal": {"type": ["integer", "null"], "minimum": 0},
        "closes_on": NULLABLE_DATE,
        **SETTINGS,
        "questions": {
            "type": "array",
            "maxItems": 10,
            "items": {
                "type": "object",
                "properties": QUESTION["properties"],
                "required": ["key", "kind", "label"],
                "additionalProperties": False,
            },
            "description": "Replaces the questions of the form, in order. A question left out "
            "that people answered leaves the form and keeps its answers.",
        },
    },
}
TEXT_INPUT = {
    "type": "object",
    "properties": {"title": STRING, "body": STRING, "donation_note": STRING},
    "required": ["title"],
}
NEW_TEXT = {
    **TEXT_INPUT,
    "properties": {"language": LANGUAGE, **TEXT_INPUT["properties"]},
    "required": ["language", "title"],
}
NEW_PETITION = {
    **PETITION_INPUT,
    "properties": {
        **PETITION_INPUT["properties"],
        "texts": {"type": "array", "minItems": 1, "items": NEW_TEXT},
    },
    "required": ["slug", "texts"],
}
NEW_RESPONSE = {
    "type": "object",
    "properties": {
        "target": {**INTEGER, "description": "The id of one of the petition's targets."},
        "text": STRING,
        "language": LANGUAGE,
        "received_via": {**STRING, "description": "Like: post, e-mail."},
        "received_at": DATETIME,
        "document_url": STRING,
        "publish": {**BOOLEAN, "description": "Publish and e-mail it now (the default)."},
    },
    "required": ["target", "text"],
}
OUTCOME_INPUT = {
    "type": "object",
    "properties": {
        "outcome": OUTCOME["properties"]["outcome"],
        "text": STRING,
    },
    "required": ["outcome"],
}
LEGACY = obj(
    {
        "slug": STRING,
        "title": STRING,
        "language": LANGUAGE,
        "languages": {"type": "array", "items": LANGUAGE},
        "url": URL,
        "status": STATUS,
        "goal": {"type": ["integer", "null"]},
        "closes_on": NULLABLE_DATE,
        "signature_count": INTEGER,
        "signatures_by_country": {"type": "object", "additionalProperties": INTEGER},
    }
)

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
    "ManagedTargets": obj(
        {"petition": STRING, "results": {"type": "array", "items": ref("ManagedTarget")}}
    ),
    "Deliveries": obj({"petition": STRING, "results": {"type": "array", "items": ref("Delivery")}}),
    "PetitionPage": page_of("PetitionSummary"),
    "ManagedPetitionPage": page_of("ManagedPetition"),
    "CountsByCountry": obj(
        {
            "petition": STRING,
            "total": INTEGER,
            "countries": {
                "type": "array",
                "items": obj({"country": STRING, "count": INTEGER}),
            },
        }
    ),
    "CountsByDay": obj(
        {
            "petition": STRING,
            "days": {"type": "array", "items": obj({"date": DATE, "count": INTEGER})},
        }
    ),
    "Signer": obj(
        {
            "kind": {
                "type": "string",
                "enum": ["individual", "organisation"],
                "description": "organisation: a verified endorsing organisation, by its name.",
            },
            "name": STRING,
            "organization": STRING,
            "country": NULLABLE_STRING,
            "signed_on": DATE,
            "comment": STRING,
            "website": {**STRING, "description": "An endorsing organisation's website."},
            "answers": {**ANSWERS, "description": "Answers to the public questions, by key."},
        },
        optional=("website",),
    ),
    "SignerPage": page_of("Signer", petition=STRING),
    "Signature": PRIVATE_SIGNATURE,
    "SignaturePage": page_of("Signature", petition=STRING),
    "ConsentRecord": obj(
        {
            "consent": {
                "type": "string",
                "enum": ["privacy", "listing", "petition_news", "organisation_news", "partner"],
            },
            "consent_label": STRING,
            "partner": {
                **NULLABLE_STRING,
                "description": "For a consent to hear from a partner: the partner's slug.",
            },
            "given": BOOLEAN,
            "when": DATETIME,
            "channel": {
                "type": "string",
                "enum": [
                    "page",
                    "embed",
                    "api",
                    "paper",
                    "self_service",
                    "unsubscribe",
                    "organiser",
                ],
            },
            "language": STRING,
            "wording": {
                **NULLABLE_STRING,
                "description": "The exact words shown; null for opt-ins migrated without them.",
            },
            "wording_sha256": NULLABLE_STRING,
            "migrated": BOOLEAN,
        }
    ),
    "ConsentRecords": obj(
        {
            "petition": STRING,
            "signature": INTEGER,
            "results": {"type": "array", "items": ref("ConsentRecord")},
        }
    ),
    "OsdiSignature": OSDI_SIGNATURE,
    "Endorsement": ENDORSEMENT,
    "OsdiSignatures": OSDI_COLLECTION,
    "LegacyPetition": LEGACY,
    "Outcome": OUTCOME,
    "Response": obj(RESPONSE),
    "ManagedResponse": obj(PRIVATE_RESPONSE),
    "ManagedResponses": obj(
        {"petition": STRING, "results": {"type": "array", "items": ref("ManagedResponse")}}
    ),
    "PetitionOutcome": obj({"petition": STRING, "outcome": NULLABLE_OUTCOME}),
    **ledger_openapi.SCHEMAS,
    **osdi_helper_openapi.schemas(OSDI_SIGNATURE),
}

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

PATHS.update(ledger_openapi.paths(public_get, SLUG))
PATHS.update(osdi_helper_openapi.paths(private, SLUG, ref("Error")))

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
