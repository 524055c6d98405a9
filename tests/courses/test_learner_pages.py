"""The learner's pages remember and reuse what they can: nothing they show goes stale.

The course page and the lesson page's menu list lessons from rows (``LessonEntry``), not page
objects, with URLs made from the course's; the course page counts lessons from that list on the
canonical course; the annotated enrolment queryset is built once a day per process; each process
remembers the pages it routed to until the page tree changes. These tests hold that what a
learner sees still follows publishing, translation and their own progress at once.
"""

import datetime

import time_machine
from django.core.cache import cache
from django.utils import timezone
from wagtail.models import PageViewRestriction, Site

from courses import page_memory
from courses.models import CoursePage, Cycle, Enrollment, LessonActivity, LessonPage, TrainingIndexPage
from courses.testing import make_course, make_lesson, make_quiz, quiz_answers, translate


def lessons_of(course: CoursePage) -> list[LessonPage]:
    return [lesson.specific for lesson in course.lessons()]


def test_lesson_entries_carry_the_urls_wagtail_gives_in_each_language(index, fa, learner):
    course = make_course(index, "Listening basics")
    lesson = make_lesson(course, "Listen first")
    persian_course = translate(course, fa, title="گوش دادن")
    persian_lesson = LessonPage.objects.get(pk=translate(lesson, fa, title="اول گوش کن", slug="اول-گوش-کن").pk)
    enrollment, _ = Enrollment.objects.enrol(learner, course, source="self")

    for page, lesson_page in ((course, lesson), (persian_course, persian_lesson)):
        [entry] = page.lessons_with_progress(enrollment)
        assert entry.url == lesson_page.url
        assert entry.pk == lesson_page.pk
        assert (entry.title, entry.is_complete, entry.is_tested_out) == (lesson_page.title, False, False)


def test_the_course_page_shows_a_lesson_as_soon_as_it_is_published(learner_client, learner, index):
    course = make_course(index, "Listening basics")
    make_lesson(course, "Listen first")
    Enrollment.objects.enrol(learner, course, source="self")
    assert "Listen first" in learner_client.get(course.url).text

    added = make_lesson(course, "Paraphrase")
    page = learner_client.get(course.url).text
    assert f'<a href="{added.url}">Paraphrase</a>' in page

    added.unpublish()
    assert "Paraphrase" not in learner_client.get(course.url).text


def test_a_new_translation_is_listed_in_its_language_at_once(learner_client, learner, index, fa):
    course = make_course(index, "Listening basics")
    lesson = make_lesson(course, "Listen first")
    persian_course = translate(course, fa, title="گوش دادن")
    Enrollment.objects.enrol(learner, course, source="self")
    assert "اول گوش کن" not in learner_client.get(persian_course.url).text

    persian_lesson = translate(lesson, fa, title="اول گوش کن")
    page = learner_client.get(persian_course.url).text
    assert f'<a href="{persian_lesson.url}">اول گوش کن</a>' in page


def test_the_pages_follow_the_learners_own_progress_at_once(learner_client, learner, index):
    quiz = make_quiz()
    course = make_course(index, "Listening basics")
    first = make_lesson(course, "Listen first", activities=[quiz])
    second = make_lesson(course, "Paraphrase")
    Enrollment.objects.enrol(learner, course, source="self")
    assert 'aria-valuenow="0"' in learner_client.get(course.url).text
    assert '<span class="lesson-done">' not in learner_client.get(second.url).text

    learner_client.post(f"{first.url}activities/{quiz.pk}/", quiz_answers(quiz))

    course_page = learner_client.get(course.url).text
    assert 'aria-valuenow="50"' in course_page
    assert '<li class="lesson-list__item is-complete">' in course_page
    assert "Continue: Paraphrase" in course_page
    menu = learner_client.get(second.url).text.split('class="lesson-nav"')[1]
    assert f'<li class="is-complete">\n<a href="{first.url}">Listen first</a>' in menu
    assert f'<a href="{second.url}" aria-current="page">Paraphrase</a>' in menu


def test_the_course_page_counts_what_the_cycle_requires_in_every_language(learner_client, learner, index, fa):
    course = make_course(index, "Listening basics")
    lessons = [
        make_lesson(course, "Listen first"),
        make_lesson(course, "Extra reading", required=False),
        make_lesson(course, "Basics again", in_refreshers=False),
        make_lesson(course, "Paraphrase"),
    ]
    persian_course = translate(course, fa, title="گوش دادن")
    for lesson in lessons:
        translate(lesson, fa)
    enrollment, _ = Enrollment.objects.enrol(learner, course, source="self")
    learner_client.post(lessons[0].url + "complete/")

    # Three lessons required, one done: 33%, as the annotation counts them, in either language.
    annotated = Enrollment.objects.with_progress().get(pk=enrollment.pk)
    assert (annotated.required_lesson_count, annotated.completed_lesson_count) == (3, 1)
    for page in (course, persian_course):
        assert 'aria-valuenow="33"' in learner_client.get(page.url).text

    # A refresher leaves out the lesson not marked for refreshers: two required, none done yet.
    Cycle.objects.create(enrollment=enrollment, number=2, is_refresher=True, opened_on=timezone.localdate())
    Enrollment.objects.filter(pk=enrollment.pk).update(cycle=2)
    learner_client.post(lessons[0].url + "complete/")
    for page in (course, persian_course):
        assert 'aria-valuenow="50"' in learner_client.get(page.url).text
    assert "Not in refreshers" in learner_client.get(course.url).text


