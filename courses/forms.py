"""Forms of the training site: the learner's login, and the course editor in the admin."""

from django.contrib.auth.forms import AuthenticationForm
from django.utils.translation import ngettext, pgettext_lazy
from wagtail.admin.forms import WagtailAdminPageForm

from courses.formatting import local_digits


class LoginForm(AuthenticationForm):
    """Django's login form with its words from this app's catalogue, one name for each thing in each language,
    and the username written left to right (usernames are Latin text, also on right-to-left pages)."""

    error_messages = {
        **AuthenticationForm.error_messages,
        "invalid_login": pgettext_lazy(
            "login form", "Please enter a correct username and password. Both are case-sensitive."
        ),
    }

    def __init__(self, request=None, *args, **kwargs):
        super().__init__(request, *args, **kwargs)
        self.fields["username"].label = pgettext_lazy("login form", "Username")
        self.fields["username"].widget.attrs["dir"] = "ltr"
        self.fields["password"].label = pgettext_lazy("login form", "Password")
        self.fields["password"].widget.attrs["dir"] = "ltr"


class CoursePageForm(WagtailAdminPageForm):
    """The course editor. Its estimated minutes say what leaving them blank gives: the lessons' total."""

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        field = self.fields.get("estimated_minutes")
        if field is None or self.instance.pk is None:
            return
        total = self.instance.lesson_total_minutes()
        field.widget.attrs["placeholder"] = local_digits(total)
        field.help_text = ngettext(
            "Leave blank to use the total of the course's lessons, now %(count)s minute.",
            "Leave blank to use the total of the course's lessons, now %(count)s minutes.",
            total,
        ) % {"count": local_digits(total)}
