"""The training site's page tree: a training index, course pages under it, lesson pages under a course.

Courses and lessons exist once per language (Wagtail's translated page trees).
Learner records point at the *canonical* page of a translation set, the one
created first, so that a learner's progress is the same in every language.
"""

from __future__ import annotations

import copy
import datetime
import uuid
from dataclasses import dataclass
from typing import TYPE_CHECKING, ClassVar
from urllib.parse import quote

from django.contrib import messages
from django.contrib.auth.views import redirect_to_login
from django.core.exceptions import ValidationError
from django.core.validators import MaxValueValidator, MinValueValidator
from django.db import models
from django.db.models import Q
from django.http import Http404, HttpRequest, HttpResponse, HttpResponseForbidden, HttpResponseNotAllowed
from django.shortcuts import redirect
from django.template.response import TemplateResponse
from django.utils.cache import patch_cache_control
from django.utils.functional import cached_property
from django.utils.translation import get_language, gettext
from django.utils.translation import gettext_lazy as _
from modelcluster.fields import ParentalKey
from wagtail.admin.panels import FieldPanel, FieldRowPanel, InlinePanel, MultiFieldPanel, ObjectList, TabbedInterface
from wagtail.contrib.routable_page.models import RoutablePageMixin, path
from wagtail.fields import RichTextField, StreamField
from wagtail.models import Orderable, Page, PageManager, PageViewRestriction
from wagtail.query import PageQuerySet

from courses.blocks import LessonStreamBlock
from courses.conf import get_setting
from courses.formatting import local_digits
from courses.forms import CoursePageForm
from courses.models.activities import Activity, ActivityQuerySet, ActivityState, SubmissionError
from courses.models.expressions import count_rows, sum_of
from courses.models.policy import RefresherPolicy, Renewal
from courses.page_memory import remembered
from courses.panels import TranslationsPanel
from courses.throttling import allow_submission

if TYPE_CHECKING:
    from courses.models.learners import Enrollment
    from courses.progress import LessonVisit


#: Why a submission past the rate limit is refused.
TOO_MANY_SUBMISSIONS = _("You have sent many answers in the last minute. Wait a minute, then submit again.")


def default_pass_mark() -> int:
    return get_setting("DEFAULT_PASS_MARK")


class TrainingPageMixin:
    """What the training page types share: fewer queries for the pages learners visit most."""

    def get_view_restrictions(self):
        """The view restrictions of this page and its ancestors, and of their translations, in one query.

        Same rules as Wagtail's: an alias page takes the restrictions of its source page. Beyond
        Wagtail's, a restriction set on a page in one language protects that page's translations
        and everything under them: a course restricted in English is restricted in Persian too.
        """
        paths = [self.path[:end] for end in range(self.steplen, len(self.path) + 1, self.steplen)]

        def find() -> list[int]:
            ancestor_keys = Page.objects.filter(path__in=paths).values("translation_key")
            restrictions = PageViewRestriction.objects.filter(
                Q(page__translation_key__in=ancestor_keys, page__alias_of__isnull=True)
                | Q(page__aliases__path__in=paths)
            )
            return list(restrictions.values_list("pk", flat=True).distinct())

        # Which restrictions apply is remembered until the content changes (``courses.page_memory``); most pages
        # have none, and then cost no query.
        restriction_ids = remembered(("restrictions", self.path), find)
        if not restriction_ids:
            return PageViewRestriction.objects.none()
        return PageViewRestriction.objects.filter(pk__in=restriction_ids)

    def serve(self, request, *args, **kwargs):
        """Serve the page, kept out of shared caches; out of every cache once it shows a learner's own records."""
        response = super().serve(request, *args, **kwargs)
        if request.user.is_authenticated:
            patch_cache_control(response, private=True, no_store=True)
        else:
            patch_cache_control(response, private=True)
        return response

    @property
    def localized(self):
        """This page in the active language, as Wagtail finds it, remembered by each process until the content
        changes: Wagtail's routing asks it of the site's root page on every request."""
        found = remembered(("localized", self.pk, get_language()), lambda: super(TrainingPageMixin, self).localized)
        return copy.copy(found)

    @classmethod
    def find_with_translations(cls, url_path: str) -> Page | None:
        """The page at ``url_path``, with ``prefetched_translations`` (itself included), in one query.

        Each process remembers what it found until the page tree changes (``courses.page_memory``);
        every call gets its own copy of the page, free to be given attributes.
        """

        def find() -> list[Page]:
            translation_key = Page.objects.filter(url_path=url_path).values("translation_key")[:1]
            return list(cls.objects.filter(translation_key=models.Subquery(translation_key)).select_related("locale"))

        pages = remembered((cls._meta.label, url_path), find)
        found = next((page for page in pages if page.url_path == url_path), None)
        if found is None:
            return None
        page = copy.copy(found)
        page.prefetched_translations = [page if translation is found else translation for translation in pages]
        return page

    @property
    def canonical_id(self) -> int:
        """The id of the page that stands for all translations of this one in learner records: the first made."""
        translations = getattr(self, "prefetched_translations", None)
        if translations:
            return min(page.pk for page in translations)
        return Page.objects.filter(translation_key=self.translation_key).order_by("pk").values_list("pk", flat=True)[0]


