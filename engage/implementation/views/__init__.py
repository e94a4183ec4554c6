"""Implementation agreement pages. Thin: reads through `selectors` (each starting from
`visible_to`), writes through `services`, whose refusals come back to the page as messages or
on the form fields they name; a refused action changes nothing.

Every page that shows an agreement's terms carries its handling label and is logged with it.
"""

from .agreement import (
    accept,
    accept_changes,
    changes,
    comment,
    decline,
    detail,
    milestone_add,
    milestone_update,
    revise,
    withdraw,
)
from .lists import ours, proposed
from .policy import propose, status, status_csv

__all__ = [
    "accept",
    "accept_changes",
    "changes",
    "comment",
    "decline",
    "detail",
    "milestone_add",
    "milestone_update",
    "ours",
    "propose",
    "proposed",
    "revise",
    "status",
    "status_csv",
    "withdraw",
]
