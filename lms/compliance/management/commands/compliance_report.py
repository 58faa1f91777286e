import sys

from django.core.management.base import BaseCommand, CommandError
from django.utils import translation

from lms.org.models import OrgNode

from ...errors import ComplianceError
from ...reports import REPORT_FORMATS, report_build


class Command(BaseCommand):
    help = (
        "Compliance report of a year for a subtree (default: the whole city). JSON is "
        "a list of {name, id_number (masked), org_code, post, required_days, "
        "achieved_days, online_days (counted, after the cap), shortfall_days, status, "
        "reasons}; PDF is the appraisal form of one street or community."
    )

    def add_arguments(self, parser):
        parser.add_argument("--year", type=int, required=True)
        parser.add_argument("--org", default="", help="organisation code")
        parser.add_argument("--format", choices=REPORT_FORMATS, default="json")
        parser.add_argument("--post", default="")
        parser.add_argument("--status", default="")
        parser.add_argument("--output", default="", help="file (default: stdout)")
        parser.add_argument("--language", default="zh-hans")

    def handle(self, *args, year, org, format, post, status, output, language, **kw):
        if org:
            root = OrgNode.objects.filter(code=org).first()
            if root is None:
                raise CommandError(f"No organisation with code {org!r}.")
        else:
            root = OrgNode.get_first_root_node()
            if root is None:
                raise CommandError("The organisation tree is empty.")
        with translation.override(language):
            try:
                _name, content, count = report_build(
                    year=year, root=root, fmt=format, post=post, status=status
                )
            except ComplianceError as exc:
                raise CommandError(str(exc)) from exc
        if output:
            with open(output, "wb") as fh:
                fh.write(content)
            self.stderr.write(f"{count} workers written to {output}")
        else:
            sys.stdout.buffer.write(content)
            sys.stdout.flush()
