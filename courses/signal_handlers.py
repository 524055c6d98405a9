from django.contrib.auth import get_user_model
from django.db.models.signals import post_delete, post_save
from wagtail.models import Locale, Page, PageViewRestriction, Site
from wagtail.signals import (
    copy_for_translation_done,
    page_published,
    page_slug_changed,
    page_unpublished,
    post_page_move,
)

from courses.assignments import apply_assignment_rules
from courses.models import Activity, LessonActivity, LessonPage, StaffProfile
from courses.page_memory import tree_changed


def apply_rules_to_staff_member(sender, instance: StaffProfile, raw: bool = False, **kwargs) -> None:
    """A profile created or changed is enrolled or released by the assignment rules at once."""
    if not raw:
        apply_assignment_rules(user_ids=[instance.user_id])


def apply_rules_to_account(sender, instance, created: bool, raw: bool = False, update_fields=None, **kwargs) -> None:
    """An account activated or deactivated is enrolled or released at once, if it has a staff profile."""
    if raw or created or (update_fields is not None and "is_active" not in update_fields):
        return  # a login saves last_login alone
    if StaffProfile.objects.filter(user=instance).exists():
        apply_assignment_rules(user_ids=[instance.pk])


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


def forget_pages(sender, instance=None, raw: bool = False, **kwargs) -> None:
    """A page, its view restrictions, a site, a locale, an activity or an activity's place in a lesson changed: every
    process looks its training content up again (``courses.page_memory``)."""
    if not raw and isinstance(instance, Page | PageViewRestriction | Site | Locale | Activity | LessonActivity):
        tree_changed()


def connect() -> None:
    post_save.connect(apply_rules_to_staff_member, sender=StaffProfile, dispatch_uid="courses_assignment_rules")
    post_save.connect(apply_rules_to_account, sender=get_user_model(), dispatch_uid="courses_assignment_rules_account")
    copy_for_translation_done.connect(link_translated_activities, dispatch_uid="courses_translated_activities")
    # Any page or activity model: a receiver per type would miss the types other apps add.
    post_save.connect(forget_pages, dispatch_uid="courses_forget_pages_saved")
    post_delete.connect(forget_pages, dispatch_uid="courses_forget_pages_deleted")
    for signal in (page_published, page_unpublished, page_slug_changed, post_page_move):
        signal.connect(tree_changed, dispatch_uid="courses_forget_pages")
