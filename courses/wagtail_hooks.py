from django.contrib import messages
from django.contrib.auth import get_user_model
from django.db import router
from django.db.models.deletion import Collector, ProtectedError
from django.shortcuts import redirect
from django.urls import path, reverse
from django.utils.translation import gettext
from django.utils.translation import gettext_lazy as _
from wagtail import hooks
from wagtail.admin.utils import get_valid_next_url_from_request
from wagtail.admin.widgets import Button
from wagtail.models import Page
from wagtail.snippets.models import register_snippet

from courses.activity_chooser import ActivityChooserViewSet
from courses.admin_views import apply_policy
from courses.models import Activity, CoursePage, Enrollment, learner_records_under
from courses.task_recovery import RERUNNABLE_TASKS_HOOK
from courses.tasks import daily_sweep
from courses.viewsets import (
    ActivitiesMenu,
    AssignmentRuleViewSet,
    EnrollmentViewSet,
    QuizViewSet,
    ReflectionViewSet,
    StaffProfileViewSet,
    TrainingMenu,
)

register_snippet(QuizViewSet)
register_snippet(ReflectionViewSet)


@hooks.register(RERUNNABLE_TASKS_HOOK)
def rerunnable_tasks():
    """The sweep writes nothing a second time (courses.refreshers)."""
    return [daily_sweep]


@hooks.register("register_admin_viewset")
def register_training_viewsets():
    return [
        ActivityChooserViewSet("activity_chooser"),
        ActivitiesMenu(),
        TrainingMenu(),
        EnrollmentViewSet("enrollments"),
        StaffProfileViewSet("staff_profiles"),
        AssignmentRuleViewSet("assignment_rules"),
    ]


@hooks.register("register_admin_urls")
def register_training_admin_urls():
    return [path("training/courses/<int:page_id>/apply-policy/", apply_policy, name="training_apply_policy")]


@hooks.register("register_page_header_buttons")
def apply_policy_button(page, user, view_name, next_url=None):
    """On a course, trainers who may publish it can re-date past completions under its current policy."""
    if page.specific_class is CoursePage and page.permissions_for_user(user).can_publish():
        yield Button(
            _("Apply refresher policy to past completions"),
            reverse("training_apply_policy", args=[page.pk]),
            icon_name="date",
            priority=80,
        )


def _refuse(request, message: str, fallback_url: str):
    messages.error(request, message)
    return redirect(get_valid_next_url_from_request(request) or fallback_url)


@hooks.register("before_delete_page")
def protect_pages_with_learner_records(request, page):
    """Pages that learners' records point at, or that hold such pages, are kept; unpublish them instead."""
    if not learner_records_under(page):
        return None
    message = gettext("“%(title)s” holds learners' training records and cannot be deleted. Unpublish it instead.")
    return _refuse(
        request,
        message % {"title": page.get_admin_display_title()},
        reverse("wagtailadmin_explore", args=[page.get_parent().id]),
    )


@hooks.register("before_bulk_action")
def protect_pages_with_learner_records_in_bulk(request, action_type, objects, action_class_instance):
    if action_type != "delete":
        return None
    held = [obj for obj in objects if isinstance(obj, Page) and learner_records_under(obj)]
    if not held:
        return None
    message = gettext("These pages hold learners' training records and cannot be deleted: %(titles)s.")
    titles = ", ".join(page.get_admin_display_title() for page in held)
    return _refuse(request, message % {"titles": titles}, action_class_instance.next_url)


@hooks.register("before_delete_user")
def keep_people_with_training_records(request, user):
    """A person with training records keeps their account, deactivated: the records are compliance evidence."""
    if not Enrollment.objects.filter(user=user).exists():
        return None
    message = gettext(
        "%(name)s has training records, which are kept as evidence of their training, so the account cannot "
        "be deleted. Deactivate it instead: untick “Active” and save."
    )
    return _refuse(request, message % {"name": user.get_full_name() or user.get_username()}, _user_edit_url(user))


@hooks.register("before_bulk_action")
def keep_people_with_training_records_in_bulk(request, action_type, objects, action_class_instance):
    if action_type != "delete":
        return None
    held = [obj for obj in objects if isinstance(obj, get_user_model()) and obj.enrollments.exists()]
    if not held:
        return None
    message = gettext(
        "These people have training records, which are kept as evidence, so their accounts cannot be deleted; "
        "deactivate them instead: %(names)s."
    )
    names = ", ".join(user.get_full_name() or user.get_username() for user in held)
    return _refuse(request, message % {"names": names}, action_class_instance.next_url)


def _user_edit_url(user) -> str:
    return reverse("wagtailusers_users:edit", args=[user.pk])


@hooks.register("before_delete_snippet")
def protect_activities_with_learner_records(request, instances):
    """Activities that learners' records point at (attempts, runs of a scenario) are kept."""
    held = [obj for obj in instances if isinstance(obj, Activity) and is_protected(obj)]
    if not held:
        return None
    message = gettext("Learners have worked on “%(title)s”, so it cannot be deleted. Unpublish it instead.")
    return _refuse(request, message % {"title": held[0]}, reverse(held[0].snippet_viewset.get_url_name("list")))


def is_protected(instance) -> bool:
    """Whether deleting ``instance`` would be refused by a protected foreign key."""
    try:
        Collector(using=router.db_for_write(type(instance))).collect([instance])
    except ProtectedError:
        return True
    return False
