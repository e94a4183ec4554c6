"""Forms for the voluntary sector's profile and engagement log: the copy (labels, hints,
messages) lives here; the rules live in the services, whose errors the views put back on these
forms by field name."""

from typing import cast

from django import forms
from django.db.models import QuerySet
from django.utils.translation import gettext_lazy as _

from engage.core.fields import DateField, ModelChoiceField, ModelMultipleChoiceField
from engage.directory.models import PolicingBody, PriorityTheme

from .models import ActivityKind, Arrangement
from .services import MAX_DETAILS, MAX_FOLLOW_UP, MAX_TEXT

SEARCH_MAX = 100


def bodies() -> QuerySet[PolicingBody]:
    return PolicingBody.objects.select_related("organisation").order_by("organisation__name")


def themes() -> QuerySet[PriorityTheme]:
    return PriorityTheme.objects.order_by("name")


class BodyChoiceField(ModelMultipleChoiceField):
    def label_from_instance(self, obj) -> str:
        return obj.organisation.name


def _text(label, hint="", rows=5, required=False, max_length=MAX_TEXT, missing=""):
    field = forms.CharField(
        label=label,
        help_text=hint,
        widget=forms.Textarea(attrs={"rows": rows}),
        required=required,
        max_length=max_length,
        error_messages={
            "max_length": _("Keep this to %(limit_value)s characters or fewer"),
            **({"required": missing} if missing else {}),
        },
    )
    return field


class ProfileForm(forms.Form):
    summary = _text(
        _("What the organisation does"),
        _("In a few sentences, as you would tell a commissioner's office."),
    )
    services = _text(_("Services"), _("What you provide, where and to whom."))
    people_supported = _text(
        _("The people it supports"), _("For example, women leaving prison, or young carers.")
    )
    offer = _text(
        _("Its offer to the policing body"),
        _("What you can do for the commissioner's plan: expertise, reach, places, a voice."),
    )
    areas_served = BodyChoiceField(
        label=_("Policing body areas it serves"),
        help_text=_("Select all that apply."),
        queryset=bodies(),
        widget=forms.CheckboxSelectMultiple,
        error_messages={
            "required": _("Choose at least one policing body area the organisation serves"),
            "invalid_choice": _("Choose policing body areas from the list"),
            "invalid_pk_value": _("Choose policing body areas from the list"),
        },
    )
    themes = ModelMultipleChoiceField(
        label=_("Priority themes it works on"),
        help_text=_("Select all that apply. These match the themes of police and crime plans."),
        queryset=themes(),
        widget=forms.CheckboxSelectMultiple,
        required=False,
        error_messages={
            "invalid_choice": _("Choose themes from the list"),
            "invalid_pk_value": _("Choose themes from the list"),
        },
    )
    charity_number = forms.CharField(
        label=_("Registered charity number"),
        help_text=_("England and Wales: 6 to 8 digits, like 1123456."),
        required=False,
        max_length=20,
        error_messages={"max_length": _("A charity number is 6 to 8 digits, like 1123456")},
    )
    company_number = forms.CharField(
        label=_("Company number"),
        help_text=_("8 characters, like 01234567 or SC123456."),
        required=False,
        max_length=20,
        error_messages={"max_length": _("A company number is 8 characters, like 01234567")},
    )
    website = forms.CharField(
        label=_("Website"),
        help_text=_("Starting https://"),
        required=False,
        max_length=500,
        error_messages={"max_length": _("Keep the address to 500 characters or fewer")},
    )


class ActivityForm(forms.Form):
    body = forms.TypedChoiceField(
        label=_("Policing body"),
        coerce=int,
        error_messages={
            "required": _("Choose the policing body"),
            "invalid_choice": _("Choose a policing body from the list"),
        },
    )
    kind = forms.ChoiceField(
        label=_("Kind of activity"),
        choices=ActivityKind.choices,
        widget=forms.RadioSelect,
        error_messages={
            "required": _("Choose the kind of activity"),
            "invalid_choice": _("Choose the kind of activity"),
        },
    )
    happened_on = DateField(
        label=_("Date"),
        name=_("date"),
        help_text=_("Today or earlier. For example, 27 3 2026"),
    )
    participants = _text(
        _("Who took part"),
        _(
            "Their roles, not only names: for example, our chief executive and the OPCC's "
            "commissioning lead."
        ),
        rows=3,
        required=True,
        missing=_("Say who took part"),
    )
    summary = _text(
        _("Summary"), rows=5, required=True, missing=_("Enter a summary of the activity")
    )
    outcome = _text(_("Outcome"), _("What came of it, if anything yet."), rows=4)
    arrangement = forms.ChoiceField(
        label=_("Has it become a lasting arrangement?"),
        choices=Arrangement.choices,
        widget=forms.RadioSelect,
        required=False,
        initial="",
        error_messages={"invalid_choice": _("Choose a lasting arrangement from the list")},
    )
    arrangement_details = forms.CharField(
        label=_("About the arrangement"),
        help_text=_(
            "Needed when it is a lasting arrangement: for example, the board and your role on it."
        ),
        required=False,
        max_length=MAX_DETAILS,
        error_messages={"max_length": _("Keep this to %(limit_value)s characters or fewer")},
    )
    share = forms.BooleanField(
        label=_("Share it with the policing body now"),
        help_text=_(
            "Its members will see this activity and its follow-ups. You can share it later, "
            "or stop sharing it."
        ),
        required=False,
    )

    def __init__(
        self,
        *args,
        served: list[PolicingBody],
        everyone: list[PolicingBody],
        creating: bool = True,
        **kwargs,
    ):
        """`served`: the bodies whose areas the organisation serves (listed first);
        `everyone`: all the policing bodies."""
        super().__init__(*args, **kwargs)
        self.by_pk = {body.pk: body for body in everyone}
        served_ids = {body.pk for body in served}
        others = [(b.pk, b.organisation.name) for b in everyone if b.pk not in served_ids]
        choices: list = [("", _("Choose a policing body"))]
        if served:
            choices.append((_("Areas you serve"), [(b.pk, b.organisation.name) for b in served]))
            choices.append((_("Other policing bodies"), others))
        else:
            choices.extend(others)
        body = cast(forms.TypedChoiceField, self.fields["body"])
        body.choices = choices
        if len(served) == 1 and "body" not in self.initial:
            self.initial["body"] = served[0].pk
        if not creating:
            del self.fields["share"]

    def clean_body(self):
        value = self.cleaned_data.get("body")
        return self.by_pk.get(value) if value is not None else None


