from django.apps import AppConfig


class ReviewsConfig(AppConfig):
    name = "reviews"
    verbose_name = "初审与综合论证"

    def ready(self):
        # Importing registers the review stage's workflow guards and effects, its links on consortium pages and how
        # the task worker renders its frozen documents.
        from . import audit_actions, consortium_links, documents, recommendations, services  # noqa: F401
