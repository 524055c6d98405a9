"""Give every site the training roles: Learners, Trainers, Managers and Administrators."""

from django.apps import apps as installed_apps
from django.db import migrations


def set_up_roles(apps, schema_editor):
    # The roles name permissions of every installed app (module apps' snippets among them), so this
    # runs the app's own function on the installed models rather than on historical ones.
    from courses.roles import set_up_roles

    set_up_roles()


class Migration(migrations.Migration):
    dependencies = [
        ("courses", "0005_sweep_indexes"),
        # The last migrations of the apps whose permissions the roles hold, some of which make them.
        ("auth", "0012_alter_user_first_name_max_length"),
        ("contenttypes", "0002_remove_content_type_name"),
        ("wagtailcore", "0098_apitoken"),
        ("wagtailadmin", "0006_formstate"),
        ("wagtailimages", "0027_image_description"),
        ("wagtaildocs", "0014_alter_document_file_size"),
    ]
    # A site in one language may leave simple_translation out; where it is installed, trainers may translate.
    if installed_apps.is_installed("wagtail.contrib.simple_translation"):
        dependencies.append(("simple_translation", "0001_initial"))

    operations = [migrations.RunPython(set_up_roles, migrations.RunPython.noop)]
