"""JSON bodies checked against the types the OpenAPI document declares for them.

The forms behind the API read text, as HTML forms send it: alone, they would take "yes" for a
boolean and "12" for an integer. The document is the contract, so a value of another JSON type
than it declares (or outside its enum) is refused here, before any form sees it.
"""

from firma.api.errors import ApiError

CHECKS = {
    "string": lambda value: isinstance(value, str),
    "integer": lambda value: isinstance(value, int) and not isinstance(value, bool),
    "number": lambda value: isinstance(value, int | float) and not isinstance(value, bool),
    "boolean": lambda value: isinstance(value, bool),
    "null": lambda value: value is None,
    "array": lambda value: isinstance(value, list),
    "object": lambda value: isinstance(value, dict),
}


def problems(body: dict, schema: dict, prefix: str = "") -> dict[str, list[dict]]:
    """The fields of `body` whose JSON type (or value, for an enum) `schema` does not allow."""
    found = {}
    for name, value in body.items():
        declared = schema.get("properties", {}).get(name)
        if declared is not None and (problem := problem_of(value, declared)):
            found[prefix + name] = [problem]
    return found


def problem_of(value: object, declared: dict) -> dict | None:
    """What is wrong with `value` for its schema, with the codes the forms use too."""
    types = declared.get("type", [])
    types = [types] if isinstance(types, str) else types
    if types and not any(CHECKS[kind](value) for kind in types):
        return {"code": "invalid_type", "message": f"Expected {' or '.join(types)}."}
    if value is not None and "enum" in declared and value not in declared["enum"]:
        choices = ", ".join(declared["enum"])
        return {"code": "invalid_choice", "message": f"Expected one of {choices}."}
    minimum = declared.get("minimum")
    if minimum is not None and CHECKS["integer"](value) and value < minimum:
        return {"code": "min_value", "message": f"Expected at least {minimum}."}
    return None


def check(body: dict, schema: dict) -> None:
    """Raise a 400 ApiError if `body` holds a value `schema` does not allow; texts of a new
    petition are checked against their own schema."""
    found = problems(body, schema)
    items = schema.get("properties", {}).get("texts", {}).get("items")
    if items and isinstance(body.get("texts"), list):
        for number, text in enumerate(body["texts"]):
            if isinstance(text, dict):
                found.update(problems(text, items, f"texts.{number}."))
    if found:
        raise ApiError(400, "invalid", "The data sent is not valid.", fields=found)
