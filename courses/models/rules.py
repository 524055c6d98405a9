"""Assignment rules: who must take which courses, and by when.

A rule gives an audience (everyone, a group, a department, staff hired on or after a date,
a manager's whole team) an ordered list of courses, each due a number of days after the
hire date or after the day the rule first applied to the person. The onboarding path is
such a rule. ``courses.assignments`` applies the rules.
"""

from __future__ import annotations

from django.conf import settings
from django.core.exceptions import ValidationError
from django.db import models
from django.utils.translation import gettext_lazy as _
from modelcluster.fields import ParentalKey
from modelcluster.models import ClusterableModel
from wagtail.admin.panels import FieldPanel, FieldRowPanel, InlinePanel, MultiFieldPanel
from wagtail.models import Orderable

from courses.models.staff import StaffProfile, StaffProfileQuerySet


class AssignmentRuleQuerySet(models.QuerySet):
    def active(self) -> AssignmentRuleQuerySet:
        return self.filter(is_active=True)


class AssignmentRule(ClusterableModel):
    """An audience of staff and the courses they must hold, in order."""

    class Audience(models.TextChoices):
        EVERYONE = "everyone", _("Everyone")
        GROUP = "group", _("Members of a group")
        DEPARTMENT = "department", _("A department")
        HIRED_SINCE = "hired_since", _("Staff hired on or after a date")
        TEAM = "team", _("A manager's whole team")

    class DueFrom(models.TextChoices):
        HIRE_DATE = "hire_date", _("the hire date")
        ASSIGNED = "assigned", _("the day the rule first applied to them")

    name = models.CharField(_("name"), max_length=255)
    persian_name = models.CharField(
        _("name in Persian"), max_length=255, blank=True, help_text=_("Learners reading in Persian see this name.")
    )
    is_active = models.BooleanField(
        _("active"), default=True, help_text=_("Inactive rules enrol nobody; those they enrolled are not chased.")
    )
    audience = models.CharField(_("audience"), max_length=20, choices=Audience.choices, default=Audience.EVERYONE)
    group = models.ForeignKey(
        "auth.Group", on_delete=models.PROTECT, null=True, blank=True, related_name="+", verbose_name=_("group")
    )
    department = models.CharField(_("department"), max_length=100, blank=True)
    hired_since = models.DateField(_("hired on or after"), null=True, blank=True)
    manager = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("manager"),
    )
    due_from = models.CharField(_("due dates count from"), max_length=20, choices=DueFrom.choices)

    objects = AssignmentRuleQuerySet.as_manager()

    panels = [
        FieldRowPanel([FieldPanel("name"), FieldPanel("persian_name")]),
        FieldPanel("is_active"),
        MultiFieldPanel(
            [
                FieldPanel("audience"),
                FieldRowPanel([FieldPanel("group"), FieldPanel("department")]),
                FieldRowPanel([FieldPanel("hired_since"), FieldPanel("manager")]),
            ],
            heading=_("Who"),
        ),
        FieldPanel("due_from"),
        InlinePanel("courses", heading=_("Courses, in order"), label=_("course"), min_num=1),
    ]

    class Meta:
        verbose_name = _("assignment rule")
        verbose_name_plural = _("assignment rules")
        ordering = ["name"]

    def __str__(self) -> str:
        return self.name

    def name_for(self, language_code: str) -> str:
        """The rule's name for learners reading ``language_code``."""
        return self.persian_name if language_code == "fa" and self.persian_name else self.name

    #: The field each audience needs, if any.
    AUDIENCE_FIELDS = {
        Audience.GROUP: "group",
        Audience.DEPARTMENT: "department",
        Audience.HIRED_SINCE: "hired_since",
        Audience.TEAM: "manager",
    }

    def clean(self) -> None:
        needed = self.AUDIENCE_FIELDS.get(self.audience)
        if needed and not getattr(self, self._meta.get_field(needed).attname):
            raise ValidationError({needed: _("This audience needs it.")})

    def audience_profiles(self) -> StaffProfileQuerySet:
        """The staff profiles of active accounts this rule applies to."""
        profiles = StaffProfile.objects.filter(user__is_active=True)
        match self.audience:
            case self.Audience.GROUP:
                return profiles.filter(user__groups=self.group_id)
            case self.Audience.DEPARTMENT:
                return profiles.filter(department=self.department)
            case self.Audience.HIRED_SINCE:
                return profiles.filter(hire_date__gte=self.hired_since)
            case self.Audience.TEAM:
                return profiles.team_of(self.manager)
        return profiles


class AssignmentRuleCourse(Orderable):
    """A course of an assignment rule, and how many days the audience has to complete it."""

    rule = ParentalKey(AssignmentRule, on_delete=models.CASCADE, related_name="courses")
    course = models.ForeignKey(
        "courses.CoursePage", on_delete=models.CASCADE, related_name="+", verbose_name=_("course")
    )
    due_after_days = models.PositiveSmallIntegerField(_("due after (days)"), default=30)

    panels = [FieldRowPanel([FieldPanel("course"), FieldPanel("due_after_days")])]

    class Meta(Orderable.Meta):
        verbose_name = _("course of a rule")
        verbose_name_plural = _("courses of a rule")


class InstalledContent(models.Model):
    """A piece of module content ``load_training_modules`` has installed once, and never again."""

    key = models.CharField(_("key"), max_length=200, unique=True)
    installed_at = models.DateTimeField(_("installed at"), auto_now_add=True)

    class Meta:
        verbose_name = _("installed content")
        verbose_name_plural = _("installed content")

    def __str__(self) -> str:
        return self.key
