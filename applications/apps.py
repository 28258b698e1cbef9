from django.apps import AppConfig


class ApplicationsConfig(AppConfig):
    name = "applications"
    verbose_name = "创新联合体与申请书"

    def ready(self):
        # Imported here: models and the app registry are ready only now. Importing registers the audit log's words
        # for this app's events, the ban guard (bans), the intake's check (readiness) and effect (freeze_version).
        from accounts.links import add_login_link
        from operations import schedule, workers

        from . import audit_actions, bans, notifications, services, workflow  # noqa: F401
        from .dossier import jobs as dossier_jobs
        from .dossier import render as dossier_render

        add_login_link("牵头企业注册", "applications:register")
        workflow.status_changed.connect(notifications.on_status_changed, dispatch_uid="applications.notifications")
        workers.worker_starting.connect(dossier_render.warm_up, dispatch_uid="applications.dossier.warm_up")
        schedule.register(
            "applications.expire_stale_renders", dossier_jobs.expire_stale_renders, every=10 * schedule.MINUTE,
            title="将超时未完成的申请书打印任务标记为失败",
        )