class FollowUpForm(forms.Form):
    description = forms.CharField(
        label=_("What is to be done"),
        max_length=MAX_FOLLOW_UP,
        error_messages={
            "required": _("Say what is to be done"),
            "max_length": _("Keep this to %(limit_value)s characters or fewer"),
        },
    )
    due_on = DateField(
        label=_("Due"),
        name=_("due date"),
        help_text=_("For example, 27 3 2027"),
    )
    done = forms.BooleanField(label=_("Done"), required=False)

    def __init__(self, *args, editing: bool = False, **kwargs):
        super().__init__(*args, **kwargs)
        if not editing:
            del self.fields["done"]


# Filters (GET forms: they never write) -------------------------------------------------------


class _Filter(forms.Form):
    def value(self, name: str):
        """A valid field's value (an invalid one is ignored, and shown as an error)."""
        if not hasattr(self, "cleaned_data"):
            self.is_valid()
        return self.cleaned_data.get(name)


def _search(label):
    return forms.CharField(
        label=label,
        required=False,
        max_length=SEARCH_MAX,
        error_messages={"max_length": _("Search must be 100 characters or fewer")},
    )


def _body_filter(label=None):
    return _BodyFilterField(
        label=label or _("Policing body area"),
        queryset=bodies(),
        required=False,
        empty_label=_("All"),
        error_messages={"invalid_choice": _("Choose a policing body from the list")},
    )


class _BodyFilterField(ModelChoiceField):
    def label_from_instance(self, obj) -> str:
        return obj.organisation.name


class OrganisationFilterForm(_Filter):
    q = _search(_("Search by name"))
    body = _body_filter(_("Policing body area served"))
    theme = ModelChoiceField(
        label=_("Priority theme"),
        queryset=themes(),
        required=False,
        empty_label=_("All"),
        error_messages={"invalid_choice": _("Choose a theme from the list")},
    )

    def filters(self) -> dict:
        return {
            "q": (self.value("q") or "").strip(),
            "body": self.value("body"),
            "theme": self.value("theme"),
        }


SHARED_CHOICES = [("", _("All")), ("yes", _("Shared")), ("no", _("Not shared"))]


class ActivityFilterForm(_Filter):
    q = _search(_("Search the summaries"))
    body = _body_filter(_("Policing body"))
    kind = forms.ChoiceField(
        label=_("Kind"),
        choices=[("", _("All")), *ActivityKind.choices],
        required=False,
        error_messages={"invalid_choice": _("Choose a kind from the list")},
    )
    shared = forms.ChoiceField(
        label=_("Shared with the body"),
        choices=SHARED_CHOICES,
        required=False,
        error_messages={"invalid_choice": _("Choose shared or not shared")},
    )
    open = forms.BooleanField(label=_("With follow-ups still to do"), required=False)
    lasting = forms.BooleanField(label=_("Lasting arrangements only"), required=False)

    def filters(self) -> dict:
        shared = self.value("shared")
        return {
            "q": (self.value("q") or "").strip(),
            "body": self.value("body"),
            "kind": self.value("kind") or "",
            "shared": {"yes": True, "no": False}.get(shared or ""),
            "open_follow_ups": bool(self.value("open")),
            "lasting": bool(self.value("lasting")),
        }


class BodyActivityFilterForm(_Filter):
    organisation = forms.TypedChoiceField(
        label=_("Organisation"),
        coerce=int,
        required=False,
        empty_value=None,
        error_messages={"invalid_choice": _("Choose an organisation from the list")},
    )
    kind = forms.ChoiceField(
        label=_("Kind"),
        choices=[("", _("All")), *ActivityKind.choices],
        required=False,
        error_messages={"invalid_choice": _("Choose a kind from the list")},
    )

    def __init__(self, *args, organisations, **kwargs):
        super().__init__(*args, **kwargs)
        self.by_pk = {organisation.pk: organisation for organisation in organisations}
        field = cast(forms.TypedChoiceField, self.fields["organisation"])
        field.choices = [("", _("All"))] + [(o.pk, o.name) for o in organisations]

    def filters(self) -> dict:
        chosen = self.value("organisation")
        return {
            "organisation": self.by_pk.get(chosen) if chosen is not None else None,
            "kind": self.value("kind") or "",
        }
