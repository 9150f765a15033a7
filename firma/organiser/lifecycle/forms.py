from django import forms
from django.core.exceptions import ValidationError
from django.utils.translation import gettext_lazy as _

from firma.petitions import counting
from firma.petitions.models import Petition


class PetitionForm(forms.ModelForm):
    """The admin's petition form, with the rule for changing the goal."""

    class Meta:
        model = Petition
        fields = ["goal"]  # the admin adds the others, from its fieldsets

    def clean_goal(self) -> int | None:
        goal = self.cleaned_data.get("goal")
        if goal is None or "goal" not in self.changed_data or self.instance.pk is None:
            return goal
        # A goal the petition has already reached would be announced as reached at once.
        count = counting.total(self.instance)
        if goal <= count:
            raise ValidationError(
                _("The new goal must be above the current count, %(count)s signatures."),
                code="goal_reached",
                params={"count": count},
            )
        return goal
