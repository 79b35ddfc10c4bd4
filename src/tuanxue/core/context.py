"""Template context shared by every page."""

from tuanxue.core.models import Notification


def notifications(request):
    """The number of unread notifications for the badge in the top bar: one COUNT query a
    request, and only when a template uses it."""
    user = getattr(request, "user", None)
    if user is None or not user.is_authenticated:
        return {"unread_notifications": 0}

    def count() -> int:
        cached = getattr(request, "_tuanxue_unread", None)
        if cached is None:
            cached = Notification.objects.filter(user=user, read_at__isnull=True).count()
            request._tuanxue_unread = cached
        return cached

    return {"unread_notifications": count}
