"""SMS providers. Delivery talks to ``SmsBackend``; the deployment names its provider's class in
the ``SMS_BACKEND`` setting (a dotted path), like Django's ``EMAIL_BACKEND``. The console backend
(the default) writes each message to standard output and the log; the in-memory one keeps them
for tests."""

import logging
import sys
from typing import ClassVar

from django.conf import settings
from django.utils.module_loading import import_string

logger = logging.getLogger(__name__)


class SmsError(Exception):
    """The provider refused or could not take the message."""


class SmsBackend:
    """Sends one text to one phone number; raises on failure (delivery records the error and
    retries later)."""

    def send(self, phone: str, text: str) -> None:
        raise NotImplementedError


class ConsoleSmsBackend(SmsBackend):
    """Writes each SMS to standard output and the log: for a laptop and for demos."""

    def send(self, phone: str, text: str) -> None:
        sys.stdout.write(f"SMS to {phone}: {text}\n")
        sys.stdout.flush()
        logger.info("SMS to %s: %s", phone, text)


class LocmemSmsBackend(SmsBackend):
    """Keeps sent messages in ``LocmemSmsBackend.outbox`` (tests)."""

    outbox: ClassVar[list[tuple[str, str]]] = []

    def send(self, phone: str, text: str) -> None:
        self.outbox.append((phone, text))


def get_sms_backend() -> SmsBackend:
    """An instance of the backend named by ``settings.SMS_BACKEND``."""
    path = getattr(settings, "SMS_BACKEND", "motcua.notifications.sms.ConsoleSmsBackend")
    backend = import_string(path)()
    if not isinstance(backend, SmsBackend):
        raise TypeError(f"{path} is not an SmsBackend")
    return backend
