from django.apps import AppConfig


class ReviewsConfig(AppConfig):
    name = "reviews"
    verbose_name = "初审与综合论证"

    def ready(self):
        # Importing registers the review stage's workflow guards and effects and its links on consortium pages.
        from . import audit_actions, consortium_links, recommendations, services  # noqa: F401
