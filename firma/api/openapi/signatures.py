"""The schemas of signatures: the public list of signers, the organisation's full records with
their consents, and the same in OSDI's shape."""

from firma.api.openapi.common import (
    BOOLEAN,
    DATE,
    DATETIME,
    INTEGER,
    LANGUAGE,
    NULLABLE_DATETIME,
    NULLABLE_STRING,
    STRING,
    URL,
    obj,
    ref,
)

ANSWERS = {
    "type": "object",
    "description": "Answers to the petition's questions by key: text, a list of choices, "
    "true or false, a number. Answers to removed questions stay.",
}
SIGNER = obj(
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
)
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
CONSENT_RECORD = obj(
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
)
CONSENT_RECORDS = obj(
    {
        "petition": STRING,
        "signature": INTEGER,
        "results": {"type": "array", "items": ref("ConsentRecord")},
    }
)
