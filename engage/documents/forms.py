"""Forms for adding and replacing documents: the copy, and the checks a form can make alone.
The file's type is judged by content in the service (filetypes.check_upload)."""

import re

from django import forms
from django.core.exceptions import ValidationError
from django.core.validators import validate_email
from django.template.defaultfilters import filesizeformat
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from engage.accounts.models import User
from engage.core.labels import LABEL_MEANING, Label

from . import filetypes


def file_hint() -> str:
    """What a file field accepts: the types and the size limit (for every form taking one)."""
    return _("%(accepted)s, smaller than %(limit)s.") % {
        "accepted": filetypes.ACCEPTED,
        "limit": filesizeformat(filetypes.MAX_UPLOAD_BYTES),
    }


def oversized_message() -> str:
    """For a file the upload handler dropped as it streamed in (uploads.limit_upload_size)."""
    return _("The file must be smaller than %(limit)s.") % {
        "limit": filesizeformat(filetypes.MAX_UPLOAD_BYTES)
    }


class FileForm(forms.Form):
    file = forms.FileField(
        label=gettext_lazy("Upload a file"),
        error_messages={
            "required": gettext_lazy("Choose a file to upload."),
            "empty": gettext_lazy("The file is empty."),
            "invalid": gettext_lazy("Choose a file to upload."),
        },
    )

    def __init__(self, *args, oversized: bool = False, **kwargs):
        super().__init__(*args, **kwargs)
        self.oversized = oversized
        self.fields["file"].help_text = file_hint()

    def clean(self):
        cleaned = super().clean()
        if self.oversized:
            # The upload handler dropped the file, so "required" would mislead.
            self.errors.pop("file", None)
            self.add_error("file", oversized_message())
        return cleaned

    def clean_file(self):
        file = self.cleaned_data["file"]
        try:
            filetypes.check_size(file.size)
        except ValidationError as exc:
            raise ValidationError(exc.messages) from exc
        return file


class DocumentForm(FileForm):
    title = forms.CharField(
        label=gettext_lazy("Title"),
        max_length=200,
        help_text=gettext_lazy("People see this in the list of documents and in the file name."),
        error_messages={"required": gettext_lazy("Enter a title.")},
    )
    label = forms.ChoiceField(
        label=gettext_lazy("Handling label"),
        widget=forms.RadioSelect,
        error_messages={"required": gettext_lazy("Choose a handling label.")},
    )
    recipients = forms.CharField(
        label=gettext_lazy("Named recipients"),
        required=False,
        widget=forms.Textarea(attrs={"rows": 4, "spellcheck": "false"}),
        help_text=gettext_lazy(
            "TLP:RED only, and then required. The email addresses of the people who may see "
            "the document, one per line. Your organisation always sees it."
        ),
    )

    field_order = ["title", "file", "label", "recipients"]

    def __init__(self, *args, labels: list[Label], **kwargs):
        super().__init__(*args, **kwargs)
        label_field = self.fields["label"]
        assert isinstance(label_field, forms.ChoiceField)  # noqa: S101 - narrows the type
        label_field.choices = [
            (label.value, f"{label.label}: {LABEL_MEANING[label]}") for label in labels
        ]

    def clean_recipients(self) -> list[User]:
        raw = self.cleaned_data["recipients"]
        emails = [e for e in re.split(r"[\s,;]+", raw) if e]
        for email in emails:
            try:
                validate_email(email)
            except ValidationError:
                raise ValidationError(
                    _("“%(email)s” is not an email address. Enter one address per line.")
                    % {"email": email}
                ) from None
        users = {
            u.email.lower(): u
            for u in User.objects.filter(email__in=[e.lower() for e in emails], is_active=True)
        }
        unknown = [e for e in emails if e.lower() not in users]
        if unknown:
            raise ValidationError(
                _("No one with an account has this email address: %(emails)s.")
                % {"emails": ", ".join(unknown)}
            )
        return list({u.pk: u for u in (users[e.lower()] for e in emails)}.values())
