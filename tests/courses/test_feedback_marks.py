"""What each question of a quiz says after an attempt, and what a refused submission keeps."""

import re

from django.utils.html import strip_tags

from courses.models import Attempt, Enrollment


def fieldsets(page: str) -> list[str]:
    """The text of each question's fieldset, whitespace collapsed."""
    return [" ".join(strip_tags(part).split()) for part in re.findall(r"<fieldset.*?</fieldset>", page, re.DOTALL)]


def test_each_question_says_whether_its_last_answer_was_right_and_marks_each_choice(
    learner_client, learner, course, quiz
):
    Enrollment.objects.enrol(learner, course, source="self")
    lesson = course.get_children().first().specific
    first, second, third = quiz.question_list
    answers = {
        # The last choice, with an unmarked one before it: every marked choice is listed.
        first.field_name: [first.choices[2].id],
        second.field_name: [choice.id for choice in second.choices if choice.correct],
        third.field_name: [choice.id for choice in third.choices if choice.correct],
    }
    learner_client.post(f"{lesson.url}activities/{quiz.pk}/", answers)

    first_text, second_text, third_text = fieldsets(learner_client.get(lesson.url).text)

    assert "Your last answer was not quite right." in first_text
    assert "Missed: this one is right Acknowledge how they feel Feelings first, then facts." in first_text
    assert "You chose it: wrong Pass them to a colleague That is passing the buck." in first_text
    assert "Explain the policy" not in first_text.split("Your last answer")[1]
    assert "Your last answer was right." in second_text
    assert "You chose it: right Paraphrasing what they said" in second_text
    assert "You chose it: right Asking an open question" in second_text
    assert "Your last answer was right." in third_text


def test_a_refused_submission_keeps_the_choices_made(learner_client, learner, course, quiz):
    Enrollment.objects.enrol(learner, course, source="self")
    lesson = course.get_children().first().specific
    first, second, _third = quiz.question_list
    chosen = second.choices[1].id

    response = learner_client.post(f"{lesson.url}activities/{quiz.pk}/", {second.field_name: [chosen]})

    assert response.status_code == 400
    assert not Attempt.objects.exists()
    checked = re.findall(r'name="([^"]+)" value="([^"]+)" checked', response.text)
    assert checked == [(second.field_name, chosen)]
    assert f'aria-describedby="{first.field_name}-error"' in response.text
