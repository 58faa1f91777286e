from django.core.management.base import BaseCommand

from lms.people.services.workers import worker_import
from lms.tabular import ImportCommandMixin


class Command(ImportCommandMixin, BaseCommand):
    help = "Import community workers (姓名, 身份证号, …) from CSV or XLSX."

    def run_import(self, **kwargs):
        return worker_import(**kwargs)
