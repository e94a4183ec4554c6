"""Forms of the policy register: the copy and the validation of what people type. The writes
themselves are in `services`."""

from typing import TYPE_CHECKING, cast

from django import forms
from django.db.models import QuerySet
from django.utils.translation import gettext_lazy as _

from engage.accounts.models import Organisation, User
from engage.accounts.selectors import members
from engage.core.fields import DateField, ModelMultipleChoiceField
from engage.directory.models import PriorityTheme

from .models import KeyDate, KeyDateKind, Stage, TriageOutcome

if TYPE_CHECKING:
    from django.utils.functional import _StrOrPromise as StrOrPromise

YES_NO = [("yes", _("Yes")), ("no", _("No"))]


def _yes(value: str) -> bool:
    return value == "yes"


def _yes_no(value: bool | None) -> str | None:
    if value is None:
        return None
    return "yes" if value else "no"


class LeadChoiceField(ModelMultipleChoiceField):
    def label_from_instance(self, obj) -> str:
        return f"{obj.full_name} ({obj.email})" if obj.full_name else obj.email


def members_of(organisation: Organisation) -> QuerySet[User]:
    """The people who may lead the organisation's policies: its active members."""
    return User.objects.filter(
        is_active=True,
        pk__in=members(organisation.pk).values("user"),
    ).order_by("full_name", "email")


class PolicyForm(forms.Form):
    title = forms.CharField(
        label=_("Title"),
        max_length=200,
        error_messages={
            "required": _("Enter the title of the policy or reform"),
            "max_length": _("The title must be 200 characters or fewer"),
        },
    )
    summary = forms.CharField(
        label=_("Summary"),
        help_text=_("What the policy or reform is and what it changes locally."),
        widget=forms.Textarea(attrs={"rows": 6}),
        error_messages={"required": _("Enter a summary of the policy or reform")},
    )
    stage = forms.ChoiceField(
        label=_("Stage"),
        choices=Stage.choices,
        initial=Stage.IDEA,
        widget=forms.RadioSelect,
        error_messages={
            "required": _("Choose the stage the policy is at"),
            "invalid_choice": _("Choose a stage from the list"),
        },
    )
    policy_leads = LeadChoiceField(
        label=_("Policy leads"),
        help_text=_("Select everyone in your organisation who leads this policy."),
        queryset=User.objects.none(),
        widget=forms.CheckboxSelectMultiple,
        error_messages={
            "required": _("Choose at least one policy lead"),
            "invalid_choice": _("Choose policy leads from your organisation"),
            "invalid_pk_value": _("Choose policy leads from your organisation"),
        },
    )
    themes = ModelMultipleChoiceField(
        label=_("Priority themes"),
        help_text=_("Select all that apply."),
        queryset=PriorityTheme.objects.order_by("name"),
        to_field_name="slug",
        required=False,
        widget=forms.CheckboxSelectMultiple,
        error_messages={"invalid_choice": _("Choose themes from the list")},
    )

    def __init__(self, *args, organisation: Organisation, with_stage: bool = True, **kwargs):
        super().__init__(*args, **kwargs)
        cast(LeadChoiceField, self.fields["policy_leads"]).queryset = members_of(organisation)
        if not with_stage:
            del self.fields["stage"]


class StageForm(forms.Form):
    stage = forms.ChoiceField(
        label=_("Which stage is the policy at now?"),
        choices=Stage.choices,
        widget=forms.RadioSelect,
        error_messages={
            "required": _("Choose the stage the policy is at now"),
            "invalid_choice": _("Choose a stage from the list"),
        },
    )


class MagnitudeForm(forms.Form):
    merits = forms.TypedChoiceField(
        label=_("Does this policy merit engagement with PCCs?"),
        help_text=_(
            "Engage PCCs on major national policies and reforms that influence the local context."
        ),
        choices=YES_NO,
        coerce=_yes,
        widget=forms.RadioSelect,
        error_messages={
            "required": _("Choose whether the policy merits engagement with PCCs"),
            "invalid_choice": _("Choose yes or no"),
        },
    )
    reason = forms.CharField(
        label=_("Why?"),
        help_text=_("Your reasons are kept with the decision, with your name and the date."),
        widget=forms.Textarea(attrs={"rows": 5}),
        error_messages={"required": _("Explain why the policy does or does not merit engagement")},
    )

    @classmethod
    def initial_for(cls, policy) -> dict:
        return {"merits": _yes_no(policy.merits_engagement), "reason": policy.magnitude_reason}


