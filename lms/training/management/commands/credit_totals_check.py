from django.core.management.base import BaseCommand, CommandError

from lms.training.selectors import credit_totals_mismatches


class Command(BaseCommand):
    help = (
        "Compare each worker's yearly credit totals (kept by the database) with the "
        "sums of the ledger; exits non-zero and lists the differences if any."
    )

    def handle(self, *args, **options):
        mismatches = credit_totals_mismatches()
        for worker_id, year, kept, ledger in mismatches:
            self.stdout.write(
                f"worker {worker_id} year {year}: totals {kept} != ledger {ledger}"
            )
        if mismatches:
            raise CommandError(f"{len(mismatches)} totals differ from the ledger.")
        self.stdout.write("Credit totals match the ledger.")
