"""The organisers' forms about responses and the outcome."""

from django import forms
from django.conf import settings
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from firma.petitions.models import Outcome, Petition, Response

# Longer than any answer a minister writes; a whole report goes in the linked document.
MAX_TEXT = 20_000


class DeclineForm(forms.Form):
    reason = forms.CharField(
        label=_("Reason for declining"),
        max_length=500,
        help_text=_("Kept with the response and in the audit log; not shown publicly."),
        widget=forms.Textarea(attrs={"rows": 3}),
    )


class EnterForm(forms.ModelForm):
    """A response received elsewhere, as the organisers type it in."""

    text = forms.CharField(
        label=_("response"),
        max_length=MAX_TEXT,
        help_text=_("Markdown, as it was written."),
        widget=forms.Textarea(attrs={"rows": 12}),
    )
    document_url = forms.URLField(
        label=_("link to a document"), max_length=500, required=False, assume_scheme="https"
    )
    publish_now = forms.BooleanField(
        label=_("Publish it now"),
        required=False,
        initial=True,
        help_text=_("It is e-mailed to the signers who asked for news."),
    )

    class Meta:
        model = Response
        fields = ["target", "text", "language", "received_via", "received_at", "document_url"]

    def __init__(self, petition: Petition, *args, **kwargs) -> None:
        super().__init__(*args, **kwargs)
        self.fields["target"].queryset = petition.targets.all()
        self.fields["target"].required = True
        self.fields["received_at"].initial = timezone.now
        self.fields["language"].initial = petition.default_language


class TranslationForm(forms.Form):
    language = forms.ChoiceField(label=_("Language"), choices=settings.LANGUAGES)
    text = forms.CharField(
        label=_("Translation"),
        max_length=MAX_TEXT,
        help_text=_("Markdown. Shown to readers in this language, with the original."),
        widget=forms.Textarea(attrs={"rows": 12}),
    )

    def __init__(self, response: Response, *args, **kwargs) -> None:
        super().__init__(*args, **kwargs)
        self.fields["language"].choices = [
            (code, name) for code, name in settings.LANGUAGES if code != response.language
        ]


class OutcomeForm(forms.ModelForm):
    class Meta:
        model = Petition
        fields = ["outcome", "outcome_text"]
        widgets = {"outcome_text": forms.Textarea(attrs={"rows": 4})}

    def __init__(self, *args, **kwargs) -> None:
        super().__init__(*args, **kwargs)
        self.fields["outcome"].required = True
        self.fields["outcome"].choices = Outcome.choices
