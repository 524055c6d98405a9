"""StreamField blocks: the lesson content blocks and the quiz question blocks."""

from django import forms
from django.core.exceptions import ValidationError
from django.forms.utils import ErrorList
from django.utils.translation import gettext_lazy as _
from django.utils.translation import ngettext
from wagtail import blocks
from wagtail.blocks.list_block import ListBlockValidationError
from wagtail.blocks.struct_block import StructBlockValidationError
from wagtail.embeds.blocks import EmbedBlock
from wagtail.images.blocks import ImageBlock

from courses.formatting import local_digits

RICH_TEXT_FEATURES = ["h2", "h3", "bold", "italic", "ol", "ul", "link"]


def stream_from_content(model, field_name: str, raw: list[dict]) -> blocks.StreamValue:
    """Stream data written by hand, ready to save with stable ids.

    Raw data is saved as it is, and list items that have no id get a new one each
    time they are loaded; graded answers refer to those ids, so they must not move.
    """
    stream_block = model._meta.get_field(field_name).stream_block
    return blocks.StreamValue(
        stream_block,
        [(item["type"], stream_block.child_blocks[item["type"]].to_python(item["value"])) for item in raw],
    )


class ListBlockOfAtLeast(blocks.ListBlock):
    """A list that needs at least ``at_least`` items: a new one starts with that many empty items,
    and the count is checked on saving.

    Wagtail's ``min_num`` does the checking in the editor instead, where it shows as an error
    from the moment a new, empty list opens, before anything is typed.
    """

    def __init__(self, child_block, at_least: int, **kwargs):
        super().__init__(child_block, **kwargs)
        self.at_least = at_least
        if "default" not in kwargs:
            empty = self.child_block.get_prep_value(self.child_block.get_default())
            self.meta.default = [empty] * at_least

    def clean(self, value):
        value = self.normalize(value)
        too_few = None
        if len(value) < self.at_least and not self.is_deferred_validation:
            too_few = ValidationError(
                ngettext("Add at least %(count)s item.", "Add at least %(count)s items.", self.at_least)
                % {"count": local_digits(self.at_least)}
            )
        try:
            cleaned = super().clean(value)
        except ListBlockValidationError as error:
            if too_few:
                error.non_block_errors.append(too_few)
            raise
        if too_few:
            raise ListBlockValidationError(non_block_errors=ErrorList([too_few]))
        return cleaned


class CalloutBlock(blocks.StructBlock):
    kind = blocks.ChoiceBlock(
        choices=[("tip", _("Tip")), ("note", _("Note")), ("warning", _("Watch out"))],
        default="tip",
        label=_("Kind"),
    )
    title = blocks.CharBlock(required=False, label=_("Title"))
    text = blocks.RichTextBlock(features=["bold", "italic", "link", "ul"], label=_("Text"))

    class Meta:
        icon = "help"
        label = _("Tip or callout")
        template = "courses/blocks/callout.html"


class KeyTakeawaysBlock(blocks.StructBlock):
    heading = blocks.CharBlock(required=False, label=_("Heading"))
    items = ListBlockOfAtLeast(blocks.CharBlock(label=_("Takeaway")), at_least=1, label=_("Takeaways"))

    class Meta:
        icon = "list-ul"
        label = _("Key takeaways")
        template = "courses/blocks/key_takeaways.html"


class QuoteBlock(blocks.StructBlock):
    quote = blocks.TextBlock(label=_("Quote"))
    attribution = blocks.CharBlock(required=False, label=_("Attribution"))

    class Meta:
        icon = "openquote"
        label = _("Quote")
        template = "courses/blocks/quote.html"


class VideoBlock(blocks.StructBlock):
    video = EmbedBlock(label=_("Video URL"))
    caption = blocks.CharBlock(required=False, label=_("Caption"))
    transcript = blocks.TextBlock(required=False, label=_("Transcript"))

    class Meta:
        icon = "media"
        label = _("Video")
        template = "courses/blocks/video.html"


