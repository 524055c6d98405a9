from wagtail.snippets.models import register_snippet

from courses.viewsets import ActivityViewSet
from modules.active_listening.models import ListeningActivity


class ListeningViewSet(ActivityViewSet):
    model = ListeningActivity
    icon = "comment"
    menu_order = 150


register_snippet(ListeningViewSet)
