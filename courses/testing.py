"""Builders for tests. Shipped with the app so module apps and host sites can use them too."""

from __future__ import annotations

import datetime
from typing import Any

from django.contrib.auth import get_user_model
from django.http import QueryDict
from django.utils import timezone
from wagtail.models import Collection, Locale, Page, Site

from courses.blocks import stream_from_content
from courses.models import (
    Activity,
    CourseCompletion,
    CoursePage,
    Cycle,
    Enrollment,
    LessonActivity,
    LessonPage,
    QuizActivity,
    ReflectionActivity,
    StaffProfile,
    TrainingIndexPage,
)

QUIZ_QUESTIONS = [
    {
        "type": "single_choice",
        "value": {
            "prompt": "A customer is upset. What do you do first?",
            "choices": [
                {"text": "Acknowledge how they feel", "correct": True, "feedback": "Feelings first, then facts."},
                {"text": "Explain the policy", "correct": False, "feedback": "Policy first sounds like a wall."},
                {"text": "Pass them to a colleague", "correct": False, "feedback": "That is passing the buck."},
            ],
        },
    },
    {
        "type": "multiple_choice",
        "value": {
            "prompt": "Which of these show you are listening?",
            "choices": [
                {"text": "Paraphrasing what they said", "correct": True, "feedback": ""},
                {"text": "Typing while they talk", "correct": False, "feedback": "They can hear the keys."},
                {"text": "Asking an open question", "correct": True, "feedback": ""},
            ],
        },
    },
    {
        "type": "true_false",
        "value": {"statement": "Most unhappy customers complain.", "is_true": False, "feedback": "Only about 4% do."},
    },
]


def make_training_site() -> TrainingIndexPage:
    """Locales (en, fa), a page tree and a default site whose home is a training index in both.

    Works on a migrated database and on an empty one (as transactional tests leave it).
    Returns the English index; ``index.get_translation(fa)`` is the Persian one.
    """
    en, _ = Locale.objects.get_or_create(language_code="en")
    fa, _ = Locale.objects.get_or_create(language_code="fa")
    root = Page.get_first_root_node() or Page.add_root(instance=Page(title="Root", slug="root", locale=en))
    if not Collection.get_first_root_node():
        Collection.add_root(name="Root")
    index = TrainingIndexPage(title="Service training", slug="training", locale=en)
    root.add_child(instance=index)
    index.save_revision().publish()
    Site.objects.update_or_create(
        is_default_site=True, defaults={"hostname": "localhost", "port": 80, "root_page": index}
    )
    translate(index, fa, title="آموزش خدمات")
    return index


def translate(page: Page, locale: Locale | str, **fields: Any) -> Page:
    """Publish a translation of ``page`` into ``locale`` with ``fields`` changed."""
    if isinstance(locale, str):
        locale = Locale.objects.get(language_code=locale)
    translation = page.copy_for_translation(locale).specific
    for name, value in fields.items():
        setattr(translation, name, value)
    if "title" in fields:
        translation.draft_title = fields["title"]
    translation.save_revision().publish()
    return translation


def make_course(parent: Page, title: str = "Listening basics", **fields: Any) -> CoursePage:
    fields.setdefault("slug", title.lower().replace(" ", "-"))
    fields.setdefault("summary", f"About {title.lower()}.")
    course = CoursePage(title=title, **fields)
    parent.add_child(instance=course)
    course.save_revision().publish()
    return course


def make_lesson(
    course: CoursePage, title: str = "Lesson", activities: list[Activity] = (), **fields: Any
) -> LessonPage:
    fields.setdefault("slug", title.lower().replace(" ", "-"))
    fields.setdefault("body", [{"type": "rich_text", "value": f"<p>{title}: the content.</p>"}])
    lesson = LessonPage(title=title, **fields)
    lesson.activity_links = [
        LessonActivity(activity=activity, sort_order=position) for position, activity in enumerate(activities)
    ]
    course.add_child(instance=lesson)
    lesson.save_revision().publish()
    return lesson


def publish(activity: Activity) -> Activity:
    """Save and publish ``activity``; return it as stored (with the block ids it was stored with)."""
    activity.save()
    activity.save_revision().publish()
    return type(activity).objects.get(pk=activity.pk)


def make_quiz(title: str = "Knowledge check", questions: list[dict] = QUIZ_QUESTIONS, **fields: Any) -> QuizActivity:
    return publish(
        QuizActivity(title=title, questions=stream_from_content(QuizActivity, "questions", questions), **fields)
    )


