"""Mastodon has no central share page: each server has its own, so the person names theirs."""

from urllib.parse import urlsplit

from django import forms
from django.core.exceptions import ValidationError
from django.utils.translation import gettext_lazy as _

from firma.petitions.rules import signer as rules


class MastodonForm(forms.Form):
    instance = forms.CharField(
        label=_("Your Mastodon server"),
        max_length=300,
        widget=forms.TextInput(
            attrs={"placeholder": "mastodon.social", "autocomplete": "off", "inputmode": "url"}
        ),
        error_messages={"required": _("Please enter the address of your Mastodon server.")},
    )

    def clean_instance(self) -> str:
        # People type "mastodon.social", "https://mastodon.social/" or "@me@mastodon.social".
        value = self.cleaned_data["instance"].strip()
        if "://" in value:
            value = urlsplit(value).hostname or ""
        value = value.rpartition("@")[2].split("/")[0]
        host = rules.host(value)
        if not host:
            raise ValidationError(
                _("“%(value)s” is not a server address. Write it like mastodon.social."),
                code="invalid_instance",
                params={"value": self.cleaned_data["instance"]},
            )
        return host
