from django.core.management.base import BaseCommand

from lms.people.services.posts import post_import
from lms.tabular import ImportCommandMixin


class Command(ImportCommandMixin, BaseCommand):
    help = "Import post history (身份证号, 岗位, 社区代码, 开始日期, 结束日期)."

    def run_import(self, **kwargs):
        return post_import(**kwargs)
