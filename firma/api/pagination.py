"""Cursor pagination: each page ends where the next starts, by primary key, so rows added
meanwhile neither repeat nor go missing (as they would with page numbers)."""

from django.db.models import Model, QuerySet
from django.http import HttpRequest

from firma.api.errors import invalid_form
from firma.api.forms import PageForm, encode_cursor
from firma.api.representations import absolute


def page(queryset: QuerySet, form: PageForm, newest_first: bool = True) -> tuple[list[Model], str]:
    """The rows of the page `form` (valid) asks for, and the cursor of the next page ("")."""
    size, after = form.cleaned_data["limit"], form.cleaned_data["cursor"]
    if after is not None:
        queryset = queryset.filter(pk__lt=after) if newest_first else queryset.filter(pk__gt=after)
    rows = list(queryset.order_by("-pk" if newest_first else "pk")[: size + 1])
    if len(rows) <= size:
        return rows, ""
    return rows[:size], encode_cursor(rows[size - 1].pk)


def next_url(request: HttpRequest, cursor: str) -> str | None:
    """The address of the next page: this request's, with the new cursor."""
    if not cursor:
        return None
    query = request.GET.copy()
    query["cursor"] = cursor
    return absolute(f"{request.path}?{query.urlencode()}")


def page_form(request: HttpRequest, form_class: type[PageForm] = PageForm) -> PageForm:
    form = form_class(request.GET)
    if not form.is_valid():
        raise invalid_form(form)
    return form
