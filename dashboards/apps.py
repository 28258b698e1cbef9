from django.apps import AppConfig


class DashboardsConfig(AppConfig):
    name = "dashboards"
    verbose_name = "工作台"

    def ready(self):
        # Imported here: models are loaded only once the app registry is ready.
        from applications import workflow

        from . import public

        workflow.status_changed.connect(public.forget, dispatch_uid="dashboards.public.forget")
