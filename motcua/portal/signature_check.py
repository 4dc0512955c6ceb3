"""``/kiem-tra-chu-ky/``: anyone uploads a PDF and reads whether it is intact, who signed it,
with which certificate chain, when, and whether the certificate was valid then
(``motcua.signing.verify``), against the roots the province trusts
(``MOTCUA_SIGNING_TRUST_ROOTS``). With a dossier's code and secret (the tracking PIN on Form
01) the page also says whether the file is a document recorded for that dossier (hash match);
with the code and secret and no file, it checks the dossier's signed result as the system keeps
it (``result_check``). Each check counts against the address's lookup rate (it may fetch
revocation lists)."""

from typing import Any

from django import forms
from django.conf import settings
from django.http import HttpRequest, HttpResponse
from django.shortcuts import render
from django.utils.translation import gettext_lazy as _
from django.views.decorators.http import require_http_methods

from motcua.portal.result_check import check_dossier
from motcua.portal.throttle import allow_lookup
from motcua.signing.trust import configured
from motcua.signing.verify import verify_pdf


class SignatureCheckForm(forms.Form):
    document = forms.FileField(
        label=_("Signed PDF document"),
        required=False,
        help_text=_("A PDF file, e.g. a result or receipt issued by a one-stop desk."),
    )
    code = forms.CharField(
        label=_("Dossier code (optional)"),
        required=False,
        max_length=40,
        help_text=_("With the PIN: checks that the file is the one recorded for the dossier."),
    )
    pin = forms.CharField(label=_("PIN on the receipt"), required=False, max_length=32)

    def clean_document(self) -> bytes | None:
        upload = self.cleaned_data["document"]
        if not upload:
            return None
        if upload.size > settings.MOTCUA_MAX_UPLOAD_BYTES:
            raise forms.ValidationError(
                _("The file is larger than %(mb)d MB."),
                code="too_large",
                params={"mb": settings.MOTCUA_MAX_UPLOAD_BYTES // 2**20},
            )
        return bytes(upload.read())

    def clean(self) -> dict[str, Any]:
        data = super().clean() or {}
        code, pin = data.get("code", "").strip(), data.get("pin", "").strip()
        if bool(code) != bool(pin):
            self.add_error("pin", forms.ValidationError(
                _("Give both the dossier's code and its PIN."), code="required"))  # fmt: skip
        elif not code and not data.get("document") and "document" not in self.errors:
            self.add_error("document", forms.ValidationError(
                _("Upload a PDF, or give a dossier's code and PIN."), code="required"))  # fmt: skip
        return data


def _page(request: HttpRequest, context: dict[str, Any], status: int = 200) -> HttpResponse:
    return render(request, "portal/signature_check.html", context, status=status)


@require_http_methods(["GET", "POST"])
def check(request: HttpRequest) -> HttpResponse:
    if request.method == "GET":
        return _page(request, {"form": SignatureCheckForm()})
    form = SignatureCheckForm(request.POST, request.FILES)
    if not form.is_valid():
        return _page(request, {"form": form}, status=400)
    allowed, wait = allow_lookup(request)
    if not allowed:
        response = render(request, "portal/track_limited.html", {"wait": wait}, status=429)
        response["Retry-After"] = str(wait)
        return response
    data, code = form.cleaned_data["document"], form.cleaned_data["code"].strip()
    name = str(getattr(request.FILES.get("document"), "name", ""))
    if not code:
        result = verify_pdf(data, configured())
        return _page(request, {"form": SignatureCheckForm(), "result": result, "name": name})
    found = check_dossier(code, form.cleaned_data["pin"], data, configured())
    if found is None:
        return _page(request, {"form": form, "not_found": True}, status=404)
    context = {
        "form": SignatureCheckForm(),
        "result": found.verification,
        "checked": found,
        "name": name or (found.recorded[0].name if found.recorded else ""),
    }
    return _page(request, context)
