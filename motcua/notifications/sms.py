"""SMS providers. Delivery talks to ``SmsBackend``; the deployment names its provider's class in
the ``SMS_BACKEND`` setting (a dotted path), like Django's ``EMAIL_BACKEND``. The console backend
(the default) writes each message to standard output and the log; the in-memory one keeps them
for tests; ``HttpSmsBackend`` speaks the JSON-over-HTTPS protocol of docs/notifications.md to a
provider's gateway (or to an adapter in front of one)."""

import json
import logging
import sys
import urllib.error
import urllib.request
from typing import Any, ClassVar

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


class HttpSmsBackend(SmsBackend):
    """One JSON POST per message to ``SMS_HTTP_URL`` with ``Authorization: Bearer
    <SMS_HTTP_TOKEN>``: ``{"to": "+84912345678", "text": …, "sender": SMS_HTTP_SENDER}``. A 2xx
    answer with a JSON object carrying ``id`` is accepted; anything else (a 4xx or 5xx status, a
    timeout after ``SMS_HTTP_TIMEOUT`` seconds, an unreachable host, an answer that is not the
    protocol's) raises ``SmsError`` naming what happened, and the outbox retries later."""

    def __init__(self) -> None:
        self.url = str(getattr(settings, "SMS_HTTP_URL", ""))
        self.token = str(getattr(settings, "SMS_HTTP_TOKEN", ""))
        self.sender = str(getattr(settings, "SMS_HTTP_SENDER", ""))
        self.timeout = float(getattr(settings, "SMS_HTTP_TIMEOUT", 10))
        if not self.url.startswith(("https://", "http://")):
            raise SmsError("SMS_HTTP_URL is not set to an http(s) URL")

    def send(self, phone: str, text: str) -> None:
        payload = {"to": international(phone), "text": text, "sender": self.sender}
        request = urllib.request.Request(  # noqa: S310 - the scheme is checked in __init__
            self.url,
            data=json.dumps(payload, ensure_ascii=False).encode(),
            method="POST",
            headers={
                "Authorization": f"Bearer {self.token}",
                "Content-Type": "application/json; charset=utf-8",
                "Accept": "application/json",
            },
        )
        answer = _post(request, self.timeout)
        if not isinstance(answer, dict) or not answer.get("id"):
            raise SmsError(f"unexpected answer from the SMS gateway: {str(answer)[:200]}")
        logger.info("SMS to %s accepted as %s", payload["to"], answer["id"])


def _post(request: urllib.request.Request, timeout: float) -> Any:
    """The gateway's JSON answer to ``request``; ``SmsError`` for every way it can fail."""
    try:
        with urllib.request.urlopen(request, timeout=timeout) as response:  # noqa: S310
            body = response.read(65536)
    except urllib.error.HTTPError as refused:
        detail = _error_of(refused.read(4096))
        raise SmsError(f"SMS gateway answered HTTP {refused.code}: {detail}") from refused
    except TimeoutError as slow:
        raise SmsError(f"SMS gateway did not answer within {timeout:g} s") from slow
    except urllib.error.URLError as down:
        if isinstance(down.reason, TimeoutError):
            raise SmsError(f"SMS gateway did not answer within {timeout:g} s") from down
        raise SmsError(f"SMS gateway unreachable: {down.reason}") from down
    try:
        return json.loads(body)
    except ValueError as garbled:
        raise SmsError(f"SMS gateway answered something not JSON: {body[:200]!r}") from garbled


def _error_of(body: bytes) -> str:
    """The gateway's ``error`` message if its answer is the protocol's JSON, else the text."""
    try:
        found = json.loads(body)
    except ValueError:
        return body.decode("utf-8", "replace")[:200] or "no detail"
    if isinstance(found, dict) and found.get("error"):
        return str(found["error"])[:200]
    return str(found)[:200]


def international(phone: str) -> str:
    """``0912 345 678`` → ``+84912345678``: a Vietnamese number in E.164 form, as gateways
    expect; a number already international keeps its country code."""
    digits = "".join(c for c in phone if c.isdigit())
    if phone.strip().startswith("+"):
        return "+" + digits
    if digits.startswith("84") and len(digits) > 10:
        return "+" + digits
    if digits.startswith("0"):
        return "+84" + digits[1:]
    return "+" + digits


def get_sms_backend() -> SmsBackend:
    """An instance of the backend named by ``settings.SMS_BACKEND``."""
    path = getattr(settings, "SMS_BACKEND", "motcua.notifications.sms.ConsoleSmsBackend")
    backend = import_string(path)()
    if not isinstance(backend, SmsBackend):
        raise TypeError(f"{path} is not an SmsBackend")
    return backend
