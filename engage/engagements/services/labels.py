"""Handling labels: releases to a wider label, and which labels an item may move to."""

from typing import Any

from django.core.exceptions import ValidationError
from django.utils.translation import gettext as _

from engage.accounts.models import User
from engage.core.labels import WIDENING_ORDER, Label, is_wider
from engage.core.services import lock, require_permission, required_text, save

from ..models import Engagement, LabelRelease
from .refusals import _check_policy, records_refusals


@records_refusals
def label_release(
    *,
    by: User,
    to_label: str,
    reason: str,
    for_whom: str,
    engagement: Engagement | None = None,
    document=None,
) -> LabelRelease:
    """Release an engagement or a document to a wider handling label. Only a policy lead of the
    owning organisation may; the release records who, when, why and for whom."""
    if (engagement is None) == (document is None):
        raise ValueError("Release either an engagement or a document.")
    item: Any
    if engagement is not None:
        item = lock(engagement, "policy", "owner")
        owning = item
    else:
        item = lock(document)
        owning = Engagement.objects.select_related("policy", "owner").get(pk=item.engagement_id)
    require_permission("engagements.manage_engagement", by, owning)
    label_release_check(item.label, None if document is None else owning.label)
    if to_label not in Label.values:
        raise ValidationError({"to_label": _("Choose the label to release it to")})
    if not is_wider(to_label, item.label):
        raise ValidationError(
            {
                "to_label": _(
                    "Choose a label wider than %(label)s. Narrowing a label is not a release: "
                    "change the draft instead"
                )
                % {"label": item.get_label_display()}
            }
        )
    if document is not None and is_wider(to_label, owning.label):
        raise ValidationError(
            {
                "to_label": _(
                    "A document cannot be wider than its engagement (%(label)s). "
                    "Release the engagement first"
                )
                % {"label": owning.get_label_display()}
            }
        )
    reason = required_text(reason, "reason", _("Explain why you are releasing it"))
    for_whom = required_text(for_whom, "for_whom", _("Say who it is being released for"))
    _check_policy(owning.policy, by, "release to a wider label")
    release = LabelRelease(
        engagement=item if engagement is not None else None,
        document=item if document is not None else None,
        from_label=item.label,
        to_label=to_label,
        reason=reason,
        for_whom=for_whom,
        released_by=by,
    )
    release.full_clean()
    item.label = to_label
    save(item, by, ["label"])
    release.save()
    (engagement if engagement is not None else document).label = to_label
    return release


def wider_labels(label: str) -> list[str]:
    """The labels wider than `label`."""
    return [value for value in WIDENING_ORDER if is_wider(value, label)]


def label_release_check(label: str, ceiling: str | None = None) -> list[str]:
    """The labels an item at `label` may be released to: wider, and for a document no wider
    than its engagement's (`ceiling`). Refused if there are none: `label_release` checks it,
    and so do the pages that offer a release."""
    labels = [
        value for value in wider_labels(label) if ceiling is None or not is_wider(value, ceiling)
    ]
    if not labels:
        raise ValidationError(
            _("This engagement is already public (TLP:CLEAR).")
            if ceiling is None
            else _("The document already has its engagement's label. Release the engagement first.")
        )
    return labels


def narrower_or_same_labels(label: str) -> list[str]:
    """The labels a draft at `label` may be changed to without a release."""
    return [value for value in WIDENING_ORDER if not is_wider(value, label)]
