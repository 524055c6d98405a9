"""Activities: the graded parts of a lesson.

:class:`Activity` is the base of a polymorphic family. Each concrete type renders
itself, validates a submission and grades it on the server. The core ships two
generic types, :class:`QuizActivity` and :class:`ReflectionActivity`; module apps
add their own by subclassing :class:`Activity` in their ``models.py``. Nothing in
the core names them.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import TYPE_CHECKING, Any, ClassVar

from django.apps import apps
from django.contrib.contenttypes.fields import GenericRelation
from django.contrib.contenttypes.models import ContentType
from django.core.validators import MinValueValidator
from django.db import models
from django.http import QueryDict
from django.template.loader import render_to_string
from django.utils.functional import cached_property
from django.utils.safestring import SafeString
from django.utils.text import capfirst
from django.utils.translation import gettext_lazy as _
from django.utils.translation import ngettext
from polymorphic.managers import PolymorphicManager
from polymorphic.models import PolymorphicModel
from polymorphic.query import PolymorphicQuerySet
from wagtail.admin.forms import WagtailAdminModelForm
from wagtail.fields import StreamField
from wagtail.models import DraftStateMixin, PreviewableMixin, RevisionMixin, TranslatableMixin

from courses.blocks import QuizQuestionsBlock, stream_from_content
from courses.formatting import local_digits

if TYPE_CHECKING:
    from django.http import HttpRequest

    from courses.models.learners import Attempt
    from courses.progress import LessonVisit


@dataclass(frozen=True)
class Grade:
    """The server's verdict on one submission: a score in percent and whether it passes."""

    score: int
    passed: bool
    feedback: dict[str, Any] = field(default_factory=dict)


class SubmissionError(Exception):
    """A submission that cannot be graded. Nothing is stored; the learner sees the messages.

    ``errors`` maps a form field name to its message; ``"__all__"`` holds a message
    about the submission as a whole.
    """

    def __init__(self, errors: dict[str, str] | str, status: int = 400):
        self.errors = {"__all__": errors} if isinstance(errors, str) else errors
        self.status = status
        super().__init__("; ".join(str(message) for message in self.errors.values()))

    @property
    def general_error(self) -> str | None:
        """The message about the submission as a whole, if any."""
        return self.errors.get("__all__")


@dataclass
class ActivityState:
    """What one learner has done with one activity, as the lesson page shows it."""

    activity: Activity
    submit_url: str = ""
    interactive: bool = True
    latest_attempt: Attempt | None = None
    passed: bool = False
    #: The data of a refused submission, to fill the form again, and why it was refused.
    submitted: QueryDict | None = None
    error: SubmissionError | None = None
    #: Room for a type's own state (a scenario's current run, for example).
    extra: dict[str, Any] = field(default_factory=dict)

    def field_error(self, name: str) -> str | None:
        return self.error.errors.get(name) if self.error else None

    @property
    def general_error(self) -> str | None:
        """A message about the refused submission as a whole."""
        return self.field_error("__all__")


class ActivityForm(WagtailAdminModelForm):
    """The admin form of every activity type: refuses to publish an activity with problems."""

    def _post_clean(self):
        super()._post_clean()
        if not self.is_deferred_validation and not self.errors:
            for problem in self.instance.publishing_problems():
                self.add_error(None, problem)


class ActivityQuerySet(PolymorphicQuerySet):
    def live(self) -> ActivityQuerySet:
        return self.filter(live=True)

    def typed(self) -> list[Activity]:
        """Evaluate to instances of each activity's own type, in one query.

        django-polymorphic fetches each type with a query of its own; joining every
        type's table instead keeps a lesson page at a fixed number of queries.
        """
        paths = {
            ContentType.objects.get_for_model(model).pk: _path_from_base(model) for model in Activity.concrete_types()
        }
        activities = []
        for row in self.non_polymorphic().select_related(*paths.values()):
            activity = row
            for name in paths[row.polymorphic_ctype_id].split("__"):
                activity = getattr(activity, name)
            activities.append(activity)
        return activities


def _path_from_base(model: type[Activity]) -> str:
    """The select_related path from the Activity table to ``model``'s own table."""
    names = []
    while model is not Activity:
        names.append(model._meta.model_name)
        model = next(iter(model._meta.parents))
    return "__".join(reversed(names))


