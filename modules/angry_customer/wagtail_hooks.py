from wagtail.snippets.models import register_snippet

from courses.viewsets import ActivityViewSet
from modules.angry_customer.models import ScenarioActivity


class ScenarioViewSet(ActivityViewSet):
    model = ScenarioActivity
    icon = "comment"
    menu_order = 200


register_snippet(ScenarioViewSet)
