"""Changing one's own password (forced after an initial or reset password), and the reset by
e-mail when the site can send mail (EMAIL_HOST set): Django's reset views, with the e-mail on the
staff record. Without e-mail, the League committee resets passwords on the accounts page."""

from __future__ import annotations

from django.conf import settings
from django.contrib import messages
from django.contrib.auth import forms as auth_forms
from django.contrib.auth import get_user_model, update_session_auth_hash
from django.contrib.auth import views as auth_views
from django.contrib.auth.decorators import login_required
from django.http import Http404
from django.shortcuts import redirect, render
from django.template import loader
from django.urls import reverse_lazy
from django.utils.translation import gettext as _

from tuanxue.core.notify import mail_after_commit
from tuanxue.org.models import StaffPerson
from tuanxue.org.people import accounts
from tuanxue.org.people.middleware import forget


@login_required
def password_change(request):
    forced = accounts.must_change_password(request.user)
    form = auth_forms.PasswordChangeForm(request.user, request.POST or None)
    if request.method == "POST" and form.is_valid():
        accounts.password_change(
            actor=request.user, user=request.user, password=form.cleaned_data["new_password1"]
        )
        update_session_auth_hash(request, request.user)
        forget(request)
        messages.success(request, _("Your password was changed."))
        return redirect("home")
    return render(request, "org/people/password_change.html", {"form": form, "forced": forced})


def email_reset_enabled() -> bool:
    return bool(settings.EMAIL_HOST)


class StaffEmailResetForm(auth_forms.PasswordResetForm):
    """Finds the account by the e-mail on its staff record (or on the account itself)."""

    def get_users(self, email):
        email = email.strip().lower()
        User = get_user_model()
        ids = set(
            StaffPerson.objects.filter(email__iexact=email, user__isnull=False).values_list(
                "user_id", flat=True
            )
        )
        ids |= set(User.objects.filter(email__iexact=email).values_list("pk", flat=True))
        for user in User.objects.filter(pk__in=ids, is_active=True):
            if user.has_usable_password():
                yield user

    def send_mail(
        self,
        subject_template_name,
        email_template_name,
        context,
        from_email,
        to_email,
        html_email_template_name=None,
    ):
        # An account without an e-mail of its own was found by its staff record's address,
        # which is the one typed in (the account itself is left as it is: the link's token
        # depends on it).
        subject = "".join(loader.render_to_string(subject_template_name, context).splitlines())
        html = (
            loader.render_to_string(html_email_template_name, context)
            if html_email_template_name
            else ""
        )
        # rendered here, sent by the worker: the request never waits for the mail server
        mail_after_commit(
            subject=subject,
            body=loader.render_to_string(email_template_name, context),
            recipients=[to_email or self.cleaned_data["email"].strip().lower()],
            html=html,
        )


class EmailResetMixin:
    def dispatch(self, request, *args, **kwargs):
        if not email_reset_enabled():
            raise Http404
        return super().dispatch(request, *args, **kwargs)


class PasswordResetView(EmailResetMixin, auth_views.PasswordResetView):
    form_class = StaffEmailResetForm
    template_name = "org/people/password_reset.html"
    email_template_name = "org/people/password_reset_email.txt"
    subject_template_name = "org/people/password_reset_subject.txt"
    success_url = reverse_lazy("password_reset_done")


class PasswordResetDoneView(EmailResetMixin, auth_views.PasswordResetDoneView):
    template_name = "org/people/password_reset_done.html"


class PasswordResetConfirmView(EmailResetMixin, auth_views.PasswordResetConfirmView):
    template_name = "org/people/password_reset_confirm.html"
    success_url = reverse_lazy("login")

    def form_valid(self, form):
        accounts.password_change(
            actor=form.user,
            user=form.user,
            password=form.cleaned_data["new_password1"],
            how="email_reset",
        )
        del self.request.session[auth_views.INTERNAL_RESET_SESSION_TOKEN]
        messages.success(self.request, _("Your password was changed. Log in with it now."))
        return redirect(self.success_url)
