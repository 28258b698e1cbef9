from django.apps import AppConfig


class OperationsConfig(AppConfig):
    """Running the portal: background tasks, scheduled jobs, health, logs, protected files, backups.

    The bottom layer: it imports no other app of the project; the apps above register their tasks
    and scheduled jobs with it.
    """

    name = "operations"
    verbose_name = "运行维护"

    def ready(self):
        from django.urls import register_converter  # imported here with the converter it registers, before any URLconf loads

        from . import checks, jobs  # noqa: F401  (register this app's system checks and its own scheduled jobs)
        from .converters import IdConverter

        register_converter(IdConverter, "id")
