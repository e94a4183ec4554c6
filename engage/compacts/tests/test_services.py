"""The rules of recording Compacts and signatures, and bad input: a clear message on the field,
nothing changed."""

import datetime

import pytest
from django.core.exceptions import PermissionDenied, ValidationError
from django.utils import timezone

from engage.accounts.models import Membership, Organisation
from engage.compacts import services
from engage.compacts.demo import seed_compacts_demo
from engage.compacts.models import Compact, CompactSignatory

from .conftest import body, days_ago, membership_of

pytestmark = pytest.mark.django_db


def fields(**overrides):
    values = {
        "title": "Kent Compact",
        "area": "Kent",
        "bodies": [body("kent")],
        "agreed_on": days_ago(400),
        "url": "https://example.org/kent-compact",
    }
    values.update(overrides)
    return values


@pytest.mark.parametrize("name", ["gwent_staff", "kent_commissioner", "vcs_member", "admin"])
def test_members_of_bodies_and_voluntary_organisations_and_admins_record_a_compact(personas, name):
    compact = services.compact_create(by=getattr(personas, name), **fields())
    assert compact.created_by == getattr(personas, name)
    assert list(compact.bodies.values_list("organisation__slug", flat=True)) == ["kent"]
    # The row, then its bodies (history kept of both), each by the one who recorded it.
    assert {row.history_user for row in compact.history.all()} == {getattr(personas, name)}


@pytest.mark.parametrize("name", ["moj_lead", "ho_lead", "secretariat", "outsider"])
def test_others_may_not_record_a_compact(personas, name):
    with pytest.raises(PermissionDenied):
        services.compact_create(by=getattr(personas, name), **fields())
    assert not Compact.objects.exists()


@pytest.mark.parametrize(
    ("overrides", "field", "message"),
    [
        ({"title": "  "}, "title", "Enter the Compact's title"),
        ({"area": ""}, "area", "Enter the area the Compact covers"),
        ({"bodies": []}, "bodies", "Choose at least one policing body area"),
        ({"agreed_on": None}, "agreed_on", "Enter the date the Compact was agreed"),
        ({"agreed_on": "tomorrow"}, "agreed_on", "today or in the past"),
        ({"url": "http://example.org/compact"}, "url", "starting https://"),
        ({"url": "not a link"}, "url", "starting https://"),
        ({"title": "x" * 201}, "title", "200 characters or fewer"),
    ],
)
def test_bad_input_is_refused_with_a_message_and_nothing_is_recorded(
    personas, overrides, field, message
):
    if overrides.get("agreed_on") == "tomorrow":
        overrides["agreed_on"] = timezone.localdate() + datetime.timedelta(days=1)
    with pytest.raises(ValidationError) as caught:
        services.compact_create(by=personas.vcs_member, **fields(**overrides))
    assert message in caught.value.message_dict[field][0]
    assert not Compact.objects.exists()


def test_who_may_edit(personas, wy_compact, wy_staff):
    recorder = personas.vcs_member
    mine = services.compact_create(by=recorder, **fields())
    new = fields(title="Kent and Medway Compact")
    # The recorder and a site admin.
    for user in (recorder, personas.admin):
        services.compact_update(compact=mine, by=user, **new)
    mine.refresh_from_db()
    assert mine.title == "Kent and Medway Compact"
    assert [row.history_user for row in mine.history.filter(history_type="~")][:2] == [
        personas.admin,
        recorder,
    ]
    # Not a member of a body it covers (Kent), nor of one it does not cover (Gwent).
    for user in (personas.kent_commissioner, personas.gwent_staff):
        with pytest.raises(PermissionDenied):
            services.compact_update(compact=mine, by=user, **fields(title="No"))
    # West Yorkshire's Compact, recorded by the admin: neither its body's member nor Leeds
    # Women's Centre (who signed it) may change it.
    for user in (wy_staff, personas.vcs_member):
        with pytest.raises(PermissionDenied):
            services.compact_update(
                compact=wy_compact, by=user, **fields(agreed_on=wy_compact.agreed_on)
            )
    mine.refresh_from_db()
    assert mine.title == "Kent and Medway Compact"
    wy_compact.refresh_from_db()
    assert wy_compact.title == "West Yorkshire Compact"


