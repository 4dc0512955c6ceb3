"""The words of feedback notices, and the notice to the sender when the answer is approved,
through the outbox (``motcua.notifications``): delivered after commit, once per key."""

import datetime as dt

from django.conf import settings
from django.utils import translation
from django.utils.translation import gettext as _

from motcua.feedback.models import Feedback
from motcua.notifications.models import Channel, Kind
from motcua.notifications.services import Address, queue
from motcua.notifications.texts import Text, when


def sender_address(feedback: Feedback) -> Address | None:
    """The sender's e-mail when given, else an SMS to the phone; ``None`` without either."""
    if feedback.sender_email:
        return Address(Channel.EMAIL, feedback.sender_email)
    if feedback.sender_phone:
        return Address(Channel.SMS, feedback.sender_phone)
    return None


def tell_sender_answered(feedback: Feedback, *, now: dt.datetime) -> bool:
    """Queue "your feedback is answered" to the sender's e-mail or phone, when there is one."""
    to = sender_address(feedback)
    if to is None:
        return False
    with translation.override(settings.LANGUAGE_CODE):
        values = {"code": feedback.code, "title": feedback.title}
        subject = _("Feedback %(code)s has been answered") % values
        body = (
            _(
                "Your feedback %(code)s (“%(title)s”) has been answered. Read the answer on the "
                "portal with its code and PIN."
            )
            % values
        )
    _notification, created = queue(
        kind=Kind.RESULT_READY,
        dedupe_key=f"feedback-answered:{feedback.code}",
        to=to,
        subject=subject,
        body=body,
        recipient=feedback.owner,
        dossier_code=feedback.code,
        now=now,
    )
    return created


def due_soon(feedback: Feedback, due_at: dt.datetime) -> Text:
    with translation.override(settings.LANGUAGE_CODE):
        values = {"code": feedback.code, "title": feedback.title, "due": when(due_at)}
        return Text(
            _("Feedback %(code)s is due soon") % values,
            _("The answer to feedback %(code)s (“%(title)s”) is due at %(due)s.") % values,
        )


def overdue(feedback: Feedback, due_at: dt.datetime) -> Text:
    with translation.override(settings.LANGUAGE_CODE):
        values = {"code": feedback.code, "title": feedback.title, "due": when(due_at)}
        return Text(
            _("Feedback %(code)s is overdue") % values,
            _(
                "The answer to feedback %(code)s (“%(title)s”) was due at %(due)s and has not "
                "been approved yet."
            )
            % values,
        )
