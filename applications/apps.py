from django.apps import AppConfig


class ApplicationsConfig(AppConfig):
    name = "applications"
    verbose_name = "创新联合体与申请书"

    def ready(self):
        # Importing services registers the intake's workflow guard (readiness) and effect (freeze_version).
        from . import notifications, services, workflow  # noqa: F401

        workflow.status_changed.connect(notifications.on_status_changed, dispatch_uid="applications.notifications")
