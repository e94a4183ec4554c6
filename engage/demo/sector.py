"""Demo content for the voluntary-sector hub (issue 10), all marked as sample content: police and
crime plans for Gwent, Kent and West Yorkshire, with what West Yorkshire publishes for the
sector (contacts, commissioning, routes in, key dates); the West Yorkshire Compact; Leeds
Women's Centre's profile, two entries in its engagement log, one impact evidence record and an
impact case for West Yorkshire.

Each app's demo function makes only what is missing, so `seed_demo` can run again."""

from django.db import transaction

from engage.accounts.models import User
from engage.compacts.demo import seed_compacts_demo
from engage.directory.demo_plans import seed_plans_demo
from engage.impact.demo import seed_impact_demo
from engage.sector.demo import seed_sector_demo


@transaction.atomic
def seed_sector_content(users: dict[str, User]) -> None:
    admin = users.get("admin")
    member = users["vcs_member"]
    seed_plans_demo(by=admin)
    seed_compacts_demo(by=admin)
    seed_sector_demo(by=member)
    seed_impact_demo(by=member)
