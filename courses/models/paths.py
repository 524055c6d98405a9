"""Learning paths: courses to take in order, such as the onboarding path for new hires."""

from __future__ import annotations

from typing import TYPE_CHECKING

from django.db import models
from django.utils.translation import gettext_lazy as _
from modelcluster.fields import ParentalKey
from modelcluster.models import ClusterableModel
from wagtail.admin.panels import FieldPanel, InlinePanel
from wagtail.models import Orderable

from courses.models.learners import Enrollment

if TYPE_CHECKING:
    from django.contrib.auth.models import AbstractBaseUser


class LearningPathQuerySet(models.QuerySet):
    def onboarding(self) -> LearningPathQuerySet:
        return self.filter(is_onboarding=True)


class LearningPath(ClusterableModel):
    """An ordered list of courses. Onboarding paths are given to every new hire."""

    name = models.CharField(_("name"), max_length=255)
    is_onboarding = models.BooleanField(
        _("onboarding path"), default=False, help_text=_("New hires are enrolled in these courses automatically.")
    )

    objects = LearningPathQuerySet.as_manager()

    panels = [FieldPanel("name"), FieldPanel("is_onboarding"), InlinePanel("steps", label=_("course"), min_num=1)]

    class Meta:
        verbose_name = _("learning path")
        verbose_name_plural = _("learning paths")
        ordering = ["name"]

    def __str__(self) -> str:
        return self.name

    def enrol(self, user: AbstractBaseUser, *, source: str = Enrollment.Source.AUTOMATIC) -> list[Enrollment]:
        """Enrol ``user`` in every course of the path they are not enrolled in yet."""
        return [Enrollment.objects.enrol(user, step.course, source=source)[0] for step in self.steps.all()]


class LearningPathStep(Orderable):
    path = ParentalKey(LearningPath, on_delete=models.CASCADE, related_name="steps")
    course = models.ForeignKey(
        "courses.CoursePage", on_delete=models.CASCADE, related_name="+", verbose_name=_("course")
    )

    panels = [FieldPanel("course")]

    class Meta(Orderable.Meta):
        verbose_name = _("course in path")
        verbose_name_plural = _("courses in path")


class InstalledContent(models.Model):
    """A piece of module content ``load_training_modules`` has installed once, and never again."""

    key = models.CharField(_("key"), max_length=200, unique=True)
    installed_at = models.DateTimeField(_("installed at"), auto_now_add=True)

    class Meta:
        verbose_name = _("installed content")
        verbose_name_plural = _("installed content")

    def __str__(self) -> str:
        return self.key
