from django.template.loader import render_to_string
from wagtail import hooks
from wagtail.permissions import register_permission_policy
from wagtail.snippets.models import register_snippet

from courses.roles import ADMINISTRATORS, ROLE_PERMISSIONS_HOOK, TRAINERS
from courses.task_recovery import RERUNNABLE_TASKS_HOOK
from reminders.models import CalendarFeed, Reminder
from reminders.notifications import notifications_for, unread_count
from reminders.tasks import send_reminders
from reminders.viewsets import (
    ReminderPermissionPolicy,
    ReminderScheduleViewSet,
    ReminderViewSet,
    ReminderWordingViewSet,
)

register_permission_policy(Reminder, ReminderPermissionPolicy(Reminder))

register_snippet(ReminderWordingViewSet)
register_snippet(ReminderScheduleViewSet)


@hooks.register(RERUNNABLE_TASKS_HOOK)
def rerunnable_tasks():
    """A second run sends what the first did not: a message in flight waits for its lease (docs/reminders.md)."""
    return [send_reminders]


@hooks.register("register_admin_viewset")
def register_reminder_viewset():
    return ReminderViewSet("reminder_admin")


@hooks.register("training_header_items")
def unread_notifications_item(context) -> str:
    """The number of unread notifications, beside "My training" in the site's header."""
    request = context.get("request")
    if request is None or not request.user.is_authenticated:
        return ""
    return render_to_string("reminders/header_item.html", {"unread": unread_count(request.user)}, request=request)


@hooks.register("training_dashboard_panels")
def notifications_panel(context) -> str:
    """The learner's notifications, with buttons to mark them read, and their calendar feed."""
    request = context["request"]
    feed = CalendarFeed.objects.filter(user=request.user).first()
    return render_to_string(
        "reminders/dashboard_panel.html",
        {"notifications": notifications_for(request.user), "feed": feed},
        request=request,
    )


@hooks.register(ROLE_PERMISSIONS_HOOK)
def reminder_role_permissions():
    """Trainers edit the wording and schedules, see the reminders and resend one (the change permission)."""
    authored = [
        f"reminders.{action}_{model}"
        for model in ("reminderwording", "reminderschedule")
        for action in ("add", "change", "delete", "view")
    ]
    sent = ["reminders.view_reminder", "reminders.change_reminder"]
    return {TRAINERS: [*authored, *sent], ADMINISTRATORS: [*authored, *sent]}
