"""Reads of documents for a person. Placeholder until the documents work lands."""

from .models import Document


def documents_for_engagement(user, engagement):
    return (
        Document.objects.visible_to(user)
        .filter(engagement=engagement)
        .select_related("current_version")
    )