def test_the_annotated_enrolments_follow_the_date(learner, index):
    course = make_course(index, "Listening basics")
    make_lesson(course, "Listen first")
    due = timezone.localdate() + datetime.timedelta(days=3)
    enrollment, _ = Enrollment.objects.enrol(learner, course, source="assigned", due_date=due)

    def status_on_the_pages():
        return Enrollment.objects.with_progress_and_status().get(pk=enrollment.pk).status

    assert status_on_the_pages() == "not_started"
    with time_machine.travel(due + datetime.timedelta(days=1), tick=False):
        assert status_on_the_pages() == "overdue"
        fresh = Enrollment.objects.with_progress().with_status().get(pk=enrollment.pk)
        assert fresh.status == "overdue"
    assert status_on_the_pages() == "not_started"


# Each process remembers the pages it routed to (courses.page_memory) until the page tree changes.


def test_a_published_change_to_a_course_shows_at_once(learner_client, learner, index):
    course = make_course(index, "Listening basics")
    Enrollment.objects.enrol(learner, course, source="self")
    assert "<h1>Listening basics</h1>" in learner_client.get(course.url).text

    course.title = "Listening well"
    course.save_revision().publish()

    assert "<h1>Listening well</h1>" in learner_client.get(course.url).text


def test_an_unpublished_or_renamed_page_is_not_served_from_memory(learner_client, learner, index):
    course = make_course(index, "Listening basics")
    lesson = make_lesson(course, "Listen first")
    Enrollment.objects.enrol(learner, course, source="self")
    old_url = lesson.url
    assert learner_client.get(old_url).status_code == 200

    lesson.unpublish()
    assert learner_client.get(old_url).status_code == 404

    lesson.slug = "listen-before-you-speak"
    lesson.save_revision().publish()
    assert learner_client.get(old_url).status_code == 404
    assert learner_client.get(f"{course.url}listen-before-you-speak/").status_code == 200


def test_a_new_translation_joins_the_language_switcher_at_once(learner_client, learner, index, fa):
    course = make_course(index, "Listening basics")
    Enrollment.objects.enrol(learner, course, source="self")
    assert 'hreflang="fa"' in learner_client.get(course.url).text
    assert "/fa/listening-basics/" not in learner_client.get(course.url).text

    persian = translate(course, fa, title="گوش دادن")

    assert f'href="{persian.url}"' in learner_client.get(course.url).text


def test_a_change_made_by_another_process_is_seen_at_the_next_request(index):
    course = make_course(index, "Listening basics")
    path = course.url_path
    assert CoursePage.find_with_translations(path).title == "Listening basics"

    # A change that bypasses the signals stays unseen until the tree's version moves on, as
    # another process moves it in the shared cache after its own changes.
    CoursePage.objects.filter(pk=course.pk).update(title="Listening well")
    assert CoursePage.find_with_translations(path).title == "Listening basics"
    cache.set(page_memory.VERSION_KEY, "set by another process")

    assert CoursePage.find_with_translations(path).title == "Listening well"


def test_each_request_gets_its_own_copy_of_a_remembered_page(index):
    course = make_course(index, "Listening basics")
    first = CoursePage.find_with_translations(course.url_path)
    first.lesson_minutes = 999

    second = CoursePage.find_with_translations(course.url_path)

    assert second is not first
    assert getattr(second, "lesson_minutes", None) is None
    assert second in second.prefetched_translations


def test_the_sites_root_page_is_seen_afresh_when_it_or_the_site_changes(client, index):
    assert "<h1>Service training</h1>" in client.get("/").text

    index.title = "Customer care"
    index.save_revision().publish()
    assert "<h1>Customer care</h1>" in client.get("/").text

    other = TrainingIndexPage(title="Branch training", slug="branch")
    index.get_parent().add_child(instance=other)
    other.save_revision().publish()
    site = Site.objects.get(is_default_site=True)
    site.root_page = other
    site.save()
    assert "<h1>Branch training</h1>" in client.get("/").text