class Activity(PreviewableMixin, DraftStateMixin, RevisionMixin, TranslatableMixin, PolymorphicModel):
    """Base of every activity type. Concrete types subclass it and implement the hooks below."""

    title = models.CharField(_("title"), max_length=255)
    introduction = models.TextField(_("introduction"), blank=True)

    _revisions = GenericRelation("wagtailcore.Revision", related_query_name="activity")

    objects = PolymorphicManager.from_queryset(ActivityQuerySet)()
    base_form_class = ActivityForm

    #: Template that renders the activity for a learner.
    template_name: ClassVar[str] = ""
    #: The name content files use for this type (see ``courses.content``).
    content_type_name: ClassVar[str] = ""
    #: Whether a test-out may ask this activity: it is answered in one form, with right answers.
    can_test_out: ClassVar[bool] = False

    class Meta(TranslatableMixin.Meta):
        verbose_name = _("activity")
        verbose_name_plural = _("activities")

    def __str__(self) -> str:
        return self.title

    @classmethod
    def concrete_types(cls) -> list[type[Activity]]:
        """Every installed activity type, generic and from module apps alike."""
        return [
            model
            for model in apps.get_models()
            if issubclass(model, Activity) and model is not Activity and not model._meta.abstract
        ]

    @property
    def type_name(self) -> str:
        return capfirst(self._meta.verbose_name)

    @classmethod
    def from_content(cls, data: dict[str, Any]) -> Activity:
        """An unsaved activity built from a content file entry (see ``docs/content-format.md``)."""
        return cls(title=data["title"], introduction=data.get("introduction", ""))

    # Rendering

    def get_context(self, request: HttpRequest, state: ActivityState) -> dict[str, Any]:
        return {"activity": self, "state": state}

    def render(self, request: HttpRequest, state: ActivityState) -> SafeString:
        return render_to_string(self.template_name, self.get_context(request, state), request=request)

    @classmethod
    def load_learner_state(cls, states: list[ActivityState], visit: LessonVisit) -> None:
        """Add a type's own learner state to ``states`` (all of this type) in one go.

        Called once per type on a lesson page, so a type with state of its own
        keeps the page's query count independent of the number of activities.
        """

    def publishing_problems(self) -> list[str]:
        """Why this activity cannot be published as it stands; drafts may have problems."""
        return []

    def get_preview_template(self, request, mode_name):
        return "courses/activity_preview.html"

    def get_preview_context(self, request, mode_name):
        state = ActivityState(activity=self, interactive=False)
        return {"activity": self, "rendered": self.render(request, state)}

    # Submission and grading

    def submission_fields(self) -> set[str]:
        """Names of the form fields a submission may carry."""
        raise NotImplementedError

    def clean_answers(self, data: QueryDict) -> dict[str, Any]:
        """Turn posted data into the answers to grade, or raise :class:`SubmissionError`."""
        raise NotImplementedError

    def grade(self, answers: dict[str, Any], pass_mark: int) -> Grade:
        """Grade cleaned answers against the course's pass mark (a percentage)."""
        raise NotImplementedError

    def clean_submission(self, data: QueryDict) -> dict[str, Any]:
        """Validate a submission strictly: a field the activity does not ask for is refused."""
        unexpected = set(data) - self.submission_fields() - {"csrfmiddlewaretoken"}
        if unexpected:
            raise SubmissionError(
                _("This submission has fields the activity does not ask for: %(fields)s.")
                % {"fields": ", ".join(sorted(unexpected))}
            )
        return self.clean_answers(data)

    def submit(self, request: HttpRequest, visit: LessonVisit) -> Attempt:
        """Handle a learner's POST: clean, grade, record. Types with several steps override this."""
        from courses.progress import record_attempt

        answers = self.clean_submission(request.POST)
        grade = self.grade(answers, visit.pass_mark)
        return record_attempt(visit, self, answers, grade)


@dataclass(frozen=True)
class Choice:
    id: str
    text: str
    correct: bool = False
    feedback: str = ""


