"""The schemas of a petition: what the public reads, what its organisation manages, its form's
questions, and what a client sends to create or change one."""

from firma.api.openapi.common import (
    BOOLEAN,
    DATE,
    DATETIME,
    FIELD_SETTING,
    INTEGER,
    LANGUAGE,
    NULLABLE_DATE,
    NULLABLE_DATETIME,
    STATUS,
    STRING,
    URL,
    obj,
    ref,
)
from firma.api.openapi.targets import NULLABLE_OUTCOME

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
COUNTS_BY_COUNTRY = obj(
    {
        "petition": STRING,
        "total": INTEGER,
        "countries": {
            "type": "array",
            "items": obj({"country": STRING, "count": INTEGER}),
        },
    }
)
COUNTS_BY_DAY = obj(
    {
        "petition": STRING,
        "days": {"type": "array", "items": obj({"date": DATE, "count": INTEGER})},
    }
)
