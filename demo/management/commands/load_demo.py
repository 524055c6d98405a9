import datetime

from django.conf import settings
from django.contrib.auth.models import Group, User
from django.core.management import call_command
from django.core.management.base import BaseCommand, CommandError
from django.db import transaction
from django.utils import timezone, translation
from django.utils.translation import gettext
from wagtail.models import Locale, Page, Site

from courses.content import content_key
from courses.models import (
    CourseCompletion,
    CoursePage,
    Enrollment,
    LearningPath,
    StaffProfile,
    TrainingIndexPage,
)
from demo.roles import set_up_groups

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
    ("manager", ("Mehdi", "Rahimi"), "Managers", "manages the learner and the veteran"),
    ("learner", ("Leila", "Ahmadi"), "Learners", "a new hire, on the onboarding path"),
    ("veteran", ("Vahid", "Sadeghi"), "Learners", "an employee since 2019, trained last year"),
]


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
            groups = set_up_groups()
            created = self.set_up_accounts(groups)
        self.stdout.write("\nDemo accounts (the password is the username):")
        for username, _name, _group, description in ACCOUNTS:
            note = "" if username in created else " (already there)"
            self.stdout.write(f"  {username:<8}  {description}{note}")

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

        today = timezone.localdate()
        if "manager" in created:
            StaffProfile.objects.create(
                user=users["manager"], hire_date=datetime.date(2016, 4, 2), department="Customer service"
            )
        if "learner" in created:
            # A new hire: creating the profile enrols her in the onboarding path.
            StaffProfile.objects.create(
                user=users["learner"],
                hire_date=today - datetime.timedelta(days=6),
                department="Customer service",
                manager=users["manager"],
                preferred_language="fa",
            )
            self.set_onboarding_due_dates(users["learner"], today)
        if "veteran" in created:
            StaffProfile.objects.create(
                user=users["veteran"],
                hire_date=datetime.date(2019, 9, 14),
                department="Customer service",
                manager=users["manager"],
                preferred_language="en",
            )
            self.record_past_training(users["veteran"], users["trainer"])
        return created

    def set_onboarding_due_dates(self, user: User, today: datetime.date) -> None:
        path = LearningPath.objects.onboarding().first()
        if path is None:
            return
        for week, step in enumerate(path.steps.all(), start=1):
            Enrollment.objects.for_course(step.course).filter(user=user).update(
                due_date=today + datetime.timedelta(weeks=week)
            )

    def record_past_training(self, user: User, trainer: User) -> None:
        """The veteran took every course a year ago: enrolments with completions on record."""
        a_year_ago = timezone.now() - datetime.timedelta(days=365)
        courses = CoursePage.objects.canonical().filter(locale=Locale.get_default()).live()
        for course in courses:
            enrollment, _ = Enrollment.objects.enrol(
                user, course, source=Enrollment.Source.ASSIGNED, assigned_by=trainer
            )
            Enrollment.objects.filter(pk=enrollment.pk).update(enrolled_at=a_year_ago - datetime.timedelta(days=20))
            CourseCompletion.objects.get_or_create(
                enrollment=enrollment, cycle=1, defaults={"completed_at": a_year_ago}
            )
