"""Forms for engagements: the copy (labels, hints, error messages) lives here; the rules live
in the services, whose errors the views put back on these forms."""

from typing import cast

from django import forms
from django.core.exceptions import ValidationError
from django.core.validators import validate_email
from django.utils.translation import gettext_lazy as _

from engage.accounts.models import Organisation, User
from engage.core.fields import DateField, ModelMultipleChoiceField
from engage.core.labels import LABEL_MEANING, Label
from engage.directory.models import PriorityTheme, StandingGroup

from .models import Decision, Kind, PrioritySource, QuestionKind, Route, Status
from .services.timing import SHORT_NOTICE_REASON_MAX

KIND_HINTS = {
    Kind.CONSULTATION: _("Ask for local perspectives on a major national policy or reform."),
    Kind.EARLY: _("Involve policing bodies while the policy is in development or testing."),
    Kind.IMPLEMENTATION: _("Say how implementation is going and what role you ask of them."),
    Kind.CHANGE_NOTICE: _("Tell them of a key development or change, with the rationale."),
    Kind.PRIORITIES: _("Share ministerial and Criminal Justice Board priorities."),
}


class RecipientsField(forms.CharField):
    """Named recipients typed as email addresses, one a line, resolved to people in Engage."""

    widget = forms.Textarea(attrs={"rows": 4})

    def to_python(self, value):
        text = super().to_python(value) or ""
        return [
            line.strip().lower() for line in text.replace(",", "\n").splitlines() if line.strip()
        ]

    def validate(self, value):
        super().validate(value)
        for email in value:
            try:
                validate_email(email)
            except ValidationError:
                raise ValidationError(
                    _("%(email)s is not an email address in the correct format") % {"email": email}
                ) from None

    def clean(self, value):
        emails = super().clean(value)
        people = {
            user.email: user for user in User.objects.filter(email__in=emails, is_active=True)
        }
        if missing := [email for email in emails if email not in people]:
            raise ValidationError(
                _("Nobody in Engage has the email address %(emails)s")
                % {"emails": ", ".join(missing)}
            )
        return [people[email] for email in emails]

    def prepare_value(self, value):
        if isinstance(value, list | tuple):
            return "\n".join(getattr(person, "email", str(person)) for person in value)
        return value


def _label_choices(labels) -> list[tuple[str, str]]:
    return [(value, f"{Label(value).label}: {LABEL_MEANING[Label(value)]}") for value in labels]


ACTIONS = [
    ("asks_response", _("Respond")),
    ("asks_dissemination", _("Communicate it locally (disseminate)")),
    ("asks_implementation_support", _("Support implementation locally")),
]


