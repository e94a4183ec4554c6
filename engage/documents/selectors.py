"""Reads of documents for a person: every page, list and download goes through these."""

import rules
from django.core.exceptions import PermissionDenied
from django.shortcuts import get_object_or_404

from .models import Document, DocumentQuerySet, DocumentVersion


def documents_for_engagement(user, engagement) -> DocumentQuerySet:
    """The engagement's documents this person may see, with what the list shows."""
    return (
        Document.objects.readable_on(engagement, user)
        .select_related("current_version")
        .order_by("title", "pk")
    )


def get_document_for_user(user, public_id, *, write: bool = False) -> Document:
    """404 if the person may not see the document; 403 if they may see it but (with write)
    may not manage it. Whether the engagement still takes versions is for the page to say."""
    document = get_object_or_404(
        Document.objects.visible_to(user).select_related(
            "engagement__owner",
            "engagement__policy",
            "current_version",
            "current_version__uploaded_by",
        ),
        public_id=public_id,
    )
    if write and not rules.has_perm("documents.change_document", user, document):
        raise PermissionDenied
    return document


def versions_of(document: Document) -> list[DocumentVersion]:
    return list(document.versions.select_related("uploaded_by").order_by("-number"))


def get_version_for_user(user, document: Document, number: int) -> DocumentVersion:
    """An old (or current) version, for the owning organisation only: 403 for others who see
    the document, 404 when there is no such version."""
    if not rules.has_perm("documents.view_old_versions", user, document):
        raise PermissionDenied
    return get_object_or_404(document.versions.all(), number=number)
