from wagtail.snippets.models import register_snippet

from courses.viewsets import ActivityViewSet
from modules.empowerment.models import EmpowermentActivity


class EmpowermentViewSet(ActivityViewSet):
    model = EmpowermentActivity
    icon = "user"
    menu_order = 300


register_snippet(EmpowermentViewSet)