class EngagementForm(forms.Form):
    kind = forms.ChoiceField(
        label=_("What kind of engagement is this?"),
        choices=Kind.choices,
        widget=forms.RadioSelect,
        error_messages={
            "required": _("Choose what kind of engagement this is"),
            "invalid_choice": _("Choose what kind of engagement this is"),
        },
    )
    title = forms.CharField(
        label=_("Title"), max_length=200, error_messages={"required": _("Enter a title")}
    )
    body = forms.CharField(
        label=_("What are you telling or asking policing bodies?"),
        widget=forms.Textarea(attrs={"rows": 8}),
        error_messages={"required": _("Enter what you are telling or asking policing bodies")},
    )
    opens_on = DateField(
        label=_("Opening date"), name=_("opening date"), help_text=_("For example, 27 3 2026")
    )
    actions = forms.MultipleChoiceField(
        label=_("What do you ask of policing bodies?"),
        help_text=_("Select all that apply."),
        choices=ACTIONS,
        required=False,
        widget=forms.CheckboxSelectMultiple,
    )
    response_deadline = DateField(
        label=_("Response deadline"),
        name=_("response deadline"),
        required=False,
        help_text=_("Needed when you ask for a response. It must be after the opening date."),
    )
    share_responses = forms.BooleanField(
        label=_("Share submitted responses with the other bodies addressed"),
        required=False,
        help_text=_(
            "Only when you ask for a response. Your organisation, the APCC secretariat and the "
            "leads of the standing groups you route it to always see submitted responses; tick "
            "this to let the other bodies you engage read them too. Drafts are never shared."
        ),
    )
    rationale = forms.CharField(
        label=_("Rationale"),
        required=False,
        widget=forms.Textarea(attrs={"rows": 4}),
        help_text=_("Change notices: why the change is being made."),
    )
    effective_date = DateField(
        label=_("Effective date"),
        name=_("effective date"),
        required=False,
        help_text=_("Change notices: the date the change takes effect."),
    )
    short_notice_reason = forms.CharField(
        label=_("Why is the notice shorter than usual?"),
        required=False,
        max_length=SHORT_NOTICE_REASON_MAX,
        error_messages={"max_length": _("Keep the reason to 2,000 characters or fewer")},
        widget=forms.Textarea(attrs={"rows": 3}),
        help_text=_(
            "Policing bodies are shown this. Needed when the time to respond is shorter than "
            "the protocol's usual, or a change takes effect sooner after the engagement opens."
        ),
    )
    label = forms.ChoiceField(
        label=_("Handling label"),
        widget=forms.RadioSelect,
        error_messages={
            "required": _("Choose a handling label"),
            "invalid_choice": _("Choose one of the handling labels listed"),
        },
    )
    recipients = RecipientsField(
        label=_("Named recipients"),
        required=False,
        help_text=_(
            "TLP:RED only. Email addresses of the people who may read it, one a line: people "
            "in the policing bodies you will route it to, or in the APCC."
        ),
    )

    def __init__(self, *args, labels, **kwargs):
        super().__init__(*args, **kwargs)
        cast(forms.ChoiceField, self.fields["label"]).choices = _label_choices(labels)

    def service_kwargs(self) -> dict:
        data = dict(self.cleaned_data)
        actions = set(data.pop("actions", []))
        for name, _label in ACTIONS:
            data[name] = name in actions
        return data

    @staticmethod
    def initial_from(engagement) -> dict:
        return {
            "kind": engagement.kind,
            "title": engagement.title,
            "body": engagement.body,
            "opens_on": engagement.opens_on,
            "response_deadline": engagement.response_deadline,
            "rationale": engagement.rationale,
            "effective_date": engagement.effective_date,
            "actions": [name for name, _label in ACTIONS if getattr(engagement, name)],
            "share_responses": engagement.share_responses,
            "label": engagement.label,
            "recipients": list(engagement.recipients.all()),
            "short_notice_reason": engagement.short_notice_reason,
        }


# Service error keys that belong to another form field.
ENGAGEMENT_ERROR_FIELDS = {name: "actions" for name, _label in ACTIONS}


class QuestionForm(forms.Form):
    text = forms.CharField(
        label=_("Question"),
        widget=forms.Textarea(attrs={"rows": 3}),
        error_messages={"required": _("Enter the question")},
    )
    kind = forms.ChoiceField(
        label=_("How is it answered?"),
        choices=[
            (QuestionKind.FREE_TEXT, _("In their own words (free text)")),
            (
                QuestionKind.STANCE,
                _("With a stance: support, support with changes, oppose or no view"),
            ),
        ],
        initial=QuestionKind.FREE_TEXT,
        widget=forms.RadioSelect,
        error_messages={
            "required": _("Choose how the question is answered"),
            "invalid_choice": _("Choose how the question is answered"),
        },
    )


