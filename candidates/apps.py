from django.apps import AppConfig


class CandidatesConfig(AppConfig):
    name = "candidates"
    verbose_name = "培育库"

    def ready(self):
        # Importing registers the audit log's words, the workflow effects that keep a candidate in step with its
        # application (submit, 备案), and the receiver that links a candidate to its unit when its registration is approved.
        from . import audit_actions, services, signals  # noqa: F401
