"""The notifications pages: each person sees and opens only their own; opening one marks it
read and goes to the item; "mark all as read"; the header's unread count."""

import pytest
from django.urls import reverse

from engage.accounts.models import User
from engage.conftest import EVERYONE
from engage.notifications.models import Notification

from .conftest import record

pytestmark = pytest.mark.django_db

LIST = reverse("notifications:list")


def everyone(personas) -> list[User]:
    return [getattr(personas, name) for name in EVERYONE]


@pytest.fixture
def told_everyone(personas, tell):
    """One event that tells every persona, with a link to the home page."""
    tell(lambda event: User.objects.filter(pk__in=[p.pk for p in everyone(personas)]))
    return record(link=reverse("core:home"), title="A public title")


def test_anonymous_people_are_sent_to_sign_in(client, personas, told_everyone):
    response = client.get(LIST)
    assert response.status_code == 302
    assert reverse("account_login") in response["Location"]
    notification = Notification.objects.first()
    response = client.post(reverse("notifications:open", args=[notification.public_id]))
    assert response.status_code == 302
    assert reverse("account_login") in response["Location"]
    assert not Notification.objects.filter(read_at__isnull=False).exists()


@pytest.mark.parametrize("persona", EVERYONE)
def test_each_person_sees_only_their_own(personas, client_for, told_everyone, persona):
    person = getattr(personas, persona)
    response = client_for(person).get(LIST)
    assert response.status_code == 200
    page = response.content.decode()
    mine = Notification.objects.get(user=person)
    assert reverse("notifications:open", args=[mine.public_id]) in page
    others = Notification.objects.exclude(user=person)
    assert others.count() == len(EVERYONE) - 1
    for other in others:
        assert str(other.public_id) not in page
    assert "An outcome published: A public title" in page
    assert "1 unread" in page  # the header's hidden text and the page


def test_another_persons_notification_is_not_found(personas, client_for, told_everyone):
    theirs = Notification.objects.get(user=personas.kent_commissioner)
    client = client_for(personas.gwent_staff)
    response = client.post(reverse("notifications:open", args=[theirs.public_id]))
    assert response.status_code == 404
    theirs.refresh_from_db()
    assert theirs.read_at is None


def test_opening_marks_read_and_goes_to_the_item(personas, client_for, told_everyone):
    person = personas.gwent_staff
    mine = Notification.objects.get(user=person)
    client = client_for(person)
    url = reverse("notifications:open", args=[mine.public_id])
    assert client.get(url).status_code == 405  # opening changes state: POST only
    response = client.post(url)
    assert response.status_code == 302
    assert response["Location"] == reverse("core:home")
    mine.refresh_from_db()
    assert mine.read_at is not None
    person.refresh_from_db()
    assert person.unread_notifications == 0
    page = client.get(LIST).content.decode()
    assert "0 unread" in page
    assert "You have 0 unread notifications." in page


def test_a_link_off_the_service_is_not_followed(personas, client_for, tell):
    tell(lambda event: User.objects.filter(pk=personas.gwent_staff.pk))
    record(link="//elsewhere.example.org/")
    mine = Notification.objects.get(user=personas.gwent_staff)
    response = client_for(personas.gwent_staff).post(
        reverse("notifications:open", args=[mine.public_id])
    )
    assert response["Location"] == LIST


def test_mark_all_as_read(personas, client_for, tell):
    person = personas.gwent_staff
    tell(lambda event: User.objects.filter(pk=person.pk))
    for _ in range(3):
        record()
    client = client_for(person)
    page = client.get(LIST).content.decode()
    assert "3 unread" in page
    assert "Mark all as read" in page
    response = client.post(reverse("notifications:read_all"), follow=True)
    assert response.status_code == 200
    page = response.content.decode()
    assert "All your notifications are marked as read." in page
    assert "Mark all as read" not in page
    assert not Notification.objects.filter(user=person, read_at__isnull=True).exists()
    person.refresh_from_db()
    assert person.unread_notifications == 0
    assert Notification.objects.filter(user=personas.kent_commissioner).count() == 0


def test_unread_first_then_newest(personas, client_for, tell):
    person = personas.gwent_staff
    tell(lambda event: User.objects.filter(pk=person.pk))
    first = record(title="First")
    record(title="Second")
    mine = Notification.objects.get(user=person, event=first)
    client = client_for(person)
    client.post(reverse("notifications:open", args=[mine.public_id]))
    third = record(title="Third")
    assert third
    page = client.get(LIST).content.decode()
    assert page.index("Third") < page.index("Second") < page.index("First")
    # Read now: "Second" drops below the other unread, newest first.
    Notification.objects.filter(user=person, event__title="Third").update(
        read_at=Notification.objects.get(user=person, event=first).read_at
    )
    page = client.get(LIST).content.decode()
    assert page.index("Second") < page.index("Third") < page.index("First")


def test_the_empty_state(personas, client_for):
    page = client_for(personas.outsider).get(LIST).content.decode()
    assert "You have no notifications yet." in page
    assert "Mark all as read" not in page


def test_the_header_links_to_notifications_with_the_count(personas, client_for, tell):
    person = personas.gwent_staff
    tell(lambda event: User.objects.filter(pk=person.pk))
    record()
    record()
    page = client_for(person).get(reverse("core:home")).content.decode()
    assert f'href="{LIST}"' in page
    assert '<span aria-hidden="true">(2)</span>' in page
    assert '<span class="govuk-visually-hidden">, 2 unread</span>' in page


def test_the_header_has_no_notifications_for_anonymous_people(client, personas):
    page = client.get(reverse("account_login")).content.decode()
    assert f'href="{LIST}"' not in page
