"""The building blocks of the OpenAPI document: types, the error answers, and the helpers that
write an operation, its parameters and a page of results."""

from django.conf import settings

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

FIELD_ERRORS = {
    "type": "object",
    "additionalProperties": {
        "type": "array",
        "items": obj({"code": STRING, "message": STRING}),
    },
}
ERROR = obj({"error": STRING, "detail": STRING, "fields": FIELD_ERRORS}, optional=("fields",))
