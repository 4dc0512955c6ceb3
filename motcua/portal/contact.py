"""Sending a one-time code to the contact it proves: by e-mail through Django's mail backend
(``EMAIL_BACKEND``), or by SMS through the notifications' provider adapter (``SMS_BACKEND``)
for accounts registered with a phone only."""

from django.core.mail import send_mail
from django.utils.translation import gettext as _

from motcua.accounts.models import ContactChannel, User
from motcua.accounts.registration import contact_of
from motcua.notifications.sms import get_sms_backend


def send_code(user: User, code: str, *, minutes: int) -> None:
    """Send ``code`` to ``user``'s contact (called once the code's transaction committed)."""
    channel, target = contact_of(user)
    text = _(
        "MotCua: your verification code is %(code)s. It is valid for %(minutes)s minutes. "
        "Do not give it to anyone."
    ) % {"code": code, "minutes": minutes}
    if channel == ContactChannel.EMAIL:
        send_mail(
            _("Your MộtCửa verification code"),
            text,
            None,
            [target],
        )
    else:
        get_sms_backend().send(target, text)
