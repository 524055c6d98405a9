"""Trainers author and enrol in the Wagtail admin, with only the permissions of their group."""

from django.contrib.auth.models import Group
from wagtail.models import GroupApprovalTask, Page, Workflow, WorkflowPage, WorkflowTask
from wagtail.test.utils.form_data import inline_formset, nested_form_data, rich_text, streamfield

from courses.models import (
    Attempt,
    CourseCompletion,
    CoursePage,
    Enrollment,
    LessonPage,
    QuizActivity,
    ReflectionActivity,
    StaffProfile,
)
from courses.roles import set_up_roles
from courses.testing import make_reflection, make_user, translate

#: The Completion tab's refresher fields as a course form posts them: completions never expire.
REFRESHER_POLICY_FORM = {
    "renewal": "never",
    "renew_every_months": "12",
    "renew_on_month": "12",
    "renew_on_day": "31",
    "refresher_window_days": "30",
    "grace_days": "0",
    "test_out": "never",
}


def list_block(items):
    """ListBlock form data for ``items``."""
    data = {str(i): {"value": item, "deleted": "", "order": str(i)} for i, item in enumerate(items)}
    data["count"] = str(len(items))
    return data


def test_a_trainer_creates_and_publishes_a_quiz_a_course_and_a_lesson(trainer_client, index):
    quiz_form = nested_form_data(
        {
            "title": "Greeting check",
            "introduction": "",
            "questions": streamfield(
                [
                    (
                        "single_choice",
                        {
                            "prompt": "What comes first?",
                            "choices": list_block(
                                [
                                    {"text": "A greeting", "correct": "on", "feedback": "Yes."},
                                    {"text": "A form", "feedback": "Not yet."},
                                ]
                            ),
                        },
                    ),
                    (
                        "true_false",
                        {"statement": "Smiles can be heard on the phone.", "is_true": "true", "feedback": ""},
                    ),
                ]
            ),
            "action-publish": "publish",
        }
    )
    response = trainer_client.post("/admin/snippets/courses/quizactivity/add/", quiz_form)
    assert response.status_code == 302, response.context["form"].errors if response.context else response
    quiz = QuizActivity.objects.get(title="Greeting check")
    assert quiz.live
    assert len(quiz.question_list) == 2

    course_form = nested_form_data(
        {
            "title": "Greeting customers",
            "slug": "greeting-customers",
            "summary": "How to open a conversation.",
            "estimated_minutes": "20",
            "body": streamfield([]),
            "pass_mark": "80",
            "allow_self_enrolment": "on",
            **REFRESHER_POLICY_FORM,
            "action-publish": "publish",
        }
    )
    response = trainer_client.post(f"/admin/pages/add/courses/coursepage/{index.pk}/", course_form)
    assert response.status_code == 302, response.context["form"].errors if response.context else response
    course = CoursePage.objects.get(slug="greeting-customers")
    assert course.live

    lesson_form = nested_form_data(
        {
            "title": "The first ten seconds",
            "slug": "the-first-ten-seconds",
            "summary": "",
            "estimated_minutes": "10",
            "required": "on",
            "body": streamfield([("rich_text", rich_text("<p>Look up, smile, greet.</p>"))]),
            "activity_links": inline_formset([{"activity": str(quiz.pk)}]),
            "action-publish": "publish",
        }
    )
    response = trainer_client.post(f"/admin/pages/add/courses/lessonpage/{course.pk}/", lesson_form)
    assert response.status_code == 302, response.context["form"].errors if response.context else response
    lesson = LessonPage.objects.get(slug="the-first-ten-seconds")
    assert lesson.live
    assert [link.activity_id for link in lesson.activity_links.all()] == [quiz.pk]


def test_a_trainer_cannot_author_outside_the_training_pages(trainer_client, index):
    root = Page.get_first_root_node()
    response = trainer_client.get(f"/admin/pages/add/courses/trainingindexpage/{root.pk}/")
    assert response.status_code in (302, 403)


def test_a_single_choice_question_needs_one_right_answer(trainer_client):
    form = nested_form_data(
        {
            "title": "Broken",
            "introduction": "",
            "questions": streamfield(
                [("single_choice", {"prompt": "?", "choices": list_block([{"text": "a"}, {"text": "b"}])})]
            ),
            "action-publish": "publish",
        }
    )
    response = trainer_client.post("/admin/snippets/courses/quizactivity/add/", form)
    assert response.status_code == 200
    assert not QuizActivity.objects.exists()


