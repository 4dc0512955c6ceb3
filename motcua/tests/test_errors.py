"""The refusals and their one mapping per transport (``motcua.errors``, docs/errors.md)."""

from typing import Any

from django import forms
from django.core.exceptions import PermissionDenied, ValidationError
from django.test import Client

from motcua.accounts.errors import GrantRefused
from motcua.dossiers.errors import ActionRefused, DossierConflict
from motcua.dossiers.idempotency import KeyInvalid, KeyReused
from motcua.errors import (
    Conflict,
    Refusal,
    Refused,
    invalid,
    on_field,
    refusal_body,
    refusal_codes,
    refusal_errors,
    refusal_status,
    renamed,
    together,
)
from motcua.errors import (
    detail_problems as problems_of_detail,
)
from motcua.limits import exception_handler
from motcua.testing import field_codes
from motcua.workspace.forms import errors_into


def test_each_refusal_has_its_status() -> None:
    """400 wrong input, 403 not allowed, 409 conflict, 422 a key reused; Django's own
    ValidationError and PermissionDenied map as their kind."""
    assert refusal_status(invalid("amount_negative", "No.", "amount")) == 400
    assert refusal_status(ValidationError("No.", code="x")) == 400
    assert refusal_status(ActionRefused("No.", code="action_not_allowed")) == 403
    assert refusal_status(GrantRefused("No.", code="own_role")) == 403
    assert refusal_status(PermissionDenied("No.")) == 403
    assert refusal_status(DossierConflict("No.", code="revision_conflict")) == 409
    assert refusal_status(KeyReused("No.")) == 422
    assert refusal_status(KeyInvalid("No.")) == 400


def test_refusals_stay_what_callers_catch() -> None:
    """Existing ``except ValidationError`` / ``except PermissionDenied`` keep working."""
    assert isinstance(invalid("x", "No."), ValidationError)
    assert isinstance(KeyInvalid("No."), ValidationError)
    assert isinstance(ActionRefused("No.", code="x"), PermissionDenied)
    assert isinstance(GrantRefused("No.", code="x"), Refused)
    assert isinstance(DossierConflict("No.", code="x"), Conflict)


def test_a_refusal_on_a_field_names_it() -> None:
    refusal = invalid("amount_negative", "The amount cannot be negative.", "amount")
    assert isinstance(refusal, Refusal)
    assert refusal.message_dict == {"amount": ["The amount cannot be negative."]}
    assert refusal_errors(refusal) == [
        {"code": "amount_negative", "message": "The amount cannot be negative.", "field": "amount"}
    ]


def test_the_body_puts_the_first_problem_on_top_and_lists_all() -> None:
    refusal = together(
        [invalid("required", "Give a title.", "title"), invalid("reply_kind", "Choose.", "kind")]
    )
    body = refusal_body(refusal)
    assert (body["code"], body["field"]) == ("required", "title")
    assert [(p["code"], p.get("field")) for p in body["errors"]] == [
        ("required", "title"),
        ("reply_kind", "kind"),
    ]


def test_a_refusal_without_a_field_has_none() -> None:
    body = refusal_body(ActionRefused("You may not.", code="action_not_allowed"))
    assert body == {
        "code": "action_not_allowed",
        "message": "You may not.",
        "errors": [{"code": "action_not_allowed", "message": "You may not."}],
    }


def test_messages_get_their_parameters() -> None:
    refusal = ValidationError("At most %(max)s lines.", code="too_many_lines", params={"max": 50})
    assert refusal_errors(refusal)[0]["message"] == "At most 50 lines."


def test_on_field_keeps_the_codes() -> None:
    found = ValidationError([ValidationError("Too short.", code="password_too_short")])
    assert refusal_errors(on_field(found, "password")) == [
        {"code": "password_too_short", "message": "Too short.", "field": "password"}
    ]
    assert refusal_codes(on_field(found, "password")) == ["password_too_short"]


def test_on_field_moves_a_refusal_of_another_field_with_its_codes() -> None:
    found = together([invalid("file_type", "Not a PDF.", "file"), invalid("empty", "Empty.")])
    assert [(p["code"], p.get("field")) for p in refusal_errors(on_field(found, "scan_7"))] == [
        ("file_type", "scan_7"),
        ("empty", "scan_7"),
    ]


def test_renamed_names_each_field_as_the_caller_s_input() -> None:
    found = together(
        [invalid("fee_amount", "Zero.", "amount"), invalid("payment_method", "?", "method")]
    )
    assert [
        (p["code"], p.get("field")) for p in refusal_errors(renamed(found, "fee_{}".format))
    ] == [
        ("fee_amount", "fee_amount"),
        ("payment_method", "fee_method"),
    ]
    about_nothing = invalid("fee_more_than_owed", "Too much.")
    assert renamed(about_nothing, "fee_{}".format) is about_nothing


class _Code(str):
    """A message carrying a code, as DRF's ErrorDetail."""

    code = "max_length"


def test_drf_details_are_flattened_with_dotted_fields() -> None:
    detail = {
        "applicant": {"id_number": [_Code("Too long.")]},
        "checklist": [{"name": [_Code("Too long.")]}],
        "non_field_errors": [_Code("Wrong.")],
    }
    assert [(p.get("field"), p["code"]) for p in problems_of_detail(detail)] == [
        ("applicant.id_number", "max_length"),
        ("checklist.0.name", "max_length"),
        (None, "max_length"),
    ]


class _Form(forms.Form):
    amount = forms.IntegerField(required=False)


def test_errors_into_puts_each_code_next_to_its_field() -> None:
    """The screens' mapping: the field's error keeps its code, the rest go above the form."""
    form = _Form({"amount": "5"})
    assert form.is_valid()
    refusal = together(
        [
            invalid("fee_more_than_owed", "Only 1 is owed.", "amount"),
            invalid("no_earlier_step", "No earlier step."),
            invalid("required", "Say why.", "reason"),
        ]
    )
    errors_into(form, refusal)
    assert field_codes(form) == {
        "amount": ["fee_more_than_owed"],
        "__all__": ["no_earlier_step", "required"],
    }


def test_drf_errors_answer_with_the_same_body(client: Client, db: None) -> None:
    """Not signed in: DRF's own refusal answers ``{code, message, errors}`` too."""
    response = client.get("/api/v1/dossiers/", HTTP_ACCEPT_LANGUAGE="en")
    assert response.status_code in {401, 403}
    body = response.json()
    assert body["code"] == "not_authenticated" and body["message"]
    assert body["errors"] == [{"code": body["code"], "message": body["message"]}]


def test_the_schema_documents_the_error_body(client: Client, db: None) -> None:
    schema = client.get("/api/v1/schema/", {"format": "json"}).json()
    error = schema["components"]["schemas"]["Error"]
    assert {"code", "message", "field", "errors"} <= set(error["properties"])
    act = schema["paths"]["/api/v1/dossiers/{code}/actions/{name}/"]["post"]["responses"]
    for status in ("400", "403", "409"):
        content = act[status]["content"]["application/json"]["schema"]
        assert content == {"$ref": "#/components/schemas/Error"}, status


def test_a_bare_permission_denied_keeps_drfs_message(rf: Any) -> None:
    """A ``PermissionDenied`` raised without a message answers with DRF's own, coded."""
    response = exception_handler(PermissionDenied(), {"request": rf.get("/"), "view": None})
    assert response is not None and response.status_code == 403
    assert response.data["code"] == "permission_denied"
    assert response.data["message"]
