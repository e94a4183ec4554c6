"""Forms for impact evidence and impact cases: the copy (labels, hints, messages) lives here;
the rules live in the services, whose errors the views put back on these forms by field name."""

from collections.abc import Iterable
from itertools import groupby
from typing import cast

from django import forms
from django.template.defaultfilters import filesizeformat
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from engage.core.fields import DateField
from engage.directory.models import PlanPriority, PolicingBody
from engage.documents import filetypes

from .services import (
    MAX_ATTACHMENTS,
    MAX_TEXT,
    MAX_TITLE,
    OUTCOME_FIELDS,
    OUTCOME_LIMITS,
    outcome_errors,
    outcome_field,
    too_many_files_message,
)

OUTCOME_ROWS = 3  # blank rows offered for outcomes (more on editing, one spare)
MAX_PEOPLE = 2_147_483_647
PRIORITY_MESSAGE = gettext_lazy("Choose a priority from the plans of the areas you serve")


def file_hint() -> str:
    return _("%(accepted)s, each smaller than %(limit)s.") % {
        "accepted": filetypes.ACCEPTED,
        "limit": filesizeformat(filetypes.MAX_UPLOAD_BYTES),
    }


def oversized_message() -> str:
    return _("The file must be smaller than %(limit)s.") % {
        "limit": filesizeformat(filetypes.MAX_UPLOAD_BYTES)
    }


class MultipleFileInput(forms.FileInput):
    allow_multiple_selected = True


class MultipleFileField(forms.FileField):
    """Several files from one input; none is fine."""

    def __init__(self, *args, **kwargs):
        kwargs.setdefault("widget", MultipleFileInput(attrs={"multiple": True}))
        super().__init__(*args, **kwargs)

    def clean(self, data, initial=None):
        files = data if isinstance(data, list | tuple) else [data] if data else []
        return [super(MultipleFileField, self).clean(file, initial) for file in files]


class MoneyField(forms.DecimalField):
    """An amount in pounds: "£1,250.50" is read as 1250.50."""

    def to_python(self, value):
        if isinstance(value, str):
            value = value.strip().removeprefix("£").replace(",", "").strip()
        return super().to_python(value)


def priority_choices(
    priorities: Iterable[PlanPriority], kept: PlanPriority | None = None, kept_body: str = ""
) -> list:
    """A select's choices grouped by body (optgroups): body – priority. `kept`, the priority of
    the evidence being changed (of body `kept_body`), is offered too when it is not among them
    (its plan replaced since, say), so that the evidence can be corrected keeping it."""
    groups: dict[str, list] = {}
    for body_name, rows in groupby(priorities, key=lambda p: p.body.organisation.name):
        groups.setdefault(body_name, []).extend(
            (str(p.public_id), f"{p.position}. {p.title}") for p in rows
        )
    offered = {value for rows in groups.values() for value, _label in rows}
    if kept is not None and str(kept.public_id) not in offered:
        label = f"{kept.position}. {kept.title}"
        if kept.plan.superseded_at is not None:
            label = _("%(priority)s (a priority of a plan since replaced)") % {"priority": label}
        groups.setdefault(kept_body, []).append((str(kept.public_id), label))
    return [("", _("Choose a priority")), *groups.items()]


