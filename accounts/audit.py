from .models import AuditEvent


def client_ip(request):
    if request is None:
        return None
    return request.META.get("REMOTE_ADDR") or None


def record(action, *, request=None, actor=None, username="", success=True, target="", detail=""):
    """Append one audit event. Callers inside a transaction get it rolled back with their change."""
    if actor is None and request is not None and getattr(request, "user", None) is not None:
        if request.user.is_authenticated:
            actor = request.user
    return AuditEvent.objects.create(
        action=action,
        actor=actor,
        username=username or (actor.username if actor else ""),
        role=actor.role if actor else "",
        success=success,
        ip=client_ip(request),
        target=str(target)[:200],
        detail=detail,
    )