def test_a_trainer_enrols_a_learner_with_a_due_date(trainer_client, course, learner):
    response = trainer_client.post(
        "/admin/enrollments/new/", {"user": learner.pk, "course": course.pk, "due_date": "2026-12-31"}
    )

    assert response.status_code == 302
    enrollment = Enrollment.objects.get()
    assert (enrollment.source, enrollment.assigned_by.username) == ("assigned", "trainer")
    assert str(enrollment.cycles.get().due_on) == "2026-12-31"


def test_enrolling_someone_twice_is_a_form_error(trainer_client, course, learner):
    Enrollment.objects.enrol(learner, course, source="self")

    response = trainer_client.post("/admin/enrollments/new/", {"user": learner.pk, "course": course.pk})

    assert response.status_code == 200
    assert "already exists" in response.text
    assert Enrollment.objects.count() == 1


def test_an_enrolment_with_a_completion_cannot_be_deleted(admin_client, course, learner):
    enrollment, _ = Enrollment.objects.enrol(learner, course, source="self")
    CourseCompletion.objects.create(enrollment=enrollment, cycle=1)

    response = admin_client.post(f"/admin/enrollments/delete/{enrollment.pk}/", follow=True)

    assert Enrollment.objects.filter(pk=enrollment.pk).exists()
    assert "cannot be deleted" in response.text


def test_an_enrolment_without_completions_can_be_deleted(admin_client, course, learner):
    enrollment, _ = Enrollment.objects.enrol(learner, course, source="self")

    admin_client.post(f"/admin/enrollments/delete/{enrollment.pk}/")

    assert not Enrollment.objects.exists()


def test_a_course_with_learners_cannot_be_deleted(admin_client, course, learner):
    Enrollment.objects.enrol(learner, course, source="self")

    response = admin_client.post(f"/admin/pages/{course.pk}/delete/", follow=True)

    assert CoursePage.objects.filter(pk=course.pk).exists()
    assert "holds learners" in response.text


def test_translating_a_lesson_links_the_translated_activities(index, course, quiz, fa):
    persian_quiz = quiz.copy_for_translation(fa)
    persian_quiz.title = "آزمونک"
    persian_quiz.save()
    lesson = course.get_children().first().specific
    translate(course, fa, title="دوره")

    persian_lesson = lesson.copy_for_translation(fa).specific

    assert [link.activity_id for link in persian_lesson.activity_links.all()] == [persian_quiz.pk]
    draft = persian_lesson.get_latest_revision_as_object()
    assert [link.activity_id for link in draft.activity_links.all()] == [persian_quiz.pk]


def test_a_trainer_previews_a_lesson_and_an_activity(trainer_client, course, quiz):
    lesson = course.get_children().first().specific

    lesson_preview = trainer_client.get(f"/admin/pages/{lesson.pk}/view_draft/")
    quiz_preview = quiz.make_preview_request()

    assert lesson_preview.status_code == 200
    assert "Knowledge check" in lesson_preview.text
    assert 'type="radio" name="q-' in lesson_preview.text
    assert "disabled" in lesson_preview.text
    assert quiz_preview.status_code == 200
    assert "A customer is upset. What do you do first?" in quiz_preview.rendered_content


def test_the_activity_chooser_lists_every_type(trainer_client, quiz, reflection):
    response = trainer_client.get("/admin/activity_chooser/")

    assert response.status_code == 200
    html = response.json()["html"]
    assert "Knowledge check" in html
    assert "Your turn" in html
    assert "Reflection" in html


def test_the_admin_menu_groups_training_and_activities(trainer_client):
    page = trainer_client.get("/admin/").text

    labels = ["Training", "Enrolments", "Staff profiles", "Activities", "Quizzes", "Scenarios", "Empowerment cases"]
    for label in labels:
        assert label in page, label


