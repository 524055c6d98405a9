"""Editor panels of the training pages."""

from __future__ import annotations

from django.urls import reverse
from wagtail.admin.panels import Panel
from wagtail.models import Locale


class TranslationsPanel(Panel):
    """Which languages a page exists in, each linked to its editor, and a way to translate it into the others.

    The translating is Wagtail's own (``wagtail.contrib.simple_translation``), offered to
    those with its permission.
    """

    class BoundPanel(Panel.BoundPanel):
        template_name = "courses/admin/translations_panel.html"

        def is_shown(self):
            return self.instance.pk is not None and super().is_shown()

        def get_context_data(self, parent_context=None):
            context = super().get_context_data(parent_context)
            translations = {
                page.locale_id: page for page in self.instance.get_translations(inclusive=True).select_related("locale")
            }
            languages = [
                {
                    "name": locale.get_display_name(),
                    "page": translations.get(locale.pk),
                    "edit_url": reverse("wagtailadmin_pages:edit", args=[translations[locale.pk].pk])
                    if locale.pk in translations
                    else "",
                    "is_current": locale.pk == self.instance.locale_id,
                }
                for locale in Locale.objects.order_by("pk")
            ]
            can_translate = self.request.user.has_perm("simple_translation.submit_translation")
            context.update(
                languages=languages,
                translate_url=reverse("simple_translation:submit_page_translation", args=[self.instance.pk])
                if can_translate and any(language["page"] is None for language in languages)
                else "",
            )
            return context
