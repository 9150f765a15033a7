"""The schemas of a petition's way to its targets: the targets, the deliveries, the targets'
responses and the outcome."""

from firma.api.openapi.common import (
    BOOLEAN,
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
MANAGED_TARGETS = obj(
    {"petition": STRING, "results": {"type": "array", "items": ref("ManagedTarget")}}
)
DELIVERIES = obj({"petition": STRING, "results": {"type": "array", "items": ref("Delivery")}})
MANAGED_RESPONSES = obj(
    {"petition": STRING, "results": {"type": "array", "items": ref("ManagedResponse")}}
)
PETITION_OUTCOME = obj({"petition": STRING, "outcome": NULLABLE_OUTCOME})
