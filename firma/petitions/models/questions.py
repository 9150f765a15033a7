"""A petition's own questions on its signing form; the answers are kept with each signature
(Signature.answers, by key)."""

from django.db import models
from django.utils.translation import gettext_lazy as _

from firma.petitions.models.petitions import Petition
from firma.petitions.rules import questions as rules


class QuestionQuerySet(models.QuerySet):
    def asked(self) -> "QuestionQuerySet":
        """On the form now: not removed."""
        return self.filter(removed_at__isnull=True)


class Question(models.Model):
    class Kind(models.TextChoices):
        SHORT_TEXT = rules.SHORT_TEXT, _("Short text")
        LONG_TEXT = rules.LONG_TEXT, _("Long text")
        CHOICE = rules.CHOICE, _("One choice")
        CHOICES = rules.CHOICES, _("Several choices")
        CHECKBOX = rules.CHECKBOX, _("Checkbox")
        NUMBER = rules.NUMBER, _("Number")
        POSTAL_CODE = rules.POSTAL_CODE, _("Postal code")
        PHONE = rules.PHONE, _("Telephone number")

    petition = models.ForeignKey(Petition, on_delete=models.CASCADE, related_name="questions")
    key = models.CharField(
        _("key"),
        max_length=rules.KEY_LENGTH,
        help_text=_(
            "Names the answer in exports and the API, and the form field q_<key>: lower-case "
            "letters, digits and underscores."
        ),
    )
    kind = models.CharField(_("kind"), max_length=20, choices=Kind.choices)
    label = models.CharField(_("question"), max_length=rules.LABEL_LENGTH)
    help_text = models.CharField(_("help text"), max_length=rules.HELP_TEXT_LENGTH, blank=True)
    # In the petition's default language; they are also the values stored as answers.
    choices = models.TextField(
        _("choices"), blank=True, help_text=_("For the kinds with choices: one per line.")
    )
    # The question in the petition's other languages:
    # {"es": {"label": "…", "help_text": "…", "choices": ["…", "…"]}, …}.
    translations = models.JSONField(
        _("in other languages"),
        default=dict,
        blank=True,
        help_text=_('By language: {"es": {"label": "…", "help_text": "…", "choices": ["…"]}}'),
    )
    required = models.BooleanField(_("required"), default=False)
    public = models.BooleanField(
        _("public"),
        default=False,
        help_text=_("Shown beside the name in the public list; otherwise for organisers only."),
    )
    position = models.PositiveSmallIntegerField(_("order"), default=0)
    # A question taken off the form once people answered it: its answers stay readable.
    removed_at = models.DateTimeField(_("removed"), null=True, blank=True)

    objects = QuestionQuerySet.as_manager()

    class Meta:
        ordering = ["position", "id"]
        verbose_name = _("question")
        verbose_name_plural = _("questions")
        constraints = [
            models.UniqueConstraint(
                fields=["petition", "key"],
                condition=models.Q(removed_at__isnull=True),
                name="one_question_per_key",
            ),
        ]

    def __str__(self) -> str:
        return self.key

    @property
    def field_name(self) -> str:
        return f"q_{self.key}"

    @property
    def options(self) -> list[str]:
        """The choices, as stored in answers."""
        return rules.choice_list(self.choices)

    def translated(self, language: str, part: str) -> object:
        return (self.translations.get(language) or {}).get(part)

    def label_in(self, language: str) -> str:
        return self.translated(language, "label") or self.label

    def help_text_in(self, language: str) -> str:
        return self.translated(language, "help_text") or self.help_text

    def options_in(self, language: str) -> list[tuple[str, str]]:
        """(value, label) pairs: the value stays the stored choice, the label is translated
        where the translation gives one at the same place."""
        labels = self.translated(language, "choices") or []
        return [
            (value, labels[index] if index < len(labels) and labels[index] else value)
            for index, value in enumerate(self.options)
        ]