def _screen_question(label: "StrOrPromise") -> forms.TypedChoiceField:
    return forms.TypedChoiceField(
        label=label,
        choices=YES_NO,
        coerce=_yes,
        widget=forms.RadioSelect,
        error_messages={"required": _("Answer yes or no"), "invalid_choice": _("Answer yes or no")},
    )


class ScreenForm(forms.Form):
    sensitive_information = _screen_question(_("Does the policy involve sensitive information?"))
    prosecutorial_independence = _screen_question(
        _("Does it have implications for prosecutorial independence?")
    )
    judicial_independence = _screen_question(
        _("Does it have implications for judicial independence?")
    )
    national_security = _screen_question(_("Does it have implications for national security?"))
    notes = forms.CharField(
        label=_("Notes"),
        help_text=_("Anything that explains the answers, for whoever looks at them later."),
        widget=forms.Textarea(attrs={"rows": 4}),
        required=False,
    )

    @classmethod
    def initial_for(cls, policy) -> dict:
        if not policy.is_screened:
            return {}
        initial = {
            name: _yes_no(getattr(policy, name))
            for name in (
                "sensitive_information",
                "prosecutorial_independence",
                "judicial_independence",
                "national_security",
            )
        }
        initial["notes"] = policy.screen_notes
        return initial


class KeyDateForm(forms.Form):
    kind = forms.ChoiceField(
        label=_("What kind of date is it?"),
        choices=KeyDateKind.choices,
        widget=forms.RadioSelect,
        error_messages={
            "required": _("Choose the kind of date"),
            "invalid_choice": _("Choose a kind of date from the list"),
        },
    )
    date = DateField(label=_("Date"), name=_("date"), help_text=_("For example, 31 3 2027"))
    label = forms.CharField(
        label=_("Description"),
        help_text=_("For example, the name of the announcement."),
        max_length=KeyDate._meta.get_field("label").max_length,
        required=False,
        error_messages={"max_length": _("The description must be 120 characters or fewer")},
    )


class RegisterFilterForm(forms.Form):
    """The register's filters (a GET form: it never writes)."""

    q = forms.CharField(
        label=_("Search by title"),
        required=False,
        max_length=100,
        error_messages={"max_length": _("Search must be 100 characters or fewer")},
    )
    stage = forms.ChoiceField(
        label=_("Stage"),
        required=False,
        choices=[("", _("All stages")), *Stage.choices],
        error_messages={"invalid_choice": _("Select a stage from the list")},
    )
    theme = forms.ChoiceField(
        label=_("Priority theme"),
        required=False,
        error_messages={"invalid_choice": _("Select a theme from the list")},
    )
    triage = forms.ChoiceField(
        label=_("Triage"),
        required=False,
        choices=[("", _("Any triage outcome")), *TriageOutcome.choices],
        error_messages={"invalid_choice": _("Select a triage outcome from the list")},
    )

    def __init__(self, *args, themes: list[tuple[str, str]], **kwargs):
        super().__init__(*args, **kwargs)
        theme = cast(forms.ChoiceField, self.fields["theme"])
        theme.choices = [("", _("All themes")), *themes]

    def filters(self) -> dict:
        """The filters to apply: those of valid fields only (an invalid one is ignored)."""
        if not hasattr(self, "cleaned_data"):
            self.is_valid()
        data = self.cleaned_data
        return {
            "q": (data.get("q") or "").strip(),
            "stage": data.get("stage") or "",
            "theme": data.get("theme") or "",
            "triage": data.get("triage") or "",
        }

    def is_filtered(self) -> bool:
        return any(self.filters().values())


class KeyDateArchiveForm(forms.Form):
    reason = forms.CharField(
        label=_("Why does this date no longer apply?"),
        help_text=_("For example, the go-live moved to a new date."),
        widget=forms.Textarea(attrs={"rows": 3}),
        max_length=2000,
        error_messages={
            "required": _("Say why this date no longer applies"),
            "max_length": _("Keep the reason to 2,000 characters or fewer"),
        },
    )
