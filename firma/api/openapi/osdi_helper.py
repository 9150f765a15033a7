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
        # firma's extension for an endorsement, in the signing form's field names.
        "firma:signing_as": {
            "type": "string",
            "enum": ["individual", "organisation"],
            "description": "firma's extension: `organisation` to sign on behalf of one (an "
            "endorsement, verified by the organisers). Then the organisation's fields below "
            "are asked, and the person's postal address gives its country. Default: "
            "`individual`.",
        },
        "firma:organisation_name": {
            **STRING,
            "maxLength": 200,
            "description": "With `organisation`: the organisation's name (required).",
        },
        "firma:organisation_position": {
            **STRING,
            "maxLength": 120,
            "description": "With `organisation`: the signer's position in it (required).",
        },
        "firma:organisation_website": {
            **STRING,
            "maxLength": 255,
            "description": "With `organisation`: its website, http(s); optional.",
        },
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
        "counted at once if the token is marked confirmed upstream; attributed to the partner "
        "a token is bound to (403 for another petition). `firma:signing_as` and the "
        "`firma:organisation_*` fields record an organisation's endorsement; a bad value is a "
        "400 naming the field",
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
