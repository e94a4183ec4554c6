"""Every write to local Compacts and their signatures. Each takes keyword arguments, checks who
acts (`rules`, PermissionDenied: a 403) and what was given (ValidationError keyed by the form's
field names: the page shows it there), and changes nothing when it refuses. History records
name the person acting.

- `compact_create` / `compact_update`: title, area, at least one policing body area, the date
  agreed (not in the future), an optional https link.
- `signature_add`: a member signs for the organisation they act for (`membership`) if it is
  in the area the Compact covers (a policing body the Compact covers, a voluntary organisation
  serving one of those areas), a site administrator for any organisation; the date signed is
  neither before the Compact was agreed nor in the future; one signature per organisation.
- `signature_remove`: the organisation that signed, the person who recorded it, a site
  administrator.
"""

from collections.abc import Iterable
from datetime import date

from django.core.exceptions import PermissionDenied, ValidationError
from django.core.validators import URLValidator
from django.db import IntegrityError, transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from engage.accounts.models import Membership, Organisation, OrganisationKind, User
from engage.accounts.viewer import Viewer
from engage.core.services import as_history_user, lock, refresh, require_permission, save
from engage.directory.models import PolicingBody

from .models import Compact, CompactSignatory
from .rules import COMPACT_KINDS

RECORD = "compacts.record"
EDIT = "compacts.edit"
SIGN = "compacts.sign"
REMOVE_SIGNATURE = "compacts.remove_signature"
MAX_TITLE = 200
MAX_LINK = 500


def _text(errors: dict[str, str], value: str | None, field: str, missing: str) -> str:
    text = (value or "").strip()
    if not text:
        errors[field] = missing
    elif len(text) > MAX_TITLE:
        errors[field] = _("Keep this to %(max)s characters or fewer") % {"max": MAX_TITLE}
    return text


def _link(errors: dict[str, str], value: str | None) -> str:
    link = (value or "").strip()
    if not link:
        return ""
    if len(link) > MAX_LINK:
        errors["url"] = _("Keep the link to %(max)s characters or fewer") % {"max": MAX_LINK}
        return link
    try:
        URLValidator(schemes=["https"])(link)
    except ValidationError:
        errors["url"] = _("Enter a web address starting https://")
    return link


def _compact_fields(
    *,
    title: str | None,
    area: str | None,
    bodies: Iterable[PolicingBody] | None,
    agreed_on: date | None,
    url: str | None,
) -> tuple[dict[str, object], list[PolicingBody]]:
    errors: dict[str, str] = {}
    values: dict[str, object] = {
        "title": _text(errors, title, "title", _("Enter the Compact's title")),
        "area": _text(errors, area, "area", _("Enter the area the Compact covers")),
        "url": _link(errors, url),
    }
    chosen = list(bodies or ())
    if not chosen:
        errors["bodies"] = _("Choose at least one policing body area the Compact covers")
    if agreed_on is None:
        errors["agreed_on"] = _("Enter the date the Compact was agreed")
    elif agreed_on > timezone.localdate():
        errors["agreed_on"] = _("The date agreed must be today or in the past")
    values["agreed_on"] = agreed_on
    if errors:
        raise ValidationError(errors)
    return values, chosen


@transaction.atomic
def compact_create(
    *,
    by: User,
    title: str | None,
    area: str | None,
    bodies: Iterable[PolicingBody] | None,
    agreed_on: date | None,
    url: str | None = "",
    is_sample: bool = False,
) -> Compact:
    require_permission(RECORD, by)
    values, chosen = _compact_fields(
        title=title, area=area, bodies=bodies, agreed_on=agreed_on, url=url
    )
    compact = Compact(**values, is_sample=is_sample, created_by=by)
    save(compact, by)
    as_history_user(compact, by)
    compact.bodies.set(chosen)
    return compact


