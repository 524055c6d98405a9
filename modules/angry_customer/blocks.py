from django.core.validators import RegexValidator
from django.utils.translation import gettext_lazy as _
from wagtail import blocks

SKILL_CHOICES = [
    ("acknowledge", _("Acknowledge the feeling")),
    ("apologise", _("Apologise")),
    ("listen", _("Listen and ask")),
    ("ownership", _("Take ownership")),
    ("solution", _("Offer a fix")),
    ("follow_up", _("Follow up")),
    ("arguing", _("Arguing (penalty)")),
    ("blaming_policy", _("Blaming policy (penalty)")),
    ("passing_the_buck", _("Passing the buck (penalty)")),
]

step_key_validator = RegexValidator(r"^[a-z0-9_-]+$", _("Use lowercase letters, digits, hyphens and underscores."))


class SkillPointsBlock(blocks.StructBlock):
    skill = blocks.ChoiceBlock(choices=SKILL_CHOICES, label=_("Skill"))
    points = blocks.IntegerBlock(
        min_value=-3, max_value=3, label=_("Points"), help_text=_("Positive for a skill, negative for a penalty.")
    )


class ReplyBlock(blocks.StructBlock):
    text = blocks.TextBlock(label=_("Reply"))
    next = blocks.CharBlock(
        max_length=50,
        validators=[step_key_validator],
        label=_("Leads to"),
        help_text=_("The key of the step or ending this reply leads to."),
    )
    feedback = blocks.TextBlock(label=_("Feedback"), help_text=_("Why this reply helps or hurts."))
    skills = blocks.ListBlock(SkillPointsBlock(), default=[], label=_("Scores"))


class StepBlock(blocks.StructBlock):
    key = blocks.CharBlock(max_length=50, validators=[step_key_validator], label=_("Key"))
    situation = blocks.TextBlock(required=False, label=_("Situation"))
    customer_says = blocks.TextBlock(label=_("The customer says"))
    replies = blocks.ListBlock(ReplyBlock(), min_num=1, label=_("Replies"))

    class Meta:
        icon = "comment"
        label = _("Step")


class EndingBlock(blocks.StructBlock):
    key = blocks.CharBlock(max_length=50, validators=[step_key_validator], label=_("Key"))
    title = blocks.CharBlock(label=_("Title"))
    text = blocks.TextBlock(label=_("How it ends"))

    class Meta:
        icon = "flag"
        label = _("Ending")


class ScenarioStreamBlock(blocks.StreamBlock):
    step = StepBlock()
    ending = EndingBlock()