def test_a_trainer_can_send_a_course_through_moderation(trainer_client, index):
    review = GroupApprovalTask.objects.create(name="Training lead review")
    review.groups.set([Group.objects.get(name="Trainers")])
    workflow = Workflow.objects.create(name="Course review")
    WorkflowTask.objects.create(workflow=workflow, task=review, sort_order=0)
    WorkflowPage.objects.create(workflow=workflow, page=index)
    form = nested_form_data(
        {
            "title": "Phone manners",
            "slug": "phone-manners",
            "summary": "Answering the phone well.",
            "estimated_minutes": "15",
            "body": streamfield([]),
            "pass_mark": "80",
            **REFRESHER_POLICY_FORM,
            "action-submit": "submit",
        }
    )

    response = trainer_client.post(f"/admin/pages/add/courses/coursepage/{index.pk}/", form)

    assert response.status_code == 302
    course = CoursePage.objects.get(slug="phone-manners")
    assert course.live is False
    assert course.current_workflow_state.workflow == workflow
    assert course.current_workflow_state.status == "in_progress"


def test_a_page_holding_courses_with_learners_cannot_be_deleted(admin_client, index, course, learner, fa):
    persian_index = index.get_translation(fa)
    persian_course = translate(course, fa, title="دوره")
    Enrollment.objects.enrol(learner, course, source="self")

    admin_client.post(f"/admin/pages/{index.pk}/delete/")
    assert CoursePage.objects.filter(pk=course.pk).exists()

    # Learner records point at the English course only: the Persian tree may go.
    admin_client.post(f"/admin/pages/{persian_index.pk}/delete/")
    assert not CoursePage.objects.filter(pk=persian_course.pk).exists()


def test_a_translation_with_attempts_cannot_be_deleted(admin_client, index, course, learner, quiz, fa):
    persian_course = translate(course, fa, title="دوره")
    persian_lesson = translate(course.get_children().first().specific, fa, title="درس")
    enrollment, _ = Enrollment.objects.enrol(learner, course, source="self")
    Attempt.objects.create(
        enrollment=enrollment, cycle=1, lesson=persian_lesson, activity=quiz, answers={}, score=0, passed=False
    )

    response = admin_client.post(f"/admin/pages/{persian_course.pk}/delete/", follow=True)

    assert CoursePage.objects.filter(pk=persian_course.pk).exists()
    assert "holds learners" in response.text


def test_bulk_deleting_a_course_with_learners_is_refused(admin_client, course, learner):
    Enrollment.objects.enrol(learner, course, source="self")

    admin_client.post(f"/admin/bulk/wagtailcore/page/delete/?id={course.pk}&next=/admin/pages/")

    assert CoursePage.objects.filter(pk=course.pk).exists()


def test_bulk_deleting_a_page_above_courses_with_learners_is_refused(admin_client, index, course, learner):
    Enrollment.objects.enrol(learner, course, source="self")

    response = admin_client.post(f"/admin/bulk/wagtailcore/page/delete/?id={index.pk}&next=/admin/pages/", follow=True)

    assert CoursePage.objects.filter(pk=course.pk).exists()
    assert "hold learners" in response.text


def test_an_attempted_activity_cannot_be_deleted(admin_client, course, learner, quiz):
    Enrollment.objects.enrol(learner, course, source="self")
    lesson = course.get_children().first().specific
    enrollment = Enrollment.objects.get()
    Attempt.objects.create(
        enrollment=enrollment, cycle=1, lesson=lesson, activity=quiz, answers={}, score=0, passed=False
    )

    refused = admin_client.post(f"/admin/snippets/courses/quizactivity/delete/{quiz.pk}/", follow=True)
    assert QuizActivity.objects.filter(pk=quiz.pk).exists()
    assert "Learners have worked on" in refused.text

    unused = make_reflection(title="Never used")
    admin_client.post(f"/admin/snippets/courses/reflectionactivity/delete/{unused.pk}/")
    assert not ReflectionActivity.objects.filter(pk=unused.pk).exists()


def test_a_manager_sees_the_enrolments_of_their_team_only(client, course, learner):
    set_up_roles()
    manager = make_user("manager")
    manager.groups.add(Group.objects.get(name="Managers"))
    StaffProfile.objects.create(user=learner, manager=manager)
    someone_else = make_user("someone")
    Enrollment.objects.enrol(learner, course, source="self")
    Enrollment.objects.enrol(someone_else, course, source="self")
    client.force_login(manager)

    response = client.get("/admin/enrollments/")

    assert response.status_code == 200
    assert [e.user.username for e in response.context["object_list"]] == ["learner"]
