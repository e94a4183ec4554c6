"""The person's email choices: one question per kind of event, and the summary's time."""

from datetime import time

from django import forms
from django.utils.translation import gettext_lazy as _

from .models import EventKind
from .preferences import DIGEST_TIMES, GROUPS, StrOrPromise, email_options


def _time_label(at: time) -> str:
    # GOV.UK style: 8am, 1pm, midday.
    if at.hour == 12:
        return str(_("midday"))
    return f"{at.hour % 12 or 12}{'am' if at.hour < 12 else 'pm'}"


HINTS = {
    EventKind.RESPONSE_SUBMITTED: _(
        "Never one email per response: they come together in your daily summary."
    ),
    EventKind.DEADLINE_7_DAYS: _(
        "These go only to people whose organisation has still to respond, so they cannot be "
        "turned off."
    ),
    EventKind.DEADLINE_2_DAYS: _(
        "These go only to people whose organisation has still to respond, so they cannot be "
        "turned off."
    ),
}


class PreferencesForm(forms.Form):
    send_at = forms.TypedChoiceField(
        label=_("When should your daily summary come?"),
        help_text=_("UK time, on each day you have something in it."),
        choices=[(at.strftime("%H:%M"), _time_label(at)) for at in DIGEST_TIMES],
        coerce=lambda value: time.fromisoformat(value),
        error_messages={"invalid_choice": _("Choose a time from the list")},
    )

    def __init__(self, *args, **kwargs) -> None:
        super().__init__(*args, **kwargs)
        for _heading, kinds in GROUPS:
            for kind in kinds:
                self.fields[kind] = forms.ChoiceField(
                    label=EventKind(kind).label,
                    choices=[(choice.value, choice.label) for choice in email_options(kind)],
                    widget=forms.RadioSelect,
                    help_text=HINTS.get(kind, ""),
                    error_messages={
                        "required": _("Choose how you are emailed about: %(kind)s")
                        % {"kind": EventKind(kind).label},
                        "invalid_choice": _("Choose one of the options for: %(kind)s")
                        % {"kind": EventKind(kind).label},
                    },
                )

    def groups(self) -> list[tuple[StrOrPromise, list[forms.BoundField]]]:
        return [(heading, [self[kind] for kind in kinds]) for heading, kinds in GROUPS]

    def choices(self) -> dict[str, str]:
        return {str(kind): self.cleaned_data[kind] for _h, kinds in GROUPS for kind in kinds}