class TrainingIndexPage(TrainingPageMixin, Page):
    """The course catalogue: every live course under it, with the learner's status."""

    intro = RichTextField(_("introduction"), blank=True, features=["bold", "italic", "link"])

    content_panels = [*Page.content_panels, FieldPanel("intro")]
    subpage_types = ["courses.CoursePage"]
    template = "courses/training_index_page.html"

    class Meta:
        verbose_name = _("training index")

    def route(self, request, path_components):
        """Route to a course, a lesson or one of their subpages.

        Wagtail walks the tree one query per level and another for each page's
        specific type; courses and lessons are found here by their URL path
        instead, one query each, with their translations for the language switcher.
        """
        if not path_components:
            return super().route(request, path_components)
        course_slug, *rest = path_components
        course = CoursePage.find_with_translations(f"{self.url_path}{course_slug}/")
        if course is None:
            raise Http404
        course._cached_parent_obj = self
        if rest:
            lesson = LessonPage.find_with_translations(f"{course.url_path}{rest[0]}/")
            if lesson is not None:
                lesson._cached_parent_obj = course
                lesson.__dict__["course"] = course
                return lesson.route(request, rest[1:])
        return course.route(request, rest)

    def get_context(self, request, *args, **kwargs):
        from courses.models.learners import Enrollment

        context = super().get_context(request, *args, **kwargs)
        courses = list(CoursePage.objects.child_of(self).live().public().with_lesson_counts().with_lesson_minutes())
        enrollments = Enrollment.objects.for_user(request.user).by_translation_key(courses)
        for course in courses:
            course.enrollment = enrollments.get(course.translation_key)
        context.update(training_index=self, courses=courses)
        return context


@dataclass
class LessonEntry:
    """A lesson as the course page and the lesson page's menu list it: a row, not a page object."""

    #: The lesson page's fields an entry holds.
    FIELDS: ClassVar[tuple[str, ...]] = (
        "pk",
        "title",
        "path",
        "translation_key",
        "summary",
        "estimated_minutes",
        "required",
        "in_refreshers",
    )

    pk: int
    title: str
    path: str
    translation_key: uuid.UUID
    summary: str
    estimated_minutes: int
    required: bool
    in_refreshers: bool
    url: str
    #: The learner's progress in the current cycle: None if not complete, else whether tested out.
    progress: bool | None = None

    def __str__(self) -> str:
        return self.title

    @property
    def is_complete(self) -> bool:
        return self.progress is not None

    @property
    def is_tested_out(self) -> bool:
        return bool(self.progress)


class TestOut(models.TextChoices):
    NEVER = "never", _("Never")
    REFRESHERS = "refreshers", _("At the start of a refresher")
    ALWAYS = "always", _("At the start of a refresher and the first time")


class CoursePageQuerySet(PageQuerySet):
    def canonical(self) -> CoursePageQuerySet:
        """Only the canonical course of each translation set: the one learner records point at."""
        earlier = Page.objects.filter(translation_key=models.OuterRef("translation_key"), pk__lt=models.OuterRef("pk"))
        return self.exclude(models.Exists(earlier))

    def with_lesson_counts(self) -> CoursePageQuerySet:
        """Annotate ``lesson_count``: the live lessons of each course."""
        lessons = LessonPage.objects.filter(
            live=True, depth=models.OuterRef("depth") + 1, path__startswith=models.OuterRef("path")
        )
        return self.annotate(lesson_count=count_rows(lessons))

    def with_lesson_minutes(self) -> CoursePageQuerySet:
        """Annotate ``lesson_minutes``: the estimated minutes of each course's live lessons, added up."""
        lessons = LessonPage.objects.filter(
            live=True, depth=models.OuterRef("depth") + 1, path__startswith=models.OuterRef("path")
        )
        return self.annotate(lesson_minutes=sum_of(lessons, "estimated_minutes"))


