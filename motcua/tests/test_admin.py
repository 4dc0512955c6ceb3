"""The Django admin works for every model, in Vietnamese."""

import pytest
from django.contrib import admin
from django.test import Client

from motcua.catalogue.tests.factories import publish_birth_registration
from motcua.testing import Cast


@pytest.fixture
def signed_in(client: Client, cast: Cast) -> Client:
    cast.grace.is_staff = True
    cast.grace.is_superuser = True
    cast.grace.save()
    client.force_login(cast.grace)
    return client


def test_every_registered_model_lists_adds_and_shows_an_object(
    signed_in: Client, cast: Cast
) -> None:
    """For each model: the list, the add form (where adding is allowed) and an object's page
    answer 200."""
    from motcua.dossiers import intake, services
    from motcua.dossiers.tests.factories import complete_intake, household_business_case

    publish_birth_registration()
    case = household_business_case(cast.agency)
    dossier = intake.receive_new_dossier(
        complete_intake(case), agency=cast.agency, actor=cast.alice
    )
    services.forward(dossier, actor=cast.alice)
    registry = admin.site._registry
    assert len(registry) >= 15
    for model, model_admin in registry.items():
        meta = model._meta
        base = f"/admin/{meta.app_label}/{meta.model_name}/"
        response = signed_in.get(base)
        assert response.status_code == 200, base
        obj = model._default_manager.first()
        if obj is not None:
            page = signed_in.get(f"{base}{obj.pk}/change/")
            assert page.status_code == 200, f"{base}{obj.pk}/change/"
        request = response.wsgi_request
        if model_admin.has_add_permission(request):
            assert signed_in.get(f"{base}add/").status_code == 200, f"{base}add/"


def test_the_admin_speaks_vietnamese_by_default_and_english_on_request(
    signed_in: Client,
) -> None:
    assert "Danh mục thủ tục" in signed_in.get("/admin/").content.decode()
    english = signed_in.get("/admin/", HTTP_ACCEPT_LANGUAGE="en")
    assert "Procedure catalogue" in english.content.decode()


def test_published_versions_cannot_be_edited_or_deleted_in_the_admin(signed_in: Client) -> None:
    version = publish_birth_registration()
    url = f"/admin/catalogue/procedureversion/{version.pk}/"
    assert signed_in.get(f"{url}delete/").status_code == 403
    response = signed_in.post(f"{url}change/", {"name": "Sửa trái phép"})
    assert response.status_code == 403
    version.refresh_from_db()
    assert version.name == "Đăng ký khai sinh"


def test_an_internal_process_edited_in_the_admin_must_add_up(signed_in: Client) -> None:
    """Steps that do not add up are refused with the message and the typed values kept."""
    version = publish_birth_registration()
    process = version.cases.get().processes.get()
    steps = list(process.steps.all())
    data = {
        "case": str(process.case_id),
        "agency": "",
        "name": process.name,
        "steps-TOTAL_FORMS": str(len(steps)),
        "steps-INITIAL_FORMS": str(len(steps)),
        "steps-MIN_NUM_FORMS": "0",
        "steps-MAX_NUM_FORMS": "1000",
    }
    for i, step in enumerate(steps):
        data.update(
            {
                f"steps-{i}-id": str(step.pk),
                f"steps-{i}-process": str(process.pk),
                f"steps-{i}-position": str(step.position),
                f"steps-{i}-name": step.name,
                f"steps-{i}-role": step.role,
                f"steps-{i}-unit": step.unit,
                f"steps-{i}-allowance": "1" if i == 0 else str(step.allowance),
            }
        )
    url = f"/admin/catalogue/internalprocess/{process.pk}/change/"
    response = signed_in.post(url, data, HTTP_ACCEPT_LANGUAGE="en")
    assert response.status_code == 200
    body = response.content.decode()
    assert "statutory time is 3 working days" in body
    assert process.steps.get(position=1).allowance == 0.5
    data["steps-0-allowance"] = "0.5"
    data["steps-1-name"] = "Thẩm định hồ sơ"
    response = signed_in.post(url, data)
    assert response.status_code == 302
    assert process.steps.get(position=2).name == "Thẩm định hồ sơ"
    assert process.case.version.procedure.events.filter(action="process_set").exists()
