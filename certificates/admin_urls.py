from django.urls import path

from certificates import admin_views

app_name = "certificates_admin"

urlpatterns = [
    path("", admin_views.CertificateRegisterView.as_view(), name="register"),
    path("results/", admin_views.CertificateRegisterView.as_view(results_only=True), name="register_results"),
    path("zip/", admin_views.download_zip, name="zip"),
    path("<int:pk>/", admin_views.detail, name="detail"),
    path("<int:pk>/pdf/", admin_views.download, name="download"),
    path("<int:pk>/revoke/", admin_views.revoke, name="revoke"),
    path("<int:pk>/reissue/", admin_views.reissue, name="reissue"),
    path("<int:pk>/retry/", admin_views.retry, name="retry"),
]