class CoursePage(TrainingPageMixin, RoutablePageMixin, Page):
    """A course: a summary, an introduction, and lessons as child pages."""

    summary = models.TextField(_("summary"), max_length=500, help_text=_("One or two sentences for the catalogue."))
    body = StreamField(LessonStreamBlock(), blank=True, verbose_name=_("introduction"))
    estimated_minutes = models.PositiveSmallIntegerField(
        _("estimated minutes"),
        null=True,
        blank=True,
        validators=[MinValueValidator(1)],
        help_text=_("Leave blank to add up the estimated minutes of the course's lessons."),
    )
    pass_mark = models.PositiveSmallIntegerField(
        _("pass mark"),
        default=default_pass_mark,
        validators=[MinValueValidator(1), MaxValueValidator(100)],
        help_text=_("The score, in percent, a learner needs on each graded activity."),
    )
    allow_self_enrolment = models.BooleanField(
        _("learners may enrol themselves"),
        default=True,
        help_text=_("Otherwise only trainers and assignment rules enrol learners."),
    )
    renewal = models.CharField(_("completions expire"), max_length=20, choices=Renewal.choices, default=Renewal.NEVER)
    renew_every_months = models.PositiveSmallIntegerField(
        _("valid for (months)"), default=12, validators=[MinValueValidator(1), MaxValueValidator(120)]
    )
    renew_on_month = models.PositiveSmallIntegerField(
        _("expiry month"), choices=[(month, month) for month in range(1, 13)], default=12
    )
    renew_on_day = models.PositiveSmallIntegerField(
        _("expiry day"), default=31, validators=[MinValueValidator(1), MaxValueValidator(31)]
    )
    refresher_window_days = models.PositiveSmallIntegerField(
        _("refresher opens (days before expiry)"), default=30, validators=[MaxValueValidator(365)]
    )
    grace_days = models.PositiveSmallIntegerField(
        _("grace period (days after expiry)"), default=0, validators=[MaxValueValidator(365)]
    )
    test_out = models.CharField(
        _("learners may test out"),
        max_length=20,
        choices=TestOut.choices,
        default=TestOut.NEVER,
        help_text=_(
            "A test-out is one check made of the graded activities of the lessons a cycle requires; "
            "each lesson passed there counts as done."
        ),
    )

    objects = PageManager.from_queryset(CoursePageQuerySet)()
    base_form_class = CoursePageForm

    content_panels = [
        TranslationsPanel(heading=_("Languages")),
        *Page.content_panels,
        FieldPanel("summary"),
        FieldPanel("estimated_minutes"),
        FieldPanel("body"),
    ]
    completion_panels = [
        FieldPanel("pass_mark"),
        FieldPanel("allow_self_enrolment"),
        MultiFieldPanel(
            [
                FieldPanel("renewal"),
                FieldPanel("renew_every_months"),
                FieldRowPanel([FieldPanel("renew_on_month"), FieldPanel("renew_on_day")]),
                FieldRowPanel([FieldPanel("refresher_window_days"), FieldPanel("grace_days")]),
            ],
            heading=_("Refreshers"),
            help_text=_(
                "Each completion keeps the dates this policy gives it when it is recorded. A refresher "
                "requires the lessons marked “required in refreshers”."
            ),
        ),
        FieldPanel("test_out"),
    ]
    edit_handler = TabbedInterface(
        [
            ObjectList(content_panels, heading=_("Content")),
            ObjectList(completion_panels, heading=_("Completion")),
            ObjectList(Page.promote_panels, heading=_("Promote")),
        ]
    )

    parent_page_types = ["courses.TrainingIndexPage"]
    subpage_types = ["courses.LessonPage"]
    template = "courses/course_page.html"

    class Meta:
        verbose_name = _("course")

    def clean(self):
        super().clean()
        if self.renewal == Renewal.FIXED_DATE:
            try:
                datetime.date(2028, self.renew_on_month, self.renew_on_day)  # a leap year: 29 February is fine
            except ValueError:
                raise ValidationError({"renew_on_day": _("That month has no such day.")}) from None

    @property
    def refresher_policy(self) -> RefresherPolicy:
        """This course's policy. Learner records follow the canonical course's: read it from that one."""
        return RefresherPolicy(
            renewal=self.renewal,
            every_months=self.renew_every_months,
            fixed_month=self.renew_on_month,
            fixed_day=self.renew_on_day,
            window_days=self.refresher_window_days,
            grace_days=self.grace_days,
        )

    def allows_test_out(self, is_refresher: bool) -> bool:
        return self.test_out == TestOut.ALWAYS or (is_refresher and self.test_out == TestOut.REFRESHERS)

    def lessons(self) -> PageQuerySet:
        return LessonPage.objects.child_of(self).live()

    def lesson_total_minutes(self) -> int:
        """The estimated minutes of the live lessons, added up.

        Reads ``lesson_minutes`` where :meth:`CoursePageQuerySet.with_lesson_minutes` annotated it.
        """
        if getattr(self, "lesson_minutes", None) is None:
            self.lesson_minutes = self.lessons().aggregate(total=models.Sum("estimated_minutes"))["total"] or 0
        return self.lesson_minutes

    def estimated_time(self) -> int:
        """The minutes the course takes: the trainer's estimate if given, else the lessons' total."""
        return self.estimated_minutes or self.lesson_total_minutes()

    def lessons_with_progress(
        self, enrollment: Enrollment | None, request: HttpRequest | None = None
    ) -> list[LessonEntry]:
        """The live lessons as lists show them, each with ``is_complete`` and ``is_tested_out`` for the current cycle.

        Rows, not page objects, remembered by each process until the content changes (``courses.page_memory``):
        a lesson list costs about as much for a hundred lessons as for one. The learner's progress is read afresh.
        """

        def find() -> tuple[list[tuple[tuple, str]], dict[int, uuid.UUID]]:
            rows = self.lessons().order_by("path").values_list(*LessonEntry.FIELDS, "slug")
            # Progress points at the lesson page done, in any language: the id of each gives the lesson here.
            translations = LessonPage.objects.filter(translation_key__in=self.lessons().values("translation_key"))
            key_by_id = dict(translations.values_list("pk", "translation_key"))
            return [(row[:-1], f"{quote(row[-1])}/") for row in rows], key_by_id  # (fields, the URL past the course's)

        entries, key_by_id = remembered(("lessons", self.pk), find)
        progress: dict[uuid.UUID, bool] = {}
        for lesson_id, tested_out in (enrollment.lessons_done() if enrollment else {}).items():
            if lesson_id in key_by_id:
                key = key_by_id[lesson_id]
                progress[key] = progress.get(key, False) or tested_out
        base_url = self.get_url(request) or ""
        return [
            LessonEntry(*fields, url=base_url + url_end, progress=progress.get(key_by_id[fields[0]]))
            for fields, url_end in entries
        ]

    def get_context(self, request, *args, **kwargs):
        from courses.models.learners import Enrollment

        context = super().get_context(request, *args, **kwargs)
        enrollment = None
        preview = getattr(request, "is_preview", False)
        # Learner records point at the canonical course: on its page, the lesson list gives the lesson counts.
        canonical = not preview and self.pk == self.canonical_id
        if not preview:
            enrollment = (
                Enrollment.objects.with_progress_and_status(lesson_counts=not canonical)
                .for_user(request.user)
                .for_course(self)
                .first()
            )
        lessons = self.lessons_with_progress(enrollment, request)
        if enrollment is not None and canonical:
            enrollment.count_lessons(lessons)
        # The lessons are at hand: estimated_time() needs no query of its own.
        self.lesson_minutes = sum(lesson.estimated_minutes for lesson in lessons)
        context.update(
            training_index=self.get_parent(),
            lessons=lessons,
            enrollment=enrollment,
            next_lesson=next((lesson for lesson in lessons if not lesson.is_complete), None),
            tested_out=[lesson for lesson in lessons if lesson.is_tested_out],
        )
        if enrollment is not None and enrollment.course.test_out != TestOut.NEVER:
            from courses.progress import TestOutCheck

            context["test_out"] = TestOutCheck.offer(request.user, self)
        if enrollment is not None and enrollment.is_complete and enrollment.rule_id:
            context["next_course"] = self.next_course_in(enrollment.rule)
        return context

    def next_course_in(self, rule) -> CoursePage | None:
        """The course that follows this one in ``rule``'s order, in this course's language."""
        keys = [step.course.translation_key for step in rule.courses.select_related("course")]
        if self.translation_key not in keys or keys[-1] == self.translation_key:
            return None
        following = keys[keys.index(self.translation_key) + 1]
        return CoursePage.objects.live().filter(translation_key=following, locale_id=self.locale_id).first()

    @path("test-out/", name="test_out")
    def test_out_view(self, request: HttpRequest) -> HttpResponse:
        """The test-out: GET shows the check, POST grades it and returns to the course page."""
        from courses.progress import TestOutCheck

        if not request.user.is_authenticated:
            return redirect_to_login(request.get_full_path())
        check = TestOutCheck.offer(request.user, self)
        if check is None:
            messages.info(request, gettext("There is no test-out for you to take in this course now."))
            return redirect(self.url)
        context = self.get_context(request)
        if request.method == "POST":
            if not allow_submission(request.user):
                messages.error(request, TOO_MANY_SUBMISSIONS)
                context["sections"] = check.sections(request.POST)
                return TemplateResponse(request, "courses/test_out.html", context, status=429)
            try:
                tested_out = check.submit(request.POST)
            except SubmissionError as error:
                context.update(error=error, sections=check.sections(request.POST, error))
                return TemplateResponse(request, "courses/test_out.html", context, status=error.status)
            if tested_out:
                message = gettext("You tested out of %(count)s of %(total)s lessons.") % {
                    "count": local_digits(len(tested_out)),
                    "total": local_digits(len(check.lessons)),
                }
            else:
                message = gettext("You did not test out of any lesson; work through them below.")
            messages.success(request, message)
            return redirect(self.url)
        context["sections"] = check.sections()
        return TemplateResponse(request, "courses/test_out.html", context)

    @path("enrol/", name="enrol")
    def enrol(self, request: HttpRequest) -> HttpResponse:
        from courses.models.learners import Enrollment

        if request.method != "POST":
            return HttpResponseNotAllowed(["POST"])
        if not request.user.is_authenticated:
            return redirect_to_login(self.url)
        if not CoursePage.objects.get(pk=self.canonical_id).allow_self_enrolment:
            messages.error(request, gettext("This course is assigned by trainers; ask yours to enrol you."))
            return TemplateResponse(request, self.get_template(request), self.get_context(request), status=403)
        _enrollment, created = Enrollment.objects.enrol(request.user, self, source=Enrollment.Source.SELF)
        if created:
            messages.success(request, gettext("You are enrolled. Start with the first lesson."))
        return redirect(self.url)


