from datetime import datetime, time, timedelta

from django import forms
from django.core.exceptions import ValidationError
from django.db import models
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from firma.organiser.moderation.filters import flag_tokens
from firma.organiser.moderation.invalidations import ANY_FLAG
from firma.petitions.models import Petition, Signature


class Step(models.TextChoices):
    """What a moderator can do to one signature."""

    HIDE_COMMENT = "hide_comment", _("Hide the comment")
    SHOW_COMMENT = "show_comment", _("Show the comment again")
    HIDE_ENTRY = "hide_entry", _("Hide from the public list")
    SHOW_ENTRY = "show_entry", _("Show in the public list again")
    INVALIDATE = "invalidate", _("Invalidate: stop counting it")
    RESTORE = "restore", _("Count it again")


def available_steps(signature: Signature) -> list[Step]:
    """The steps that would change something for `signature` now."""
    steps = []
    if signature.comment:
        steps.append(Step.SHOW_COMMENT if signature.comment_hidden else Step.HIDE_COMMENT)
    steps.append(Step.SHOW_ENTRY if signature.hidden else Step.HIDE_ENTRY)
    steps.append(Step.RESTORE if signature.invalidation_id else Step.INVALIDATE)
    return steps


class ModerationForm(forms.Form):
    step = forms.ChoiceField(label=_("Action"), choices=Step.choices)
    reason = forms.CharField(
        label=_("Reason"),
        max_length=200,
        required=False,
        help_text=_("Kept in the audit log; needed to invalidate."),
    )

    def __init__(self, signature: Signature, *args, **kwargs) -> None:
        super().__init__(*args, **kwargs)
        self.signature = signature

    def clean(self) -> dict:
        data = super().clean()
        step = data.get("step")
        if step and step not in available_steps(self.signature):
            # Another moderator did it meanwhile, or the page was old.
            raise ValidationError(
                _("This action does not apply to the signature as it is now."),
                code="not_applicable",
            )
        if step == Step.INVALIDATE and not data.get("reason", "").strip():
            raise ValidationError(
                _("Give a reason for invalidating the signature."), code="reason_required"
            )
        return data


class NameForm(forms.Form):
    full_name = forms.CharField(label=_("Name shown"), max_length=120)
    note = forms.CharField(
        label=_("Note"),
        max_length=200,
        required=False,
        help_text=_("Who asked for the correction, and how; kept in the audit log."),
    )

    def __init__(self, signature: Signature, *args, **kwargs) -> None:
        kwargs.setdefault("initial", {"full_name": signature.full_name})
        super().__init__(*args, **kwargs)
        self.signature = signature

    def clean_full_name(self) -> str:
        name = " ".join(self.cleaned_data["full_name"].split())
        if not name:
            raise ValidationError(_("Enter a name."), code="required")
        if self.signature.anonymised_at:
            raise ValidationError(
                _("This signer's data were erased: there is no name to correct."),
                code="anonymised",
            )
        if name == self.signature.full_name:
            raise ValidationError(_("The name is unchanged."), code="unchanged")
        return name


class SearchForm(forms.Form):
    q = forms.CharField(label=_("Name, e-mail or comment"), max_length=200, required=False)
    shown = forms.ChoiceField(
        label=_("Show"),
        required=False,
        choices=[
            ("", _("All signatures")),
            ("comments", _("With a comment")),
            ("hidden", _("Hidden entries or comments")),
            ("invalidated", _("Invalidated")),
        ],
    )

    def filter(self, petition: Petition):
        signatures = petition.signatures.all()
        if not self.is_valid():
            return signatures
        query, shown = self.cleaned_data["q"].strip(), self.cleaned_data["shown"]
        if query:
            signatures = signatures.filter(
                models.Q(full_name__icontains=query)
                | models.Q(email__icontains=query)
                | models.Q(comment__icontains=query)
            )
        if shown == "comments":
            signatures = signatures.exclude(comment="")
        elif shown == "hidden":
            signatures = signatures.filter(models.Q(hidden=True) | models.Q(comment_hidden=True))
        elif shown == "invalidated":
            signatures = signatures.invalidated()
        return signatures


DATETIME_LOCAL = "%Y-%m-%dT%H:%M"
CRITERIA = ["email_domain", "ip_hash", "signed_from", "signed_to", "flag"]


class InvalidationFilterForm(forms.Form):
    """Which signatures of a petition to invalidate; see invalidations.matching()."""

    email_domain = forms.CharField(
        label=_("E-mail domain"),
        max_length=255,
        required=False,
        help_text=_("What follows the @, such as example.org."),
    )
    ip_hash = forms.CharField(label=_("IP hash"), max_length=64, required=False)
    # datetime-local inputs need no script; their value is read in TIME_ZONE.
    signed_from = forms.DateTimeField(
        label=_("Signed from"),
        required=False,
        widget=forms.DateTimeInput(attrs={"type": "datetime-local"}, format=DATETIME_LOCAL),
    )
    signed_to = forms.DateTimeField(
        label=_("Signed until"),
        required=False,
        widget=forms.DateTimeInput(attrs={"type": "datetime-local"}, format=DATETIME_LOCAL),
    )
    flag = forms.ChoiceField(label=_("Flag"), required=False)
    include_pending = forms.BooleanField(
        label=_("Also signatures waiting for confirmation"), required=False
    )

    def __init__(self, petition: Petition, *args, **kwargs) -> None:
        super().__init__(*args, **kwargs)
        tokens = flag_tokens(petition.signatures.all())
        self.fields["flag"].choices = [
            ("", "---------"),
            (ANY_FLAG, _("Any flag")),
            *[(token, token) for token in tokens],
        ]

    def clean_email_domain(self) -> str:
        return self.cleaned_data["email_domain"].strip().lstrip("@").lower()

    def clean_ip_hash(self) -> str:
        return self.cleaned_data["ip_hash"].strip().lower()

    def clean(self) -> dict:
        data = super().clean()
        if not self.errors and not any(data.get(name) for name in CRITERIA):
            # Without a criterion the batch would be every signature of the petition.
            raise ValidationError(
                _("Choose at least one criterion: a domain, an IP hash, a time or a flag."),
                code="no_criteria",
            )
        start, end = data.get("signed_from"), data.get("signed_to")
        if start and end and start > end:
            raise ValidationError(
                _("The start of the time window is after its end."), code="empty_window"
            )
        return data


class InvalidationForm(InvalidationFilterForm):
    """The confirmation: the previewed criteria, the reason, and where the preview stopped."""

    reason = forms.CharField(label=_("Reason"), max_length=200)
    up_to = forms.IntegerField(min_value=0, widget=forms.HiddenInput)


class ResendForm(forms.Form):
    """The period whose pending signers get their confirmation link again."""

    since = forms.DateField(label=_("Signed from"), widget=forms.DateInput(attrs={"type": "date"}))
    until = forms.DateField(
        label=_("Signed until"),
        widget=forms.DateInput(attrs={"type": "date"}),
        help_text=_("Inclusive."),
    )

    def clean(self) -> dict:
        data = super().clean()
        if data.get("since") and data.get("until") and data["until"] < data["since"]:
            raise ValidationError(_("The period must end after it starts."), code="period")
        return data

    def period(self) -> tuple[datetime, datetime]:
        """[start of the first day, start of the day after the last), in the site's zone."""
        since, until = self.cleaned_data["since"], self.cleaned_data["until"]
        start = timezone.make_aware(datetime.combine(since, time.min))
        end = timezone.make_aware(datetime.combine(until + timedelta(days=1), time.min))
        return start, end
