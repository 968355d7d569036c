"""Views of the security app: 2FA verification, enrolment and recovery codes, and /healthz."""

from urllib.parse import urlencode

from django.conf import settings
from django.contrib import messages
from django.contrib.auth.views import LoginView
from django.http import HttpRequest, HttpResponse, HttpResponseRedirect, JsonResponse
from django.shortcuts import render
from django.urls import reverse
from django.utils.http import url_has_allowed_host_and_scheme
from django.views.decorators.cache import never_cache
from django.views.decorators.http import require_safe

from django_otp import user_has_device

from .forms import OneTimeCodeForm
from .health import health_report
from .twofactor import (
    confirm_enrolment,
    enrolment_device,
    may_enrol,
    qr_code_svg,
    safe_next_path,
    two_factor_required,
    verify_code,
)

RECOVERY_CODES_SESSION_KEY = "hubcms_2fa_recovery_codes"


def _next_url(request: HttpRequest) -> str:
    target = request.POST.get("next") or request.GET.get("next") or ""
    if url_has_allowed_host_and_scheme(
        target, allowed_hosts={request.get_host()}, require_https=request.is_secure()
    ) and safe_next_path(target):
        return target
    return reverse("wagtailadmin_home")


@never_cache
def verify(request: HttpRequest) -> HttpResponse:
    """Ask a signed-in user for the current code of their authenticator app or a recovery code."""
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
    """Set up an authenticator app: show a QR code and confirm it with a first code.

    Only for a user without an authenticator app yet, or one who has just given a code of the
    one they have (a new phone): a password alone never adds a device."""
    verified = request.user.is_verified()
    if not may_enrol(user=request.user, verified=verified):
        query = request.GET.urlencode()
        return HttpResponseRedirect(reverse("security_2fa_verify") + (f"?{query}" if query else ""))
    device = enrolment_device(user=request.user)
    form = OneTimeCodeForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        codes = confirm_enrolment(request=request, device=device, token=form.cleaned_data["token"])
        if codes is not None:
            messages.success(request, "Tweestapsverificatie is ingesteld voor uw account.")
            request.session[RECOVERY_CODES_SESSION_KEY] = codes
            query = urlencode({"next": _next_url(request)})
            return HttpResponseRedirect(f"{reverse('security_2fa_recovery_codes')}?{query}")
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
            "adding": verified,
        },
    )


@never_cache
def recovery_codes(request: HttpRequest) -> HttpResponse:
    """Show the recovery codes made at enrolment, once."""
    codes = request.session.pop(RECOVERY_CODES_SESSION_KEY, None)
    if not codes:
        return HttpResponseRedirect(_next_url(request))
    return render(
        request, "security/recovery_codes.html", {"codes": codes, "next": _next_url(request)}
    )


def _base32_secret(key: bytes) -> str:
    from base64 import b32encode

    secret = b32encode(key).decode().rstrip("=")
    return " ".join(secret[i : i + 4] for i in range(0, len(secret), 4))


@never_cache
@require_safe
def healthz(request: HttpRequest) -> JsonResponse:
    """Readiness: the database and the search engine. 503 only without a database; a search
    engine outage is reported ("beperkt") but keeps the server in the load balancer."""
    report = health_report()
    return JsonResponse(report, status=503 if report["status"] == "fout" else 200)


@never_cache
@require_safe
def healthz_live(request: HttpRequest) -> JsonResponse:
    """Liveness: this process answers requests (no database, no engine asked)."""
    return JsonResponse({"status": "ok"})


class FrontEndLoginView(LoginView):
    """Wagtail's front-end login (`/_util/login/`), continued by the second factor.

    Axes throttles the password check (it sees the `authenticate()`); a correct password then leads
    to the code page, because a session without the second factor opens nothing on the site."""

    template_name = getattr(settings, "WAGTAIL_FRONTEND_LOGIN_TEMPLATE", "wagtailcore/login.html")

    def get_success_url(self) -> str:
        target = super().get_success_url()
        # django-otp's middleware marks the user on the next request; a fresh login is unverified.
        if not two_factor_required():
            return target
        name = "security_2fa_verify" if user_has_device(self.request.user) else "security_2fa_enrol"
        return f"{reverse(name)}?{urlencode({'next': target})}"
