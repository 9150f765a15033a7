"""The API answers every error with JSON: {"error": code, "detail": text[, "fields": …]}."""

from django.http import JsonResponse


class ApiError(Exception):
    """Raised anywhere in an API view; the endpoint decorator turns it into its JSON answer."""

    def __init__(
        self,
        status: int,
        code: str,
        detail: str,
        fields: dict | None = None,
        headers: dict | None = None,
    ) -> None:
        super().__init__(detail)
        self.status, self.code, self.detail = status, code, detail
        self.fields = fields
        self.headers = headers or {}


def json_response(data, status: int = 200) -> JsonResponse:
    return JsonResponse(data, status=status, safe=False, json_dumps_params={"ensure_ascii": False})


def error_response(error: ApiError) -> JsonResponse:
    body = {"error": error.code, "detail": error.detail}
    if error.fields is not None:
        body["fields"] = error.fields
    response = json_response(body, status=error.status)
    for name, value in error.headers.items():
        response[name] = value
    return response


def not_found(what: str = "resource") -> ApiError:
    return ApiError(404, "not_found", f"No such {what}.")


def invalid_form(form) -> ApiError:
    """400 with each field's errors as [{"code", "message"}], from a bound, invalid form."""
    return ApiError(
        400, "invalid", "The data sent is not valid.", fields=form.errors.get_json_data()
    )