def test_without_a_memory_cache_every_lookup_is_fresh(index, settings):
    settings.TRAINING_PAGE_MEMORY_CACHE = None
    course = make_course(index, "Listening basics")
    assert CoursePage.find_with_translations(course.url_path).title == "Listening basics"

    CoursePage.objects.filter(pk=course.pk).update(title="Listening well")

    assert CoursePage.find_with_translations(course.url_path).title == "Listening well"


# Lessons remember their activities, and the site's root page its translations, the same way.


def test_an_activity_published_or_unpublished_shows_on_its_lesson_at_once(learner_client, learner, index):
    course = make_course(index, "Listening basics")
    quiz = make_quiz("First check")
    lesson = make_lesson(course, "Listen first", activities=[quiz])
    Enrollment.objects.enrol(learner, course, source="self")
    assert "First check" in learner_client.get(lesson.url).text

    quiz.title = "Check your listening"
    quiz.save_revision().publish()
    assert "Check your listening" in learner_client.get(lesson.url).text

    quiz.unpublish()
    page = learner_client.get(lesson.url).text
    assert "Check your listening" not in page
    assert "I have read this lesson" in page


def test_an_activity_added_to_a_lesson_shows_once_the_lesson_is_published(learner_client, learner, index):
    course = make_course(index, "Listening basics")
    lesson = make_lesson(course, "Listen first", activities=[make_quiz("First check")])
    Enrollment.objects.enrol(learner, course, source="self")
    assert "Second check" not in learner_client.get(lesson.url).text

    lesson.activity_links.add(LessonActivity(activity=make_quiz("Second check"), sort_order=1))
    lesson.save_revision()
    assert "Second check" not in learner_client.get(lesson.url).text
    lesson.get_latest_revision().publish()

    assert "Second check" in learner_client.get(lesson.url).text


def test_the_lesson_menu_follows_the_learners_own_progress_at_once(learner_client, learner, index):
    course = make_course(index, "Listening basics")
    quiz = make_quiz()
    first = make_lesson(course, "Listen first", activities=[quiz])
    make_lesson(course, "Then speak")
    Enrollment.objects.enrol(learner, course, source="self")
    assert "is-complete" not in learner_client.get(first.url).text

    learner_client.post(f"{first.url}activities/{quiz.pk}/", quiz_answers(quiz))

    assert learner_client.get(first.url).text.count('class="is-complete"') == 1


def test_the_persian_home_page_is_seen_afresh_when_it_changes(client, index, fa):
    persian = index.get_translation(fa)
    assert "<h1>آموزش خدمات</h1>" in client.get("/fa/").text

    persian.title = "آموزش مشتری‌مداری"
    persian.save_revision().publish()

    assert "<h1>آموزش مشتری‌مداری</h1>" in client.get("/fa/").text


def test_a_request_reads_the_memorys_version_once(learner_client, learner, index, monkeypatch):
    course = make_course(index, "Listening basics")
    lesson = make_lesson(course, "Listen first", activities=[make_quiz()])
    Enrollment.objects.enrol(learner, course, source="self")
    learner_client.get(lesson.url)
    reads = []
    monkeypatch.setattr(page_memory, "tree_version", lambda read=page_memory.tree_version: reads.append(1) or read())

    assert learner_client.get(lesson.url).status_code == 200
    assert learner_client.get(course.url).status_code == 200

    assert len(reads) == 2


def test_a_change_inside_a_request_moves_its_version_on(index):
    course = make_course(index, "Listening basics")
    with page_memory.one_version():
        assert CoursePage.find_with_translations(course.url_path).title == "Listening basics"
        CoursePage.objects.filter(pk=course.pk).update(title="Listening well")
        page_memory.tree_changed()

        assert CoursePage.find_with_translations(course.url_path).title == "Listening well"


def test_a_view_restriction_takes_effect_and_lifts_at_once(client, index, fa):
    course = make_course(index, "Listening basics")
    persian_course = translate(course, fa, title="گوش دادن")
    assert client.get(persian_course.url).status_code == 200

    restriction = PageViewRestriction.objects.create(page=course, restriction_type=PageViewRestriction.LOGIN)
    assert client.get(persian_course.url).status_code == 302

    restriction.delete()
    assert client.get(persian_course.url).status_code == 200


def test_a_lesson_done_in_one_language_is_listed_done_in_the_other(learner_client, learner, index, fa):
    course = make_course(index, "Listening basics")
    first, second = make_lesson(course, "Listen first"), make_lesson(course, "Paraphrase")
    persian_course = translate(course, fa, title="گوش دادن")
    persian_first, _ = translate(first, fa, title="اول گوش کن"), translate(second, fa, title="بازگویی")
    Enrollment.objects.enrol(learner, course, source="self")

    learner_client.post(persian_first.url + "complete/")

    for page in (course, persian_course):
        listed = learner_client.get(page.url).text
        assert listed.count('class="lesson-list__item is-complete"') == 1, page.url
    assert learner_client.get(second.url).text.count('class="is-complete"') == 1
