from django.apps import AppConfig


class EvaluationsConfig(AppConfig):
    name = "evaluations"
    verbose_name = "年度评价与运行管理"

    def ready(self):
        # Importing services registers the after-filing workflow guards and effects (revocation, dissolution).
        from . import services  # noqa: F401
