"""Login and password-reset forms; mail goes through the outbox."""

from django import forms
from django.contrib.auth.forms import PasswordResetForm
from django.utils.translation import gettext_lazy as _

from kotoverkko.mailing.services import message_queue


class LoginForm(forms.Form):
    email = forms.EmailField(
        label=_("E-mail address"),
        widget=forms.EmailInput(attrs={"autocomplete": "email", "autofocus": True}),
    )
    password = forms.CharField(
        label=_("Password"),
        strip=False,
        widget=forms.PasswordInput(attrs={"autocomplete": "current-password"}),
    )


class OutboxPasswordResetForm(PasswordResetForm):
    email = forms.EmailField(
        label=_("E-mail address"),
        max_length=254,
        widget=forms.EmailInput(attrs={"autocomplete": "email"}),
    )

    def send_mail(
        self,
        subject_template_name,
        email_template_name,
        context,
        from_email,
        to_email,
        html_email_template_name=None,
    ):
        user = context["user"]
        person = getattr(user, "person", None)
        language = person.language if person else None
        message_queue(
            to=to_email,
            template="accounts/email/password_reset",
            context={
                "uid": context["uid"],
                "token": context["token"],
                "name": person.full_name if person else "",
            },
            language=language,
            key=f"password-reset:{user.pk}:{context['token']}",
        )
