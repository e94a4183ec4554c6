"""Load forces, policing bodies, national bodies, themes and APCC portfolios from data files."""

from django.core.management.base import BaseCommand, CommandError

from engage.directory.reference_data import DATA_DIR, ReferenceDataInvalid
from engage.directory.services import reference_data_load


class Command(BaseCommand):
    help = (
        "Load the directory's reference data (forces, policing bodies, national bodies, priority "
        "themes, APCC portfolios and the force-area map). Safe to run again: only changes are "
        "saved, and nothing is written if any file is broken."
    )

    def add_arguments(self, parser):
        parser.add_argument(
            "--data-dir",
            default=None,
            help="Folder holding the data files (default: the copies shipped in the app).",
        )

    def handle(self, *args, data_dir=None, **options):
        try:
            summary = reference_data_load(data_dir=data_dir)
        except ReferenceDataInvalid as exc:
            raise CommandError(f"Reference data not loaded (nothing was changed):\n{exc}") from exc
        if options.get("verbosity", 1) < 1:
            return
        self.stdout.write(f"Reference data loaded from {data_dir or DATA_DIR}")
        for line in summary.lines():
            self.stdout.write(f"  {line}")
        if not summary.changed:
            self.stdout.write(self.style.SUCCESS("Nothing changed."))
