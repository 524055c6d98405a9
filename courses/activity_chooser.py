"""The chooser a lesson picks its activities with: search, a type filter, and creation of any type.

Activities are a polymorphic family, so creating one from the chooser takes two steps
inside its *New activity* tab: pick the type, then fill in that type's own form (the
panels of its admin screen). Saving it publishes it when the trainer may publish, and
returns it to the lesson as the chosen activity. Both steps are POSTs of the tab's form;
Wagtail's chooser script shows each response in the tab without leaving the lesson.
"""

from __future__ import annotations

from django import forms
from django.core.exceptions import PermissionDenied
from django.db.models import Model
from django.http import Http404
from django.template.loader import render_to_string
from django.urls import reverse
from django.utils.functional import cached_property
from django.utils.text import capfirst
from django.utils.translation import gettext_lazy as _
from wagtail.actions.create import CreateAction
from wagtail.admin.forms.choosers import BaseFilterForm, LocaleFilterMixin
from wagtail.admin.modal_workflow import render_modal_workflow
from wagtail.admin.panels import ObjectList
from wagtail.admin.ui.tables import Column, LiveStatusTagColumn
from wagtail.admin.views.generic import chooser as chooser_views
from wagtail.admin.viewsets.chooser import ChooserViewSet
from wagtail.models import Locale
from wagtail.permissions import page_permission_policy

from courses.models import Activity

#: The query parameter naming an activity type, as ``app_label.model_name``.
TYPE_PARAMETER = "activity_type"
#: The creation forms' prefix: it keeps their fields' ids apart from those of the search
#: form and of the lesson's own form, on the same page.
FORM_PREFIX = "new-activity"


def type_key(model: type[Model]) -> str:
    """How forms and URLs name an activity type: ``app_label.model_name``."""
    return model._meta.label_lower


def activity_types(user=None, action: str = "") -> dict[str, type[Activity]]:
    """The installed activity types that have an admin screen, by :func:`type_key`, in menu order.

    With ``user`` and ``action``, only the types whose screen lets the user do that.
    """
    types = [model for model in Activity.concrete_types() if getattr(model, "snippet_viewset", None)]
    types.sort(key=lambda model: (model.snippet_viewset.menu_order, model._meta.verbose_name))
    if user is not None:
        types = [model for model in types if model.snippet_viewset.permission_policy.user_has_permission(user, action)]
    return {type_key(model): model for model in types}


#: Publishing schedule fields; an activity made from the chooser is published, or saved as a draft, at once.
SCHEDULE_FIELDS = {"first_published_at", "go_live_at", "expire_at"}


def creation_panel(model: type[Activity]) -> ObjectList:
    """The panels of ``model``'s admin screen, without the publishing schedule."""
    panels = model.snippet_viewset.get_edit_handler().children
    return ObjectList(
        [panel for panel in panels if getattr(panel, "field_name", None) not in SCHEDULE_FIELDS]
    ).bind_to_model(model)


def type_choices(types: dict[str, type[Activity]]) -> list[tuple[str, str]]:
    """Form choices for ``types``: each type's key and its name."""
    return [(key, capfirst(model._meta.verbose_name)) for key, model in types.items()]


class ActivityFilterForm(LocaleFilterMixin, BaseFilterForm):
    """Search activities by title, and show one type only."""

    q = forms.CharField(
        label=_("Search term"), widget=forms.TextInput(attrs={"placeholder": _("Search")}), required=False
    )
    activity_type = forms.ChoiceField(
        label=_("Type"), required=False, widget=forms.Select(attrs={"data-chooser-modal-search-filter": True})
    )

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields[TYPE_PARAMETER].choices = [("", _("All types")), *type_choices(activity_types())]
        if "locale" in self.fields:
            self.fields["locale"].label = _("Language")

    def filter(self, objects):
        search_query = self.cleaned_data.get("q")
        if search_query:
            objects = objects.filter(title__icontains=search_query)
            self.is_searching, self.search_query = True, search_query
        if chosen_type := self.cleaned_data.get(TYPE_PARAMETER):
            objects = objects.instance_of(activity_types()[chosen_type])
        return super().filter(objects)


class ActivityTypeForm(forms.Form):
    """The first step of creating an activity: which type."""

    activity_type = forms.ChoiceField(label=_("Type of activity"), widget=forms.RadioSelect)

    def __init__(self, *args, types: dict[str, type[Activity]], **kwargs):
        super().__init__(*args, **kwargs)
        self.fields[TYPE_PARAMETER].choices = type_choices(types)


class ActivityListingMixin:
    """The chooser's listing: searchable, filtered by type, by title, with each activity's type and status."""

    filter_form_class = ActivityFilterForm
    ordering = ["title", "pk"]

    @property
    def columns(self):
        return [*super().columns, Column("type_name", label=_("Type")), LiveStatusTagColumn()]