class RouteForm(forms.Form):
    route = forms.ChoiceField(
        label=_("Who should the engagement go to?"),
        choices=[
            (Route.STANDING_GROUPS, _("One or more APCC standing groups (their member bodies)")),
            (Route.ALL_BODIES, _("All policing bodies (needs the APCC's agreement first)")),
            (Route.APACE, _("APACE: the chief executives of policing bodies")),
        ],
        widget=forms.RadioSelect,
        error_messages={
            "required": _("Choose who the engagement goes to"),
            "invalid_choice": _("Choose who the engagement goes to"),
        },
    )
    groups = ModelMultipleChoiceField(
        label=_("Standing groups"),
        help_text=_("If you route to standing groups: select all that apply."),
        queryset=StandingGroup.objects.none(),
        to_field_name="slug",
        required=False,
        widget=forms.CheckboxSelectMultiple,
        error_messages={"invalid_choice": _("Choose standing groups from the list")},
    )

    also_apace = forms.BooleanField(
        label=_("Also engage APACE (the chief executives) alongside the standing groups"),
        help_text=_("For technical detail and practical local implications."),
        required=False,
    )

    def __init__(self, *args, user, **kwargs):
        super().__init__(*args, **kwargs)
        cast(
            ModelMultipleChoiceField, self.fields["groups"]
        ).queryset = StandingGroup.objects.visible_to(user).order_by("name")

    @staticmethod
    def initial_from(engagement) -> dict:
        """The earlier route, when the APCC returned the engagement: the lead starts from it."""
        if not engagement.route:
            return {}
        return {
            "route": engagement.route,
            "groups": [group.slug for group in engagement.routed_groups.all()],
            "also_apace": engagement.also_apace,
        }


class AmendRouteForm(forms.Form):
    """The APCC, at confirmation, amends the standing groups or adds APACE alongside them."""

    groups = ModelMultipleChoiceField(
        label=_("Standing groups"),
        help_text=_("Untick a group to leave it out, tick one to add it."),
        queryset=StandingGroup.objects.none(),
        to_field_name="slug",
        widget=forms.CheckboxSelectMultiple,
        error_messages={
            "required": _("Choose at least one standing group"),
            "invalid_choice": _("Choose standing groups from the list"),
        },
    )
    also_apace = forms.BooleanField(
        label=_("Also engage APACE (the chief executives) alongside the standing groups"),
        required=False,
    )

    def __init__(self, *args, user, **kwargs):
        super().__init__(*args, **kwargs)
        cast(
            ModelMultipleChoiceField, self.fields["groups"]
        ).queryset = StandingGroup.objects.visible_to(user).order_by("name")


class AddBodyForm(forms.Form):
    body: forms.ModelChoiceField = forms.ModelChoiceField(
        label=_("Policing body"),
        queryset=None,
        to_field_name="pk",
        empty_label=_("Choose a policing body"),
        error_messages={
            "required": _("Choose the policing body to add"),
            "invalid_choice": _("Choose a policing body from the list"),
        },
    )
    reason = forms.CharField(
        label=_("Why add this body?"),
        help_text=_("For example: it joined the standing group after the engagement opened."),
        widget=forms.Textarea(attrs={"rows": 3}),
        max_length=500,
        error_messages={
            "required": _("Say why you are adding this body"),
            "max_length": _("Keep the reason to 500 characters or fewer"),
        },
    )

    def __init__(self, *args, bodies, **kwargs):
        super().__init__(*args, **kwargs)
        cast(forms.ModelChoiceField, self.fields["body"]).queryset = bodies


class WiderRequestForm(forms.Form):
    request = forms.CharField(
        label=_("Why do you want to engage all policing bodies?"),
        help_text=_("The APCC will advise on how best to engage more widely than a group."),
        widget=forms.Textarea(attrs={"rows": 5}),
        error_messages={"required": _("Explain why you want to engage all policing bodies")},
    )
    documents = ModelMultipleChoiceField(
        label=_("Documents to share with the APCC (optional)"),
        help_text=_(
            "The APCC sees the draft's title, kind and timing, its policy's summary and your "
            "request. It sees the draft's documents only if you select them here. TLP:RED "
            "documents are for their named recipients and cannot be shared."
        ),
        queryset=None,
        to_field_name="public_id",
        required=False,
        widget=forms.CheckboxSelectMultiple,
        error_messages={
            "invalid_choice": _("Choose documents from the list"),
            "invalid_pk_value": _("Choose documents from the list"),
        },
    )

    def __init__(self, *args, engagement, **kwargs):
        super().__init__(*args, **kwargs)
        # The draft's own documents, through the relation: documents build on engagements.
        cast(
            ModelMultipleChoiceField, self.fields["documents"]
        ).queryset = engagement.documents.exclude(label=Label.RED).order_by("title")


