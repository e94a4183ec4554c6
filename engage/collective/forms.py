"""Forms for collective views: the copy lives here, the rules in the services, whose errors
the views put back on these forms by field name (`summary`, `point_<n>`, `variation_<id>`)."""

from django import forms
from django.utils.translation import gettext_lazy as _

from engage.core.fields import parse_whole_number
from engage.engagements.models import Stance

from .models import CollectiveView
from .services import point_field, variation_field


class RevisionField(forms.Field):
    """The hidden revision, kept as sent: a malformed one is refused as stale by the service."""

    widget = forms.HiddenInput

    def __init__(self, **kwargs):
        super().__init__(required=False, **kwargs)


def revision_of(data) -> int | None:
    return parse_whole_number(data.get("revision"))


def _text(label, hint="", rows=5) -> forms.CharField:
    return forms.CharField(
        label=label, help_text=hint, required=False, widget=forms.Textarea(attrs={"rows": rows})
    )


class ViewForm(forms.Form):
    """The draft's text, field by field, and the revision it was drawn from."""

    use_required_attribute = False

    revision = RevisionField()
    summary = _text(_("Summary"), _("What the responses say, in a few paragraphs."))
    position = forms.ChoiceField(
        label=_("Collective stance"),
        help_text=_("Bodies whose stance differs from it are listed in the dissent annex."),
        choices=[("", _("No collective stance")), *Stance.choices],
        required=False,
        widget=forms.RadioSelect,
    )
    position_text = _text(_("Collective position"), _("The position the APCC puts forward."))

    def __init__(self, *args, view: CollectiveView, **kwargs):
        super().__init__(*args, **kwargs)
        self.view = view
        for point in view.points:
            self.fields[point_field(point["number"])] = _text(
                _("Question %(n)s: %(question)s")
                % {"n": point["number"], "question": point["question"]},
                _("The points the responses make on this question."),
            )
        for variation in view.variations:
            self.fields[variation_field(variation["body_id"])] = _text(
                variation["body"], _("Pre-filled from its submitted response."), rows=3
            )

    @staticmethod
    def initial_from(view: CollectiveView) -> dict:
        initial = {
            "revision": view.revision,
            "summary": view.summary,
            "position": view.position,
            "position_text": view.position_text,
        }
        initial.update({point_field(p["number"]): p["text"] for p in view.points})
        initial.update({variation_field(v["body_id"]): v["text"] for v in view.variations})
        return initial

    def point_fields(self):
        return [self[point_field(p["number"])] for p in self.view.points]

    def variation_fields(self):
        return [self[variation_field(v["body_id"])] for v in self.view.variations]

    def service_kwargs(self) -> dict:
        data = self.cleaned_data
        return {
            "revision": revision_of(self.data),
            "summary": data.get("summary", ""),
            "position": data.get("position", ""),
            "position_text": data.get("position_text", ""),
            "points": {
                p["number"]: data.get(point_field(p["number"]), "") for p in self.view.points
            },
            "variations": {
                v["body_id"]: data.get(variation_field(v["body_id"]), "")
                for v in self.view.variations
            },
        }

    def their_changes(self, latest: dict) -> list[tuple[str, str]]:
        """The fields where what was saved meanwhile differs from what this person typed:
        (field label, the other person's saved text)."""
        labels = dict(Stance.choices)
        changes = []
        for name, field in self.fields.items():
            if name == "revision":
                continue
            typed = (self.data.get(name) or "").strip()
            saved = latest.get(name) or ""
            if typed != saved:
                shown = str(labels.get(saved, saved)) if name == "position" else saved
                changes.append((str(field.label), shown or str(_("(left empty)"))))
        return changes


class ConfirmForm(forms.Form):
    """A confirmation step: the revision of the text the person read."""

    revision = RevisionField()


class SignForm(forms.Form):
    revision = RevisionField()
    decision = forms.ChoiceField(
        label=_("Do you sign off the collective view for your group?"),
        choices=[("sign", _("Yes, sign it off")), ("return", _("No, send it back with comments"))],
        widget=forms.RadioSelect,
        error_messages={"required": _("Choose whether to sign it off or send it back")},
    )
    comments = _text(
        _("Comments"), _("Needed when you send it back: say what should change."), rows=4
    )