class EvidenceForm(forms.Form):
    priority = forms.ChoiceField(
        label=gettext_lazy("Which plan priority does it address?"),
        help_text=gettext_lazy(
            "The priorities of the current police and crime plans of the areas you serve, by "
            "policing body."
        ),
        error_messages={"required": PRIORITY_MESSAGE, "invalid_choice": PRIORITY_MESSAGE},
    )
    title = forms.CharField(
        label=gettext_lazy("Title"),
        max_length=MAX_TITLE,
        error_messages={"required": gettext_lazy("Enter a title")},
    )
    summary = forms.CharField(
        label=gettext_lazy("What was done"),
        widget=forms.Textarea(attrs={"rows": 5}),
        max_length=MAX_TEXT,
        error_messages={"required": gettext_lazy("Say what was done")},
    )
    starts_on = DateField(
        label=gettext_lazy("When did the period start?"),
        name=gettext_lazy("date the period starts"),
        help_text=gettext_lazy("Today or earlier. For example, 1 4 2025"),
    )
    ends_on = DateField(
        label=gettext_lazy("When did (or will) the period end?"),
        name=gettext_lazy("date the period ends"),
        help_text=gettext_lazy("On or after the start. For example, 31 3 2026"),
    )
    people_reached = forms.IntegerField(
        label=gettext_lazy("People reached"),
        help_text=gettext_lazy("A whole number."),
        min_value=0,
        max_value=MAX_PEOPLE,
        required=False,
        widget=forms.TextInput(attrs={"inputmode": "numeric", "spellcheck": "false"}),
        error_messages={
            "invalid": gettext_lazy(
                "Enter the number of people reached as a whole number, 0 or more"
            ),
            "min_value": gettext_lazy(
                "Enter the number of people reached as a whole number, 0 or more"
            ),
            "max_value": gettext_lazy("Enter a smaller number of people reached"),
        },
    )
    cost = MoneyField(
        label=gettext_lazy("Cost (£)"),
        help_text=gettext_lazy("What the work cost, if known. For example, 12500"),
        min_value=0,
        max_digits=12,
        decimal_places=2,
        required=False,
        widget=forms.TextInput(attrs={"inputmode": "decimal", "spellcheck": "false"}),
        error_messages={
            "invalid": gettext_lazy("Enter the cost as an amount in pounds, like 12500"),
            "min_value": gettext_lazy("Enter an amount of £0 or more"),
            "max_digits": gettext_lazy("Enter a smaller amount"),
            "max_whole_digits": gettext_lazy("Enter a smaller amount"),
            "max_decimal_places": gettext_lazy("Enter pounds and pence, like 12500.50"),
        },
    )
    savings = MoneyField(
        label=gettext_lazy("Savings (£)"),
        help_text=gettext_lazy("Savings to the public purse, if known. For example, 40000"),
        min_value=0,
        max_digits=12,
        decimal_places=2,
        required=False,
        widget=forms.TextInput(attrs={"inputmode": "decimal", "spellcheck": "false"}),
        error_messages={
            "invalid": gettext_lazy("Enter the savings as an amount in pounds, like 40000"),
            "min_value": gettext_lazy("Enter an amount of £0 or more"),
            "max_digits": gettext_lazy("Enter a smaller amount"),
            "max_whole_digits": gettext_lazy("Enter a smaller amount"),
            "max_decimal_places": gettext_lazy("Enter pounds and pence, like 40000.50"),
        },
    )
    evaluation = forms.CharField(
        label=gettext_lazy("How was it evaluated?"),
        help_text=gettext_lazy("For example, an independent evaluation, surveys, case files."),
        widget=forms.Textarea(attrs={"rows": 4}),
        max_length=MAX_TEXT,
        required=False,
    )
    attachments = MultipleFileField(
        label=gettext_lazy("Attach files"),
        required=False,
        error_messages={
            "empty": gettext_lazy("The file is empty."),
            "invalid": gettext_lazy("Choose a file to upload."),
        },
    )

    def __init__(
        self,
        *args,
        priorities: Iterable[PlanPriority] = (),
        rows: int = OUTCOME_ROWS,
        oversized: bool = False,
        existing_files: int = 0,
        kept: PlanPriority | None = None,
        kept_body: str = "",
        **kwargs,
    ):
        super().__init__(*args, **kwargs)
        self.oversized = oversized
        self.existing_files = existing_files
        self.rows = rows
        choices = priority_choices(priorities, kept, kept_body)
        cast(forms.ChoiceField, self.fields["priority"]).choices = choices
        self.has_priorities = len(choices) > 1
        self.fields["attachments"].help_text = " ".join(
            [
                str(_("Optional: a report, an evaluation, case studies.")),
                str(_("Up to %(max)s files.") % {"max": MAX_ATTACHMENTS}),
                file_hint(),
            ]
        )
        labels = {
            "description": _("Outcome"),
            "measure": _("Measure"),
            "baseline": _("Baseline"),
            "result": _("Result"),
        }
        for row in range(1, rows + 1):
            for name in OUTCOME_FIELDS:
                self.fields[outcome_field(row, name)] = forms.CharField(
                    label=labels[name],
                    max_length=OUTCOME_LIMITS[name],
                    required=False,
                    widget=forms.Textarea(attrs={"rows": 2})
                    if name == "description"
                    else forms.TextInput,
                )

    def outcome_rows(self) -> list[list[forms.BoundField]]:
        """The outcome fields, row by row, for the template."""
        return [
            [self[outcome_field(row, name)] for name in OUTCOME_FIELDS]
            for row in range(1, self.rows + 1)
        ]

    def outcomes(self) -> list[dict[str, str]]:
        data = self.cleaned_data
        return [
            {name: data.get(outcome_field(row, name), "") for name in OUTCOME_FIELDS}
            for row in range(1, self.rows + 1)
        ]

    def clean(self):
        cleaned = super().clean()
        if self.oversized:
            self.errors.pop("attachments", None)
            self.add_error("attachments", oversized_message())
        files = self.cleaned_data.get("attachments") or []
        if "attachments" not in self.errors and (
            self.existing_files + len(files) > MAX_ATTACHMENTS
        ):
            self.add_error("attachments", too_many_files_message(self.existing_files))
        # The outcome rows' own errors, shown with the rest at once.
        for name, message in outcome_errors(self.outcomes()).items():
            if name not in self.errors:
                self.add_error(name, message)
        return cleaned


