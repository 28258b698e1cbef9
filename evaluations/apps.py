from datetime import timedelta

from django.apps import AppConfig


class EvaluationsConfig(AppConfig):
    name = "evaluations"
    verbose_name = "年度评价与运行管理"

    def ready(self):
        # Imported here: models and the app registry are ready only now. Importing registers the after-filing
        # workflow guards and effects (services) and what this stage adds to the consortium page, the lists of
        # consortia and the verify page (consortium_links).
        from operations import schedule

        from . import consortium_links, services  # noqa: F401

        # §六（三）: reports are due 12-31; the leads are reminded 30 and 7 days before and the day after, once each.
        schedule.register("evaluations.report_reminders", services.send_due_reminders, every=schedule.DAY,
                          at=timedelta(hours=8), title="年度报告提醒（截止前 30 天、7 天及逾期次日）")
