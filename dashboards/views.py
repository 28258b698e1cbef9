"""One dashboard per role, each listing what waits for that person.

This app sits on top of all others: it may read every app's selectors, none reads it.
"""

from django.shortcuts import redirect, render

from accounts.models import AuditEvent
from accounts.permissions import role_required
from accounts.roles import Role
from accounts.selectors import audit_alerts
from applications import selectors, services
from applications.choices import Status
from applications.models import Registration
from evaluations import selectors as evaluation_selectors
from reviews import selectors as review_selectors

DASHBOARD_FOR_ROLE = {
    Role.APPLICANT: "dashboards:applicant",
    Role.DISTRICT_REVIEWER: "dashboards:district",
    Role.MUNICIPAL_STAFF: "dashboards:municipal",
    Role.EXPERT: "dashboards:expert",
    Role.SYSTEM_ADMIN: "dashboards:system_admin",
    Role.AUDIT_ADMIN: "dashboards:audit",
}


def home(request):
    if request.user.is_authenticated:
        return redirect(DASHBOARD_FOR_ROLE[request.user.role])
    return render(request, "dashboards/landing.html")


@role_required(Role.APPLICANT)
def applicant(request):
    may_start, reason = services.may_start_application(request.user)
    return render(request, "dashboards/applicant.html", {
        "unit": request.user.unit,
        "registration": Registration.objects.visible_to(request.user).first(),
        "consortia": selectors.consortia_list(request.user),
        "may_start": may_start,
        "start_reason": reason,
        **evaluation_selectors.lead_summary(request.user),
    })


@role_required(Role.DISTRICT_REVIEWER)
def district(request):
    return render(request, "dashboards/district.html", {
        "bureau": request.user.bureau,
        "registrations": selectors.pending_registrations(request.user),
        "awaiting_review": selectors.consortia_list(request.user, [Status.SUBMITTED]),
        "counts": selectors.status_counts(request.user),
    })


@role_required(Role.MUNICIPAL_STAFF)
def municipal(request):
    return render(request, "dashboards/municipal.html", {
        "awaiting_appraisal": selectors.consortia_list(request.user, [Status.DISTRICT_PASSED]),
        "under_appraisal": selectors.consortia_list(request.user, [Status.UNDER_APPRAISAL]),
        "counts": selectors.status_counts(request.user),
        **evaluation_selectors.municipal_summary(request.user),
    })


@role_required(Role.EXPERT)
def expert(request):
    return render(request, "dashboards/expert.html", {
        "assignments": review_selectors.expert_assignments(request.user),
        "evaluation_assignments": evaluation_selectors.expert_tasks(request.user),
    })


@role_required(Role.SYSTEM_ADMIN)
def system_admin(request):
    return render(request, "dashboards/system_admin.html")


@role_required(Role.AUDIT_ADMIN)
def audit(request):
    recent_failures = AuditEvent.objects.filter(success=False)[:10]
    return render(request, "dashboards/audit.html", {"recent_failures": recent_failures, "alerts": audit_alerts()})