class WiderDecideForm(forms.Form):
    decision = forms.ChoiceField(
        label=_("Does the APCC agree to engaging all policing bodies?"),
        choices=[
            (Decision.AGREED, _("Yes, agree")),
            (Decision.DECLINED, _("No, decline")),
        ],
        widget=forms.RadioSelect,
        error_messages={
            "required": _("Choose whether the APCC agrees"),
            "invalid_choice": _("Choose whether the APCC agrees"),
        },
    )
    advice = forms.CharField(
        label=_("The APCC's advice"),
        help_text=_("How to engage: which groups, timing, what else the lead should know."),
        widget=forms.Textarea(attrs={"rows": 5}),
        error_messages={"required": _("Give the APCC's advice on how to engage")},
    )


class ReturnForm(forms.Form):
    advice = forms.CharField(
        label=_("Your advice to the policy lead"),
        help_text=_("Why it is coming back and what to change. The lead sees this."),
        widget=forms.Textarea(attrs={"rows": 5}),
        error_messages={
            "required": _("Give your advice to the policy lead: why it is coming back")
        },
    )


class ShareResponsesForm(forms.Form):
    reason = forms.CharField(
        label=_("Why share the responses?"),
        help_text=_("For example, so bodies can learn from each other's approaches."),
        widget=forms.Textarea(attrs={"rows": 3}),
        max_length=100,
        error_messages={
            "required": _("Say why you are sharing the responses"),
            "max_length": _("Keep the reason to 100 characters or fewer"),
        },
    )


class ReleaseForm(forms.Form):
    to_label = forms.ChoiceField(
        label=_("Release it to"),
        widget=forms.RadioSelect,
        error_messages={
            "required": _("Choose the label to release it to"),
            "invalid_choice": _("Choose one of the wider labels listed"),
        },
    )
    reason = forms.CharField(
        label=_("Why are you releasing it?"),
        widget=forms.Textarea(attrs={"rows": 4}),
        error_messages={"required": _("Explain why you are releasing it")},
    )
    for_whom = forms.CharField(
        label=_("Who is it being released for?"),
        help_text=_("For example, local victims' services commissioned by each body."),
        max_length=300,
        error_messages={"required": _("Say who it is being released for")},
    )

    def __init__(self, *args, labels, **kwargs):
        super().__init__(*args, **kwargs)
        cast(forms.ChoiceField, self.fields["to_label"]).choices = _label_choices(labels)


class PriorityForm(forms.Form):
    title = forms.CharField(
        label=_("Priority"), max_length=200, error_messages={"required": _("Enter the priority")}
    )
    source = forms.ChoiceField(
        label=_("Whose priority is it?"),
        choices=PrioritySource.choices,
        widget=forms.RadioSelect,
        error_messages={
            "required": _("Choose whether it is a ministerial or Board priority"),
            "invalid_choice": _("Choose whether it is a ministerial or Board priority"),
        },
    )
    themes = ModelMultipleChoiceField(
        label=_("Themes"),
        help_text=_("Select all that apply."),
        queryset=PriorityTheme.objects.none(),
        to_field_name="slug",
        required=False,
        widget=forms.CheckboxSelectMultiple,
        error_messages={"invalid_choice": _("Choose themes from the list")},
    )
    period_start = DateField(label=_("Applies from"), name=_("date the priority applies from"))
    period_end = DateField(
        label=_("Applies until"),
        name=_("date the priority applies until"),
        required=False,
        help_text=_("Leave blank if it has no end date."),
    )
    supporting_information = forms.CharField(
        label=_("Supporting information"),
        widget=forms.Textarea(attrs={"rows": 6}),
        error_messages={"required": _("Enter the supporting information for the priority")},
    )

    def __init__(self, *args, user, **kwargs):
        super().__init__(*args, **kwargs)
        cast(
            ModelMultipleChoiceField, self.fields["themes"]
        ).queryset = PriorityTheme.objects.visible_to(user).order_by("name")