def make_reflection(title: str = "Your turn", **fields: Any) -> ReflectionActivity:
    fields.setdefault("prompt", "Describe a time a customer left happier than they came.")
    fields.setdefault("min_words", 3)
    return publish(ReflectionActivity(title=title, **fields))


def make_sized_course(parent: Page, lessons: int, *, title: str | None = None) -> CoursePage:
    """A course of ``lessons`` lessons, each holding a quiz and a reflection: for measuring size effects."""
    course = make_course(parent, title or f"Course of {lessons}")
    for number in range(1, lessons + 1):
        activities = [make_quiz(title=f"Quiz {number}"), make_reflection(title=f"Reflection {number}")]
        make_lesson(course, f"Lesson {number}", activities=activities)
    return course


def pass_all_but_the_last_quiz(client, course: CoursePage) -> tuple[LessonPage, QuizActivity]:
    """Through ``client``, pass every activity of a course from :func:`make_sized_course` except the last
    lesson's quiz; return that lesson and quiz, whose passing completes the course."""
    lessons = [lesson.specific for lesson in course.lessons()]
    for lesson in lessons:
        quiz, reflection = lesson.live_activities()
        client.post(f"{lesson.url}activities/{reflection.pk}/", {"response": "one two three four"})
        if lesson is not lessons[-1]:
            client.post(f"{lesson.url}activities/{quiz.pk}/", quiz_answers(quiz))
    return lessons[-1], lessons[-1].live_activities()[0]


def quiz_answers(quiz: QuizActivity, *, correct: bool = True) -> dict[str, list[str]]:
    """POST data answering every question of ``quiz`` rightly, or (``correct=False``) wrongly."""
    data = {}
    for question in quiz.question_list:
        right = [choice.id for choice in question.choices if choice.correct]
        wrong = [choice.id for choice in question.choices if not choice.correct]
        data[question.field_name] = right if correct else wrong[:1]
    return data


def query_dict(data: dict[str, str | list[str]]) -> QueryDict:
    """``data`` as posted form data; a list stands for several values of one field."""
    result = QueryDict(mutable=True)
    for name, values in data.items():
        result.setlist(name, values if isinstance(values, list) else [values])
    return result


def make_user(username: str = "learner", *, profile: dict | None = None, **fields: Any):
    """A user whose password is their username, with a staff profile if ``profile`` is given."""
    user = get_user_model().objects.create_user(username=username, password=username, **fields)
    if profile is not None:
        StaffProfile.objects.create(user=user, **profile)
    return user


def year_valid_completion(
    enrollment: Enrollment, cycle: int, completed_on: datetime.date, at: datetime.time = datetime.time(12)
) -> CourseCompletion:
    """An unsaved completion of ``cycle``, made on ``completed_on``, valid for a year (refresher window a month
    before the end, no grace): for building histories in bulk."""
    return CourseCompletion(
        enrollment=enrollment,
        cycle=cycle,
        completed_at=timezone.make_aware(datetime.datetime.combine(completed_on, at)),
        valid_from=completed_on,
        valid_until=completed_on + datetime.timedelta(days=365),
        refresher_opens_on=completed_on + datetime.timedelta(days=335),
        grace_until=completed_on + datetime.timedelta(days=365),
    )


def make_past_cycles(learner, courses: list[CoursePage], past_cycles: int) -> list[Enrollment]:
    """Enrol ``learner`` (assigned) in each of ``courses`` with ``past_cycles`` completed cycles, opened a year
    apart, and one more in progress, opened 30 days ago and due in 30: a long history for measuring its cost.

    Each completion came ten days after its cycle opened and was valid for a year (refresher window a month
    before the end, no grace). Returns the enrolments, in the order of ``courses``.
    """
    today = timezone.localdate()
    enrollments = Enrollment.objects.bulk_create(
        Enrollment(user=learner, course=course, source=Enrollment.Source.ASSIGNED, cycle=past_cycles + 1)
        for course in courses
    )
    cycles, completions = [], []
    for enrollment in enrollments:
        for number in range(1, past_cycles + 2):
            opened = today - datetime.timedelta(days=365 * (past_cycles + 1 - number) + 30)
            cycles.append(
                Cycle(
                    enrollment=enrollment,
                    number=number,
                    is_refresher=number > 1,
                    opened_on=opened,
                    due_on=opened + datetime.timedelta(days=60),
                    completed=number <= past_cycles,  # bulk_create does not run CourseCompletion.save()
                )
            )
            if number <= past_cycles:
                completions.append(year_valid_completion(enrollment, number, opened + datetime.timedelta(days=10)))
    Cycle.objects.bulk_create(cycles)
    CourseCompletion.objects.bulk_create(completions)
    return enrollments
