"""The National Public Service Portal adapter: the one module that knows its message format.

The national portal's interface is not public, so the format here is our assumption, documented
in docs/integration.md and kept in this module alone: the operations are those OpenCPS v2 names
(sync a dossier, update its progress, sync ratings, sync questions and answers; sync status and
look-up later), each a JSON ``POST`` to ``MOTCUA_NATIONAL_URL`` + a path, with a bearer token
and an ``Idempotency-Key`` that names the message (its stream and sequence), answered by
``{"ack_id": ...}``. Should the real format differ, ``PATHS``, ``payload`` and
``NationalPortal.send`` change, nothing else.

Two reads, ``GET`` with the same token: ``fetch_catalogue`` (the national catalogue: our
interchange format, ``motcua-catalogue/1``, with an ``abolished`` list) and ``look_up`` (a
dossier the portal knows, received by any system: ``GET {URL}/dossiers/{code}``).

Our codes become national ones through the administrator's ``CodeMapping`` rows; an item
without one raises ``Unmapped`` with a reason the outbox shows (the message is blocked).
"""

import datetime as dt
import json
import urllib.error
import urllib.parse
import urllib.request
from dataclasses import dataclass
from typing import Any

from django.conf import settings
from django.utils.translation import gettext as _

from motcua.integration.models import CodeMapping, MappingKind, Operation, OutboxMessage

PATHS: dict[str, str] = {
    Operation.SYNC_DOSSIER: "dossiers/sync",
    Operation.UPDATE_PROGRESS: "dossiers/progress",
    Operation.SYNC_RATINGS: "ratings/sync",
    Operation.SYNC_QUESTIONS: "questions/sync",
}


class Unmapped(Exception):
    """An item of the message has no national code: the administrator must add one."""


class NationalPortalError(Exception):
    """The portal did not acknowledge a message (down, an error status, no ack id)."""


@dataclass(frozen=True)
class Ack:
    ack_id: str
    duplicate: bool  # the portal had the message already (a retry after a lost answer)


@dataclass(frozen=True)
class NationalDossier:
    """A dossier as the national portal knows it, whichever system received it (**assumed**
    answer of ``GET {URL}/dossiers/{code}``, docs/integration.md): its public facts only."""

    code: str
    status: str
    procedure: str
    agency: str
    system: str  # the system that received it, as the portal names it
    received_at: dt.datetime | None
    due_at: dt.datetime | None
    finished_at: dt.datetime | None


def _instant(value: object) -> dt.datetime | None:
    if not isinstance(value, str) or not value:
        return None
    try:
        found = dt.datetime.fromisoformat(value)
    except ValueError:
        return None
    return found if found.tzinfo else None  # a naive time would be a guess


def national_code(kind: MappingKind, ours: str) -> str:
    """The national code of our ``ours`` of ``kind``; ``Unmapped`` when there is none. A
    procedure without a row keeps its own code: our catalogue's codes are the national
    catalogue's (``Procedure.code``), a row only overrides one."""
    found = CodeMapping.objects.filter(kind=kind, ours=ours).values_list("national", flat=True)
    for code in found:
        return code
    if kind == MappingKind.PROCEDURE and ours:
        return ours
    raise Unmapped(
        _(
            "No national code for the %(kind)s “%(ours)s”: add it under National code "
            "mappings, then re-queue the message."
        )
        % {"kind": MappingKind(kind).label, "ours": ours}
    )


def payload(message: OutboxMessage) -> dict[str, Any]:
    """The JSON body for ``message``, with the national codes of its status, agencies, channel
    and procedure (``Unmapped`` when one is missing)."""
    facts = message.facts
    if message.operation == Operation.SYNC_RATINGS:
        return _rating_payload(message)
    if message.operation == Operation.SYNC_QUESTIONS:
        return _question_payload(message)
    body: dict[str, Any] = {
        "dossier_code": facts["dossier_code"],
        "sequence": message.sequence,
        "action": facts["action"],
        "status": national_code(MappingKind.STATUS, facts["new_status"]),
        "previous_status": (
            national_code(MappingKind.STATUS, facts["old_status"]) if facts["old_status"] else ""
        ),
        "agency": national_code(MappingKind.AGENCY, facts["agency"]) if facts["agency"] else "",
        "at": facts["at"],
        "due_at": facts["due_at"],
        "note": facts["reason"],
    }
    if message.operation == Operation.SYNC_DOSSIER:
        body |= {
            "procedure": national_code(MappingKind.PROCEDURE, facts["procedure"]),
            "receiving_agency": national_code(MappingKind.AGENCY, facts["receiving_agency"]),
            "channel": national_code(MappingKind.CHANNEL, facts["channel"]),
            "applicant_name": facts["applicant_name"],
            "received_at": facts["at"],
        }
    return body


def _rating_payload(message: OutboxMessage) -> dict[str, Any]:
    """A rating given or changed: our levels as they are (docs/integration.md)."""
    facts = message.facts
    return {
        "dossier_code": facts["dossier_code"],
        "sequence": message.sequence,
        "action": facts["action"],
        "procedure": national_code(MappingKind.PROCEDURE, facts["procedure"]),
        "level": facts["level"],
        "answers": facts["answers"],
        "channel": facts["channel"],
        "at": facts["at"],
    }