# The body's own response status, as its inbox filters on it (responses/selectors.py
# `own_response_annotations` computes it).
RESPONSE_STATES = [
    ("not_started", _("Not started")),
    ("draft", _("Draft")),
    ("ready", _("Ready for the commissioner")),
    ("submitted", _("Submitted")),
    ("late", _("Late")),
]


class InboxFilterForm(forms.Form):
    """The inbox's filters. A body's inbox filters on what reaches it (open or closed, never
    draft or awaiting the APCC) and, for a policing body, on its own response status and the
    acknowledgements asked of it; the owner's on whether an outcome is due."""

    status = forms.ChoiceField(
        label=_("Status"),
        required=False,
        choices=[("", _("Any status")), *Status.choices],
        error_messages={"invalid_choice": _("Choose a status from the list")},
    )
    kind = forms.ChoiceField(
        label=_("Kind"),
        required=False,
        choices=[("", _("Any kind")), *Kind.choices],
        error_messages={"invalid_choice": _("Choose a kind of engagement from the list")},
    )
    response = forms.ChoiceField(
        label=_("Your response"),
        required=False,
        choices=[("", _("Any")), *RESPONSE_STATES],
        error_messages={"invalid_choice": _("Choose a response status from the list")},
    )
    acknowledgement_asked_only = forms.BooleanField(
        label=_("Only those asking for your acknowledgement"),
        required=False,
        help_text=_("Open change notices and priorities updates you have not acknowledged"),
    )

    # Shown in a national organisation's inbox only (engagements/selectors.py `outcome_due`).
    outcome_due_only = forms.BooleanField(
        label=_("Only those whose outcome is due"),
        required=False,
        help_text=_("Closed engagements that asked for responses and have no published outcome"),
    )

    def __init__(self, *args, mode: str = "", responds: bool = False, **kwargs) -> None:
        super().__init__(*args, **kwargs)
        if mode == "body":  # only open and closed engagements ever reach a body
            self.fields["status"].choices = [  # type: ignore[attr-defined]
                ("", _("Open or closed")),
                (Status.OPEN, Status.OPEN.label),
                (Status.CLOSED, Status.CLOSED.label),
            ]
        if not responds:
            del self.fields["response"]
            del self.fields["acknowledgement_asked_only"]
        if mode != "owner":
            del self.fields["outcome_due_only"]

    def filters(self) -> dict:
        if not self.is_valid():
            return {}
        return {
            name: self.cleaned_data[name]
            for name in (
                "status",
                "kind",
                "outcome_due_only",
                "response",
                "acknowledgement_asked_only",
            )
            if name in self.fields
        }


class PriorityFilterForm(forms.Form):
    source = forms.ChoiceField(
        label=_("Source"),
        required=False,
        choices=[("", _("Ministerial and Board")), *PrioritySource.choices],
        error_messages={"invalid_choice": _("Choose a source from the list")},
    )

    def filters(self) -> dict[str, str]:
        if not self.is_valid():
            return {}
        return {"source": self.cleaned_data["source"]}


class TimingReviewForm(forms.Form):
    """The period and owning organisation of the protocol review's timing figures."""

    start = DateField(
        label=_("Opened from"), name=_("start of the period"), help_text=_("For example, 1 4 2026")
    )
    end = DateField(
        label=_("Opened up to"), name=_("end of the period"), help_text=_("For example, 31 3 2027")
    )
    owner: forms.ModelChoiceField = forms.ModelChoiceField(
        label=_("Owning organisation"),
        queryset=Organisation.objects.none(),
        required=False,
        empty_label=_("All you may see"),
        to_field_name="slug",
        error_messages={"invalid_choice": _("Choose an organisation from the list")},
    )

    def __init__(self, *args, owners, **kwargs):
        super().__init__(*args, **kwargs)
        cast(forms.ModelChoiceField, self.fields["owner"]).queryset = owners

    def clean(self):
        data = super().clean() or {}
        start, end = data.get("start"), data.get("end")
        if start and end and start > end:
            self.add_error("end", _("The end of the period must be on or after its start"))
        return data
