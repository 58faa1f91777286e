from django.core.management.base import BaseCommand, CommandError

from certificates import claims, services


class Command(BaseCommand):
    help = (
        "Issue certificates (idempotent: what is issued stays issued). Prints one line "
        "per certificate: serial, masked holder, file."
    )

    def add_arguments(self, parser):
        parser.add_argument(
            "--kind",
            choices=["annual", "completion", "course", "service"],
            required=True,
        )
        parser.add_argument("--year", type=int, help="for --kind annual")
        parser.add_argument("--org", default="", help="organisation code (subtree)")
        parser.add_argument("--class", dest="class_id", type=int, help="class number")
        parser.add_argument(
            "--course", dest="course_id", type=int, help="online course (page id)"
        )

    def handle(self, *args, kind, year, org, class_id, course_id, **options):
        if kind == "annual" and not (year and org):
            raise CommandError("--kind annual needs --year and --org")
        if kind == "service" and not org:
            raise CommandError("--kind service needs --org")
        if kind == "completion" and not class_id:
            raise CommandError("--kind completion needs --class")
        if kind == "course" and not course_id:
            raise CommandError("--kind course needs --course")
        try:
            found = claims.bulk_claims(
                kind=kind,
                org_code=org,
                year=year,
                class_id=class_id,
                course_id=course_id,
            )
        except services.CertificateError as exc:
            raise CommandError("; ".join(exc.reasons)) from exc
        result = services.certificates_issue(claims=found)
        for cert in sorted(result.existing + result.issued, key=lambda c: c.serial):
            self.stdout.write(f"{cert.serial}\t{cert.masked_holder}\t{cert.file.name}")
        self.stderr.write(
            f"issued {len(result.issued)}, already issued {len(result.existing)}, "
            f"not eligible {len(result.refused)}"
        )
