"""``/kiem-tra-chu-ky/``: anyone uploads a PDF and reads whether it is intact, who signed it,
with which certificate chain, when, and whether the certificate was valid then
(``motcua.signing.verify``), against the roots the province trusts
(``MOTCUA_SIGNING_TRUST_ROOTS``). Each check counts against the address's lookup rate (it
may fetch revocation lists)."""

from django import forms
from django.conf import settings
from django.http import HttpRequest, HttpResponse
from django.shortcuts import render
from django.utils.translation import gettext_lazy as _
from django.views.decorators.http import require_http_methods

from motcua.portal.throttle import allow_lookup
from motcua.signing.trust import configured
from motcua.signing.verify import verify_pdf


class SignatureCheckForm(forms.Form):
    document = forms.FileField(
        label=_("Signed PDF document"),
        help_text=_("A PDF file, e.g. a result or receipt issued by a one-stop desk."),
    )

    def clean_document(self) -> bytes:
        upload = self.cleaned_data["document"]
        if upload.size > settings.MOTCUA_MAX_UPLOAD_BYTES:
            raise forms.ValidationError(
                _("The file is larger than %(mb)d MB."),
                code="too_large",
                params={"mb": settings.MOTCUA_MAX_UPLOAD_BYTES // 2**20},
            )
        return bytes(upload.read())


@require_http_methods(["GET", "POST"])
def check(request: HttpRequest) -> HttpResponse:
    if request.method == "GET":
        return render(request, "portal/signature_check.html", {"form": SignatureCheckForm()})
    form = SignatureCheckForm(request.POST, request.FILES)
    if not form.is_valid():
        return render(request, "portal/signature_check.html", {"form": form}, status=400)
    allowed, wait = allow_lookup(request)
    if not allowed:
        response = render(request, "portal/track_limited.html", {"wait": wait}, status=429)
        response["Retry-After"] = str(wait)
        return response
    result = verify_pdf(form.cleaned_data["document"], configured())
    name = str(getattr(request.FILES.get("document"), "name", ""))
    return render(
        request,
        "portal/signature_check.html",
        {"form": SignatureCheckForm(), "result": result, "name": name},
    )
