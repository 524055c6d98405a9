"""Listening exercises: name the feeling behind what a customer says, and pick the paraphrase that shows you heard."""

from functools import cached_property

from django.utils.translation import gettext
from django.utils.translation import gettext_lazy as _
from wagtail.admin.panels import FieldPanel
from wagtail.fields import StreamField

from courses.blocks import stream_from_content
from courses.models import Activity, Grade
from courses.models.activities import Choice, ChoiceQuestion, chosen_answers, clean_choices
from modules.active_listening.blocks import MomentBlock


class ListeningActivity(Activity):
    """A series of moments; each asks for the feeling behind the words and the best paraphrase."""

    moments = StreamField([("moment", MomentBlock())], verbose_name=_("moments"))

    panels = [FieldPanel("title"), FieldPanel("introduction"), FieldPanel("moments")]

    template_name = "active_listening/listening.html"
    content_type_name = "listening"

    class Meta:
        verbose_name = _("listening exercise")
        verbose_name_plural = _("listening exercises")

    @classmethod
    def from_content(cls, data):
        exercise = super().from_content(data)
        exercise.moments = stream_from_content(
            cls, "moments", [{"type": "moment", "value": moment} for moment in data["moments"]]
        )
        return exercise

    @cached_property
    def moment_list(self) -> list[dict]:
        """Each moment with its two questions: the feeling, then the paraphrase."""
        moments = []
        for child in self.moments:
            value = child.value
            feeling = ChoiceQuestion(
                f"feeling-{child.id}",
                gettext("What is the customer feeling?"),
                [Choice(item.id, item.value["text"], item.value["correct"]) for item in value["feelings"].bound_blocks],
            )
            paraphrase = ChoiceQuestion(
                f"paraphrase-{child.id}",
                gettext("Which reply shows you heard them?"),
                [
                    Choice(item.id, item.value["text"], item.value["correct"], item.value["feedback"])
                    for item in value["paraphrases"].bound_blocks
                ],
            )
            moments.append({"customer_says": value["customer_says"], "questions": [feeling, paraphrase]})
        return moments

    @property
    def questions(self) -> list[ChoiceQuestion]:
        return [question for moment in self.moment_list for question in moment["questions"]]

    def get_context(self, request, state):
        context = super().get_context(request, state)
        chosen = chosen_answers(state, self.questions)
        feedback = state.latest_attempt.feedback if state.latest_attempt and state.submitted is None else {}
        context["moments"] = [
            {
                "customer_says": moment["customer_says"],
                "questions": [
                    {
                        "question": question,
                        "chosen": chosen[question.field_name],
                        "error": state.field_error(question.field_name),
                        "feedback": feedback.get(question.field_name),
                    }
                    for question in moment["questions"]
                ],
            }
            for moment in self.moment_list
        ]
        return context

    def submission_fields(self) -> set[str]:
        return {question.field_name for question in self.questions}

    def clean_answers(self, data):
        return clean_choices(data, self.questions)

    def grade(self, answers, pass_mark: int) -> Grade:
        feedback = {
            question.field_name: {
                "correct": question.is_right(answers[question.field_name]),
                "notes": question.notes(answers[question.field_name]),
            }
            for question in self.questions
        }
        score = round(100 * sum(item["correct"] for item in feedback.values()) / len(feedback))
        return Grade(score=score, passed=score >= pass_mark, feedback=feedback)
