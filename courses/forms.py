"""Admin forms of the training pages."""

from django.utils.translation import ngettext
from wagtail.admin.forms import WagtailAdminPageForm

from courses.formatting import local_digits


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
