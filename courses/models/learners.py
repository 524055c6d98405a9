"""Learner records: enrolments, their cycles, attempts, lesson progress and course completions.

Training runs in *cycles*: the first time a learner takes a course is cycle 1, and
each refresher is a new cycle of the same enrolment. Each cycle is a :class:`Cycle`
record (opened on, due on, which lessons it requires); attempts, lesson progress and
completions carry the cycle they belong to, and each completion stores the dates it
is valid for. Every past cycle stays on record, so the status of an enrolment on any
date can be worked out again from these records: see :meth:`EnrollmentQuerySet.with_status`.
"""

from __future__ import annotations

import datetime
import functools
from collections.abc import Iterable
from dataclasses import dataclass
from typing import TYPE_CHECKING

from django.conf import settings
from django.core.serializers.json import DjangoJSONEncoder
from django.db import models, transaction
from django.db.models import Case, Exists, F, OuterRef, Q, Subquery, Value, When
from django.db.models.functions import Cast, Coalesce
from django.utils import timezone
from django.utils.translation import get_language
from django.utils.translation import gettext_lazy as _
from wagtail.coreutils import get_supported_content_language_variant
from wagtail.models import Locale

from courses.conf import get_setting
from courses.models.expressions import count_rows
from courses.models.pages import CoursePage, LessonEntry, LessonPage
from courses.models.policy import Validity
from courses.models.staff import StaffProfile, sees_everyone
from courses.page_memory import remembered

if TYPE_CHECKING:
    from django.contrib.auth.models import AbstractBaseUser, AnonymousUser
    from wagtail.models import Page


class Status(models.TextChoices):
    """Where an enrolment stands on a given day. See ``docs/refreshers.md`` for the rules."""

    NOT_STARTED = "not_started", _("Not started")
    IN_PROGRESS = "in_progress", _("In progress")
    OVERDUE = "overdue", _("Overdue")
    VALID = "valid", _("Valid")
    REFRESHER_DUE = "refresher_due", _("Refresher due")
    IN_GRACE = "in_grace", _("In grace period")
    EXPIRED = "expired", _("Expired")


#: The statuses that count as holding a valid completion.
COMPLIANT_STATUSES = (Status.VALID, Status.REFRESHER_DUE, Status.IN_GRACE)


def end_of_day(day: datetime.date) -> datetime.datetime:
    """The first moment after ``day`` in the current time zone: records made before it were made by then."""
    return timezone.make_aware(datetime.datetime.combine(day + datetime.timedelta(days=1), datetime.time.min))


def required_on(on: datetime.date, *, through: str = "") -> Q:
    """The condition for an enrolment the learner must keep valid on ``on`` (see
    :meth:`EnrollmentQuerySet.required`), on the enrolment or, ``through`` a relation such as
    ``"enrollment__"``, on a record that points at one: the query then joins the enrolment once."""
    return Q(
        Q(**{f"{through}released_on__isnull": True}) | Q(**{f"{through}released_on__gt": on}),
        ~Q(**{f"{through}source": "self"}),
        **{f"{through}user__is_active": True, f"{through}enrolled_at__lt": end_of_day(on)},
    )


