"""Put an application in any state of the lifecycle, the way the people concerned would."""

from accounts.roles import Role
from applications import services, workflow
from applications.choices import Status
from reviews import services as review_services
from tests import factories
from tests.applications.intake_helpers import complete_application

# The shortest path from a submitted application to each state.
PATHS = {
    Status.DRAFT: [],
    Status.SUBMITTED: ["submit"],
    Status.RETURNED: ["submit", "district_return"],
    Status.REJECTED: ["submit", "district_reject"],
    Status.DISTRICT_PASSED: ["submit", "district_pass"],
    Status.UNDER_APPRAISAL: ["submit", "district_pass", "start_appraisal"],
    Status.RETURNED_BY_CITY: ["submit", "district_pass", "start_appraisal", "city_return"],
    Status.FILED: ["submit", "district_pass", "start_appraisal", "file"],
    Status.NOT_FILED: ["submit", "district_pass", "start_appraisal", "not_file"],
    Status.REVOKED: ["submit", "district_pass", "start_appraisal", "file", "revoke"],
    Status.DISSOLVED: ["submit", "district_pass", "start_appraisal", "file", "dissolve"],
}


class Cast:
    """The people around one application."""

    def __init__(self, applicant, application):
        self.applicant = applicant
        self.application = application
        self.consortium = application.consortium
        self.district = factories.user(Role.DISTRICT_REVIEWER, bureau=applicant.unit.bureau)
        self.city = factories.user(Role.MUNICIPAL_STAFF)
        self.expert = factories.user(Role.EXPERT, employer="东南大学")

    def actor(self, action):
        if action in ("submit", "resubmit"):
            return self.applicant
        if action.startswith("district_"):
            return self.district
        return self.city

    def take(self, action, opinion="意见"):
        if action in ("submit", "resubmit"):
            return services.submit_application(self.application.pk, self.applicant)
        if action == "start_appraisal":
            return review_services.create_round("第一批", [self.consortium.pk], [self.expert], self.city)
        if action in review_services.CITY_DECISIONS:
            return review_services.decide(self.consortium.pk, self.city, action, opinion,
                                          name=review_services.suggested_name(self.consortium))
        return workflow.transition(self.consortium.pk, action, self.actor(action), opinion=opinion)


def cast_at(status, **kwargs):
    applicant, application = complete_application(**kwargs)
    cast = Cast(applicant, application)
    for action in PATHS[status]:
        cast.take(action)
    cast.consortium.refresh_from_db()
    return cast
