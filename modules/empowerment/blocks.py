from django.utils.translation import gettext_lazy as _
from wagtail import blocks

ACTIONS = [
    ("refund", _("Refund")),
    ("replacement", _("Replace an item")),
    ("fee_waiver", _("Waive a fee")),
    ("discount", _("Give a discount")),
    ("deadline_extension", _("Extend a deadline")),
]

DECISIONS = [("resolve", _("Resolve it myself")), ("escalate", _("Escalate to a manager"))]


class OfferBlock(blocks.StructBlock):
    text = blocks.TextBlock(label=_("offer"))
    fits = blocks.ChoiceBlock(
        choices=[*DECISIONS, ("never", _("Never right"))],
        label=_("right when the decision is"),
    )
    feedback = blocks.TextBlock(label=_("feedback"))


class DetailBlock(blocks.StructBlock):
    text = blocks.CharBlock(label=_("information"))
    needed = blocks.BooleanBlock(required=False, label=_("the manager needs this"))


class CaseBlock(blocks.StructBlock):
    """A customer's case: what they ask for, and what the learner can offer and pass on."""

    situation = blocks.TextBlock(label=_("situation"))
    customer_says = blocks.TextBlock(label=_("the customer says"))
    action = blocks.ChoiceBlock(choices=ACTIONS, label=_("what resolving it takes"))
    amount = blocks.IntegerBlock(
        min_value=0, label=_("amount"), help_text=_("In the matrix's currency; in days for a deadline extension.")
    )
    offers = blocks.ListBlock(OfferBlock(), min_num=2, label=_("offers"))
    details = blocks.ListBlock(DetailBlock(), default=[], label=_("information to pass on when escalating"))

    class Meta:
        icon = "user"
        label = _("Case")