class ActivityCreationMixin:
    """Creation in two steps: the type, then the type's own form (``?activity_type=`` names the type)."""

    creation_form_template_name = "courses/admin/activity_creation_form.html"

    def can_create(self):
        return bool(activity_types(self.request.user, "add"))

    @cached_property
    def activity_model(self) -> type[Activity] | None:
        """The type being created, once the first step has chosen it."""
        key = self.request.GET.get(TYPE_PARAMETER)
        if not key:
            return None
        model = activity_types(self.request.user, "add").get(key)
        if model is None:
            raise Http404
        return model

    def get_creation_form(self, model: type[Activity] | None = None, data=None):
        model = model or self.activity_model
        if model is None:
            return ActivityTypeForm(data, types=activity_types(self.request.user, "add"), prefix=FORM_PREFIX)
        form_class = creation_panel(model).get_form_class()
        instance = model(locale=self.content_locale)
        return form_class(
            data,
            self.request.FILES if data else None,
            instance=instance,
            for_user=self.request.user,
            prefix=FORM_PREFIX,
        )

    @cached_property
    def content_locale(self) -> Locale:
        """The language of the lesson the chooser was opened from; new activities are written in it."""
        code = self.request.GET.get("locale")
        return Locale.objects.filter(language_code=code).first() or Locale.get_default()

    def get_create_url(self, model: type[Activity] | None = None):
        url = self.append_preserved_url_parameters(reverse(self.create_url_name))
        if model is not None:
            url += ("&" if "?" in url else "?") + f"{TYPE_PARAMETER}={type_key(model)}"
        return url

    def get_creation_form_context_data(self, form, model: type[Activity] | None = None):
        model = model or self.activity_model
        context = super().get_creation_form_context_data(form)
        context["create_action_url"] = self.get_create_url(model)
        if model is None:
            context["create_action_label"] = _("Next")
        else:
            bound_panel = creation_panel(model).get_bound_panel(instance=form.instance, request=self.request, form=form)
            context.update(
                activity_type_name=model._meta.verbose_name,
                panel=bound_panel,
                create_action_label=_("Create and publish")
                if model.snippet_viewset.permission_policy.user_has_permission(self.request.user, "publish")
                else _("Create as a draft"),
            )
        return context


class LessonAuthorsOnlyMixin:
    """The chooser lists drafts too, so only those who may write pages (lessons) use it."""

    def dispatch(self, request, *args, **kwargs):
        if not page_permission_policy.user_has_any_permission(request.user, ["add", "change"]):
            raise PermissionDenied
        return super().dispatch(request, *args, **kwargs)


class ActivityChooseView(LessonAuthorsOnlyMixin, ActivityListingMixin, ActivityCreationMixin, chooser_views.ChooseView):
    pass


class ActivityChooseResultsView(
    LessonAuthorsOnlyMixin, ActivityListingMixin, ActivityCreationMixin, chooser_views.ChooseResultsView
):
    pass


class ActivityChosenView(LessonAuthorsOnlyMixin, chooser_views.ChosenView):
    pass


class ActivityCreateView(LessonAuthorsOnlyMixin, ActivityCreationMixin, chooser_views.CreateView):
    """Both steps of creating an activity from the chooser; neither changes anything until the last."""

    def get(self, request):
        # The steps are answers to the tab's form; there is nothing to show on its own.
        raise Http404

    def post(self, request):
        model = self.activity_model
        if model is None:
            type_form = self.get_creation_form(data=request.POST)
            if not type_form.is_valid():
                return self.reshow(type_form)
            model = activity_types(request.user, "add")[type_form.cleaned_data[TYPE_PARAMETER]]
            return self.reshow(self.get_creation_form(model), model)
        form = self.get_creation_form(data=request.POST)
        if not form.is_valid():
            return self.reshow(form)
        # activity_model has checked that the user may add this type.
        publish = model.snippet_viewset.permission_policy.user_has_permission(request.user, "publish")
        activity = CreateAction(form.instance, user=request.user, form=form, publish=publish).execute()
        return self.get_chosen_response(activity)

    def reshow(self, form, model: type[Activity] | None = None):
        context = {"view": self, "reshown": True, **self.get_creation_form_context_data(form, model)}
        html = render_to_string(self.creation_form_template_name, context, self.request)
        return render_modal_workflow(
            self.request, None, None, None, json_data={"step": "reshow_creation_form", "htmlFragment": html}
        )


class ActivityChooserViewSet(ChooserViewSet):
    """Picks an activity of any type for a lesson, or creates one."""

    model = Activity
    icon = "tasks"
    choose_one_text = _("Choose an activity")
    choose_another_text = _("Choose another activity")
    edit_item_text = _("Edit this activity")
    choose_view_class = ActivityChooseView
    choose_results_view_class = ActivityChooseResultsView
    chosen_view_class = ActivityChosenView
    create_view_class = ActivityCreateView
    # Wagtail's own defaults for these are translated once, at import, in the default language.
    search_tab_label = _("Search")
    creation_tab_label = _("New activity")
    preserve_url_parameters = ["multiple", "locale"]
    # Creation has its own forms (see ActivityCreationMixin); this turns on the tab.
    creation_form_class = ActivityTypeForm
