from django.core.exceptions import ValidationError
from django.utils.translation import gettext_lazy as _
from wagtail import blocks
from wagtail.blocks.struct_block import StructBlockValidationError


class FeelingBlock(blocks.StructBlock):
    text = blocks.CharBlock(label=_("Feeling"))
    correct = blocks.BooleanBlock(required=False, label=_("This is the feeling"))


class ParaphraseBlock(blocks.StructBlock):
    text = blocks.TextBlock(label=_("Paraphrase"))
    correct = blocks.BooleanBlock(required=False, label=_("This is the best paraphrase"))
    feedback = blocks.TextBlock(label=_("Feedback"))


class MomentBlock(blocks.StructBlock):
    """Something a customer says, the feeling behind it, and the paraphrase that shows it was heard."""

    customer_says = blocks.TextBlock(label=_("The customer says"))
    feelings = blocks.ListBlock(FeelingBlock(), min_num=2, label=_("Feelings to choose from"))
    paraphrases = blocks.ListBlock(ParaphraseBlock(), min_num=2, label=_("Paraphrases to choose from"))

    class Meta:
        icon = "comment"
        label = _("Moment")

    def clean(self, value):
        value = super().clean(value)
        errors = {}
        for name in ("feelings", "paraphrases"):
            if sum(1 for option in value[name] if option["correct"]) != 1:
                errors[name] = ValidationError(_("Mark exactly one option as correct."))
        if errors:
            raise StructBlockValidationError(block_errors=errors)
        return value
