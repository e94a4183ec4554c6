"""Engagement pages. Thin: reads through `selectors` (each starting from `visible_to`), writes
through `services`, whose ValidationErrors come back to the page as messages or form errors;
a refused action changes nothing."""

from .audience import audience_add, routing_record_page
from .lifecycle import close, release, share_responses
from .pages import apcc_queue, detail, edit, inbox, new, questions
from .priorities import priorities, priority_detail, priority_new, priority_remove
from .review import review_timing
from .routing import confirm, return_to_lead, route, wider_decide, wider_request

__all__ = [
    "apcc_queue",
    "audience_add",
    "close",
    "confirm",
    "detail",
    "edit",
    "inbox",
    "new",
    "priorities",
    "priority_detail",
    "priority_new",
    "priority_remove",
    "questions",
    "release",
    "return_to_lead",
    "review_timing",
    "route",
    "routing_record_page",
    "share_responses",
    "wider_decide",
    "wider_request",
]
