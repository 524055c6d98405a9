"""The demo site's Content-Security-Policy: strict on the learner's pages, loosened for Wagtail's admin.

The learner's pages run only the site's own script files. Wagtail's admin still writes some
scripts inline (inline panels, date pickers), so under the admin's URL inline scripts are
allowed too; nothing else is loosened there.
"""

from csp.constants import UNSAFE_INLINE
from csp.middleware import CSPMiddleware, PolicyParts
from django.http import HttpRequest, HttpResponseBase
from django.urls import reverse


class ContentSecurityPolicyMiddleware(CSPMiddleware):
    """django-csp's middleware, with inline scripts allowed under the Wagtail admin only."""

    def get_policy_parts(
        self, request: HttpRequest, response: HttpResponseBase, report_only: bool = False
    ) -> PolicyParts:
        parts = super().get_policy_parts(request, response, report_only)
        if not report_only and request.path_info.startswith(reverse("wagtailadmin_home")):
            parts.update = {**(parts.update or {}), "script-src": [UNSAFE_INLINE]}
        return parts


class PermissionsPolicyMiddleware:
    """Tells browsers that no page of the site uses the camera, microphone, location or payment."""

    POLICY = "camera=(), microphone=(), geolocation=(), payment=(), usb=()"

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request: HttpRequest) -> HttpResponseBase:
        response = self.get_response(request)
        response.setdefault("Permissions-Policy", self.POLICY)
        return response
