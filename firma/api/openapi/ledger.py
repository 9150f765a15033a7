"""The ledger's part of the OpenAPI document (firma/api/openapi/ merges it in)."""

HEX = {"type": "string", "pattern": "^[0-9a-f]*$"}
HASH = {"type": "string", "pattern": "^[0-9a-f]{64}$", "description": "SHA-256, in hex."}
COUNT = {"type": "integer", "minimum": 0}
# What the views read as a position in the ledger: at most 18 digits.
POSITION = {"type": "integer", "minimum": 0, "maximum": 10**18 - 1}


def obj(properties: dict) -> dict:
    return {
        "type": "object",
        "properties": properties,
        "required": list(properties),
        "additionalProperties": False,
    }


def ref(name: str) -> dict:
    return {"$ref": f"#/components/schemas/{name}"}


def number(name: str, description: str, required: bool = True) -> dict:
    return {
        "name": name,
        "in": "query",
        "required": required,
        "schema": POSITION,
        "description": description,
    }


HEAD = obj(
    {
        "ledger": {"type": "string", "description": "The ledger's id, signed into each head."},
        "size": {**COUNT, "description": "Leaves in the tree."},
        "count": {**COUNT, "description": "Signatures standing after those leaves."},
        "root": HASH,
        "timestamp": {**COUNT, "description": "Milliseconds since 1970-01-01 UTC."},
        "time": {"type": "string", "format": "date-time"},
        "signature": {
            **HEX,
            "description": "Ed25519, over `firma-ledger-head:v1\\n` followed by the canonical "
            "JSON of ledger, size, count, root and timestamp (keys sorted, no spaces).",
        },
    }
)

SCHEMAS = {
    "LedgerHead": HEAD,
    "LedgerLatestHead": obj(
        {"petition": {"type": "string"}, "head": {"oneOf": [ref("LedgerHead"), {"type": "null"}]}}
    ),
    "LedgerHeads": obj(
        {
            "petition": {"type": "string"},
            "heads": {"type": "array", "items": ref("LedgerHead")},
            "next_start": {
                "type": ["integer", "null"],
                "description": "The `start` of the next page, or null on the last one.",
            },
        }
    ),
    "LedgerLeaves": obj(
        {
            "petition": {"type": "string"},
            "leaves": {
                "type": "array",
                "items": obj(
                    {
                        "index": COUNT,
                        "entry": {
                            "type": "string",
                            "description": "The canonical JSON whose SHA-256(0x00 ‖ entry) is "
                            "the leaf hash: signature, digest, event, reason, standing, time.",
                        },
                    }
                ),
            },
        }
    ),
    "LedgerConsistency": obj(
        {"first": COUNT, "second": COUNT, "proof": {"type": "array", "items": HASH}}
    ),
    "LedgerInclusion": obj(
        {"index": COUNT, "size": COUNT, "proof": {"type": "array", "items": HASH}}
    ),
    "LedgerPublicKey": obj(
        {
            "algorithm": {"type": "string", "enum": ["Ed25519"]},
            "public_key": {**HEX, "description": "The raw 32-byte public key, in hex."},
            "head_prefix": {"type": "string"},
        }
    ),
}


def related(operation: dict, rule: str) -> dict:
    """An operation whose parameters must also agree with one another and with the ledger's
    size: a 400 says which rule a request broke."""
    return {**operation, "x-parameter-rules": rule}


def paths(public_get, slug: dict) -> dict:
    return {
        "/api/v1/ledger/public-key": {
            "get": public_get("The key that signs the ledgers' heads", ref("LedgerPublicKey")),
        },
        "/api/v1/petitions/{slug}/ledger/head": {
            "parameters": [slug],
            "get": public_get(
                "The latest signed tree head (null before the first)",
                ref("LedgerLatestHead"),
                404,
            ),
        },
        "/api/v1/petitions/{slug}/ledger/heads": {
            "parameters": [slug],
            "get": public_get(
                "Every signed tree head, oldest first, a thousand at a time",
                ref("LedgerHeads"),
                400,
                404,
                parameters=[number("start", "The first head to give (0 by default).", False)],
            ),
        },
        "/api/v1/petitions/{slug}/ledger/leaves": {
            "parameters": [slug],
            "get": related(
                public_get(
                    "The leaves [start, end), at most a thousand",
                    ref("LedgerLeaves"),
                    400,
                    404,
                    parameters=[
                        number("start", "The first leaf."),
                        number("end", "One past the last leaf.", False),
                    ],
                ),
                "start <= end",
            ),
        },
        "/api/v1/petitions/{slug}/ledger/consistency": {
            "parameters": [slug],
            "get": related(
                public_get(
                    "The consistency proof between two tree sizes (RFC 9162 §2.1.4)",
                    ref("LedgerConsistency"),
                    400,
                    404,
                    parameters=[number("first", "The older size."), number("second", "The newer.")],
                ),
                "0 <= first <= second <= the ledger's size",
            ),
        },
        "/api/v1/petitions/{slug}/ledger/inclusion": {
            "parameters": [slug],
            "get": related(
                public_get(
                    "The inclusion proof of a leaf in a tree size (RFC 9162 §2.1.3)",
                    ref("LedgerInclusion"),
                    400,
                    404,
                    parameters=[number("index", "The leaf."), number("size", "The tree size.")],
                ),
                "index < size <= the ledger's size",
            ),
        },
    }