def _question_payload(message: OutboxMessage) -> dict[str, Any]:
    """A feedback answered (``approve``) or published (``publish``, with the question and the
    answer; the sender's name and contact are never sent)."""
    facts = message.facts
    body: dict[str, Any] = {
        "feedback_code": facts["feedback_code"],
        "sequence": message.sequence,
        "action": facts["action"],
        "agency": national_code(MappingKind.AGENCY, facts["agency"]) if facts["agency"] else "",
        "answered_at": facts["answered_at"],
        "due_at": facts["due_at"],
        "at": facts["at"],
    }
    if "answer" in facts:
        procedure = facts["procedure"]
        body |= {
            "title": facts["title"],
            "question": facts["question"],
            "answer": facts["answer"],
            "procedure": national_code(MappingKind.PROCEDURE, procedure) if procedure else "",
        }
    return body


class NationalPortal:
    """Sends one message and reads its acknowledgement (``urllib``, no other dependency)."""

    def __init__(self, url: str, token: str = "", timeout: float = 10) -> None:
        self.url = url.rstrip("/")
        self.token = token
        self.timeout = timeout

    @classmethod
    def from_settings(cls) -> "NationalPortal":
        return cls(
            settings.MOTCUA_NATIONAL_URL,
            settings.MOTCUA_NATIONAL_TOKEN,
            settings.MOTCUA_NATIONAL_TIMEOUT,
        )

    @property
    def configured(self) -> bool:
        return bool(self.url)

    def _headers(self) -> dict[str, str]:
        return {"Authorization": f"Bearer {self.token}"} if self.token else {}

    def _get(self, path: str) -> Any:
        """``GET {URL}/{path}`` as JSON; ``None`` for a 404; ``NationalPortalError`` else."""
        if not self.url.startswith(("http://", "https://")):
            raise NationalPortalError(f"MOTCUA_NATIONAL_URL is not an http(s) URL: {self.url!r}")
        request = urllib.request.Request(  # noqa: S310 - the scheme is checked above
            f"{self.url}/{path}",
            method="GET",
            headers={"Accept": "application/json", **self._headers()},
        )
        try:
            with urllib.request.urlopen(request, timeout=self.timeout) as response:  # noqa: S310
                return json.loads(response.read() or b"null")
        except urllib.error.HTTPError as error:
            if error.code == 404:
                return None
            raise NationalPortalError(f"HTTP {error.code}: {error.read()[:200]!r}") from error
        except (OSError, ValueError) as error:  # refused, timed out, reset; not JSON
            raise NationalPortalError(f"{type(error).__name__}: {error}") from error

    def fetch_catalogue(self) -> dict[str, Any]:
        """The national catalogue (**assumed** format, docs/integration.md): our interchange
        document (``format``, ``fields``, ``decisions``, ``procedures``) and ``abolished``, a
        list of ``{"code", "decision"}``."""
        found = self._get("catalogue")
        if not isinstance(found, dict):
            raise NationalPortalError(f"the catalogue is not a JSON object: {found!r:.200}")
        return found

    def look_up(self, code: str) -> NationalDossier | None:
        """The dossier ``code`` as the portal knows it; ``None`` when it does not."""
        found = self._get(f"dossiers/{urllib.parse.quote(code, safe='')}")
        if found is None:
            return None
        if not isinstance(found, dict) or not found.get("status_name"):
            raise NationalPortalError(f"the look-up answer has no status: {found!r:.200}")
        return NationalDossier(
            code=str(found.get("dossier_code") or code),
            status=str(found["status_name"]),
            procedure=str(found.get("procedure_name") or ""),
            agency=str(found.get("agency_name") or ""),
            system=str(found.get("system") or ""),
            received_at=_instant(found.get("received_at")),
            due_at=_instant(found.get("due_at")),
            finished_at=_instant(found.get("finished_at")),
        )

    def send(self, operation: str, key: str, body: dict[str, Any]) -> Ack:
        """POST ``body`` for ``operation``; the acknowledgement, or ``NationalPortalError``."""
        if not self.url.startswith(("http://", "https://")):
            raise NationalPortalError(f"MOTCUA_NATIONAL_URL is not an http(s) URL: {self.url!r}")
        request = urllib.request.Request(  # noqa: S310 - the scheme is checked above
            f"{self.url}/{PATHS[operation]}",
            data=json.dumps(body, ensure_ascii=False).encode(),
            method="POST",
            headers={
                "Content-Type": "application/json; charset=utf-8",
                "Idempotency-Key": key,
                **self._headers(),
            },
        )
        try:
            with urllib.request.urlopen(request, timeout=self.timeout) as response:  # noqa: S310
                answer = json.loads(response.read() or b"{}")
        except urllib.error.HTTPError as error:
            raise NationalPortalError(f"HTTP {error.code}: {error.read()[:200]!r}") from error
        except (OSError, ValueError) as error:  # refused, timed out, reset; not JSON
            raise NationalPortalError(f"{type(error).__name__}: {error}") from error
        ack_id = answer.get("ack_id") if isinstance(answer, dict) else None
        if not isinstance(ack_id, str) or not ack_id:
            raise NationalPortalError(f"answer without an ack_id: {answer!r:.200}")
        return Ack(ack_id=ack_id, duplicate=bool(answer.get("duplicate")))
