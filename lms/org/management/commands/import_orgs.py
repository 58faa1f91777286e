from django.core.management.base import BaseCommand

from lms.org.services import org_import
from lms.tabular import ImportCommandMixin


class Command(ImportCommandMixin, BaseCommand):
    help = "Load the organisation tree (代码, 名称, 层级, 上级代码) from CSV or XLSX."

    def run_import(self, **kwargs):
        return org_import(**kwargs)
