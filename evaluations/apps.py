from datetime import timedelta

from django.apps import AppConfig


class EvaluationsConfig(AppConfig):
    name = "evaluations"
    verbose_name = "年度评价与运行管理"

    def ready(self):
        # Imported here: models and the app registry are ready only now. Importing each sub-domain's services registers
        # its workflow guards and effects; documents registers how its frozen documents are rendered by the task worker;
        # consortium_links adds this stage to the consortium page, the lists of
        # consortia and the verify page.
        from operations import schedule

        from . import audit_actions, consortium_links, documents, notices  # noqa: F401
        from .dissolution import services as dissolution_services  # noqa: F401
        from .grading import services as grading_services  # noqa: F401
        from .liaison import services as liaison_services  # noqa: F401
        from .membership import services as membership_services  # noqa: F401
        from .reports import services as report_services
        from .sanctions import services as sanction_services  # noqa: F401
        from .support import services as support_services  # noqa: F401

        notices.register_all()
        # §六（三）: reports are due 12-31; the leads are reminded 30 and 7 days before and the day after, once each.
        schedule.register("evaluations.report_reminders", report_services.send_due_reminders, every=schedule.DAY,
                          at=timedelta(hours=8), title="年度报告提醒（截止前 30 天、7 天及逾期次日）")
