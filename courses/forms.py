"""Forms of the learner's pages outside the page tree."""

from django.contrib.auth.forms import AuthenticationForm
from django.utils.translation import pgettext_lazy


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
