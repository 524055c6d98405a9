from django.core.exceptions import ValidationError
from django.utils.translation import gettext_lazy as _
from wagtail import blocks
from wagtail.blocks.struct_block import StructBlockValidationError

ACTIONS = [
    ("refund", _("Refund")),
    ("replacement", _("Replace an item")),
    ("fee_waiver", _("Waive a fee")),
    ("discount", _("Give a discount")),
    ("deadline_extension", _("Extend a deadline")),
]

DECISIONS = [("resolve", _("Resolve it myself")), ("escalate", _("Escalate to a manager"))]


class OfferBlock(blocks.StructBlock):
    text = blocks.TextBlock(label=_("Offer"))
    fits = blocks.ChoiceBlock(
        choices=[*DECISIONS, ("never", _("Never right"))],
        label=_("Right when the decision is"),
    )
    feedback = blocks.TextBlock(label=_("Feedback"))


class DetailBlock(blocks.StructBlock):
    text = blocks.CharBlock(label=_("Information"))
    needed = blocks.BooleanBlock(required=False, label=_("The manager needs this"))


class CaseBlock(blocks.StructBlock):
    """A customer's case: what they ask for, and what the learner can offer and pass on."""

    situation = blocks.TextBlock(label=_("Situation"))
    customer_says = blocks.TextBlock(label=_("The customer says"))
    action = blocks.ChoiceBlock(choices=ACTIONS, label=_("What resolving it takes"))
    amount = blocks.IntegerBlock(
        min_value=0, label=_("Amount"), help_text=_("In the matrix's currency; in days for a deadline extension.")
    )
    offers = blocks.ListBlock(OfferBlock(), min_num=2, label=_("Offers"))
    details = blocks.ListBlock(DetailBlock(), default=[], label=_("Information to pass on when escalating"))

    class Meta:
        icon = "user"
        label = _("Case")

    def clean(self, value):
        value = super().clean(value)
        # The matrix can change, so either decision may become the right one: each needs an offer.
        fits = {offer["fits"] for offer in value["offers"]}
        if not {"resolve", "escalate"} <= fits:
            raise StructBlockValidationError(
                block_errors={
                    "offers": ValidationError(_("Give at least one offer for resolving and one for escalating."))
                }
            )
        return value
