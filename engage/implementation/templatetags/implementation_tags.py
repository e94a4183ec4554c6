"""Tags for implementation agreements: the state, the summary and a milestone's status, each
as a GOV.UK tag of its own colour. "Done" is green only when something was done."""

from django import template
from django.utils.html import format_html

from engage.core.templatetags.govuk import govuk_tag

from ..models import AgreementState, Milestone, MilestoneStatus, Summary
from ..selectors import NOT_ASKED, SUMMARY_LABELS

register = template.Library()

STATE_COLOURS: dict[str, str] = {
    AgreementState.PROPOSED: "yellow",
    AgreementState.CHANGES_PROPOSED: "orange",
    AgreementState.AGREED: "green",
    AgreementState.DECLINED: "purple",
    AgreementState.WITHDRAWN: "grey",
}
SUMMARY_COLOURS: dict[str, str] = {
    Summary.OVERDUE: "red",
    Summary.AT_RISK: "orange",
    Summary.CHANGES_PROPOSED: "yellow",
    Summary.PROPOSED: "yellow",
    Summary.ON_TRACK: "blue",
    Summary.NOT_STARTED: "grey",
    Summary.NO_MILESTONES: "grey",
    Summary.DONE: "green",
    Summary.DECLINED: "purple",
    Summary.WITHDRAWN: "grey",
    NOT_ASKED: "grey",
}
MILESTONE_COLOURS: dict[str, str] = {
    MilestoneStatus.NOT_STARTED: "grey",
    MilestoneStatus.ON_TRACK: "blue",
    MilestoneStatus.AT_RISK: "orange",
    MilestoneStatus.DONE: "green",
}


@register.simple_tag
def state_tag(agreement) -> str:
    return govuk_tag(agreement.get_state_display(), STATE_COLOURS[agreement.state])


@register.simple_tag
def summary_tag(summary: str) -> str:
    return govuk_tag(SUMMARY_LABELS[summary], SUMMARY_COLOURS[summary])


@register.simple_tag
def milestone_tag(milestone: Milestone) -> str:
    """The status, and "Overdue" beside it when past due and not done."""
    tag = govuk_tag(milestone.get_status_display(), MILESTONE_COLOURS[milestone.status])
    if milestone.is_overdue():
        return format_html("{} {}", tag, govuk_tag(SUMMARY_LABELS[Summary.OVERDUE], "red"))
    return tag


@register.simple_tag
def status_tag(status: str) -> str:
    return govuk_tag(MilestoneStatus(status).label, MILESTONE_COLOURS[status])
