"""The admin's "Import staff" screen: upload an HR export, preview what changes, confirm.

The uploaded file waits in the session between the preview and the confirmation, so what is
imported is the file that was previewed. The confirmation plans the import again and compares
it with the preview: if the staff records changed in between, the new plan is shown instead of
being written blindly.
"""

import secrets

from django import forms
from django.contrib import messages
from django.db import transaction
from django.shortcuts import redirect
from django.template.defaultfilters import filesizeformat
from django.urls import reverse
from django.utils.text import capfirst
from django.utils.translation import gettext, pgettext_lazy
from django.utils.translation import gettext_lazy as _
from django.views.generic import FormView
from wagtail.admin.ui.tables import BooleanColumn, Column, Table
from wagtail.admin.views.generic.base import WagtailAdminTemplateMixin
from wagtail.admin.views.generic.permissions import PermissionCheckedMixin

from courses.staff_import import MAX_FILE_BYTES, ImportPlan, apply_plan, display_value, plan_import

#: Where the session keeps the file between the preview and the confirmation.
SESSION_KEY = "courses_staff_import"
#: Rows shown per table of the preview; the summary counts them all.
PREVIEW_ROWS = 500


class StaffImportForm(forms.Form):
    file = forms.FileField(
        label=_("CSV file"),
        help_text=_(
            "Columns: username, first_name, last_name, email, hire_date (yyyy-mm-dd), department, manager "
            "(a username), language, active, and optionally persian_name. UTF-8, comma or semicolon separated."
        ),
    )
    deactivate_missing = forms.BooleanField(
        label=_("Deactivate staff missing from the file"),
        help_text=_("For a full export: active staff who are not in the file can no longer sign in."),
        required=False,
    )

    def clean_file(self):
        file = self.cleaned_data["file"]
        if file.size > MAX_FILE_BYTES:
            message = _("This file is %(size)s; files up to %(limit)s are accepted.")
            raise forms.ValidationError(
                message % {"size": filesizeformat(file.size), "limit": filesizeformat(MAX_FILE_BYTES)}
            )
        return file


class StaffImportConfirmForm(forms.Form):
    upload = forms.CharField(widget=forms.HiddenInput)
    fingerprint = forms.CharField(widget=forms.HiddenInput)


class StaffImportView(PermissionCheckedMixin, WagtailAdminTemplateMixin, FormView):
    """Upload (GET, then POST a file), preview the plan, confirm (POST the preview's fingerprint)."""

    model = None
    index_url_name = None
    import_url_name = None
    permission_required = "add"
    page_title = _("Import staff")
    template_name = "courses/admin/staff_import.html"

    def get_breadcrumbs_items(self):
        return [
            *self.breadcrumbs_items,
            {"url": reverse(self.index_url_name), "label": capfirst(self.model._meta.verbose_name_plural)},
            {"url": "", "label": self.page_title},
        ]

    def get_form_class(self):
        return StaffImportConfirmForm if "fingerprint" in self.request.POST else StaffImportForm

    def get_context_data(self, **kwargs):
        context = super().get_context_data(action_url=reverse(self.import_url_name), **kwargs)
        confirming = isinstance(context["form"], StaffImportConfirmForm)
        context["submit_button_label"] = gettext("Import") if confirming else gettext("Preview")
        if plan := kwargs.get("plan"):
            context.update(plan_tables(plan), preview_rows=PREVIEW_ROWS)
        return context

    def form_valid(self, form):
        if isinstance(form, StaffImportForm):
            return self.preview(form)
        return self.confirm(form)

    def preview(self, form: StaffImportForm):
        content = form.cleaned_data["file"].read()
        deactivate_missing = form.cleaned_data["deactivate_missing"]
        plan = plan_import(content, deactivate_missing=deactivate_missing, importer=self.request.user)
        if not plan.is_valid or not plan.has_changes:
            return self.show_plan(plan, form=form)
        upload = secrets.token_urlsafe()
        # A valid plan means the file is UTF-8 text, which the session stores as it is.
        self.request.session[SESSION_KEY] = {
            "upload": upload,
            "content": content.decode("utf-8-sig"),
            "deactivate_missing": deactivate_missing,
        }
        return self.show_plan(plan, upload=upload)

    def show_plan(self, plan: ImportPlan, *, upload: str = "", form: StaffImportForm | None = None):
        """The preview of ``plan``: with the confirmation if there is something to import, else a new upload."""
        if plan.is_valid and plan.has_changes:
            form = StaffImportConfirmForm(initial={"upload": upload, "fingerprint": plan.fingerprint()})
        return self.render_to_response(self.get_context_data(form=form or StaffImportForm(), plan=plan))

    def confirm(self, form: StaffImportConfirmForm):
        pending = self.request.session.get(SESSION_KEY)
        if not pending or pending["upload"] != form.cleaned_data["upload"]:
            message = gettext("This preview is out of date or was replaced by a newer upload. Upload the file again.")
            messages.error(self.request, message)
            return redirect(self.import_url_name)
        with transaction.atomic():
            plan = plan_import(
                pending["content"].encode(),
                deactivate_missing=pending["deactivate_missing"],
                importer=self.request.user,
            )
            if not plan.is_valid or plan.fingerprint() != form.cleaned_data["fingerprint"]:
                messages.warning(
                    self.request,
                    gettext("The staff records changed since the preview. Check the preview again before importing."),
                )
                return self.show_plan(plan, upload=pending["upload"])
            apply_plan(plan)
        del self.request.session[SESSION_KEY]
        messages.success(self.request, gettext("Staff imported: %(summary)s") % {"summary": plan.summary()})
        return redirect(self.index_url_name)


class FileValueColumn(Column):
    """A value as the file writes it: dates as yyyy-mm-dd, whatever the admin's language."""

    def get_value(self, instance):
        return display_value(super().get_value(instance))


class ChangesColumn(Column):
    """What changes in an existing account, a line per field; the arrow follows the reading direction."""

    cell_template_name = "courses/admin/staff_import_changes_cell.html"


def plan_tables(plan: ImportPlan) -> dict[str, Table]:
    """The preview's tables: the file's problems, or the accounts it creates and those it changes."""
    return {
        "errors_table": Table(
            [Column("line", label=pgettext_lazy("of a file", "Line")), Column("message", label=_("Problem"))],
            plan.errors,
        ),
        "creates_table": Table(
            [
                Column("line", label=pgettext_lazy("of a file", "Line")),
                Column("username", label=_("Username")),
                Column("first_name", label=_("First name")),
                Column("last_name", label=_("Last name")),
                Column("email", label=_("Email")),
                FileValueColumn("hire_date", label=_("Hire date")),
                Column("department", label=_("Department")),
                Column("manager", label=_("Manager")),
                Column("preferred_language", label=_("Language")),
                BooleanColumn("is_active", label=_("Active")),
            ],
            plan.creates[:PREVIEW_ROWS],
        ),
        "changes_table": Table(
            [
                Column("line", accessor="row.line", label=pgettext_lazy("of a file", "Line")),
                Column("username", accessor="row.username", label=_("Username")),
                ChangesColumn("changes", label=_("What changes")),
            ],
            plan.changes[:PREVIEW_ROWS],
        ),
    }
