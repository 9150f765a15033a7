"""Changelist filters for signatures that only ever list values from the organiser's own data.

Django's stock related-field filter lists every petition in the database; these take their
choices from the changelist's own (organisation-scoped) queryset.
"""

from django.contrib import admin
from django.db.models import Count, Q, QuerySet
from django.utils.translation import gettext_lazy as _

# How many of the most frequent e-mail domains and IP hashes a filter offers.
TOP_VALUES = 10


def has_flag(flag: str) -> Q:
    """Signatures whose space-separated flags include the token `flag`."""
    return (
        Q(flags=flag)
        | Q(flags__startswith=f"{flag} ")
        | Q(flags__endswith=f" {flag}")
        | Q(flags__contains=f" {flag} ")
    )


def flag_tokens(signatures: QuerySet) -> list[str]:
    rows = signatures.suspicious().order_by().values_list("flags", flat=True).distinct()
    return sorted({token for flags in rows[:500] for token in flags.split()})


class ValidityFilter(admin.SimpleListFilter):
    title = _("validity")
    parameter_name = "invalidated"

    def lookups(self, request, model_admin):
        return [("no", _("Valid")), ("yes", _("Invalidated"))]

    def queryset(self, request, queryset):
        if self.value() == "no":
            return queryset.valid()
        if self.value() == "yes":
            return queryset.invalidated()
        return queryset


class FlagFilter(admin.SimpleListFilter):
    title = _("flag")
    parameter_name = "flag"
    ANY, NONE = "*", "-"

    def lookups(self, request, model_admin):
        tokens = flag_tokens(model_admin.get_queryset(request))
        return [
            (self.ANY, _("Any flag")),
            (self.NONE, _("No flag")),
            *[(token, token) for token in tokens],
        ]

    def queryset(self, request, queryset):
        value = self.value()
        if value == self.ANY:
            return queryset.suspicious()
        if value == self.NONE:
            return queryset.filter(flags="")
        if value:
            return queryset.filter(has_flag(value))
        return queryset


class FrequentValueFilter(admin.SimpleListFilter):
    """The values of `parameter_name` shared by most signatures; any value can be linked to."""

    def lookups(self, request, model_admin):
        field = self.parameter_name
        frequent = (
            model_admin.get_queryset(request)
            .exclude(**{field: ""})
            .order_by()
            .values(field)
            .annotate(total=Count("id"))
            .filter(total__gt=1)
            .order_by("-total", field)[:TOP_VALUES]
        )
        choices = [(row[field], self.label(row[field], row["total"])) for row in frequent]
        # The selected value must be among the choices, or Django would ignore the filter.
        current = self.value()
        if current and current not in {value for value, _label in choices}:
            choices.append((current, self.label(current, None)))
        return choices

    def label(self, value: str, total: int | None) -> str:
        return value if total is None else f"{value} ({total})"

    def queryset(self, request, queryset):
        if self.value():
            return queryset.filter(**{self.parameter_name: self.value()})
        return queryset


class EmailDomainFilter(FrequentValueFilter):
    title = _("e-mail domain")
    parameter_name = "email_domain"


class SourceFilter(FrequentValueFilter):
    """Where signers came from (a share link's ?source=); the trends page links to each."""

    title = _("source")
    parameter_name = "source"


class IPHashFilter(FrequentValueFilter):
    title = _("IP hash")
    parameter_name = "ip_hash"

    def label(self, value: str, total: int | None) -> str:
        return super().label(value[:12] + "…", total)
