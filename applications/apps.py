from django.apps import AppConfig


class ApplicationsConfig(AppConfig):
    name = "applications"
    verbose_name = "创新联合体与申请书"

    def ready(self):
        # Importing services registers the intake's workflow guard (readiness) and effect (freeze_version).
        from accounts.links import add_login_link

        from . import notifications, services, workflow  # noqa: F401

        add_login_link("牵头企业注册", "applications:register")
        workflow.status_changed.connect(notifications.on_status_changed, dispatch_uid="applications.notifications")