def evidence_initial(evidence) -> dict:
    initial = {
        "priority": str(evidence.priority.public_id),
        "title": evidence.title,
        "summary": evidence.summary,
        "starts_on": evidence.starts_on,
        "ends_on": evidence.ends_on,
        "people_reached": evidence.people_reached,
        "cost": evidence.cost,
        "savings": evidence.savings,
        "evaluation": evidence.evaluation,
    }
    for row, outcome in enumerate(evidence.outcomes.all(), start=1):
        for name in OUTCOME_FIELDS:
            initial[outcome_field(row, name)] = getattr(outcome, name)
    return initial


SHARED_CHOICES = (
    ("", gettext_lazy("All")),
    ("yes", gettext_lazy("Shared with the policing body")),
    ("no", gettext_lazy("Not shared")),
)


class EvidenceFilterForm(forms.Form):
    body = forms.ChoiceField(label=gettext_lazy("Policing body"), required=False)
    theme = forms.ChoiceField(label=gettext_lazy("Theme"), required=False)
    shared = forms.ChoiceField(label=gettext_lazy("Shared"), choices=SHARED_CHOICES, required=False)

    def __init__(self, *args, bodies: Iterable[PolicingBody] = (), themes=(), **kwargs):
        super().__init__(*args, **kwargs)
        cast(forms.ChoiceField, self.fields["body"]).choices = [
            ("", _("All")),
            *((b.slug, str(b)) for b in bodies),
        ]
        cast(forms.ChoiceField, self.fields["theme"]).choices = [
            ("", _("All")),
            *((t.slug, t.name) for t in themes),
        ]

    def chosen(self) -> dict[str, str]:
        if not self.is_valid():
            return {"body": "", "theme": "", "shared": ""}
        return {name: self.cleaned_data.get(name, "") for name in ("body", "theme", "shared")}


class CaseForm(forms.Form):
    body = forms.ChoiceField(
        label=gettext_lazy("Which policing body is the case for?"),
        help_text=gettext_lazy("One of the areas you serve."),
        widget=forms.RadioSelect,
        error_messages={
            "required": gettext_lazy("Choose a policing body from the areas you serve"),
            "invalid_choice": gettext_lazy("Choose a policing body from the areas you serve"),
        },
    )
    title = forms.CharField(
        label=gettext_lazy("Title"),
        max_length=MAX_TITLE,
        help_text=gettext_lazy("For example, Our impact on West Yorkshire's priorities."),
        error_messages={"required": gettext_lazy("Enter a title")},
    )
    introduction = forms.CharField(
        label=gettext_lazy("Introduction"),
        help_text=gettext_lazy("What the policing body should know first."),
        widget=forms.Textarea(attrs={"rows": 6}),
        max_length=MAX_TEXT,
        required=False,
    )

    def __init__(self, *args, bodies: Iterable[PolicingBody] = (), editing: bool = False, **kwargs):
        super().__init__(*args, **kwargs)
        if editing:
            del self.fields["body"]
        else:
            cast(forms.ChoiceField, self.fields["body"]).choices = [
                (b.slug, str(b)) for b in bodies
            ]
