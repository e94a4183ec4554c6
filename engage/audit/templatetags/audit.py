"""The access log's stored codes as words."""

from django import template
from django.utils.translation import gettext_lazy as _

register = template.Library()

# The kinds of record the apps log (their access_record calls), as a reader would name them.
OBJECT_TYPE_NAMES = {
    "account_request": _("Account request"),
    "document": _("Document"),
    "engagement": _("Engagement"),
    "national_priority": _("National priority"),
    "organisation": _("Organisation"),
    "page": _("Page"),
    "policy": _("Policy"),
    "response": _("Response"),
    "responses": _("Responses"),
}


@register.filter
def object_type_name(value: str) -> str:
    """The kind of record in words; one a newer app logs reads as its code made readable."""
    if value in OBJECT_TYPE_NAMES:
        return str(OBJECT_TYPE_NAMES[value])
    return value.replace("_", " ").capitalize()
