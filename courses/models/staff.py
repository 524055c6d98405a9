"""Staff profiles: what the training apps need to know about an employee."""

from __future__ import annotations

from typing import TYPE_CHECKING

from django.conf import settings
from django.db import models
from django.db.models.expressions import RawSQL
from django.utils.translation import gettext_lazy as _

if TYPE_CHECKING:
    from django.contrib.auth.models import AbstractBaseUser


class StaffProfileQuerySet(models.QuerySet):
    def team_of(self, manager: AbstractBaseUser) -> StaffProfileQuerySet:
        """Everyone whose chain of managers reaches ``manager``, however deep, in one query."""
        table = self.model._meta.db_table
        # The table name comes from the model; the manager's id is a parameter.
        team = RawSQL(  # noqa: S611
            f"WITH RECURSIVE team(user_id) AS ("  # noqa: S608
            f" SELECT user_id FROM {table} WHERE manager_id = %s"
            f" UNION SELECT member.user_id FROM {table} member JOIN team ON member.manager_id = team.user_id"
            f") SELECT user_id FROM team",
            [manager.pk],
        )
        return self.filter(user_id__in=team)

    def visible_to(self, user: AbstractBaseUser) -> StaffProfileQuerySet:
        """The profiles ``user`` may see in the admin: everyone's, for those who manage enrolments
        (trainers, administrators); their own team's, for managers; nothing, for everyone else."""
        if sees_everyone(user):
            return self
        return self.team_of(user) if user.is_authenticated else self.none()


def sees_everyone(user: AbstractBaseUser) -> bool:
    """Whether ``user`` follows the whole organisation (trainers, administrators) rather than a team."""
    return user.has_perm("courses.change_enrollment")


class StaffProfile(models.Model):
    """An employee: hire date, department, manager, preferred language and name in Persian script."""

    user = models.OneToOneField(
        settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="staff_profile", verbose_name=_("user")
    )
    hire_date = models.DateField(_("hire date"), null=True, blank=True)
    department = models.CharField(_("department"), max_length=100, blank=True, db_index=True)
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
    persian_name = models.CharField(
        _("name in Persian script"),
        max_length=150,
        blank=True,
        help_text=_("For Persian certificates and pages; the account's first and last name are the Latin spelling."),
    )

    objects = StaffProfileQuerySet.as_manager()

    class Meta:
        verbose_name = _("staff profile")
        verbose_name_plural = _("staff profiles")
        ordering = ["user__username"]

    def __str__(self) -> str:
        return self.latin_name or self.user.get_username()

    @property
    def latin_name(self) -> str:
        return self.user.get_full_name()

    def name_for(self, language_code: str) -> str:
        """The name to print in ``language_code``: Persian script for Persian, else Latin; each falls back on
        the other, then on the username."""
        return self.choose_name(language_code, self.persian_name, self.latin_name, self.user.get_username())

    @staticmethod
    def choose_name(language_code: str, persian_name: str, latin_name: str, username: str) -> str:
        """:meth:`name_for` from the names themselves, for code that reads them as values rather than profiles."""
        names = [persian_name, latin_name] if language_code == "fa" else [latin_name, persian_name]
        return next((name for name in names if name), username)
