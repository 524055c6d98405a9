"""The demo's groups: learners, trainers who author courses and enrol staff, managers who follow their team."""

from django.contrib.auth.models import Group, Permission
from django.db.models import Q
from wagtail.contrib.settings.registry import registry as settings_registry
from wagtail.models import Collection, GroupCollectionPermission, GroupPagePermission
from wagtail.snippets.models import get_snippet_models

from courses.content import training_modules
from courses.models import TrainingIndexPage

TRAINER_RECORD_PERMISSIONS = [
    "add_enrollment",
    "change_enrollment",
    "view_enrollment",
    "view_staffprofile",
    "add_staffprofile",
    "add_learningpath",
    "change_learningpath",
    "view_learningpath",
]
# Trainers see the reminders and resend one (the change permission); nobody edits them.
TRAINER_REMINDER_PERMISSIONS = ["view_reminder", "change_reminder"]
MANAGER_PERMISSIONS = ["view_enrollment", "view_staffprofile", "view_learningpath"]
#: Certificates: trainers keep the register, revoke and re-issue; managers see their team's.
TRAINER_CERTIFICATE_PERMISSIONS = ["view_certificate", "revoke_certificate", "reissue_certificate"]
MANAGER_CERTIFICATE_PERMISSIONS = ["view_certificate"]
PAGE_PERMISSIONS = ["add_page", "change_page", "publish_page", "lock_page", "unlock_page"]


def set_up_groups() -> dict[str, Group]:
    """Create (or complete) the Learners, Trainers and Managers groups. Safe to run again."""
    trainers, _ = Group.objects.get_or_create(name="Trainers")
    managers, _ = Group.objects.get_or_create(name="Managers")
    learners, _ = Group.objects.get_or_create(name="Learners")

    admin_access = Permission.objects.get(content_type__app_label="wagtailadmin", codename="access_admin")
    trainers.permissions.add(admin_access, *trainer_model_permissions())
    managers.permissions.add(
        admin_access,
        *Permission.objects.filter(content_type__app_label="courses", codename__in=MANAGER_PERMISSIONS),
        *Permission.objects.filter(
            content_type__app_label="certificates", codename__in=MANAGER_CERTIFICATE_PERMISSIONS
        ),
    )

    page_permissions = Permission.objects.filter(content_type__app_label="wagtailcore", codename__in=PAGE_PERMISSIONS)
    for index in TrainingIndexPage.objects.all():
        for permission in page_permissions:
            GroupPagePermission.objects.get_or_create(group=trainers, page=index, permission=permission)

    root_collection = Collection.get_first_root_node()
    media_permissions = Permission.objects.filter(
        Q(content_type__app_label="wagtailimages", codename__in=["add_image", "change_image", "choose_image"])
        | Q(content_type__app_label="wagtaildocs", codename__in=["add_document", "change_document", "choose_document"])
    )
    for permission in media_permissions:
        GroupCollectionPermission.objects.get_or_create(
            group=trainers, collection=root_collection, permission=permission
        )
    return {"Trainers": trainers, "Managers": managers, "Learners": learners}


def trainer_model_permissions():
    """Everything trainers author: the training apps' snippets and settings, paths and enrolments."""
    training_apps = {"courses", "certificates", "reminders", *(module.label for module in training_modules())}
    authored = [
        model for model in [*get_snippet_models(), *settings_registry] if model._meta.app_label in training_apps
    ]
    by_model = Q()
    for model in authored:
        by_model |= Q(content_type__app_label=model._meta.app_label, content_type__model=model._meta.model_name)
    records = (
        Q(content_type__app_label="courses", codename__in=TRAINER_RECORD_PERMISSIONS)
        | Q(content_type__app_label="certificates", codename__in=TRAINER_CERTIFICATE_PERMISSIONS)
        | Q(content_type__app_label="reminders", codename__in=TRAINER_REMINDER_PERMISSIONS)
    )
    translation = Q(content_type__app_label="simple_translation", codename="submit_translation")
    return Permission.objects.filter(by_model | records | translation)
