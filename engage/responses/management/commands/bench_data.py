"""`manage.py bench_data --scale 1`: the benchmark's national-scale data (engage/bench/data.py).

In the responses app because it is the top of the layers: the only app whose commands may
import every other (the generator touches them all)."""

import time

from django.conf import settings
from django.core.management.base import BaseCommand, CommandError

from engage.bench import data


class Command(BaseCommand):
    help = "Add national-scale benchmark data (development only) on top of the demo personas."

    def add_arguments(self, parser):
        parser.add_argument("--scale", type=float, default=1.0, help="1: the figures of issue 7")
        parser.add_argument("--seed", type=int, default=7)

    def handle(self, *args, scale: float, seed: int, **options):
        if settings.DJANGO_ENV == "production":
            raise CommandError("bench_data runs only with DJANGO_ENV=development.")
        if data.already_generated():
            self.stdout.write("Bench data is already there; nothing added.")
            return
        started = time.monotonic()
        counts = data.generate(scale=scale, seed=seed, log=self.stdout.write)
        elapsed = time.monotonic() - started
        self.stdout.write(
            self.style.SUCCESS(f"Bench data at scale {scale} made in {elapsed:.1f} s: {counts}")
        )
