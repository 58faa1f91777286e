import random
import time
from importlib import import_module

from django.core.management.base import BaseCommand
from django.db import transaction

from lms.org.models import OrgNode

# Each app's demo module seeds its part, in this order, from the shared context.
DEMO_STEPS = [
    "lms.org.demo.seed",
    "lms.people.demo.seed",
    "trainers.demo.seed",
    "courses.demo.seed",
    "bases.demo.seed",
    "lms.training.demo.seed",
    "lms.compliance.demo.seed",
    "trainers.demo.seed_feedback",
    "bases.demo.seed_partners",
    "mentoring.demo.seed",
    "certificates.demo.seed",
]


class Command(BaseCommand):
    help = "Build a deterministic demo city (once; --force when data exists)."

    def add_arguments(self, parser):
        parser.add_argument("--workers", type=int, default=600)
        parser.add_argument("--seed", type=int, default=2026)
        parser.add_argument(
            "--force",
            action="store_true",
            help="seed even though the database holds an organisation",
        )

    def handle(self, *args, workers, seed, force, **options):
        if OrgNode.objects.exists() and not force:
            self.stdout.write("Demo data already loaded; nothing to do.")
            return
        context = {
            "rng": random.Random(seed),
            "workers": workers,
            "stdout": self.stdout,
        }
        started = time.perf_counter()
        for step in DEMO_STEPS:
            module, name = step.rsplit(".", 1)
            t0 = time.perf_counter()
            with transaction.atomic():
                getattr(import_module(module), name)(context)
            self.stdout.write(f"{module}: {time.perf_counter() - t0:.1f}s")
        self.stdout.write(
            self.style.SUCCESS(
                f"Demo city with {workers} workers in {time.perf_counter() - started:.1f}s"
            )
        )
