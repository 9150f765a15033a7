"""Forms behind a signer's private link: each asks for one change, spelt out before it happens."""

from django import forms
from django.utils.translation import gettext_lazy as _


class ListingForm(forms.Form):
    """Show or hide the signer in the public list. The page sets the value its button asks for;
    a form sent without one hides, the choice that reveals less."""

    public = forms.BooleanField(required=False, widget=forms.HiddenInput)


class DeleteForm(forms.Form):
    """Delete a signature for good, only with the box ticked: one stray click deletes nothing."""

    confirm = forms.BooleanField(
        label=_("Yes, delete my signature. This cannot be undone."),
        error_messages={
            "required": _("Tick the box to confirm that you want to delete your signature."),
        },
    )