class EnrollmentQuerySet(models.QuerySet):
    def for_user(self, user: AbstractBaseUser | AnonymousUser) -> EnrollmentQuerySet:
        return self.filter(user=user) if user.is_authenticated else self.none()

    def for_course(self, course: CoursePage) -> EnrollmentQuerySet:
        """Enrolments in ``course``, in whichever language it is given: they point at its canonical page."""
        return self.filter(course_id=course.canonical_id)

    def for_team_of(self, manager: AbstractBaseUser) -> EnrollmentQuerySet:
        """Enrolments of everyone whose chain of managers reaches ``manager``."""
        return self.filter(user__in=StaffProfile.objects.team_of(manager).values("user"))

    def visible_to(self, user: AbstractBaseUser) -> EnrollmentQuerySet:
        """What ``user`` may see in the admin: everyone's, for those who manage enrolments (trainers,
        administrators); their own team's, for managers; nothing, for everyone else."""
        if sees_everyone(user):
            return self
        return self.for_team_of(user) if user.is_authenticated else self.none()

    def required(self, on: datetime.date | None = None) -> EnrollmentQuerySet:
        """Enrolments the learner must keep valid on ``on`` (today): assigned by a trainer or a rule that
        still applied then, held by an active account. Self-enrolments are the learner's own choice."""
        return self.filter(required_on(on or timezone.localdate()))

    def with_cycle_state(self) -> EnrollmentQuerySet:
        """Annotate the current cycle's ``cycle_is_refresher``, ``due_date`` (its due date), ``completed_at``
        (when it was completed) and ``is_started``. :meth:`with_progress` adds the lesson counts."""
        cycle = Cycle.objects.filter(enrollment=OuterRef("pk"), number=OuterRef("cycle"))
        completion = CourseCompletion.objects.filter(enrollment=OuterRef("pk"), cycle=OuterRef("cycle"))
        started = LessonProgress.objects.filter(enrollment=OuterRef("pk"), cycle=OuterRef("cycle"))
        return self.select_related("course").annotate(
            cycle_is_refresher=Coalesce(Subquery(cycle.values("is_refresher")[:1]), False),
            due_date=Subquery(cycle.values("due_on")[:1]),
            completed_at=Subquery(completion.values("completed_at")[:1]),
            is_started=Exists(started),
        )

    def with_progress(self) -> EnrollmentQuerySet:
        """Annotate the current cycle's progress, in one query whatever the number of lessons.

        :meth:`with_cycle_state`, and ``required_lesson_count``, the live lessons the cycle requires
        (a refresher only those marked for refreshers), and ``completed_lesson_count``, those of
        them done this cycle, in whichever language.
        """
        required_lessons = LessonPage.objects.filter(
            live=True,
            required=True,
            depth=OuterRef("course__depth") + 1,
            path__startswith=OuterRef("course__path"),
            # A refresher cycle requires only lessons marked for refreshers: in_refreshers >= is_refresher.
            in_refreshers__gte=OuterRef("cycle_is_refresher"),
        )
        completed_keys = LessonProgress.objects.filter(
            enrollment=OuterRef(OuterRef("pk")),
            cycle=OuterRef(OuterRef("cycle")),
            completed_at__isnull=False,
        ).values("lesson__translation_key")
        completed_lessons = required_lessons.filter(translation_key__in=completed_keys)
        return self.with_cycle_state().annotate(
            required_lesson_count=count_rows(required_lessons),
            completed_lesson_count=count_rows(completed_lessons),
        )

    def with_status(self, on: datetime.date | None = None) -> EnrollmentQuerySet:
        """Annotate each enrolment's ``status`` on ``on`` (today), ``status_date`` and ``is_compliant``.

        Worked out from the records alone, so the status on a past day is the one that day had:
        the latest completion made by then gives the validity dates, the latest cycle opened by
        then the due date. ``status_date`` is the date that goes with the status: due by
        (not started, in progress, overdue, refresher due), valid until (valid; none when a
        completion never expires), in grace until, expired since.
        """
        on = on or timezone.localdate()
        by_then = end_of_day(on)
        day = Value(on, output_field=models.DateField())
        # Each subquery works out its part of the status from its own row, so that a row of the
        # result costs a handful of index lookups: the latest completion made by then decides
        # between valid, refresher due, in grace and expired; without one, the latest cycle
        # opened by then decides between overdue, in progress and not started.
        completion = CourseCompletion.objects.filter(enrollment=OuterRef("pk"), completed_at__lt=by_then).order_by(
            "-cycle"
        )
        completion_status = completion.annotate(
            value=Case(
                When(valid_until__isnull=True, then=Value(Status.VALID)),
                When(grace_until__lt=day, then=Value(Status.EXPIRED)),
                When(valid_until__lt=day, then=Value(Status.IN_GRACE)),
                When(refresher_opens_on__lte=day, then=Value(Status.REFRESHER_DUE)),
                default=Value(Status.VALID),
                output_field=models.CharField(),
            )
        ).values("value")[:1]
        completion_date = completion.annotate(
            value=Case(
                When(valid_until__isnull=True, then=Value(None, output_field=models.DateField())),
                # A date plus an interval is a timestamp on PostgreSQL: cast back to a date.
                When(grace_until__lt=day, then=Cast(F("grace_until") + datetime.timedelta(days=1), models.DateField())),
                When(valid_until__lt=day, then=F("grace_until")),
                default=F("valid_until"),
                output_field=models.DateField(),
            )
        ).values("value")[:1]
        cycle = Cycle.objects.filter(enrollment=OuterRef("pk"), opened_on__lte=on).order_by("-number")
        started = LessonProgress.objects.filter(
            enrollment=OuterRef(OuterRef("pk")), cycle=OuterRef("number"), started_at__lt=by_then
        )
        cycle_status = cycle.annotate(
            value=Case(
                When(due_on__lt=day, then=Value(Status.OVERDUE)),
                When(Exists(started), then=Value(Status.IN_PROGRESS)),
                default=Value(Status.NOT_STARTED),
                output_field=models.CharField(),
            )
        ).values("value")[:1]
        return self.annotate(completion_status=Subquery(completion_status)).annotate(
            status=Coalesce(F("completion_status"), Subquery(cycle_status), Value(Status.NOT_STARTED)),
            # The completion's date when it has one; only when it has none (never expires, or no completion)
            # is the completion looked up again, to tell those two apart.
            status_date=Coalesce(
                Subquery(completion_date),
                Case(
                    When(completion_status__isnull=True, then=Subquery(cycle.values("due_on")[:1])),
                    output_field=models.DateField(),
                ),
            ),
            is_compliant=Case(
                When(completion_status__in=COMPLIANT_STATUSES, then=Value(True)),
                default=Value(False),
                output_field=models.BooleanField(),
            ),
        )

    def may_have_open_work_due(
        self, first: datetime.date, last: datetime.date, on: datetime.date | None = None
    ) -> EnrollmentQuerySet:
        """Leave out the enrolments that cannot have open work (not started, in progress, refresher due) on ``on``
        (today) with a ``status_date`` from ``first`` to ``last``, so that :meth:`with_status` is worked out for
        the others alone: the few with a cycle or a validity ending in those days, found through indexes.

        It decides no status: filter on :meth:`with_status` after it, which stays the one definition. Open work
        is dated by the latest cycle opened by then when no completion was made by then, by the latest completion
        (its validity's end, its refresher window open) otherwise; so such a cycle or completion is in the days.
        """
        on = on or timezone.localdate()
        completed = CourseCompletion.objects.filter(completed_at__lt=end_of_day(on))
        due_cycles = Cycle.objects.filter(opened_on__lte=on, due_on__range=(first, last))
        refreshers = completed.filter(refresher_opens_on__lte=on, valid_until__gte=on, valid_until__range=(first, last))
        # Without a completion by then: asked of the few enrolments with such a cycle only, one index lookup each.
        never_completed = ~Exists(completed.filter(enrollment=OuterRef("pk")))
        return self.filter(
            (Q(pk__in=due_cycles.values("enrollment")) & never_completed) | Q(pk__in=refreshers.values("enrollment"))
        )

    def enrol(
        self,
        user: AbstractBaseUser,
        course: CoursePage,
        *,
        source: str,
        assigned_by: AbstractBaseUser | None = None,
        due_date: datetime.date | None = None,
        rule: models.Model | None = None,
    ) -> tuple[Enrollment, bool]:
        """Enrol ``user`` in ``course`` (any translation of it), unless already enrolled.

        A new enrolment opens its first cycle today, due on ``due_date``.
        """
        with transaction.atomic():
            enrollment, created = self.get_or_create(
                user=user,
                course_id=course.canonical_id,
                defaults={"source": source, "assigned_by": assigned_by, "rule": rule},
            )
            if created:
                Cycle.objects.create(enrollment=enrollment, number=1, opened_on=timezone.localdate(), due_on=due_date)
        return enrollment, created

    def by_translation_key(self, courses: Iterable[CoursePage]) -> dict:
        """This queryset's enrolments in ``courses``, with progress, keyed by course translation key."""
        keys = [course.translation_key for course in courses]
        enrollments = self.with_progress().with_status().filter(course__translation_key__in=keys)
        return {enrollment.course.translation_key: enrollment for enrollment in enrollments}


