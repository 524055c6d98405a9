from django.urls import path

from compliance import views

app_name = "compliance"
urlpatterns = [
    path("matrix/", views.MatrixView.as_view(), name="matrix"),
    path("matrix/results/", views.MatrixResultsView.as_view(), name="matrix_results"),
    path("overdue/", views.OverdueView.as_view(), name="overdue"),
    path("overdue/results/", views.OverdueResultsView.as_view(), name="overdue_results"),
    path("due-soon/", views.DueSoonView.as_view(), name="due_soon"),
    path("due-soon/results/", views.DueSoonResultsView.as_view(), name="due_soon_results"),
    path("people/<int:user_id>/", views.HistoryView.as_view(), name="history"),
]
