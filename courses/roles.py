"""The four roles of the training apps, as groups with permissions.

- *Learners* take their training on the site; they need no permission and no admin access.
- *Trainers* author courses and activities and enrol staff; they follow the whole organisation.
- *Managers* follow their own team (everyone whose chain of managers reaches them) in the admin.
- *Administrators* do what trainers do, manage staff profiles, assignment rules, accounts and groups.

:func:`set_up_roles` creates the groups or completes them; it never takes a permission away, so
what a site changes in the admin's Groups screen stays. A data migration runs it on every new site;
the demo runs it again once its page tree exists, to give trainers the training index pages.

Apps that build on ``courses`` give the roles their own permissions through the Wagtail hook
:data:`ROLE_PERMISSIONS_HOOK`: a function returning ``{role name: ["app_label.codename", ...]}``.
"""

from __future__ import annotations

from django.apps import apps
from django.contrib.auth.management import create_permissions
from django.contrib.auth.models import Group, Permission
from django.db.models import Q
from wagtail import hooks
from wagtail.contrib.settings.registry import registry as settings_registry
from wagtail.models import Collection, GroupCollectionPermission, GroupPagePermission
from wagtail.snippets.models import get_snippet_models

from courses.content import training_modules
from courses.models import TrainingIndexPage

ROLE_PERMISSIONS_HOOK = "register_training_role_permissions"

LEARNERS = "Learners"
TRAINERS = "Trainers"
MANAGERS = "Managers"
ADMINISTRATORS = "Administrators"

#: Permissions on learner records, by role: trainers enrol, managers look.
TRAINER_RECORD_PERMISSIONS = [
    "add_enrollment",
    "change_enrollment",
    "view_enrollment",
    "view_staffprofile",
    "add_staffprofile",
]
MANAGER_RECORD_PERMISSIONS = ["view_enrollment", "view_staffprofile"]
#: Models whose every permission administrators hold, besides the trainers'.
ADMINISTERED_MODELS = [
    ("courses", "enrollment"),
    ("courses", "staffprofile"),
    ("courses", "assignmentrule"),
    ("auth", "user"),
    ("auth", "group"),
]
PAGE_PERMISSIONS = ["add_page", "change_page", "publish_page", "lock_page", "unlock_page"]
MEDIA_PERMISSIONS = [
    ("wagtailimages", ["add_image", "change_image", "choose_image"]),
    ("wagtaildocs", ["add_document", "change_document", "choose_document"]),
]


def set_up_roles() -> dict[str, Group]:
    """Create (or complete) the Learners, Trainers, Managers and Administrators groups. Safe to run again."""
    # Permissions are made after migrations; make those of every installed app now, so that a
    # migration running this gives complete roles on a new site.
    for app_config in apps.get_app_configs():
        create_permissions(app_config, verbosity=0)
    # Snippets are registered by the apps' wagtail_hooks modules.
    hooks.search_for_hooks()

    names = (LEARNERS, TRAINERS, MANAGERS, ADMINISTRATORS)
    groups = {name: Group.objects.get_or_create(name=name)[0] for name in names}
    admin_access = Permission.objects.get(content_type__app_label="wagtailadmin", codename="access_admin")
    trainer_permissions = list(trainer_model_permissions())
    groups[TRAINERS].permissions.add(admin_access, *trainer_permissions)
    groups[MANAGERS].permissions.add(admin_access, *_permissions("courses", MANAGER_RECORD_PERMISSIONS))
    administered = Q()
    for app_label, model in ADMINISTERED_MODELS:
        administered |= Q(content_type__app_label=app_label, content_type__model=model)
    groups[ADMINISTRATORS].permissions.add(admin_access, *trainer_permissions, *Permission.objects.filter(administered))
    for declare in hooks.get_hooks(ROLE_PERMISSIONS_HOOK):
        for role, names in declare().items():
            for name in names:
                app_label, codename = name.split(".")
                groups[role].permissions.add(*_permissions(app_label, [codename]))
    grant_training_pages([groups[TRAINERS], groups[ADMINISTRATORS]])
    return groups


def grant_training_pages(groups: list[Group]) -> None:
    """Let ``groups`` write under every training index and add images and documents."""
    page_permissions = _permissions("wagtailcore", PAGE_PERMISSIONS)
    media_permissions = [
        permission for app_label, codenames in MEDIA_PERMISSIONS for permission in _permissions(app_label, codenames)
    ]
    root_collection = Collection.get_first_root_node()
    for group in groups:
        for index in TrainingIndexPage.objects.all():
            for permission in page_permissions:
                GroupPagePermission.objects.get_or_create(group=group, page=index, permission=permission)
        if root_collection is None:
            continue
        for permission in media_permissions:
            GroupCollectionPermission.objects.get_or_create(
                group=group, collection=root_collection, permission=permission
            )


def trainer_model_permissions():
    """Everything trainers author: the training apps' snippets and settings, and enrolments."""
    training_apps = {"courses", *(module.label for module in training_modules())}
    authored = [
        model for model in [*get_snippet_models(), *settings_registry] if model._meta.app_label in training_apps
    ]
    by_model = Q()
    for model in authored:
        by_model |= Q(content_type__app_label=model._meta.app_label, content_type__model=model._meta.model_name)
    records = Q(content_type__app_label="courses", codename__in=TRAINER_RECORD_PERMISSIONS)
    translation = Q(content_type__app_label="simple_translation", codename="submit_translation")
    return Permission.objects.filter(by_model | records | translation)


def _permissions(app_label: str, codenames: list[str]):
    return Permission.objects.filter(content_type__app_label=app_label, codename__in=codenames)
