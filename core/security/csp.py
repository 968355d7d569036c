"""The Content Security Policy, strict on the website and relaxed only where the admin needs it.

Why the admin gets 'unsafe-inline': Wagtail 8's admin renders inline <script> blocks (inline
panels, multiple-chooser panels, date and time pickers) and HTML style attributes, and its image
uploader previews files as blob: URLs. Nonces cannot be added to Wagtail's own templates, so the
admin (under /admin/) gets 'unsafe-inline' for scripts and styles, blob: images and may frame
itself (the live preview). The public website gets none of this.
"""

from django.conf import settings
from django.http import HttpRequest, HttpResponseBase

from csp.middleware import CSPMiddleware, PolicyParts


def is_admin_path(path: str) -> bool:
    """True for the Wagtail admin's URLs."""
    return path.startswith("/admin/")


class HubCSPMiddleware(CSPMiddleware):
    """django-csp's middleware plus the admin's additions and the Permissions-Policy header."""

    def get_policy_parts(
        self,
        request: HttpRequest,
        response: HttpResponseBase,
        report_only: bool = False,
    ) -> PolicyParts:
        parts = super().get_policy_parts(request, response, report_only)
        if is_admin_path(request.path) and not report_only:
            update = dict(parts.update or {})
            for directive, sources in settings.HUBCMS_ADMIN_CSP_UPDATE.items():
                if directive == "frame-ancestors":
                    parts.replace = {**(parts.replace or {}), directive: sources}
                else:
                    update[directive] = [*update.get(directive, []), *sources]
            parts.update = update
        return parts

    def process_response(
        self, request: HttpRequest, response: HttpResponseBase
    ) -> HttpResponseBase:
        response = super().process_response(request, response)
        response.headers.setdefault("Permissions-Policy", settings.HUBCMS_PERMISSIONS_POLICY)
        return response
