from django.core.management.base import BaseCommand

from lms.tabular import ImportCommandMixin
from lms.training.services import training_import


class Command(ImportCommandMixin, BaseCommand):
    help = (
        "Credit training run outside the platform (身份证号, 培训名称, 培训类型, 培训形式, "
        "主办单位代码, 开始日期, 结束日期, 天数 or 学时); all rows or none, "
        "re-importing adds nothing."
    )

    def run_import(self, **kwargs):
        return training_import(**kwargs)
