"""Types for requests as our middleware leaves them."""

from typing import TYPE_CHECKING

from django.http import HttpRequest

if TYPE_CHECKING:
    from engage.accounts.models import Membership, User


class AuthedRequest(HttpRequest):
    """A request from a signed-in person, after ActiveOrganisationMiddleware."""

    user: "User"  # type: ignore[assignment]
    memberships: "list[Membership]"
    membership: "Membership | None"
