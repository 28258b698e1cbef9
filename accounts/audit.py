"""The audit log: one function to write an event, one to prune expired events.

    audit.record(audit_actions.PART_SAVED, request=request, target=obj, detail="…")  # each app's audit_actions

``record`` takes the actor from ``request.user`` when none is given and the client address from the
request (behind trusted proxies, the address the outermost of them received it from). Called inside a transaction, the
event is rolled back with the change it describes. Events are never changed afterwards
(models.AuditEvent); ``prune`` deletes only what is older than the legal minimum of 180 days.
"""

import functools
import ipaddress
from contextvars import ContextVar
from datetime import timedelta

from django.conf import settings
from django.db import models, transaction

from accounts import audit_actions as accounts_actions
from operations import clock
from operations.context import bound

from .models import AuditEvent

# 《网络安全法》第二十一条: network logs are kept for no less than six months.
MINIMUM_RETENTION_DAYS = 180

# The request being served, for events raised where the caller has no request to pass (the Django
# admin's LogEntry signal): only its client address is taken, never its user.
_current_request = ContextVar("audit_current_request", default=None)


def serving(request):
    """Make ``request`` the one whose address events carry while it is being answered (``with serving(request):``)."""
    return bound(_current_request, request)


def client_ip(request):
    """The client's address: the right-most X-Forwarded-For entry that is not one of the trusted proxies.

    Only a peer in settings.TRUSTED_PROXIES (addresses or networks: the nginx in front of gunicorn, the
    load balancer in front of nginx) is believed about where a request came from. Walking the header from
    the right, each trusted hop hands over to the address it received the request from; the first address
    that is not a trusted proxy is the client. Entries further left were written by the client and can
    say anything. A malformed entry ends the walk at the last trusted hop.
    """
    if request is None:
        return None
    address = _valid_ip(request.META.get("REMOTE_ADDR", ""))
    proxies = trusted_proxies(tuple(settings.TRUSTED_PROXIES))
    if address is None or not _is_trusted(address, proxies):
        return address
    for hop in reversed(request.META.get("HTTP_X_FORWARDED_FOR", "").split(",")):
        forwarded = _valid_ip(hop)
        if forwarded is None:
            return address
        address = forwarded
        if not _is_trusted(address, proxies):
            return address
    return address  # every hop a trusted proxy: the request started at the left-most of them


@functools.lru_cache(maxsize=8)
def trusted_proxies(entries):
    """settings.TRUSTED_PROXIES as networks (a bare address is a network of one)."""
    return tuple(ipaddress.ip_network(entry, strict=False) for entry in entries)


def _is_trusted(address, proxies):
    ip = ipaddress.ip_address(address)
    return any(ip in network for network in proxies if network.version == ip.version)


def _valid_ip(value):
    try:
        ip = ipaddress.ip_address(value.strip())
    except ValueError:
        return None
    if ip.version == 6 and ip.ipv4_mapped:  # ::ffff:10.0.0.5 from a dual-stack socket is 10.0.0.5
        ip = ip.ipv4_mapped
    return str(ip)


def describe(target):
    """How an event names its object: a model instance by its kind, name and number; text as given."""
    if isinstance(target, models.Model):
        return f"{target._meta.verbose_name} {target}（#{target.pk}）"
    return str(target)


def record(action, *, request=None, actor=None, username="", success=True, target="", detail=""):
    """Append one audit event and return it."""
    if actor is None and request is not None and getattr(request, "user", None) is not None:
        if request.user.is_authenticated:
            actor = request.user
    if action == accounts_actions.ACCESS_DENIED and request is not None:
        request.audit_access_denied_recorded = True  # the refusal middleware then records nothing more
    return AuditEvent.objects.create(
        action=action,
        actor=actor,
        username=_text(username or (actor.username if actor else ""))[:150],
        role=actor.role if actor else "",
        success=success,
        ip=client_ip(request if request is not None else _current_request.get()),
        target=_text(describe(target))[:200],
        detail=_text(detail),
    )


def _text(value):
    # PostgreSQL refuses NUL in text; whatever a client typed must still be recorded, not crash.
    return str(value).replace("\x00", "\\x00")


def prune(days, *, now=None):
    """Delete the events older than ``days`` days (at least 180) and record that it was done.

    Returns the number of events deleted. Raises ValueError for fewer than 180 days.
    """
    if days < MINIMUM_RETENTION_DAYS:
        raise ValueError(
            f"审计日志至少保留 {MINIMUM_RETENTION_DAYS} 天（《网络安全法》第二十一条），"
            f"不能只保留 {days} 天。"
        )
    cutoff = (now or clock.now()) - timedelta(days=days)
    with transaction.atomic():
        expired = AuditEvent.objects.filter(created_at__lt=cutoff)
        # The one sanctioned delete: AuditEventQuerySet refuses .delete(), and on PostgreSQL the
        # table's trigger lets it through only for rows older than 180 days.
        deleted, _ = models.QuerySet.delete(expired)
        record(
            accounts_actions.AUDIT_PRUNED,
            target=f"{clock.localtime(cutoff):%Y-%m-%d %H:%M} 之前的审计日志",
            detail=f"保留 {days} 天，删除 {deleted} 条。",
        )
    return deleted
