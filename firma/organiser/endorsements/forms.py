from django import forms
from django.utils.translation import gettext_lazy as _


class DeclineForm(forms.Form):
    reason = forms.CharField(
        label=_("Reason for declining"),
        max_length=500,
        help_text=_("Kept with the signature and in the audit log; not shown publicly."),
        widget=forms.Textarea(attrs={"rows": 3}),
    )
