"""Listening exercises: name the feeling behind what a customer says, and pick the paraphrase that shows you heard."""

from functools import cached_property

from django.utils.translation import gettext
from django.utils.translation import gettext_lazy as _
from wagtail.admin.panels import FieldPanel
from wagtail.fields import StreamField

from courses.blocks import stream_from_content
from courses.models import Activity, Grade
from courses.models.activities import Choice, ChoiceQuestion, ChoiceQuestionsMixin
from modules.active_listening.blocks import MomentBlock, clip_kind


class ListeningActivity(ChoiceQuestionsMixin, Activity):
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
            moments.append(
                {
                    "customer_says": value["customer_says"],
                    "clip": value["clip"],
                    "clip_kind": clip_kind(value["clip"]) if value["clip"] else None,
                    "transcript": value["transcript"],
                    "questions": [feeling, paraphrase],
                }
            )
        return moments

    @property
    def question_list(self) -> list[ChoiceQuestion]:
        return [question for moment in self.moment_list for question in moment["questions"]]

    def get_context(self, request, state):
        context = super().get_context(request, state)
        rows = self.question_rows(state)
        context["moments"] = [
            {**moment, "questions": [rows[question.field_name] for question in moment["questions"]]}
            for moment in self.moment_list
        ]
        return context

    def grade(self, answers, pass_mark: int) -> Grade:
        return self.grade_each_question(answers, pass_mark)
