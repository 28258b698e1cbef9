from django.utils.functional import SimpleLazyObject

from . import notify


def unread_messages(request):
    """The navbar's unread count: one indexed COUNT, run only if a page shows it; nothing for anonymous users."""
    user = getattr(request, "user", None)
    if user is None or not user.is_authenticated:
        return {}
    return {"unread_message_count": SimpleLazyObject(lambda: notify.unread_count(user))}