class DialogueLineBlock(blocks.StructBlock):
    speaker = blocks.ChoiceBlock(choices=[("customer", _("Customer")), ("staff", _("Staff"))], label=_("Speaker"))
    line = blocks.TextBlock(label=_("Line"))


class DialogueBlock(blocks.StructBlock):
    """A short exchange between a customer and a member of staff: a script to model."""

    title = blocks.CharBlock(required=False, label=_("Title"))
    lines = ListBlockOfAtLeast(DialogueLineBlock(), at_least=2, label=_("Lines"))

    class Meta:
        icon = "comment"
        label = _("Dialogue")
        template = "courses/blocks/dialogue.html"


class LessonStreamBlock(blocks.StreamBlock):
    """What trainers can put in the body of a course or a lesson."""

    rich_text = blocks.RichTextBlock(
        features=RICH_TEXT_FEATURES, label=_("Text"), template="courses/blocks/rich_text.html"
    )
    image = ImageBlock(label=_("Image"), template="courses/blocks/image.html")
    video = VideoBlock()
    callout = CalloutBlock()
    key_takeaways = KeyTakeawaysBlock()
    quote = QuoteBlock()
    dialogue = DialogueBlock()


class QuizChoiceBlock(blocks.StructBlock):
    text = blocks.CharBlock(label=_("Answer"))
    correct = blocks.BooleanBlock(required=False, label=_("Correct"))
    feedback = blocks.TextBlock(
        required=False, label=_("Feedback"), help_text=_("Shown to learners who pick this answer.")
    )


class ChoiceQuestionBlock(blocks.StructBlock):
    prompt = blocks.TextBlock(label=_("Question"))
    choices = ListBlockOfAtLeast(QuizChoiceBlock(), at_least=2, label=_("Answers"))

    #: Whether the learner may tick several answers.
    multiple = False

    def clean(self, value):
        value = super().clean(value)
        correct = sum(1 for choice in value["choices"] if choice["correct"])
        if self.multiple and correct == 0:
            raise StructBlockValidationError(
                block_errors={"choices": ValidationError(_("Mark at least one answer as correct."))}
            )
        if not self.multiple and correct != 1:
            raise StructBlockValidationError(
                block_errors={"choices": ValidationError(_("Mark exactly one answer as correct."))}
            )
        return value


class SingleChoiceQuestionBlock(ChoiceQuestionBlock):
    class Meta:
        icon = "radio-full"
        label = _("Single choice")


class MultipleChoiceQuestionBlock(ChoiceQuestionBlock):
    multiple = True

    class Meta:
        icon = "tasks"
        label = _("Multiple choice")


class TruthBlock(blocks.FieldBlock):
    """Whether a statement is true, picked from the two choices "True" and "False"; stored as a boolean.

    Stored values are the booleans an earlier checkbox stored, so existing content reads unchanged.
    """

    def __init__(self, required=True, help_text=None, **kwargs):
        self.field = forms.ChoiceField(
            choices=[("true", _("True")), ("false", _("False"))],
            widget=forms.RadioSelect,
            required=required,
            help_text=help_text,
        )
        super().__init__(**kwargs)

    def to_python(self, value):
        return None if value is None else bool(value)

    def value_for_form(self, value):
        return "" if value is None else ("true" if value else "false")

    def value_from_form(self, value):
        return {"true": True, "false": False}.get(value)

    class Meta:
        icon = "tick"


class TrueFalseQuestionBlock(blocks.StructBlock):
    statement = blocks.TextBlock(label=_("Statement"))
    is_true = TruthBlock(label=_("Right answer"))
    feedback = blocks.TextBlock(
        required=False, label=_("Explanation"), help_text=_("Shown to learners after they answer.")
    )

    class Meta:
        icon = "tick"
        label = _("True or false")


class QuizQuestionsBlock(blocks.StreamBlock):
    single_choice = SingleChoiceQuestionBlock()
    multiple_choice = MultipleChoiceQuestionBlock()
    true_false = TrueFalseQuestionBlock()