@dataclass(frozen=True)
class ChoiceQuestion:
    """A question answered by picking one choice, or several: the building block of graded forms.

    Quizzes are made of them, and module activity types build their forms from them too.
    """

    field_name: str
    prompt: str
    choices: list[Choice]
    multiple: bool = False
    required: bool = True

    @property
    def correct_ids(self) -> set[str]:
        return {choice.id for choice in self.choices if choice.correct}

    def choice(self, choice_id: str) -> Choice | None:
        return next((choice for choice in self.choices if choice.id == choice_id), None)

    def is_right(self, chosen: list[str]) -> bool:
        return set(chosen) == self.correct_ids

    def marks(self, chosen: list[str]) -> dict[str, str]:
        """What to say of each choice that matters to ``chosen``, by choice id: ``"right"`` (chosen and
        correct), ``"wrong"`` (chosen, not correct) or ``"missed"`` (correct, not chosen)."""
        marks = {}
        for choice in self.choices:
            if choice.id in chosen:
                marks[choice.id] = "right" if choice.correct else "wrong"
            elif choice.correct:
                marks[choice.id] = "missed"
        return marks

    def marked_choices(self, marks: dict[str, str]) -> list[dict[str, Any]]:
        """The choices ``marks`` names, in the question's order, each with its mark and its feedback.

        A feedback text several choices share (a true/false statement's) is given once.
        """
        items, given = [], set()
        for choice in self.choices:
            if choice.id not in marks:
                continue
            feedback = choice.feedback if choice.feedback not in given else ""
            given.add(choice.feedback)
            items.append({"choice": choice, "mark": marks[choice.id], "feedback": feedback})
        return items


def clean_choices(data: QueryDict, questions: list[ChoiceQuestion]) -> dict[str, list[str]]:
    """The chosen ids of each question, keyed by field name; every problem is a field error."""
    answers, errors = {}, {}
    for question in questions:
        chosen = sorted(set(data.getlist(question.field_name)))
        if not chosen and question.required:
            errors[question.field_name] = _("Answer this question.")
        elif not set(chosen) <= {choice.id for choice in question.choices}:
            errors[question.field_name] = _("That answer does not belong to this question.")
        elif not question.multiple and len(chosen) > 1:
            errors[question.field_name] = _("Pick only one answer.")
        else:
            answers[question.field_name] = chosen
    if errors:
        raise SubmissionError(errors)
    return answers


class ChoiceQuestionsMixin:
    """For activity types whose form is a list of choice questions, ``question_list``.

    Gives them strict cleaning, the rows their templates render, and grading question by question.
    """

    question_list: list[ChoiceQuestion]
    can_test_out = True

    def submission_fields(self) -> set[str]:
        return {question.field_name for question in self.question_list}

    def clean_answers(self, data: QueryDict) -> dict[str, list[str]]:
        return clean_choices(data, self.question_list)

    def question_rows(self, state: ActivityState) -> dict[str, dict[str, Any]]:
        """Each question with what to show as chosen, its error and its feedback; keyed by field name.

        Only a refused submission fills the form again: a new attempt starts blank, so that no
        answer of the last one is sent again unnoticed. The last attempt shows in the feedback,
        choice by choice, in the language of the page.
        """
        attempt = state.latest_attempt if state.submitted is None else None
        verdicts = self.verdicts_of(attempt) if attempt else {}
        rows = {}
        for question in self.question_list:
            name = question.field_name
            verdict = verdicts.get(name)
            feedback = None
            if verdict is not None:
                marks = verdict.get("marks", {})
                feedback = {"correct": verdict["correct"], "choices": question.marked_choices(marks)}
            rows[name] = {
                "question": question,
                "chosen": set(state.submitted.getlist(name)) if state.submitted is not None else set(),
                "error": state.field_error(name),
                "feedback": feedback,
            }
        return rows

    def verdicts_of(self, attempt: Attempt) -> dict[str, dict[str, Any]]:
        """``attempt``'s verdict on each question, keyed by this activity's field names and choice ids.

        An attempt made in another language was graded on that translation, whose blocks may have
        other ids (content files install each language on its own): its questions and choices are
        then matched to these by position.
        """
        if attempt.activity_id == self.pk:
            return attempt.feedback
        graded = type(self).objects.get(pk=attempt.activity_id)
        verdicts = {}
        for theirs, ours in zip(graded.question_list, self.question_list, strict=False):
            verdict = attempt.feedback.get(theirs.field_name)
            if verdict is None:
                continue
            choice_ids = {their.id: our.id for their, our in zip(theirs.choices, ours.choices, strict=False)}
            marks = {choice_ids[id_]: mark for id_, mark in verdict.get("marks", {}).items() if id_ in choice_ids}
            verdicts[ours.field_name] = {**verdict, "marks": marks}
        return verdicts

    def grade_each_question(self, answers: dict[str, list[str]], pass_mark: int) -> Grade:
        """One point per question answered exactly right; each choice marked right, wrong or missed."""
        feedback = {
            question.field_name: {
                "correct": question.is_right(answers[question.field_name]),
                "marks": question.marks(answers[question.field_name]),
            }
            for question in self.question_list
        }
        score = round(100 * sum(item["correct"] for item in feedback.values()) / len(feedback))
        return Grade(score=score, passed=score >= pass_mark, feedback=feedback)


