"""The label an item carries for one policing body: its own label, or the widest label a grant
in force gives that body (`ReleaseRequest.in_force`). Worked out from the data whenever it is
read, so a grant past its expiry date is simply no longer in force and the body is shown the
label it had before.

What a grant covers:
- a grant on a **document** covers that document;
- a grant on an **engagement** covers the engagement and those of its documents that carry the
  engagement's own label or a wider one. A document the lead kept narrower than its engagement
  (and every TLP:RED document) is not covered: the lead chose to hold it back, so the body must
  ask for it by name. This keeps a grant from reaching further than what the lead looked at.

The documents app asks `document_label_for` when it stamps a download and shows the download
page; the engagement page's panel asks `engagement_label_for`.
"""

from dataclasses import dataclass
from datetime import date

from django.db.models import Q
from django.utils.translation import gettext as _

from engage.core.labels import Label, is_wider

from .models import ReleaseRequest


@dataclass(frozen=True)
class BodyLabel:
    """The label in force for a body, and the grant that gives it (None: the item's own)."""

    label: str
    grant: ReleaseRequest | None = None

    @property
    def display(self) -> str:
        return str(Label(self.label).label)

    @property
    def widened(self) -> bool:
        return self.grant is not None

    @property
    def text(self) -> str:
        """e.g. "TLP:AMBER for Gwent: may be shared with local victims' services until 31
        March 2027"; the plain label when no grant widens it."""
        if self.grant is None:
            return self.display
        return grant_text(self.grant)


def grant_text(grant: ReleaseRequest) -> str:
    values = {
        "label": Label(grant.to_label).label,
        "body": grant.body.organisation.name,
        "scope": grant.scope,
    }
    if grant.expires_on is None:
        return _("%(label)s for %(body)s: may be shared with %(scope)s") % values
    return _("%(label)s for %(body)s: may be shared with %(scope)s until %(date)s") % {
        **values,
        "date": f"{grant.expires_on.day} {grant.expires_on:%B %Y}",
    }


def _widest(own: str, grants: list[ReleaseRequest]) -> BodyLabel:
    best = BodyLabel(own)
    for grant in grants:
        if is_wider(grant.to_label, best.label):
            best = BodyLabel(grant.to_label, grant)
    return best


def covers_documents(engagement_label: str, document_label: str) -> bool:
    """Whether a grant on the engagement covers a document with this label (module docstring)."""
    return document_label != Label.RED and not is_wider(engagement_label, document_label)


def _grants(organisation, on: date | None):
    if organisation is None:
        return ReleaseRequest.objects.none()
    return (
        ReleaseRequest.objects.in_force(on)
        .filter(body__organisation=organisation)
        .select_related("body__organisation")
        .order_by("pk")
    )


def engagement_label_for(engagement, organisation, *, on: date | None = None) -> BodyLabel:
    """The engagement's label for the body `organisation` is (its own for anyone else). One
    query, none without an organisation."""
    if engagement.label == Label.RED or organisation is None:
        return BodyLabel(engagement.label)
    grants = list(_grants(organisation, on).filter(engagement=engagement, document__isnull=True))
    return _widest(engagement.label, grants)


def document_label_for(document, organisation, *, on: date | None = None) -> BodyLabel:
    """The document's label for the body `organisation` is: its own, or widened by a grant on
    it, or on its engagement when that covers it. One query, none without an organisation."""
    if document.label == Label.RED or organisation is None:
        return BodyLabel(document.label)
    engagement_label = document.engagement.label
    scope = Q(document=document)
    if covers_documents(engagement_label, document.label):
        scope |= Q(engagement_id=document.engagement_id, document__isnull=True)
    return _widest(document.label, list(_grants(organisation, on).filter(scope)))
