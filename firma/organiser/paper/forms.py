"""The forms of a paper import: the file, then which of its columns holds what."""

from django import forms
from django.conf import settings
from django.core.exceptions import ValidationError
from django.utils.translation import gettext_lazy as _

from firma.organiser.paper.limits import TooLarge, check_size
from firma.organiser.paper.rows import TARGETS, fold
from firma.organiser.paper.uploads import EXTENSIONS

MAX_UPLOAD = 50 * 1024 * 1024
LABELS = {
    "name": _("Name"),
    "organisation": _("Organisation / position"),
    "country": _("Country"),
    "email": _("E-mail"),
    "date": _("Date signed"),
    "comment": _("Comment"),
}
# Headers that usually hold each field, compared without case or accents.
GUESSES = {
    "name": ["name", "full name", "nombre", "nombre completo", "nom", "nom complet", "nome"],
    "organisation": [
        "organisation", "organization", "position", "organisation / position", "organizacion",
        "organizacao", "cargo", "occupation",
    ],
    "country": ["country", "pais", "pays", "country code"],
    "email": ["email", "e-mail", "mail", "correo", "correo electronico", "courriel"],
    "date": ["date", "fecha", "data", "signed", "date signed"],
    "comment": ["comment", "comentario", "commentaire", "comentario", "remarks", "notes"],
}  # fmt: skip


class UploadForm(forms.Form):
    file = forms.FileField(
        label=_("File"),
        help_text=_("CSV or Excel (XLSX); the first row names the columns."),
    )

    def clean_file(self):
        upload = self.cleaned_data["file"]
        if not upload.name.lower().endswith(EXTENSIONS):
            raise ValidationError(_("Upload a CSV or an XLSX file."), code="unsupported_type")
        if upload.size > MAX_UPLOAD:
            raise ValidationError(
                _("The file is larger than 50 MB: import it with the import_paper command."),
                code="too_large",
            )
        try:
            check_size(upload, "." + upload.name.lower().rpartition(".")[2])
        except TooLarge as error:
            limits = {
                "rows": settings.PAPER_IMPORT_MAX_ROWS,
                "megabytes": settings.PAPER_IMPORT_MAX_BYTES // (1024 * 1024),
            }
            message = _(
                "%(problem)s Files may hold up to %(rows)s rows and %(megabytes)s MB once "
                "unpacked: split it, or import it with the import_paper command."
            )
            raise ValidationError(
                message, code="over_limit", params={"problem": str(error), **limits}
            ) from None
        return upload

    @property
    def extension(self) -> str:
        return "." + self.cleaned_data["file"].name.lower().rpartition(".")[2]


class MappingForm(forms.Form):
    """One choice of column per field; only the name is required."""

    public = forms.BooleanField(
        label=_("List these signers publicly"),
        required=False,
        help_text=_("Only if they agreed on the paper form to appear on the petition's page."),
    )

    def __init__(self, headers: list[str], *args, **kwargs) -> None:
        super().__init__(*args, **kwargs)
        self.headers = headers
        choices = [("", "—"), *[(str(index), header) for index, header in enumerate(headers)]]
        folded = [fold(header) for header in headers]
        for target in reversed(TARGETS):
            guess = next(
                (str(i) for i, header in enumerate(folded) if header in GUESSES[target]), ""
            )
            self.fields = {
                target: forms.ChoiceField(
                    label=LABELS[target],
                    choices=choices,
                    required=target == "name",
                    initial=guess,
                    error_messages={"required": _("Choose the column that holds the names.")},
                ),
                **self.fields,
            }

    def clean(self) -> dict:
        data = super().clean()
        used = [data[target] for target in TARGETS if data.get(target)]
        if len(used) != len(set(used)):
            raise ValidationError(
                _("Each column can hold only one field."), code="column_used_twice"
            )
        return data

    def mapping(self) -> dict[str, int]:
        return {
            target: int(self.cleaned_data[target])
            for target in TARGETS
            if self.cleaned_data.get(target)
        }
