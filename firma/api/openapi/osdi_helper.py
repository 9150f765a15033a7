"""The record signature helper's part of the OpenAPI document (firma/api/openapi/ merges it
in)."""

STRING = {"type": "string"}
BOOLEAN = {"type": "boolean"}


def obj(properties: dict, required: tuple[str, ...] = ()) -> dict:
    return {"type": "object", "properties": properties, "required": list(required)}


def ref(name: str) -> dict:
    return {"$ref": f"#/components/schemas/{name}"}


HELPER_INPUT = obj(
    {
        "person": obj(
            {
                "given_name": STRING,
                "family_name": STRING,
                "languages_spoken": {"type": "array", "items": STRING},
                "email_addresses": {
                    "type": "array",
                    "items": obj(
                        {
                            "address": STRING,
                            "primary": BOOLEAN,
                            "status": {
                                "type": "string",
                                "enum": ["subscribed", "unsubscribed"],
                                "description": "`subscribed`: the signer wants news.",
                            },
                        },
                        required=("address",),
                    ),
                },
                "postal_addresses": {
                    "type": "array",
                    "items": obj(
                        {"primary": BOOLEAN, "country": {**STRING, "description": "ISO 3166-1."}}
                    ),
                },
                "custom_fields": {
                    "type": "object",
                    "properties": {
                        "organization": STRING,
                        "public": {
                            **STRING,
                            "description": "`true` to be listed publicly on the page.",
                        },
                    },
                },
            },
            required=("given_name", "email_addresses"),
        ),
        "comments": STRING,
    },
    required=("person",),
)


def schemas(osdi_signature: dict) -> dict:
    """The helper's input, and its answer: an OsdiSignature with firma's status of it."""
    recorded = {
        **osdi_signature,
        "properties": {
            **osdi_signature["properties"],
            "firma:status": {"type": "string", "enum": ["pending", "confirmed"]},
            "firma:confirmed_upstream": BOOLEAN,
        },
        "required": [*osdi_signature["required"], "firma:status", "firma:confirmed_upstream"],
        "description": "`identifiers` is empty when nothing was stored.",
    }
    return {"OsdiSignatureHelperInput": HELPER_INPUT, "OsdiRecordedSignature": recorded}


def paths(private, slug: dict, error_ref: dict) -> dict:
    conflict = {
        "description": "The petition is closed, or a request with the same Idempotency-Key "
        "is being answered.",
        "content": {"application/json": {"schema": error_ref}},
    }
    operation = private(
        "Record a signature from a partner's own form (OSDI record signature helper; a token "
        "that records signatures). Validated, limited and confirmed by e-mail as on the page; "
        "counted at once if the token is marked confirmed upstream",
        {
            "200": {
                "description": "OK",
                "content": {"application/json": {"schema": ref("OsdiRecordedSignature")}},
            }
        },
        400,
        403,
        404,
        parameters=[
            {
                "name": "Idempotency-Key",
                "in": "header",
                "required": False,
                "schema": {"type": "string", "maxLength": 200},
                "description": "The same key from the same token gets the first answer again "
                "and records nothing more.",
            }
        ],
        requestBody={
            "required": True,
            "content": {"application/json": {"schema": ref("OsdiSignatureHelperInput")}},
        },
    )
    operation["responses"]["409"] = conflict
    return {
        "/api/v1/osdi/petitions/{slug}/record_signature_helper": {
            "parameters": [slug],
            "post": operation,
        }
    }
