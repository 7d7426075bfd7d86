"""What every page's header needs to know about the person signed in."""

from django.utils.functional import SimpleLazyObject

from .services.notifications import notifications_unread_count


def notifications(request):
    """`unread_notifications`: counted once, and only on pages that show it."""
    user = getattr(request, "user", None)
    if user is None or not user.is_authenticated:
        return {}
    return {"unread_notifications": SimpleLazyObject(lambda: notifications_unread_count(user=user))}
