from django.conf import settings
from django.conf.urls.i18n import i18n_patterns
from django.http import HttpRequest, HttpResponse
from django.urls import include, path
from django.views.decorators.http import require_POST
from wagtail import urls as wagtail_urls
from wagtail.admin import urls as wagtailadmin_urls
from wagtail.admin.views.account import LogoutView as AdminLogoutView
from wagtail.documents import urls as wagtaildocs_urls

from config.health import healthz
from courses.views import favicon


@require_POST
def admin_logout(request: HttpRequest) -> HttpResponse:
    """Wagtail's admin logout, for POST only: Wagtail's own answers a GET with 405 yet deletes the session
    cookie all the same, so that a link anywhere would sign a trainer out."""
    return AdminLogoutView.as_view()(request)


urlpatterns = [
    path("favicon.ico", favicon),
    path("healthz", healthz, name="healthz"),
    path("admin/logout/", admin_logout, name="wagtailadmin_logout"),
    path("admin/", include(wagtailadmin_urls)),
    path("documents/", include(wagtaildocs_urls)),
]

urlpatterns += i18n_patterns(
    path("accounts/", include("courses.auth_urls")),
    path("", include("courses.urls")),
    path("", include("certificates.urls")),
    path("reminders/", include("reminders.urls")),
    path("", include(wagtail_urls)),
    prefix_default_language=False,
)

if settings.DEBUG:
    from django.conf.urls.static import static
    from django.contrib.staticfiles.urls import staticfiles_urlpatterns

    urlpatterns = (
        staticfiles_urlpatterns() + static(settings.MEDIA_URL, document_root=settings.MEDIA_ROOT) + urlpatterns
    )
