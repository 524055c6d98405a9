from django.conf import settings
from django.contrib.auth.models import Group, User
from django.core.management import call_command
from django.core.management.base import BaseCommand, CommandError
from django.db import transaction
from django.utils import translation
from django.utils.translation import gettext
from wagtail.models import Locale, Page, Site

from certificates.models import CertificateTemplate
from courses.content import content_key
from courses.models import (
    CoursePage,
    TrainingIndexPage,
)
from courses.roles import set_up_roles
from demo.organisation import build_organisation

INTRO = {
    "en": "<p>Short, practical courses for everyone who serves customers: empathy, active listening, "
    "handling angry customers and acting within your authority.</p>",
    "fa": "<p>دوره‌های کوتاه و کاربردی برای همهٔ کسانی که به مشتری خدمت می‌کنند: همدلی، گوش‌دادن فعال، "
    "برخورد با مشتری خشمگین و تصمیم‌گیری در حدود اختیارات.</p>",
}


def site_name(language_code: str) -> str:
    """The site's name in a language, as every page's header gives it: the home page's title."""
    with translation.override(language_code):
        return gettext("Service training")


ACCOUNTS = [
    # username, name, group, description
    ("admin", ("Azadeh", "Karimi"), None, "superuser"),
    ("trainer", ("Taraneh", "Moradi"), "Trainers", "authors courses and enrols staff"),
    ("manager", ("Mehdi", "Rahimi"), "Managers", "manages the customer service team"),
    ("learner", ("Leila", "Ahmadi"), "Learners", "a new hire, on the onboarding rule"),
    ("veteran", ("Vahid", "Sadeghi"), "Learners", "trained last year: refreshers due"),
]
#: Shown after the accounts: the rest of the demo organisation, whose passwords are their usernames too.
OTHER_STAFF = "branch_manager (manages the branch team), director (manages both managers), and 16 more staff"


class Command(BaseCommand):
    help = "Build the demo site: page tree in English and Persian, the training modules, groups and demo accounts."

    def add_arguments(self, parser):
        parser.add_argument("--force", action="store_true", help="Run even though DEBUG is off.")

    def handle(self, *args, force: bool, **options):
        if not settings.DEBUG and not force:
            raise CommandError(
                "load_demo creates accounts whose password is their username, so it refuses to run with "
                "DEBUG off. Use --force if this really is a demo."
            )
        with transaction.atomic():
            self.set_up_locales()
            self.set_up_home()
            call_command("load_training_modules", stdout=self.stdout)
            groups = set_up_roles()
            created = self.set_up_accounts(groups)
            self.set_up_certificate_templates()
        # Past completions get their certificates: created pending here, rendered by the task worker.
        call_command("issue_certificates", stdout=self.stdout)
        self.stdout.write("\nDemo accounts (the password is the username):")
        for username, _name, _group, description in ACCOUNTS:
            note = "" if username in created else " (already there)"
            self.stdout.write(f"  {username:<8}  {description}{note}")
        self.stdout.write(f"  and {OTHER_STAFF}")

    def set_up_locales(self) -> None:
        for code, _name in settings.WAGTAIL_CONTENT_LANGUAGES:
            Locale.objects.get_or_create(language_code=code)

    def set_up_home(self) -> None:
        """Make a training index the home page, in each language, replacing Wagtail's welcome page."""
        site = Site.objects.get(is_default_site=True)
        if isinstance(site.root_page.specific, TrainingIndexPage):
            return
        welcome = site.root_page
        default = Locale.get_default()
        home = TrainingIndexPage(
            title=site_name(default.language_code),
            slug="training",
            intro=INTRO[default.language_code],
            translation_key=content_key("index"),
            locale=default,
        )
        Page.get_first_root_node().add_child(instance=home)
        home.save_revision().publish()
        site.root_page = home
        site.save()
        if welcome.specific_class is Page and not welcome.get_children().exists():
            welcome.delete()
        for locale in Locale.objects.exclude(pk=default.pk):
            translation = home.copy_for_translation(locale)
            translation.title = translation.draft_title = site_name(locale.language_code)
            translation.intro = INTRO.get(locale.language_code, home.intro)
            translation.save_revision().publish()

    def set_up_certificate_templates(self) -> None:
        """One certificate design per language, for trainers to edit."""
        for language in (CertificateTemplate.Language.PERSIAN, CertificateTemplate.Language.ENGLISH):
            if CertificateTemplate.objects.filter(language=language).exists():
                continue
            template = CertificateTemplate.built_in(language)
            template.name = {"fa": "گواهی پایان دوره", "en": "Certificate of completion"}[language]
            template.signatory_name = {"fa": "ترانه مرادی", "en": "Taraneh Moradi"}[language]
            template.signatory_title = {"fa": "مسئول آموزش", "en": "Head of training"}[language]
            template.save()
            template.save_revision(log_action=False)

    def set_up_accounts(self, groups: dict[str, Group]) -> set[str]:
        created = set()
        users = {}
        for username, (first_name, last_name), group_name, _description in ACCOUNTS:
            user, is_new = User.objects.get_or_create(
                username=username,
                defaults={
                    "first_name": first_name,
                    "last_name": last_name,
                    "email": f"{username}@example.com",
                    "is_staff": username == "admin",
                    "is_superuser": username == "admin",
                },
            )
            if is_new:
                user.set_password(username)
                user.save()
                created.add(username)
                if group_name:
                    user.groups.add(groups[group_name])
            users[username] = user

        if "learner" in created:
            courses = list(CoursePage.objects.canonical().filter(locale=Locale.get_default()).live().order_by("path"))
            build_organisation(users, groups, courses)
        return created
