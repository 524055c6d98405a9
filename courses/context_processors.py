"""What the training pages' templates need from the host's settings."""

from django.http import HttpRequest

from courses.conf import get_setting


def training(request: HttpRequest) -> dict[str, str]:
    """The base template the training pages extend (``TRAINING_BASE_TEMPLATE``)."""
    return {"training_base_template": get_setting("BASE_TEMPLATE")}
