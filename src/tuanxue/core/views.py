"""Log in and out, the user's own account page with personal API tokens, and notifications."""

from __future__ import annotations

from django import forms
from django.conf import settings
from django.contrib import messages
from django.contrib.auth import views as auth_views
from django.contrib.auth.decorators import login_required
from django.core.paginator import Paginator
from django.shortcuts import get_object_or_404, redirect, render
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from django.views.decorators.http import require_POST

from tuanxue.core.api import tokens
from tuanxue.core.errors import DomainError
from tuanxue.core.models import ApiToken, Notification
from tuanxue.core.security import cas, throttle


class ThrottledLoginForm(auth_views.AuthenticationForm):
    """The login form; the throttle itself lives in the authentication backend, this form only
    says why a throttled attempt was refused."""

    error_messages = {
        **auth_views.AuthenticationForm.error_messages,
        "locked": gettext_lazy(
            "Too many failed attempts for this account. Wait a quarter of an hour and try again."
        ),
        "slow_down": gettext_lazy(
            "Too many failed attempts from your network. Wait %(seconds)s seconds and try again."
        ),
    }

    def clean(self):
        verdict = throttle.check(
            username=self.data.get("username") or "", address=throttle.client_address(self.request)
        )
        if verdict.account_locked:
            raise forms.ValidationError(self.error_messages["locked"], code="locked")
        if verdict.wait_seconds:
            raise forms.ValidationError(
                self.error_messages["slow_down"],
                code="slow_down",
                params={"seconds": verdict.wait_seconds},
            )
        return super().clean()


class LoginView(auth_views.LoginView):
    form_class = ThrottledLoginForm
    template_name = "core/login.html"
    redirect_authenticated_user = True

    def get_context_data(self, **kwargs):
        return {
            **super().get_context_data(**kwargs),
            "cas_enabled": cas.enabled(),
            "email_reset": bool(settings.EMAIL_HOST),
        }


class TokenForm(forms.Form):
    name = forms.CharField(label=gettext_lazy("Token name"), max_length=100)


@login_required
def account(request):
    form = TokenForm(request.POST or None)
    new_key = None
    if request.method == "POST" and form.is_valid():
        try:
            _token, new_key = tokens.token_create(
                actor=request.user, user=request.user, name=form.cleaned_data["name"]
            )
        except DomainError as exc:
            form.add_error("name", exc.message)
    return render(
        request,
        "core/account.html",
        {
            "form": form,
            "new_key": new_key,
            "tokens": request.user.api_tokens.filter(revoked_at__isnull=True),
        },
    )


@login_required
@require_POST
def token_revoke(request, token_id: int):
    token = get_object_or_404(ApiToken, pk=token_id, user=request.user)
    try:
        tokens.token_revoke(actor=request.user, token=token)
        messages.success(request, _("Token %(name)s was revoked.") % {"name": token.name})
    except DomainError as exc:
        messages.error(request, exc.message)
    return redirect("core:account")


# -- notifications ---------------------------------------------------------------------------

NOTIFICATIONS_PER_PAGE = 20


@login_required
def notifications(request):
    """The user's notifications, newest first; unread ones are marked."""
    rows = Notification.objects.filter(user=request.user).order_by("-created_at", "-pk")
    page = Paginator(rows, NOTIFICATIONS_PER_PAGE).get_page(request.GET.get("page"))
    return render(request, "core/notifications.html", {"page": page})


@login_required
@require_POST
def notifications_read_all(request):
    count = Notification.objects.filter(user=request.user, read_at__isnull=True).update(
        read_at=timezone.now()
    )
    if count:
        messages.success(request, _("All notifications are marked as read."))
    return redirect("core:notifications")


def _safe_local_url(url: str) -> bool:
    """Only a path on this site: starts with one "/" and is not "//host" or "/\\host"."""
    return url.startswith("/") and not url.startswith(("//", "/\\"))


@login_required
def notification_open(request, notification_id: int):
    """Mark the notification read and go to what it is about (only its owner may open it)."""
    notification = get_object_or_404(Notification, pk=notification_id, user=request.user)
    if notification.read_at is None:
        Notification.objects.filter(pk=notification.pk, read_at__isnull=True).update(
            read_at=timezone.now()
        )
    if _safe_local_url(notification.url):
        return redirect(notification.url)
    return redirect("core:notifications")
