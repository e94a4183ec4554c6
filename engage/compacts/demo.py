"""Demo content (development only): one local Compact, "West Yorkshire Compact", covering West
Yorkshire, agreed a few years ago, signed by West Yorkshire's policing body and by Leeds
Women's Centre; marked as sample content. For `seed_demo` to call; not wired in here."""

import datetime

from django.db import transaction
from django.utils import timezone

from engage.accounts.models import Organisation, User
from engage.core.services import as_history_user
from engage.directory.models import PolicingBody

from .models import Compact, CompactSignatory

TITLE = "West Yorkshire Compact"
BODY_SLUG = "west-yorkshire"
VOLUNTARY_SLUG = "leeds-womens-centre"


@transaction.atomic
def seed_compacts_demo(*, by: User | None = None) -> Compact | None:
    """The West Yorkshire Compact and its two signatures; running it again changes nothing.
    None when West Yorkshire's policing body is not in the directory."""
    body = PolicingBody.objects.filter(organisation__slug=BODY_SLUG).first()
    if body is None:
        return None
    today = timezone.localdate()
    agreed_on = datetime.date(today.year - 4, 3, 27)
    compact = Compact.objects.filter(title=TITLE, is_sample=True).first()
    if compact is None:
        compact = Compact(
            title=TITLE,
            area="West Yorkshire",
            agreed_on=agreed_on,
            url="https://example.org/west-yorkshire-compact",
            is_sample=True,
            created_by=by,
        )
        if by is not None:
            as_history_user(compact, by)
        compact.save()
        compact.bodies.set([body])
    signers = [
        (body.organisation, agreed_on),
        *(
            (organisation, datetime.date(today.year - 3, 6, 4))
            for organisation in Organisation.objects.filter(slug=VOLUNTARY_SLUG)
        ),
    ]
    for organisation, signed_on in signers:
        if not compact.signatories.filter(organisation=organisation).exists():
            signature = CompactSignatory(
                compact=compact, organisation=organisation, signed_on=signed_on, recorded_by=by
            )
            if by is not None:
                as_history_user(signature, by)
            signature.save()
    return compact
