"""The archive's filters, as the index's query string carries them."""

from django import forms
from django.utils.translation import gettext_lazy as _

from firma.petitions.models import Outcome
from firma.petitions.outreach.selectors import CLOSED, OPEN


class ArchiveFilterForm(forms.Form):
    """?status=open|closed and ?outcome=won|partly_won|…; ?page= is the paginator's."""

    status = forms.ChoiceField(
        label=_("Petitions"),
        required=False,
        choices=[("", _("All")), (OPEN, _("Open")), (CLOSED, _("Closed"))],
    )
    outcome = forms.ChoiceField(
        label=_("Outcome"),
        required=False,
        choices=[("", _("Any outcome")), *Outcome.choices],
    )
