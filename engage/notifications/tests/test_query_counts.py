"""The notifications page runs a fixed number of queries, the same at ten times the rows; the
header's unread count costs none (it is a column of the user row every request loads)."""

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from engage.accounts.models import User

from .conftest import record

pytestmark = pytest.mark.django_db

LIST = reverse("notifications:list")
# Every request costs 4 queries before the page's own (session, user, memberships,
# authenticator); the page adds the count of the person's notifications and one page of them,
# with their events joined.
LIST_QUERIES = 6


def queries(client, url) -> int:
    client.get(url)  # warm the session
    with CaptureQueriesContext(connection) as captured:
        assert client.get(url).status_code == 200
    return len(captured)


def test_the_list_costs_the_same_at_ten_times_the_rows(personas, client_for, tell):
    person = personas.gwent_staff
    tell(lambda event: User.objects.filter(pk__in=[person.pk, personas.kent_commissioner.pk]))
    client = client_for(person)
    assert queries(client, LIST) == LIST_QUERIES - 1  # empty: no page of rows to read
    for _ in range(3):
        record(title="A public title")
    few = queries(client, LIST)
    for _ in range(30):
        record()
    many = queries(client, LIST)
    assert few == many == LIST_QUERIES
    for _ in range(40):  # beyond one page
        record()
    assert queries(client, LIST) == LIST_QUERIES
    assert queries(client, LIST + "?page=2") == LIST_QUERIES


def test_the_header_count_adds_no_query(personas, client_for, tell):
    person = personas.gwent_staff
    client = client_for(person)
    home = reverse("core:home")
    before = queries(client, home)
    tell(lambda event: User.objects.filter(pk=person.pk))
    for _ in range(5):
        record()
    page = client.get(home).content.decode()
    assert "5 unread" in page
    assert queries(client, home) == before
