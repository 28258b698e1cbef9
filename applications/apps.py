from django.apps import AppConfig


class ApplicationsConfig(AppConfig):
    name = "applications"
    verbose_name = "创新联合体与申请书"

    def ready(self):
        from . import notifications, workflow

        workflow.status_changed.connect(notifications.on_status_changed, dispatch_uid="applications.notifications")