def test_the_date_agreed_cannot_move_after_the_first_signature(personas, wy_compact):
    first = wy_compact.signatories.order_by("signed_on").first().signed_on
    with pytest.raises(ValidationError) as caught:
        services.compact_update(
            compact=wy_compact,
            by=personas.admin,
            **fields(agreed_on=first + datetime.timedelta(days=1)),
        )
    assert "after the first signature" in caught.value.message_dict["agreed_on"][0]
    wy_compact.refresh_from_db()
    assert wy_compact.title == "West Yorkshire Compact"


def test_a_member_signs_for_the_organisation_they_act_for(personas):
    compact = services.compact_create(by=personas.admin, **fields())
    signature = services.signature_add(
        compact=compact,
        by=personas.kent_commissioner,
        membership=membership_of(personas.kent_commissioner),
        signed_on=days_ago(10),
        organisation=Organisation.objects.get(slug="gwent"),  # ignored: Kent acts for Kent
    )
    assert signature.organisation.slug == "kent"
    assert signature.recorded_by == personas.kent_commissioner


def test_a_second_signature_of_one_organisation_gets_a_message(personas, wy_compact):
    count = CompactSignatory.objects.count()
    with pytest.raises(ValidationError) as caught:
        services.signature_add(
            compact=wy_compact,
            by=personas.vcs_member,
            membership=membership_of(personas.vcs_member),
            signed_on=days_ago(1),
        )
    assert "Leeds Women's Centre has already signed this Compact" in str(caught.value)
    assert CompactSignatory.objects.count() == count


@pytest.mark.parametrize(
    ("signed_on", "message"),
    [
        (None, "Enter the date it was signed"),
        ("tomorrow", "today or in the past"),
        ("before", "before the Compact was agreed"),
    ],
)
def test_bad_signature_dates_are_refused(personas, signed_on, message):
    compact = services.compact_create(
        by=personas.admin, **fields(agreed_on=days_ago(30), bodies=[body("gwent")])
    )
    day = {
        "tomorrow": timezone.localdate() + datetime.timedelta(days=1),
        "before": days_ago(31),
        None: None,
    }[signed_on]
    with pytest.raises(ValidationError) as caught:
        services.signature_add(
            compact=compact,
            by=personas.gwent_staff,
            membership=membership_of(personas.gwent_staff),
            signed_on=day,
        )
    assert message in caught.value.message_dict["signed_on"][0]
    assert not compact.signatories.exists()


def test_only_bodies_voluntary_organisations_and_admins_sign(personas):
    compact = services.compact_create(by=personas.admin, **fields())
    for name in ("moj_lead", "secretariat", "outsider"):
        user = getattr(personas, name)
        membership = (
            Membership.objects.active().filter(user=user).select_related("organisation").first()
        )
        with pytest.raises(PermissionDenied):
            services.signature_add(
                compact=compact, by=user, membership=membership, signed_on=days_ago(1)
            )
    assert not compact.signatories.exists()


def test_a_policing_body_signs_only_a_compact_covering_it(personas, wy_staff):
    kent = services.compact_create(by=personas.admin, **fields())  # covers Kent only
    for user in (personas.gwent_staff, wy_staff):
        membership = membership_of(user)
        with pytest.raises(ValidationError) as caught:
            services.signature_add(
                compact=kent, by=user, membership=membership, signed_on=days_ago(1)
            )
        assert caught.value.messages == [
            f"{membership.organisation.name} is not in the area this Compact covers"
        ]
    assert not kent.signatories.exists()
    # Kent and Gwent both covered: Gwent's member now signs.
    services.compact_update(
        compact=kent, by=personas.admin, **fields(bodies=[body("kent"), body("gwent")])
    )
    signature = services.signature_add(
        compact=kent,
        by=personas.gwent_staff,
        membership=membership_of(personas.gwent_staff),
        signed_on=days_ago(1),
    )
    assert signature.organisation.slug == "gwent"