class EnrollmentManager(models.Manager.from_queryset(EnrollmentQuerySet)):
    def with_progress_and_status(self, *, lesson_counts: bool = True) -> EnrollmentQuerySet:
        """Every enrolment, with :meth:`~EnrollmentQuerySet.with_progress` (or, without ``lesson_counts``, only
        :meth:`~EnrollmentQuerySet.with_cycle_state`) and today's :meth:`~EnrollmentQuerySet.with_status`:
        what the learner's pages read. Filter it further."""
        today = timezone.localdate()
        return _with_progress_and_status(today, timezone.get_current_timezone_name(), lesson_counts)._chain()


@functools.lru_cache(maxsize=4)
def _with_progress_and_status(on: datetime.date, timezone_name: str, lesson_counts: bool) -> EnrollmentQuerySet:
    # Building these annotations costs a learner's page more time than the database takes to run them,
    # so each process builds them once a day (they depend on the date and the time zone) and each
    # request filters a copy. The queryset is never evaluated itself.
    enrollments = Enrollment.objects.all()
    enrollments = enrollments.with_progress() if lesson_counts else enrollments.with_cycle_state()
    return enrollments.with_status(on)


class Enrollment(models.Model):
    """A learner's standing place in a course: one per learner and course, for good.

    ``cycle`` is the number of the cycle in progress; the cycles themselves are :class:`Cycle` records.
    """

    class Source(models.TextChoices):
        SELF = "self", _("Self-enrolled")
        ASSIGNED = "assigned", _("Assigned by a trainer")
        AUTOMATIC = "automatic", _("Assignment rule")

    # No index of its own: the unique constraint's (user, course) index serves lookups by learner, and every
    # index is one more write for each enrolment the daily sweep moves on.
    user = models.ForeignKey(
        # Training records are evidence that outlives the account: deactivate a person, never delete them.
        settings.AUTH_USER_MODEL,
        on_delete=models.PROTECT,
        related_name="enrollments",
        verbose_name=_("learner"),
        db_index=False,
    )
    course = models.ForeignKey(
        CoursePage, on_delete=models.PROTECT, related_name="enrollments", verbose_name=_("course")
    )
    source = models.CharField(_("how enrolled"), max_length=20, choices=Source.choices)
    # No index on who assigned or which rule enrolled: nothing looks enrolments up by them but the rare deletion of
    # an account or a rule, while the sweep rewrites each enrolment it moves on into every index.
    assigned_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("assigned by"),
        db_index=False,
    )
    rule = models.ForeignKey(
        "courses.AssignmentRule",
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="enrollments",
        verbose_name=_("assignment rule"),
        db_index=False,
    )
    enrolled_at = models.DateTimeField(_("enrolled at"), default=timezone.now)
    released_on = models.DateField(
        _("no longer required since"),
        null=True,
        blank=True,
        help_text=_("Set when no assignment rule applies to the learner any more; the records stay."),
    )
    cycle = models.PositiveIntegerField(
        _("cycle"),
        default=1,
        editable=False,
        help_text=_("The training cycle in progress; a refresher starts the next."),
    )
    # The daily sweep's agenda: set from the current cycle's completion, cleared once the refresher opens.
    refresher_opens_on = models.DateField(_("next refresher opens on"), null=True, blank=True, editable=False)

    objects = EnrollmentManager()

    class Meta:
        verbose_name = _("enrolment")
        verbose_name_plural = _("enrolments")
        ordering = ["-enrolled_at"]
        constraints = [models.UniqueConstraint(fields=["user", "course"], name="unique_enrollment_per_course")]
        indexes = [
            # Partial, like the next: only the rows the sweep looks for, so moving an enrolment on writes less.
            models.Index(
                fields=["refresher_opens_on"],
                condition=Q(refresher_opens_on__isnull=False),
                name="enrollment_agenda_idx",
            ),
            # The sweep looks up released enrolments, a few among many, to see whether a rule applies again.
            models.Index(
                fields=["released_on"], condition=Q(released_on__isnull=False), name="enrollment_released_idx"
            ),
        ]

    def __str__(self) -> str:
        return f"{self.user} – {self.course}"

    # These read the annotations of EnrollmentQuerySet.with_progress() and with_status().

    @property
    def is_complete(self) -> bool:
        """Whether the current cycle is complete."""
        return self.completed_at is not None

    @property
    def progress_percent(self) -> int:
        if self.is_complete:
            return 100
        if not self.required_lesson_count:
            return 0
        return min(99, 100 * self.completed_lesson_count // self.required_lesson_count)

    @property
    def is_overdue(self) -> bool:
        return self.status == Status.OVERDUE

    @property
    def is_due_soon(self) -> bool:
        """Open work due within ``TRAINING_DUE_SOON_DAYS``."""
        if self.status not in (Status.NOT_STARTED, Status.IN_PROGRESS, Status.REFRESHER_DUE) or not self.status_date:
            return False
        return (self.status_date - timezone.localdate()).days <= get_setting("DUE_SOON_DAYS")

    def get_status_display(self) -> str:
        return Status(self.status).label

    def lessons_done(self) -> dict[int, bool]:
        """The lessons complete in the current cycle, by the id of the lesson page they were done on (in whichever
        language), each with whether it was tested out."""
        rows = self.lesson_progress.filter(cycle=self.cycle, completed_at__isnull=False)
        return dict(rows.values_list("lesson_id", "tested_out"))

    def count_lessons(self, lessons: Iterable[LessonEntry]) -> None:
        """Set ``required_lesson_count`` and ``completed_lesson_count`` as :meth:`EnrollmentQuerySet.with_progress`
        does, from the lesson list of the course learner records point at (read with this enrolment's progress)."""
        required = [
            lesson for lesson in lessons if lesson.required and (lesson.in_refreshers or not self.cycle_is_refresher)
        ]
        self.required_lesson_count = len(required)
        self.completed_lesson_count = sum(lesson.is_complete for lesson in required)

    def history(self) -> list[tuple[Cycle, CourseCompletion | None]]:
        """Every cycle, newest first, with its completion if any. Pass the enrolments to :func:`attach_histories`."""
        completions = {completion.cycle: completion for completion in self.completion_list}
        return [(cycle, completions.get(cycle.number)) for cycle in self.cycles_newest_first]

    def full_history(self) -> list[tuple[Cycle, CourseCompletion | None, list[Attempt]]]:
        """:meth:`history` with each cycle's attempts, newest first. Prefetch ``attempts`` too."""
        attempts: dict[int, list[Attempt]] = {}
        for attempt in self.attempts.all():
            attempts.setdefault(attempt.cycle, []).append(attempt)
        return [(cycle, completion, attempts.get(cycle.number, [])) for cycle, completion in self.history()]


class Cycle(models.Model):
    """One cycle of an enrolment: the first time through a course, or a refresher.

    A refresher cycle opens when its predecessor's refresher window opens and is due on the day
    that completion expires. It requires the course's lessons marked for refreshers. ``completed`` is
    set when its completion is recorded (see :meth:`CourseCompletion.save`): reminders look for the
    cycles still open by it.
    """

    # No index of its own: the unique constraint's (enrollment, number) index serves lookups by enrolment.
    enrollment = models.ForeignKey(
        Enrollment, on_delete=models.CASCADE, related_name="cycles", verbose_name=_("enrolment"), db_index=False
    )
    number = models.PositiveIntegerField(_("number"))
    is_refresher = models.BooleanField(_("refresher"), default=False)
    opened_on = models.DateField(_("opened on"))
    due_on = models.DateField(_("due on"), null=True, blank=True)
    test_out_taken_at = models.DateTimeField(_("test-out taken at"), null=True, blank=True)
    # A copy of "a completion of this cycle exists", so that finding the open cycles due in a date range costs no
    # lookup of a completion for each cycle due then. A default in the database too: the sweep inserts cycles in SQL.
    completed = models.BooleanField(_("completed"), default=False, db_default=False, editable=False)

    class Meta:
        verbose_name = _("cycle")
        verbose_name_plural = _("cycles")
        ordering = ["enrollment", "number"]
        constraints = [models.UniqueConstraint(fields=["enrollment", "number"], name="unique_cycle_number")]
        indexes = [models.Index(fields=["due_on"])]

    def __str__(self) -> str:
        return f"{self.enrollment} ({self.number})"


def learner_records_under(page: Page) -> bool:
    """Whether learners' records point at ``page`` or at a page below it (in whichever language)."""
    return (
        Enrollment.objects.filter(course__path__startswith=page.path).exists()
        or LessonProgress.objects.filter(lesson__path__startswith=page.path).exists()
        or Attempt.objects.filter(lesson__path__startswith=page.path).exists()
    )


def attach_histories(enrollments: Iterable[Enrollment]) -> list[Enrollment]:
    """Give each enrolment its cycles and completions for :meth:`Enrollment.history`: two queries for all of them.

    Plain lists, read straight: Django's prefetching costs a dashboard of a dozen long histories more
    than the two queries do.
    """
    enrollments = list(enrollments)
    by_id = {enrollment.pk: enrollment for enrollment in enrollments}
    for enrollment in enrollments:
        enrollment.cycles_newest_first, enrollment.completion_list = [], []
    if not by_id:
        return enrollments
    for cycle in Cycle.objects.filter(enrollment_id__in=by_id).order_by("-number"):
        by_id[cycle.enrollment_id].cycles_newest_first.append(cycle)
    for completion in CourseCompletion.objects.filter(enrollment_id__in=by_id):
        by_id[completion.enrollment_id].completion_list.append(completion)
    return enrollments


def localize_courses(enrollments: Iterable[Enrollment]) -> list[Enrollment]:
    """Set ``enrollment.localized_course``: the course in the active language, or the canonical one."""
    enrollments = list(enrollments)
    language = get_supported_content_language_variant(get_language())
    # Records point at the canonical course, which is most often in the language at hand already.
    locale_id = remembered(
        ("locale", language), lambda: Locale.objects.filter(language_code=language).values_list("pk", flat=True).first()
    )
    keys = {enrollment.course.translation_key for enrollment in enrollments if enrollment.course.locale_id != locale_id}
    translations = {}
    if keys:
        translations = {
            course.translation_key: course
            for course in CoursePage.objects.live()
            .filter(translation_key__in=keys, locale_id=locale_id)
            .select_related("locale")
        }
    for enrollment in enrollments:
        enrollment.localized_course = translations.get(enrollment.course.translation_key, enrollment.course)
    return enrollments


@dataclass
class RuleProgress:
    """How far a learner is through the courses one assignment rule gives them."""

    rule: models.Model
    valid: int
    total: int

    @property
    def name(self) -> str:
        return self.rule.name_for(get_language())


def rule_progress(enrollments: Iterable[Enrollment]) -> list[RuleProgress]:
    """For each assignment rule behind ``enrollments`` (annotated by ``with_status``), how many are valid."""
    by_rule: dict[int, RuleProgress] = {}
    for enrollment in enrollments:
        if enrollment.rule_id is None or enrollment.released_on is not None:
            continue
        progress = by_rule.setdefault(enrollment.rule_id, RuleProgress(enrollment.rule, 0, 0))
        progress.total += 1
        progress.valid += enrollment.is_compliant
    return list(by_rule.values())


class Attempt(models.Model):
    """One graded submission of an activity. Every attempt is kept.

    It records the lesson and activity as the learner saw them, in their language;
    progress and completion go by translation key, so they count in every language.
    """

    enrollment = models.ForeignKey(
        Enrollment, on_delete=models.CASCADE, related_name="attempts", verbose_name=_("enrolment")
    )
    cycle = models.PositiveIntegerField(_("cycle"))
    lesson = models.ForeignKey(LessonPage, on_delete=models.PROTECT, related_name="+", verbose_name=_("lesson"))
    activity = models.ForeignKey(
        "courses.Activity", on_delete=models.PROTECT, related_name="attempts", verbose_name=_("activity")
    )
    answers = models.JSONField(_("answers"), encoder=DjangoJSONEncoder)
    score = models.PositiveSmallIntegerField(_("score"))
    passed = models.BooleanField(_("passed"))
    feedback = models.JSONField(_("feedback"), default=dict, encoder=DjangoJSONEncoder)
    submitted_at = models.DateTimeField(_("submitted at"), default=timezone.now)

    class Meta:
        verbose_name = _("attempt")
        verbose_name_plural = _("attempts")
        ordering = ["-submitted_at", "-pk"]
        indexes = [models.Index(fields=["enrollment", "cycle"])]

    def __str__(self) -> str:
        return f"{self.activity_id} – {self.score}%"


class LessonProgress(models.Model):
    """A learner's progress through one lesson in one cycle: started, then completed."""

    enrollment = models.ForeignKey(
        Enrollment, on_delete=models.CASCADE, related_name="lesson_progress", verbose_name=_("enrolment")
    )
    cycle = models.PositiveIntegerField(_("cycle"))
    lesson = models.ForeignKey(LessonPage, on_delete=models.PROTECT, related_name="+", verbose_name=_("lesson"))
    started_at = models.DateTimeField(_("started at"), default=timezone.now)
    completed_at = models.DateTimeField(_("completed at"), null=True, blank=True)
    tested_out = models.BooleanField(
        _("tested out"), default=False, help_text=_("Completed by passing its activities in the course's test-out.")
    )

    class Meta:
        verbose_name = _("lesson progress")
        verbose_name_plural = _("lesson progress")
        constraints = [
            models.UniqueConstraint(fields=["enrollment", "cycle", "lesson"], name="unique_lesson_progress_per_cycle")
        ]

    def __str__(self) -> str:
        return f"{self.enrollment} – {self.lesson_id} ({self.cycle})"


class CourseCompletion(models.Model):
    """A learner completed a course in one cycle, valid for the dates the course's policy gave then.

    Completions are never redone, and the admin refuses to delete an enrolment that has
    one. Their dates change only when a trainer applies a new policy to them, and each such
    change is logged as a :class:`ValidityChange`. Saving a new one marks its cycle completed.
    """

    enrollment = models.ForeignKey(
        Enrollment, on_delete=models.CASCADE, related_name="completions", verbose_name=_("enrolment")
    )
    cycle = models.PositiveIntegerField(_("cycle"))
    completed_at = models.DateTimeField(_("completed at"), default=timezone.now)
    valid_from = models.DateField(_("valid from"), null=True, blank=True)
    valid_until = models.DateField(_("valid until"), null=True, blank=True, help_text=_("Empty: never expires."))
    refresher_opens_on = models.DateField(_("refresher opens on"), null=True, blank=True)
    grace_until = models.DateField(_("grace period until"), null=True, blank=True)

    class Meta:
        verbose_name = _("course completion")
        verbose_name_plural = _("course completions")
        ordering = ["-completed_at"]
        constraints = [models.UniqueConstraint(fields=["enrollment", "cycle"], name="unique_completion_per_cycle")]
        # valid_until: the due-soon list finds the validities ending in its days through it.
        indexes = [models.Index(fields=["grace_until"]), models.Index(fields=["valid_until"])]

    def __str__(self) -> str:
        return f"{self.enrollment} ({self.cycle})"

    def save(self, *args, **kwargs) -> None:
        adding = self._state.adding
        super().save(*args, **kwargs)
        if adding:
            Cycle.objects.filter(enrollment_id=self.enrollment_id, number=self.cycle).update(completed=True)

    def set_validity(self, validity: Validity) -> None:
        self.valid_from = validity.valid_from
        self.valid_until = validity.until
        self.refresher_opens_on = validity.refresher_opens_on
        self.grace_until = validity.grace_until


class ValidityChange(models.Model):
    """A trainer applied a new refresher policy to a completion recorded under an older one."""

    completion = models.ForeignKey(
        CourseCompletion, on_delete=models.CASCADE, related_name="validity_changes", verbose_name=_("completion")
    )
    previous_until = models.DateField(_("valid until before"), null=True, blank=True)
    new_until = models.DateField(_("valid until after"), null=True, blank=True)
    changed_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, related_name="+", verbose_name=_("changed by")
    )
    changed_at = models.DateTimeField(_("changed at"), default=timezone.now)

    class Meta:
        verbose_name = _("validity change")
        verbose_name_plural = _("validity changes")
        ordering = ["-changed_at"]

    def __str__(self) -> str:
        return f"{self.completion}: {self.previous_until} → {self.new_until}"