class QuizActivity(ChoiceQuestionsMixin, Activity):
    """A knowledge check of single-choice, multiple-choice and true/false questions."""

    questions = StreamField(QuizQuestionsBlock(), verbose_name=_("questions"))

    template_name = "courses/activities/quiz.html"
    content_type_name = "quiz"

    class Meta:
        verbose_name = _("quiz")
        verbose_name_plural = _("quizzes")

    @classmethod
    def from_content(cls, data):
        quiz = super().from_content(data)
        quiz.questions = stream_from_content(
            cls,
            "questions",
            [
                {"type": question["type"], "value": {k: v for k, v in question.items() if k != "type"}}
                for question in data["questions"]
            ],
        )
        return quiz

    @cached_property
    def question_list(self) -> list[ChoiceQuestion]:
        questions = []
        for child in self.questions:
            field_name = f"q-{child.id}"
            if child.block_type == "true_false":
                is_true, feedback = child.value["is_true"], child.value["feedback"]
                choices = [
                    Choice("true", str(_("True")), is_true, feedback),
                    Choice("false", str(_("False")), not is_true, feedback),
                ]
                questions.append(ChoiceQuestion(field_name, child.value["statement"], choices))
            else:
                choices = [
                    Choice(item.id, item.value["text"], item.value["correct"], item.value["feedback"])
                    for item in child.value["choices"].bound_blocks
                ]
                questions.append(ChoiceQuestion(field_name, child.value["prompt"], choices, child.block.multiple))
        return questions

    def get_context(self, request, state):
        context = super().get_context(request, state)
        context["questions"] = self.question_rows(state).values()
        return context

    def grade(self, answers: dict[str, list[str]], pass_mark: int) -> Grade:
        return self.grade_each_question(answers, pass_mark)


class ReflectionActivity(Activity):
    """A free-text prompt. Complete once answered; there is no wrong answer."""

    prompt = models.TextField(_("prompt"))
    min_words = models.PositiveSmallIntegerField(
        _("minimum words"),
        default=5,
        validators=[MinValueValidator(1)],
        help_text=_("How many words an answer needs at least."),
    )
    model_answer = models.TextField(
        _("model answer"), blank=True, help_text=_("Shown to learners after they answer, to compare with their own.")
    )

    template_name = "courses/activities/reflection.html"
    content_type_name = "reflection"

    class Meta:
        verbose_name = _("reflection")
        verbose_name_plural = _("reflections")

    @classmethod
    def from_content(cls, data):
        reflection = super().from_content(data)
        reflection.prompt = data["prompt"]
        reflection.min_words = data.get("min_words", reflection.min_words)
        reflection.model_answer = data.get("model_answer", "")
        return reflection

    def submission_fields(self) -> set[str]:
        return {"response"}

    def clean_answers(self, data: QueryDict) -> dict[str, str]:
        response = data.get("response", "").strip()
        if len(response.split()) < self.min_words:
            raise SubmissionError(
                {
                    "response": ngettext(
                        "Write at least %(count)s word.", "Write at least %(count)s words.", self.min_words
                    )
                    % {"count": local_digits(self.min_words)}
                }
            )
        return {"response": response}

    def grade(self, answers: dict[str, str], pass_mark: int) -> Grade:
        return Grade(score=100, passed=True)
