from django.contrib import messages
from django.shortcuts import redirect
from django.utils.translation import gettext
from wagtail import hooks
from wagtail.snippets.models import register_snippet

from courses.models import CoursePage, Enrollment, LessonPage, LessonProgress
from courses.viewsets import (
    ActivitiesMenu,
    ActivityChooserViewSet,
    EnrollmentViewSet,
    LearningPathViewSet,
    QuizViewSet,
    ReflectionViewSet,
    StaffProfileViewSet,
    TrainingMenu,
)

register_snippet(QuizViewSet)
register_snippet(ReflectionViewSet)


@hooks.register("register_admin_viewset")
def register_training_viewsets():
    return [
        ActivityChooserViewSet("activity_chooser"),
        ActivitiesMenu(),
        TrainingMenu(),
        EnrollmentViewSet("enrollments"),
        StaffProfileViewSet("staff_profiles"),
        LearningPathViewSet("learning_paths"),
    ]


@hooks.register("before_delete_page")
def protect_pages_with_learner_records(request, page):
    """Courses and lessons that learners have worked on are kept; unpublish them instead."""
    specific = page.specific_class
    if specific is CoursePage:
        in_use = Enrollment.objects.filter(course__translation_key=page.translation_key).exists()
    elif specific is LessonPage:
        in_use = LessonProgress.objects.filter(lesson__translation_key=page.translation_key).exists()
    else:
        return None
    if in_use:
        messages.error(
            request,
            gettext("“%(title)s” holds learners' training records and cannot be deleted. Unpublish it instead.")
            % {"title": page.get_admin_display_title()},
        )
        return redirect("wagtailadmin_explore", page.get_parent().id)
    return None