@transaction.atomic
def compact_update(
    *,
    compact: Compact,
    by: User,
    title: str | None,
    area: str | None,
    bodies: Iterable[PolicingBody] | None,
    agreed_on: date | None,
    url: str | None = "",
) -> Compact:
    require_permission(EDIT, by, compact)
    values, chosen = _compact_fields(
        title=title, area=area, bodies=bodies, agreed_on=agreed_on, url=url
    )
    stored = lock(compact)
    assert isinstance(agreed_on, date)  # noqa: S101 (checked above)
    earliest = stored.signatories.order_by("signed_on").values_list("signed_on", flat=True).first()
    if earliest is not None and agreed_on > earliest:
        raise ValidationError(
            {
                "agreed_on": _("The date agreed cannot be after the first signature (%(date)s)")
                % {"date": f"{earliest.day} {earliest:%B %Y}"}
            }
        )
    for name, value in values.items():
        setattr(stored, name, value)
    save(stored, by, fields=list(values))
    as_history_user(stored, by)
    stored.bodies.set(chosen)
    return refresh(compact, stored)


def signature_add_check(
    *, compact: Compact, by: User, membership: Membership | None
) -> Organisation | None:
    """Refuse (403) one who may not sign; the organisation a member signs for (the one they
    act for), or None for a site administrator, who chooses. A member acting for an
    organisation that takes no part in Compact working is told so."""
    require_permission(SIGN, by, compact)
    viewer = Viewer.of(by)
    if viewer.is_site_admin:
        return None
    if membership is None or membership.organisation.kind not in COMPACT_KINDS:
        raise ValidationError(
            _(
                "Switch to the policing body or voluntary organisation you sign for: the "
                "organisation you act for now cannot sign a local Compact here"
            )
        )
    if not viewer.is_member_of(membership.organisation_id):
        raise PermissionDenied
    organisation = membership.organisation
    if not _in_area(compact, organisation):
        raise ValidationError(
            _("%(organisation)s is not in the area this Compact covers")
            % {"organisation": organisation.name}
        )
    return organisation


def _in_area(compact: Compact, organisation: Organisation) -> bool:
    """A policing body the Compact covers, or a voluntary organisation serving one of the
    areas it covers."""
    covered = compact.bodies.all()
    if organisation.kind == OrganisationKind.POLICING_BODY:
        return covered.filter(organisation_id=organisation.pk).exists()
    return covered.filter(voluntary_organisations=organisation.pk).exists()


@transaction.atomic
def signature_add(
    *,
    compact: Compact,
    by: User,
    membership: Membership | None,
    signed_on: date | None,
    organisation: Organisation | None = None,
) -> CompactSignatory:
    """Record that an organisation signed `compact` on `signed_on`: for a member, the
    organisation they act for (`organisation` is ignored); for a site administrator, the
    `organisation` chosen."""
    own = signature_add_check(compact=compact, by=by, membership=membership)
    signer = own or organisation
    errors: dict[str, str] = {}
    if signer is None:
        errors["organisation"] = _("Choose the organisation that signed")
    if signed_on is None:
        errors["signed_on"] = _("Enter the date it was signed")
    elif signed_on > timezone.localdate():
        errors["signed_on"] = _("The date signed must be today or in the past")
    elif signed_on < compact.agreed_on:
        errors["signed_on"] = _(
            "The date signed cannot be before the Compact was agreed (%(date)s)"
        ) % {"date": f"{compact.agreed_on.day} {compact.agreed_on:%B %Y}"}
    if signer is not None and compact.signatories.filter(organisation=signer).exists():
        errors["organisation"] = _("%(organisation)s has already signed this Compact") % {
            "organisation": signer.name
        }
    if errors or signer is None or signed_on is None:
        raise ValidationError(errors)
    signature = CompactSignatory(
        compact=compact, organisation=signer, signed_on=signed_on, recorded_by=by
    )
    try:
        with transaction.atomic():
            save(signature, by, clean=False)
    except IntegrityError as exc:  # signed at the same moment by another request
        raise ValidationError(
            _("%(organisation)s has already signed this Compact") % {"organisation": signer}
        ) from exc
    return signature


@transaction.atomic
def signature_remove(*, signature: CompactSignatory, by: User) -> None:
    require_permission(REMOVE_SIGNATURE, by, signature)
    as_history_user(signature, by)
    signature.delete()
