"""Who may add, replace and see the old versions of documents. Seeing a document at all is
`Document.objects.visible_to(user)` (as its engagement, narrowed by its own label).

Check with `rules.has_perm(name, user, obj)`, never `user.has_perm`: Django lets a superuser
through every `has_perm`, and being a site administrator gives no part in the protocol."""

import rules

from engage.accounts.models import OrganisationKind
from engage.accounts.viewer import Viewer
from engage.core.labels import Label
from engage.engagements.models import Status
from engage.engagements.rules import is_owner_lead

# A lead may add documents until the engagement closes, while it waits to open too.
UPLOAD_STATUSES = frozenset({Status.DRAFT, Status.AWAITING_APCC, Status.SCHEDULED, Status.OPEN})


@rules.predicate
def is_lead_of_engagement_owner(user, engagement) -> bool:
    return bool(is_owner_lead(user, engagement))


@rules.predicate
def engagement_takes_documents(user, engagement) -> bool:
    return engagement is not None and engagement.status in UPLOAD_STATUSES


@rules.predicate
def is_lead_of_document_owner(user, document) -> bool:
    return document is not None and bool(is_owner_lead(user, document.engagement))


@rules.predicate
def document_takes_versions(user, document) -> bool:
    return document is not None and document.engagement.status in UPLOAD_STATUSES


@rules.predicate
def is_member_of_document_owner(user, document) -> bool:
    return document is not None and Viewer.of(user).is_member_of(document.engagement.owner_id)


# The policy lead manages the engagement's documents; the status is checked separately so the
# page can say why an upload is not possible now rather than refusing outright.
rules.add_perm("documents.add_document", is_lead_of_engagement_owner)
rules.add_perm("documents.change_document", is_lead_of_document_owner)
# Old versions stay with the organisation that wrote them.
rules.add_perm("documents.view_old_versions", is_member_of_document_owner)


def can_upload_documents(user, engagement) -> bool:
    """For the engagement page's `can_upload`: a lead of the owner, while it is not closed."""
    return bool(engagement_takes_documents(user, engagement)) and rules.has_perm(
        "documents.add_document", user, engagement
    )


def can_replace_document(user, document) -> bool:
    return bool(document_takes_versions(user, document)) and rules.has_perm(
        "documents.change_document", user, document
    )


def can_ask_release(document, organisation) -> bool:
    """For the document page's link: a policing body may ask to share a document of an open
    engagement further unless it is TLP:RED (the ask page gives any other refusal)."""
    return (
        organisation is not None
        and organisation.kind == OrganisationKind.POLICING_BODY
        and document.engagement.status == Status.OPEN
        and Label.RED not in (document.label, document.engagement.label)
    )
