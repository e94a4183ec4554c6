"""Recording who viewed, downloaded, exported or was refused what."""

from collections.abc import Iterable

from engage.accounts.models import Organisation
from engage.core.access import is_signed_in

from .models import AccessAction, AccessLog, ConfidentialObject


def access_record(
    *,
    user,
    action: str,
    object_type: str,
    object_id: str = "",
    label: str = "",
    path: str = "",
    detail: str = "",
    organisation: Organisation | None = None,
    confidential_to: Organisation | None = None,
) -> AccessLog:
    """Append an entry. `confidential_to`, for an entry that concerns a screened-out policy,
    is the policy's owning organisation: only its members will read the entry."""
    if action not in AccessAction.values:
        raise ValueError(f"Unknown access action {action!r}")
    return AccessLog.objects.create(
        user=user if is_signed_in(user) else None,
        organisation=organisation,
        action=action,
        object_type=object_type[:60],
        object_id=str(object_id)[:64],
        label=label,
        path=path[:500],
        detail=detail[:500],
        confidential_to=confidential_to,
    )


def access_record_request(
    request,
    *,
    action: str,
    object_type: str,
    object_id: str = "",
    label: str = "",
    detail="",
    confidential_to: Organisation | None = None,
) -> AccessLog:
    """Record an access made through a web request, for the organisation acted for."""
    membership = getattr(request, "membership", None)
    return access_record(
        user=request.user,
        action=action,
        object_type=object_type,
        object_id=object_id,
        label=label,
        path=request.get_full_path(),
        detail=detail,
        organisation=membership.organisation if membership else None,
        confidential_to=confidential_to,
    )


def access_mark_confidential(
    object_type: str, object_ids: Iterable[object], organisation: Organisation
) -> None:
    """From now on, entries about these records (written before or after) are read by
    `organisation`'s members only: the records of a policy that was screened out."""
    ConfidentialObject.objects.bulk_create(
        [
            ConfidentialObject(
                object_type=object_type, object_id=str(object_id), organisation=organisation
            )
            for object_id in object_ids
        ],
        ignore_conflicts=True,
    )
