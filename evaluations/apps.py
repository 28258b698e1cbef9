from django.apps import AppConfig


class EvaluationsConfig(AppConfig):
    name = "evaluations"
    verbose_name = "年度评价与运行管理"

    def ready(self):
        # Importing registers the after-filing workflow guards and effects (services) and what this stage adds to the
        # consortium page, the lists of consortia and the verify page (consortium_links).
        from . import consortium_links, services  # noqa: F401
