from django.db.models.signals import post_save
from wagtail.signals import copy_for_translation_done

from courses.models import LearningPath, LessonPage, StaffProfile


def enrol_new_hire_in_onboarding(sender, instance: StaffProfile, created: bool, raw: bool = False, **kwargs) -> None:
    """A new hire's profile, once created, enrols them in every onboarding path."""
    if created and not raw and instance.is_new_hire:
        for path in LearningPath.objects.onboarding().prefetch_related("steps__course"):
            path.enrol(instance.user)


def link_translated_activities(sender, source_obj, target_obj, **kwargs) -> None:
    """A lesson translated in the admin uses its activities' translations, where they exist."""
    lesson = getattr(target_obj, "specific", None)
    if not isinstance(lesson, LessonPage):
        return
    relinked = False
    for link in lesson.activity_links.select_related("activity"):
        translation = link.activity.get_translation_or_none(lesson.locale)
        if translation is not None:
            link.activity = translation
            link.save(update_fields=["activity"])
            relinked = True
    if relinked:
        lesson.save_revision(changed=False, clean=False)


def connect() -> None:
    post_save.connect(enrol_new_hire_in_onboarding, sender=StaffProfile, dispatch_uid="courses_onboarding")
    copy_for_translation_done.connect(link_translated_activities, dispatch_uid="courses_translated_activities")