def test_a_voluntary_organisation_signs_only_a_compact_of_an_area_it_serves(personas):
    leeds = membership_of(personas.vcs_member)  # serves West Yorkshire
    kent = services.compact_create(by=personas.admin, **fields())
    with pytest.raises(ValidationError) as caught:
        services.signature_add(
            compact=kent, by=personas.vcs_member, membership=leeds, signed_on=days_ago(1)
        )
    assert caught.value.messages == ["Leeds Women's Centre is not in the area this Compact covers"]
    # Even a Compact it recorded itself.
    own = services.compact_create(by=personas.vcs_member, **fields())
    with pytest.raises(ValidationError):
        services.signature_add(
            compact=own, by=personas.vcs_member, membership=leeds, signed_on=days_ago(1)
        )
    assert not CompactSignatory.objects.filter(organisation=leeds.organisation).exists()
    # A Compact covering West Yorkshire among others.
    wy_and_kent = services.compact_create(
        by=personas.admin, **fields(bodies=[body("kent"), body("west-yorkshire")])
    )
    signature = services.signature_add(
        compact=wy_and_kent, by=personas.vcs_member, membership=leeds, signed_on=days_ago(1)
    )
    assert signature.organisation == leeds.organisation


def test_an_admin_signs_for_any_organisation_in_or_out_of_the_area(personas):
    compact = services.compact_create(by=personas.admin, **fields())  # covers Kent only
    for slug in ("gwent", "leeds-womens-centre"):
        signature = services.signature_add(
            compact=compact,
            by=personas.admin,
            membership=None,
            signed_on=days_ago(1),
            organisation=Organisation.objects.get(slug=slug),
        )
        assert signature.organisation.slug == slug


def test_an_admin_chooses_the_organisation(personas):
    compact = services.compact_create(by=personas.admin, **fields())
    with pytest.raises(ValidationError) as caught:
        services.signature_add(
            compact=compact, by=personas.admin, membership=None, signed_on=days_ago(1)
        )
    assert "Choose the organisation" in caught.value.message_dict["organisation"][0]
    kent = Organisation.objects.get(slug="kent")
    signature = services.signature_add(
        compact=compact,
        by=personas.admin,
        membership=None,
        signed_on=days_ago(1),
        organisation=kent,
    )
    assert signature.organisation == kent


def test_who_may_remove_a_signature(personas, wy_compact, wy_staff):
    leeds = wy_compact.signatories.get(organisation__slug="leeds-womens-centre")
    wy = wy_compact.signatories.get(organisation__slug="west-yorkshire")
    # Not another organisation's member, even one who may edit the Compact.
    for user in (personas.gwent_staff, wy_staff):
        with pytest.raises(PermissionDenied):
            services.signature_remove(signature=leeds, by=user)
    with pytest.raises(PermissionDenied):
        services.signature_remove(signature=wy, by=personas.vcs_member)
    services.signature_remove(signature=leeds, by=personas.vcs_member)
    services.signature_remove(signature=wy, by=personas.admin)
    assert not wy_compact.signatories.exists()
    removed = CompactSignatory.history.filter(history_type="-").order_by("history_date")
    assert [row.history_user for row in removed] == [personas.vcs_member, personas.admin]


def test_the_demo_is_idempotent(personas, wy_compact):
    again = seed_compacts_demo(by=personas.admin)
    assert again == wy_compact
    assert Compact.objects.count() == 1
    assert sorted(wy_compact.signatories.values_list("organisation__slug", flat=True)) == [
        "leeds-womens-centre",
        "west-yorkshire",
    ]
    assert wy_compact.is_sample
    assert list(wy_compact.bodies.values_list("organisation__slug", flat=True)) == [
        "west-yorkshire"
    ]
