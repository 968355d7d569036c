"""Views of the security app: 2FA verification and enrolment in the admin, and /healthz."""

from django.contrib import messages
from django.http import HttpRequest, HttpResponse, HttpResponseRedirect, JsonResponse
from django.shortcuts import render
from django.urls import reverse
from django.utils.http import url_has_allowed_host_and_scheme
from django.views.decorators.cache import never_cache
from django.views.decorators.http import require_GET

from .forms import OneTimeCodeForm
from .health import health_report
from .twofactor import confirm_enrolment, enrolment_device, qr_code_svg, verify_code


def _next_url(request: HttpRequest) -> str:
    target = request.POST.get("next") or request.GET.get("next") or ""
    if url_has_allowed_host_and_scheme(
        target, allowed_hosts={request.get_host()}, require_https=request.is_secure()
    ):
        return target
    return reverse("wagtailadmin_home")


@never_cache
def verify(request: HttpRequest) -> HttpResponse:
    """Ask a signed-in admin user for the current code of their authenticator app."""
    if request.user.is_verified():
        return HttpResponseRedirect(_next_url(request))
    form = OneTimeCodeForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        ok, wait = verify_code(request=request, token=form.cleaned_data["token"])
        if ok:
            return HttpResponseRedirect(_next_url(request))
        if wait:
            form.add_error(
                "token", f"Te veel onjuiste codes. Wacht {wait} seconden en probeer het opnieuw."
            )
        else:
            form.add_error("token", "Deze code klopt niet of is verlopen. Probeer de nieuwe code.")
    return render(
        request, "security/verify.html", {"form": form, "next": _next_url(request)}, status=200
    )


@never_cache
def enrol(request: HttpRequest) -> HttpResponse:
    """Set up an authenticator app: show a QR code and confirm it with a first code."""
    if request.user.is_verified():
        return HttpResponseRedirect(_next_url(request))
    device = enrolment_device(user=request.user)
    form = OneTimeCodeForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        if confirm_enrolment(request=request, device=device, token=form.cleaned_data["token"]):
            messages.success(request, "Tweestapsverificatie is ingesteld voor uw account.")
            return HttpResponseRedirect(_next_url(request))
        form.add_error(
            "token", "Deze code klopt niet. Scan de QR-code opnieuw en probeer het nog eens."
        )
    return render(
        request,
        "security/enrol.html",
        {
            "form": form,
            "next": _next_url(request),
            "qr_code": qr_code_svg(device=device),
            "secret": _base32_secret(device.bin_key),
        },
    )


def _base32_secret(key: bytes) -> str:
    from base64 import b32encode

    secret = b32encode(key).decode().rstrip("=")
    return " ".join(secret[i : i + 4] for i in range(0, len(secret), 4))


@never_cache
@require_GET
def healthz(request: HttpRequest) -> JsonResponse:
    """Readiness: the database and the search engine. 503 only without a database; a search
    engine outage is reported ("beperkt") but keeps the server in the load balancer."""
    report = health_report()
    return JsonResponse(report, status=503 if report["status"] == "fout" else 200)


@never_cache
@require_GET
def healthz_live(request: HttpRequest) -> JsonResponse:
    """Liveness: this process answers requests (no database, no engine asked)."""
    return JsonResponse({"status": "ok"})
