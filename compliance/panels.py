"""The compliance panel of the Wagtail admin home: due and overdue counts and two charts, in the viewer's scope."""

from django.urls import reverse
from wagtail.admin.ui.components import Component

from compliance.charts import completion_rates, completions_per_month, due_counts
from courses.formatting import local_number
from courses.models import Enrollment


class CompliancePanel(Component):
    name = "compliance"
    template_name = "compliance/home_panel.html"
    order = 50

    def __init__(self, user):
        self.user = user

    def get_context_data(self, parent_context=None):
        enrollments = Enrollment.objects.visible_to(self.user)
        counts = due_counts(enrollments)
        return {
            "overdue": local_number(counts["overdue"]),
            "due_soon": local_number(counts["due_soon"]),
            "overdue_url": reverse("compliance:overdue"),
            "due_soon_url": reverse("compliance:due_soon"),
            "matrix_url": reverse("compliance:matrix"),
            "rates": completion_rates(enrollments),
            "months": completions_per_month(enrollments),
        }
