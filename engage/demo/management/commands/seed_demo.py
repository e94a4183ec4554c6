from django.conf import settings
from django.core.management.base import BaseCommand, CommandError

from engage.accounts.demo import (
    ADMIN,
    DEMO_ONLY,
    PERSONAS,
    ReferenceDataMissing,
    seed_personas,
)
from engage.demo.duties import seed_duties_content
from engage.demo.loop import seed_loop_content
from engage.demo.national import seed_national_content
from engage.demo.sector import seed_sector_content


class Command(BaseCommand):
    help = "Create the demo personas (development only). Safe to run again."

    def add_arguments(self, parser):
        parser.add_argument(
            "--allow-production",
            action="store_true",
            help="Run even when DJANGO_ENV is production (never on a live service).",
        )

    def handle(self, *args, allow_production: bool = False, **options):
        if settings.DJANGO_ENV == "production" and not allow_production:
            raise CommandError(
                "seed_demo creates accounts with a shared password: it runs only with "
                "DJANGO_ENV=development (or --allow-production)."
            )
        try:
            users = seed_personas(
                password=settings.DEMO_PASSWORD,
                totp_secret=settings.DEMO_TOTP_SECRET,
                extra=DEMO_ONLY,
            )
        except ReferenceDataMissing as exc:
            raise CommandError(str(exc)) from exc
        if seed_national_content(users):
            self.stdout.write("Demo policies, engagements and documents created.")
        if seed_loop_content(users):
            self.stdout.write(
                "Demo collective view, outcome, requests and acknowledgement created."
            )
        if seed_duties_content(users):
            self.stdout.write("Demo dissemination request and implementation agreement created.")
        seed_sector_content(users)
        self.stdout.write("Demo plans, Compact and voluntary-sector records are ready.")
        self.stdout.write(self.style.SUCCESS("Demo personas are ready:"))
        for persona in [*PERSONAS, *DEMO_ONLY, ADMIN]:
            self.stdout.write(f"  {persona.email:36} {persona.description}")