class LessonPage(TrainingPageMixin, RoutablePageMixin, Page):
    """A lesson: content blocks, then an ordered list of activities."""

    summary = models.TextField(_("summary"), blank=True, max_length=500)
    body = StreamField(LessonStreamBlock(), verbose_name=_("content"))
    estimated_minutes = models.PositiveSmallIntegerField(
        _("estimated minutes"), default=10, validators=[MinValueValidator(1)]
    )
    required = models.BooleanField(
        _("required"), default=True, help_text=_("Learners must complete this lesson to complete the course.")
    )
    in_refreshers = models.BooleanField(
        _("required in refreshers"),
        default=True,
        help_text=_("Untick to leave this required lesson out of refresher cycles: a shorter refresher path."),
    )

    content_panels = [
        *Page.content_panels,
        FieldPanel("summary"),
        FieldPanel("estimated_minutes"),
        FieldRowPanel([FieldPanel("required"), FieldPanel("in_refreshers")]),
        FieldPanel("body"),
        InlinePanel("activity_links", heading=_("Activities"), label=_("activity")),
    ]

    parent_page_types = ["courses.CoursePage"]
    subpage_types: list[str] = []
    template = "courses/lesson_page.html"

    class Meta:
        verbose_name = _("lesson")

    @cached_property
    def course(self) -> CoursePage:
        return CoursePage.objects.get(path=self.path[: -self.steplen])

    def live_activities(self) -> list[Activity]:
        """The lesson's live activities in order, each as its own type.

        Each process remembers them until the content changes (``courses.page_memory``); every call gets its
        own copies, free to be given attributes.
        """

        def find() -> list[Activity]:
            return (
                Activity.objects.live().filter(lesson_links__lesson=self).order_by("lesson_links__sort_order").typed()
            )

        return [copy.copy(activity) for activity in remembered(("activities", self.pk), find)]

    def required_activities(self) -> ActivityQuerySet:
        """What completing this lesson takes: the live activities of every live translation of it."""
        return Activity.objects.live().filter(
            lesson_links__lesson__translation_key=self.translation_key, lesson_links__lesson__live=True
        )

    def submit_url(self, activity: Activity) -> str:
        return self.url + self.reverse_subpage("submit", args=[activity.pk])

    # Learner views. GET shows the lesson; every change of state is a POST.

    @path("")
    def lesson(self, request: HttpRequest) -> HttpResponse:
        from courses.progress import LessonVisit

        if getattr(request, "is_preview", False):
            return self.render_lesson(request, visit=None)
        if not request.user.is_authenticated:
            return redirect_to_login(request.get_full_path())
        visit = LessonVisit.start(request.user, self)
        if visit is None:
            messages.info(request, gettext("Enrol in this course to start its lessons."))
            return redirect(self.course.url)
        return self.render_lesson(request, visit)

    @path("activities/<int:activity_id>/", name="submit")
    def submit(self, request: HttpRequest, activity_id: int) -> HttpResponse:
        visit = self._visit_for_post(request)
        if isinstance(visit, HttpResponse):
            return visit
        activity = next((a for a in visit.activities if a.pk == activity_id), None)
        if activity is None:
            messages.error(request, gettext("That activity is not part of this lesson."))
            return self.render_lesson(request, visit, status=404)
        if not allow_submission(request.user):
            messages.error(request, TOO_MANY_SUBMISSIONS)
            return self.render_lesson(request, visit, status=429)
        try:
            activity.submit(request, visit)
        except SubmissionError as error:
            return self.render_lesson(request, visit, refused=(activity, error), status=error.status)
        return redirect(f"{self.url}#activity-{activity.pk}")

    @path("complete/", name="complete")
    def complete(self, request: HttpRequest) -> HttpResponse:
        from courses.progress import complete_reading

        visit = self._visit_for_post(request)
        if isinstance(visit, HttpResponse):
            return visit
        if self.required_activities().exists():
            messages.error(request, gettext("This lesson is complete once its activities are passed."))
            return self.render_lesson(request, visit, status=409)
        complete_reading(visit)
        next_lesson = visit.next_lesson()
        return redirect(next_lesson.url if next_lesson else visit.course.url)

    def _visit_for_post(self, request: HttpRequest) -> LessonVisit | HttpResponse:
        from courses.progress import LessonVisit

        if request.method != "POST":
            return HttpResponseNotAllowed(["POST"])
        visit = LessonVisit.start(request.user, self) if request.user.is_authenticated else None
        if visit is None:
            return HttpResponseForbidden(
                gettext("You are not enrolled in this course."), content_type="text/plain; charset=utf-8"
            )
        return visit

    def render_lesson(
        self,
        request: HttpRequest,
        visit: LessonVisit | None,
        refused: tuple[Activity, SubmissionError] | None = None,
        status: int = 200,
    ) -> HttpResponse:
        """Render the lesson; ``refused`` re-fills the form of a refused submission with its errors."""
        context = self.get_context(request)
        context["training_index"] = self.course.get_parent()
        if visit is None:
            states = [ActivityState(activity, interactive=False) for activity in self.live_activities()]
            context.update(course=self.course, activity_states=states)
        else:
            states = visit.activity_states()
            if refused:
                activity, error = refused
                state = next(s for s in states if s.activity.pk == activity.pk)
                state.submitted, state.error = request.POST, error
            context.update(visit=visit, course=visit.course, activity_states=states)
        return TemplateResponse(request, self.get_template(request), context, status=status)


class LessonActivity(Orderable):
    """An activity's place in a lesson."""

    lesson = ParentalKey(LessonPage, on_delete=models.CASCADE, related_name="activity_links")
    activity = models.ForeignKey(
        Activity, on_delete=models.PROTECT, related_name="lesson_links", verbose_name=_("activity")
    )

    panels = [FieldPanel("activity")]

    class Meta(Orderable.Meta):
        verbose_name = _("lesson activity")
        verbose_name_plural = _("lesson activities")
        constraints = [models.UniqueConstraint(fields=["lesson", "activity"], name="unique_activity_per_lesson")]

    def __str__(self) -> str:
        return str(self.activity)
