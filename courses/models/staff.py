"""Staff profiles: what the training apps need to know about an employee."""

from __future__ import annotations

from django.conf import settings
from django.db import models
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from courses.conf import get_setting


class StaffProfile(models.Model):
    """An employee's hire date, department, manager and preferred language."""

    user = models.OneToOneField(
        settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="staff_profile", verbose_name=_("user")
    )
    hire_date = models.DateField(_("hire date"), null=True, blank=True)
    department = models.CharField(_("department"), max_length=100, blank=True)
    manager = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="direct_reports",
        verbose_name=_("manager"),
    )
    # A language code from settings.LANGUAGES; the choices live in the form so that a
    # site's own LANGUAGES never calls for a migration of this app.
    preferred_language = models.CharField(_("preferred language"), max_length=10, blank=True)

    class Meta:
        verbose_name = _("staff profile")
        verbose_name_plural = _("staff profiles")
        ordering = ["user__username"]

    def __str__(self) -> str:
        return self.user.get_full_name() or self.user.get_username()

    @property
    def is_new_hire(self) -> bool:
        if self.hire_date is None:
            return False
        return (timezone.localdate() - self.hire_date).days <= get_setting("NEW_HIRE_DAYS")
