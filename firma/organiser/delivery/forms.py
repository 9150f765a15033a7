"""The delivery page's two forms: deliver by e-mail, and record a delivery made elsewhere."""

from django import forms
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from firma.petitions.models import Delivery, Petition
from firma.petitions.outreach.selectors import targets_for, targets_with_address


class TargetChoiceField(forms.ModelMultipleChoiceField):
    def label_from_instance(self, target) -> str:
        return f"{target} <{target.email}>" if target.email else str(target)


class DeliveryForm(forms.Form):
    """Pick the targets with an address, write the covering message."""

    targets = TargetChoiceField(
        label=_("Targets"),
        queryset=None,
        widget=forms.CheckboxSelectMultiple,
        error_messages={"required": _("Pick at least one target.")},
    )
    message = forms.CharField(
        label=_("Covering message"),
        required=False,
        max_length=Delivery._meta.get_field("message").max_length,
        widget=forms.Textarea(attrs={"rows": 8}),
        help_text=_("Plain text, sent with the petition to each target."),
    )

    def __init__(self, petition: Petition, *args, **kwargs) -> None:
        kwargs.setdefault("prefix", "email")
        super().__init__(*args, **kwargs)
        self.fields["targets"].queryset = targets_with_address(petition)
        self.fields["targets"].initial = list(self.fields["targets"].queryset)


class OfflineDeliveryForm(forms.Form):
    """A delivery by hand or by post: when, to whom, with how many signatures."""

    targets = TargetChoiceField(
        label=_("Targets"),
        queryset=None,
        widget=forms.CheckboxSelectMultiple,
        error_messages={"required": _("Pick at least one target.")},
    )
    delivered_on = forms.DateField(
        label=_("Delivered on"), widget=forms.DateInput(attrs={"type": "date"})
    )
    signature_count = forms.IntegerField(label=_("Signatures delivered"), min_value=0)
    note = forms.CharField(
        label=_("Note"),
        max_length=Delivery._meta.get_field("note").max_length,
        required=False,
        help_text=_("Like: handed over at the ministry's front desk."),
    )

    def __init__(self, petition: Petition, count: int, *args, **kwargs) -> None:
        kwargs.setdefault("prefix", "offline")
        super().__init__(*args, **kwargs)
        self.fields["targets"].queryset = targets_for(petition)
        self.fields["delivered_on"].initial = timezone.localdate()
        self.fields["signature_count"].initial = count

    def clean_delivered_on(self):
        day = self.cleaned_data["delivered_on"]
        if day > timezone.localdate():
            raise forms.ValidationError(_("This date is in the future."), code="future")
        return day
