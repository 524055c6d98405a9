"""The certificate templates' admin screens, in the Training menu."""

from django.utils.translation import gettext_lazy as _
from wagtail.admin.ui.tables import Column, UpdatedAtColumn
from wagtail.snippets.views.snippets import SnippetViewSet

from certificates.models import PLACEHOLDERS, CertificateTemplate
from courses.viewsets import TRAINING_MENU_HOOK


class CertificateTemplateViewSet(SnippetViewSet):
    model = CertificateTemplate
    icon = "doc-full-inverse"
    menu_hook = TRAINING_MENU_HOOK
    menu_label = _("Certificate templates")
    menu_order = 140
    list_display = ["name", Column("get_language_display", label=_("Language")), "course", UpdatedAtColumn()]
    list_filter = ["language"]
    search_fields = ["name"]

    def get_form_class(self, for_update=False):
        form_class = super().get_form_class(for_update)
        placeholders = ", ".join(f"{{{name}}} ({meaning})" for name, meaning in PLACEHOLDERS.items())
        help_text = _("Placeholders: %(placeholders)s.") % {"placeholders": placeholders}
        for name in ("body_fa", "body_en"):
            form_class.base_fields[name].help_text = help_text
        return form_class
