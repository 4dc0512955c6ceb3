"""Renders every form to ``docs/screenshots/form-0N.png`` (2025 numbering) for a look by eye.

Not collected by the suite (no ``test_`` prefix); run it by path::

    .venv/bin/pytest motcua/dossiers/tests/form_screenshots.py -p no:cacheprovider -q

It needs ``pdftoppm`` (poppler-utils). The dossiers are those of ``test_printing.py``."""

import datetime as dt
import shutil
import subprocess
import tempfile
from collections.abc import Iterator
from pathlib import Path

import pytest
from django.utils import translation

from motcua.catalogue.models import Case
from motcua.dossiers import intake, services
from motcua.dossiers.form_numbering import Form
from motcua.dossiers.ledger import ledger_dossiers, ledger_pdf
from motcua.dossiers.models import Dossier
from motcua.dossiers.printing import render_form
from motcua.dossiers.tests.factories import at, complete_intake
from motcua.dossiers.tests.test_printing import case, judy, lived  # noqa: F401 - fixtures
from motcua.testing import Cast

SCREENSHOTS = Path(__file__).resolve().parents[3] / "docs" / "screenshots"


@pytest.fixture(autouse=True)
def vietnamese() -> Iterator[None]:
    """The dossiers are made in Vietnamese, as in the application (step names are stored)."""
    with translation.override("vi"):
        yield


def _png(pdf: bytes, name: str) -> None:
    with tempfile.TemporaryDirectory() as work:
        source = Path(work) / "form.pdf"
        source.write_bytes(pdf)
        subprocess.run(  # noqa: S603 - fixed arguments
            ["pdftoppm", "-png", "-r", "60", "-singlefile", str(source), str(SCREENSHOTS / name)],  # noqa: S607
            check=True,
        )


@pytest.mark.skipif(shutil.which("pdftoppm") is None, reason="needs pdftoppm")
def test_render_every_form(lived: Dossier, cast: Cast, case: Case) -> None:  # noqa: F811
    refused = intake.refuse_at_desk(
        complete_intake(case), agency=cast.agency, actor=cast.alice,
        reasons=["Ngành nghề kinh doanh bị cấm", "Hồ sơ giả mạo"], now=at("2026-03-02T09:30"),
    )  # fmt: skip
    stopped = intake.receive_new_dossier(
        complete_intake(case), agency=cast.agency, actor=cast.alice, now=at("2026-03-03T09:00")
    )
    services.stop(
        stopped, actor=cast.carol, now=at("2026-03-04T10:00"),
        reason="Cơ quan có thẩm quyền đã có văn bản tạm dừng đăng ký ngành nghề này",
    )  # fmt: skip
    for form, dossier in (
        (Form.RECEIPT, lived),
        (Form.SUPPLEMENT, lived),
        (Form.REFUSAL, refused),
        (Form.APOLOGY, lived),
        (Form.STOP_NOTICE, stopped),
        (Form.CONTROL_SHEET, lived),
    ):
        number = list(Form).index(form) + 1
        _png(render_form(dossier, form), f"form-{number:02d}")
    field = lived.version.field
    ledger = ledger_pdf(
        ledger_dossiers(cast.agency, field, dt.date(2026, 3, 1), dt.date(2026, 3, 31)),
        title="Sổ theo dõi hồ sơ", field_name=field.name,
        start=dt.date(2026, 3, 1), end=dt.date(2026, 3, 31), agency_name=cast.agency.name,
    )  # fmt: skip
    _png(ledger, "form-07")
