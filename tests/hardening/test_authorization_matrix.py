"""Every URL of the site, as every role: who gets the page, who is sent to log in, who is refused.

The world (tests/hardening/world.py) gives ``learner`` a record of every kind, in ``manager``'s team;
``other_learner`` and ``other_manager`` must never see them. Each URL pattern of the resolver and each
route of each page type in the tree has a row below; a pattern or page route without one fails
:func:`test_every_url_has_a_row`. Cells (see ``OUTCOMES``): ``ok`` the page; ``sees`` the page,
showing ``learner``'s records; ``hid`` the page, with nothing of ``learner``'s in it; ``go`` a redirect
elsewhere than a login page (to the person's own content, or to the page saying why not); ``login``;
``no`` refused (403, 404, or the admin's permission-denied redirect); ``405`` POST only; ``-`` not tried.

Every GET is sent; a POST is sent wherever the GET is refused (and must be refused the same way),
and where a row's ``post`` cells say; the database must be unchanged by all of it.
"""

from __future__ import annotations

import copy

import pytest
from django.db import transaction
from django.test import override_settings
from wagtail.contrib.routable_page.models import RoutablePageMixin
from wagtail.models import Page

from tests.hardening.authorization import Row, outcome, parameters, url_of
from tests.hardening.world import build_world
from tests.snapshots import changed_tables, database_rows
from tests.url_inventory import url_patterns

# The module's tests share one world (see the fixture); the mark sets up the test database for it.
pytestmark = pytest.mark.django_db

#                                            anon  lrn   lrn2  trn   mgr   mgr2  admin
LEARNER_PAGES = {
    "courses:dashboard": Row("login ok ok ok ok ok ok"),
    "certificates:verify_form": Row("ok ok ok ok ok ok ok"),
    "certificates:verify": Row("ok ok ok ok ok ok ok", post="ok ok ok ok ok ok ok", args={"code": "certificate"}),
    # The learner's own certificate; trainers and managers download from the admin's register.
    "certificates:download": Row("login ok no no no no no", args={"code": "certificate"}),
    # Marking read only touches the requester's own notifications: another's stays unread.
    "reminders:mark_read": Row("login 405 405 405 405 405 405", post="login - go go go go go", args={"pk": "reminder"}),
    "reminders:mark_all_read": Row("login 405 405 405 405 405 405", post="login - - - - - -"),
    "reminders:new_calendar_link": Row("login 405 405 405 405 405 405", post="login - - - - - -"),
    # The secret token is the key, as calendar apps subscribe without logging in.
    "reminders:calendar_feed": Row("ok ok ok ok ok ok ok", args={"token": "feed"}),
    "login": Row("ok go go go go go go"),
    "logout": Row("405 405 405 405 405 405 405", post="login - - - - - -"),
    "healthz": Row("ok ok ok ok ok ok ok"),
    "favicon.ico": Row("go go go go go go go"),
    "wagtaildocs_serve": Row("ok ok ok ok ok ok ok", args={"document": "document"}),
    "wagtaildocs_authenticate_with_password": Row("no no no no no no no"),
    # Wagtail's form for a page password: the restricted course has a group restriction, not a password,
    # and an empty form posted opens nothing.
    "wagtailcore_authenticate_with_password": Row(
        "ok ok ok ok ok ok ok",
        post="ok ok ok ok ok ok ok",
        args={"page_view_restriction_id": "restriction", "page_id": "restricted"},
    ),
    "wagtailcore_login": Row("ok ok ok ok ok ok ok"),
    # The page tree is checked route by route below (PAGE_ROUTES).
    "wagtail_serve": Row("- - - - - - -"),
}

#: The routes of each page type, keyed "<model> <sub-route>" (and "(restricted)" for a page with a view
#: restriction), for every page of the tree in both languages; activity ids are the quiz's.
#                                         anon  lrn   lrn2  trn   mgr   mgr2  admin
PAGE_ROUTES = {
    "TrainingIndexPage ": Row("ok ok ok ok ok ok ok"),
    "CoursePage ": Row("ok ok ok ok ok ok ok"),
    "CoursePage test-out/": Row("login go go go go go go", post="login go go go go go go"),
    "CoursePage enrol/": Row("405 405 405 405 405 405 405", post="login - - - - - -"),
    "LessonPage ": Row("login ok go go go go go"),
    "LessonPage activities/<int:activity_id>/": Row("405 405 405 405 405 405 405", post="no - no no no no no"),
    "LessonPage complete/": Row("405 405 405 405 405 405 405", post="no - no no no no no"),
    # Restricted to a group that only learner is in, in English and in Persian.
    "CoursePage  (restricted)": Row("login ok login login login login login"),
    "CoursePage test-out/ (restricted)": Row("login go login login login login login"),
    "CoursePage enrol/ (restricted)": Row(
        "login 405 login login login login login", post="login - login login login login login"
    ),
}

#: The training apps' admin, view by view.
#                                            anon  lrn   lrn2  trn   mgr   mgr2  admin
TRAINING_ADMIN = {
    "certificates_admin:register": Row("login login login sees sees hid sees"),
    "certificates_admin:register_results": Row("login login login sees sees hid sees"),
    "certificates_admin:zip": Row("login login login ok ok no ok"),
    "certificates_admin:detail": Row("login login login ok ok no ok"),
    "certificates_admin:download": Row("login login login ok ok no ok"),
    "certificates_admin:revoke": Row("login login login 405 405 405 405", post="login login login - no no -"),
    "certificates_admin:reissue": Row("login login login 405 405 405 405", post="login login login - no no -"),
    "certificates_admin:retry": Row("login login login 405 405 405 405", post="login login login no no no no"),
    "compliance:matrix": Row("login login login sees sees hid sees"),
    "compliance:matrix_results": Row("login login login sees sees hid sees"),
    "compliance:overdue": Row("login login login sees sees hid sees"),
    "compliance:overdue_results": Row("login login login sees sees hid sees"),
    "compliance:due_soon": Row("login login login sees sees hid sees"),
    "compliance:due_soon_results": Row("login login login sees sees hid sees"),
    "compliance:history": Row("login login login go go no go", args={"user_id": "learner"}),  # to the profile's history
    "training_apply_policy": Row("login login login ok no no ok", post="login login login - no no -"),
    "reminder_admin:index": Row("login login login ok no no ok"),
    "reminder_admin:index_results": Row("login login login ok no no ok"),
    "reminder_admin:add": Row("login login login no no no no"),
    "reminder_admin:edit": Row("login login login no no no no"),
    "reminder_admin:delete": Row("login login login no no no no"),
    "reminder_admin:history": Row("login login login no no no no"),
    "reminder_admin:history_results": Row("login login login no no no no"),
    "reminder_admin:usage": Row("login login login no no no no"),
    "reminder_admin:inspect": Row("login login login ok no no ok"),
    "reminder_admin:resend": Row("login login login ok no no ok"),
    "activity_chooser:choose": Row("login login login ok no no ok"),
    "activity_chooser:choose_results": Row("login login login ok no no ok"),
    "activity_chooser:chosen": Row("login login login ok no no ok"),
    "activity_chooser:chosen_multiple": Row("login login login ok ok ok ok"),
    # The chooser's creation form is posted from the chooser; it has no page of its own.
    "activity_chooser:create": Row("login login login no no no no", post="login login login - no no -"),
    "enrollments:index": Row("login login login sees sees hid sees"),
    "enrollments:index_results": Row("login login login sees sees hid sees"),
    "enrollments:add": Row("login login login ok no no ok"),
    "enrollments:edit": Row("login login login ok no no ok"),
    # Records outlive mistakes: only administrators delete an enrolment, and not one with a history.
    "enrollments:delete": Row("login login login no no no go"),
    "enrollments:history": Row("login login login ok no no ok"),
    "enrollments:history_results": Row("login login login ok no no ok"),
    "enrollments:usage": Row("login login login ok no no ok"),
    "enrollments:inspect": Row("login login login ok ok no ok"),
    "enrollments:copy": Row("login login login ok no no ok"),
    "staff_profiles:index": Row("login login login sees sees hid sees"),
    "staff_profiles:index_results": Row("login login login sees sees hid sees"),
    "staff_profiles:add": Row("login login login ok no no ok"),
    "staff_profiles:edit": Row("login login login no no no ok"),
    "staff_profiles:delete": Row("login login login no no no ok"),
    "staff_profiles:history": Row("login login login ok no no ok"),
    "staff_profiles:history_results": Row("login login login ok no no ok"),
    "staff_profiles:usage": Row("login login login no no no ok"),
    "staff_profiles:inspect": Row("login login login ok ok no ok"),
    "staff_profiles:copy": Row("login login login ok no no ok"),
    "staff_profiles:import": Row("login login login ok no no ok"),
    "assignment_rules:index": Row("login login login no no no ok"),
    "assignment_rules:index_results": Row("login login login no no no ok"),
    "assignment_rules:add": Row("login login login no no no ok"),
    "assignment_rules:edit": Row("login login login no no no ok"),
    "assignment_rules:delete": Row("login login login no no no ok"),
    "assignment_rules:history": Row("login login login no no no ok"),
    "assignment_rules:history_results": Row("login login login no no no ok"),
    "assignment_rules:usage": Row("login login login no no no ok"),
    "assignment_rules:copy": Row("login login login no no no ok"),
    # The settings' index sends every member of staff on to the one instance, which refuses managers.
    "wagtailsettings:edit (app_name, model_name)": Row("login login login go go go go"),
    "wagtailsettings:edit (app_name, model_name, pk)": Row("login login login ok no no ok", args={"pk": "matrix"}),
    "wagtailsettings:preview_on_edit": Row("login login login no no no no", args={"pk": "matrix"}),
    "simple_translation:submit_page_translation": Row("login login login ok no no ok"),
    "simple_translation:submit_snippet_translation": Row("login login login no no no no"),
}

#: The object each admin namespace's ``pk`` names.
ADMIN_OBJECTS = {
    "certificates_admin": "certificate",
    "reminder_admin": "reminder",
    "activity_chooser": "quiz",
    "enrollments": "enrollment",
    "staff_profiles": "profile",
    "assignment_rules": "rule",
}

#: The training apps' snippets (activities, certificate templates, reminder wording and schedules),
#: by the object their views are tried on, and the expected outcome of each snippet view.
TRAINING_SNIPPETS = {
    "courses_quizactivity": "quiz",
    "courses_reflectionactivity": "reflection",
    "angry_customer_scenarioactivity": "scenario",
    "empowerment_empowermentactivity": "cases",
    "active_listening_listeningactivity": "listening",
    "certificates_certificatetemplate": "template",
    "reminders_reminderwording": "wording",
    "reminders_reminderschedule": "schedule",
}
#                                            anon  lrn   lrn2  trn   mgr   mgr2  admin
SNIPPET_VIEWS = {
    **dict.fromkeys(
        [
            "list",
            "list_results",
            "add",
            "edit",
            "delete",
            "usage",
            "history",
            "history_results",
            "copy",
            "preview_on_add",
            "preview_on_edit",
            "revisions_view",
            "revisions_revert",
            "revisions_compare",
            "revisions_unschedule",
            "unpublish",
            "create",
        ],
        Row("login login login ok no no ok"),
    ),
    # Choosing an activity for a lesson shows its content, never a learner's record.
    **dict.fromkeys(["choose", "choose_results", "chosen", "chosen_multiple"], Row("login login login ok ok ok ok")),
    **dict.fromkeys(["lock", "unlock"], Row("login login login 405 405 405 405", post="login login login - no no -")),
    "workflow_history": Row("login login login - no no -"),
    "workflow_history_detail": Row("login login login - no no -"),
}
ACTIVITIES = {"quiz", "reflection", "scenario", "cases", "listening"}
#: An activity that a lesson uses is not deleted: the delete view sends the trainer back, saying why.
ACTIVITY_IN_USE = Row("login login login go no no go")

#: Wagtail's own admin, by namespace (or name, for those without one): every view refuses anonymous
#: visitors and learners, and must keep them from changing anything by POST.
WAGTAIL_ADMIN = {
    "wagtailadmin_api",
    "wagtailadmin_pages",
    "wagtailadmin_collections",
    "wagtailadmin_workflows",
    "wagtailadmin_reports",
    "wagtailadmin_editing_sessions",
    "wagtailembeds",
    "wagtailsnippets",
    "wagtaildocs",
    "wagtaildocs_chooser",
    "wagtailimages",
    "wagtailimages_chooser",
    "wagtaillocales",
    "wagtailsites",
    "wagtailusers_users",
    "wagtailusers_groups",
    "wagtail_bulk_action",
    "wagtailadmin_account",
    "wagtailadmin_block_preview",
    "wagtailadmin_choose_page",
    "wagtailadmin_choose_page_anchor_link",
    "wagtailadmin_choose_page_child",
    "wagtailadmin_choose_page_chosen_multiple",
    "wagtailadmin_choose_page_email_link",
    "wagtailadmin_choose_page_external_link",
    "wagtailadmin_choose_page_phone_link",
    "wagtailadmin_choose_page_search",
    "wagtailadmin_dismissibles",
    "wagtailadmin_error_test",
    "wagtailadmin_explore",
    "wagtailadmin_explore_results",
    "wagtailadmin_explore_root",
    "wagtailadmin_home",
    "wagtailadmin_tag_autocomplete",
    "wagtailadmin_tag_model_autocomplete",
    "admin/test404/",
    "admin/^.*/$",
}
STAFF_ONLY = Row("login login login - - - -")

#: A sample of Wagtail's own admin, checked for every role.
#                                            anon  lrn   lrn2  trn   mgr   mgr2  admin
WAGTAIL_SAMPLE = {
    "wagtailadmin_home": Row("login login login ok ok ok ok"),
    "wagtailadmin_explore_root": Row("login login login ok no no ok"),
    "wagtailadmin_pages:edit": Row("login login login ok no no ok"),
    "wagtailadmin_pages:delete": Row("login login login no no no no"),
    "wagtailadmin_pages:history": Row("login login login ok no no ok"),
    "wagtailadmin_pages:set_privacy": Row("login login login ok no no ok"),
    "wagtailadmin_reports:site_history": Row("login login login ok hid hid ok"),
    "wagtailadmin_reports:locked_pages": Row("login login login ok no no ok"),
    "wagtailadmin_collections:index": Row("login login login no no no no"),
    "wagtailadmin_workflows:index": Row("login login login no no no no"),
    "wagtailusers_users:index": Row("login login login no no no ok"),
    "wagtailusers_users:edit": Row("login login login no no no ok", args={"pk": "learner"}),
    # A person with training records is not deleted: the administrator is sent back with the reason.
    "wagtailusers_users:delete": Row("login login login no no no go", args={"pk": "learner"}),
    "wagtailusers_groups:index": Row("login login login no no no ok"),
    "wagtailsites:index": Row("login login login no no no no"),
    "wagtaillocales:index": Row("login login login no no no no"),
    "wagtaildocs:index": Row("login login login ok no no ok"),
    "wagtaildocs:edit": Row("login login login ok no no ok", args={"pk": "document"}),
    "wagtailimages:index": Row("login login login ok no no ok"),
    "wagtailimages:edit": Row("login login login ok no no ok", args={"pk": "image"}),
    "wagtailsnippets:index": Row("login login login no no no no"),
    "wagtailadmin_account": Row("login login login ok ok ok ok"),
}

#: Wagtail's admin pages for those not signed in yet, and its static helpers.
#                                            anon  lrn   lrn2  trn   mgr   mgr2  admin
WAGTAIL_PUBLIC = {
    # The site's POST-only logout comes before Wagtail's own (which it shadows), so both have one row.
    "wagtailadmin_logout ()": Row("405 405 405 405 405 405 405", post="login - - - - - -"),
    "wagtailadmin_login": Row("ok ok ok go go go go"),
    "wagtailadmin_password_reset": Row("ok ok ok ok ok ok ok"),
    "wagtailadmin_password_reset_done": Row("ok ok ok ok ok ok ok"),
    "wagtailadmin_password_reset_confirm": Row("ok ok ok ok ok ok ok"),
    "wagtailadmin_password_reset_complete": Row("ok ok ok ok ok ok ok"),
    "wagtailadmin_javascript_catalog": Row("ok ok ok ok ok ok ok"),
    "wagtailadmin_sprite": Row("ok ok ok ok ok ok ok"),
}


def key_of(pattern, duplicated: set[str]) -> str:
    """A pattern's row key: its name (with its parameters, where several patterns share the name), else its route."""
    if pattern.name in duplicated:
        return f"{pattern.name} ({', '.join(parameters(pattern.route))})"
    return pattern.name or pattern.route


def keyed_patterns() -> list[tuple[str, object]]:
    """Every URL pattern with its row key."""
    patterns = url_patterns()
    names = [pattern.name for pattern in patterns if pattern.name]
    duplicated = {name for name in names if names.count(name) > 1}
    return [(key_of(pattern, duplicated), pattern) for pattern in patterns]


def row_for(key: str) -> Row | None:
    """The row of a URL pattern (by name, or route if it has none), or None if it has none."""
    for table in (LEARNER_PAGES, TRAINING_ADMIN, WAGTAIL_SAMPLE, WAGTAIL_PUBLIC):
        if key in table:
            return table[key]
    namespace, _, view = key.partition(" ")[0].rpartition(":")
    for prefix in ("wagtailsnippets_", "wagtailsnippetchoosers_"):
        model = namespace.removeprefix(prefix)
        if namespace.startswith(prefix) and model in TRAINING_SNIPPETS:
            if view == "delete" and TRAINING_SNIPPETS[model] in ACTIVITIES:
                return ACTIVITY_IN_USE
            return SNIPPET_VIEWS.get(view)
    if key.partition(":")[0] in WAGTAIL_ADMIN:
        return STAFF_ONLY
    return None


def page_routes() -> list[tuple[str, Page, str]]:
    """Each page of the tree with each of its routes: (row key, page, path)."""
    routes = []
    for page in Page.objects.exclude(depth=1).specific().order_by("path"):
        if not page.url:
            continue
        subroutes = [""]
        if isinstance(page, RoutablePageMixin):
            subroutes = [str(pattern.pattern) for pattern in page.get_subpage_urls()]
        restricted = " (restricted)" if page.get_view_restrictions() else ""
        for route in dict.fromkeys(subroutes):
            routes.append((f"{type(page).__name__} {route}{restricted}", page, page.url + route))
    return routes


@pytest.fixture(scope="module")
def world(django_db_setup, django_db_blocker, tmp_path_factory):
    """One world for the module, rolled back at its end; each test runs in a savepoint of it."""
    with (
        django_db_blocker.unblock(),
        override_settings(MEDIA_ROOT=tmp_path_factory.mktemp("media"), TRAINING_CERTIFICATE_VERIFY_RATE=(10**6, 60)),
        transaction.atomic(),
    ):
        yield build_world()
        transaction.set_rollback(True)


def requests_to_send(world) -> list[tuple[str, str, Row]]:
    """(row key, URL, row) for every URL pattern and page route that is tried."""
    values = {
        "pk": 1,
        "page_id": world.course.pk,
        "page_pk": world.course.pk,
        "parent_page_id": world.index.pk,
        "page_to_move_id": world.course.pk,
        "destination_id": world.index.pk,
        "revision_id": world.course.latest_revision_id,
        "revision_id_a": "earliest",
        "revision_id_b": "latest",
        "image_id": world.image.pk,
        "document_id": world.document.pk,
        "doc_id": world.document.pk,
        "collection_id": world.collection.pk,
        "user_id": world.learner.pk,
        "code": world.certificate.code,
        "token": world.feed.token,
        "app_label": "courses",
        "app_name": "empowerment",
        "model_name": "empowermentmatrix",
        "content_type_app_name": "courses",
        "content_type_model_name": "quizactivity",
        "action_name": "delete",
        "filter_spec": "original",
        "uidb64": "MQ",
    }
    sent = []
    for key, pattern in keyed_patterns():
        row = row_for(key)
        if row is None or key == "wagtail_serve":
            continue
        these = dict(values)
        namespace = key.partition(":")[0]
        owner = ADMIN_OBJECTS.get(namespace) or next(
            (name for model, name in TRAINING_SNIPPETS.items() if namespace.endswith(model)), None
        )
        if owner:
            obj = world.objects[owner]
            these["pk"] = obj.pk
            these["revision_id"] = getattr(obj, "latest_revision_id", None) or 1
        for parameter, name in row.args.items():
            obj = world.objects[name]
            these[parameter] = obj.token if name == "feed" else obj.code if name == "certificate" else obj.pk
        if key == "wagtaildocs_serve":
            url = f"/documents/{world.document.pk}/handout.txt"
        else:
            url = url_of(pattern.route, these)
        sent.append((key, url, row))
    for key, _page, url in page_routes():
        row = PAGE_ROUTES.get(key)
        if row is not None:
            sent.append((key, url.replace("<int:activity_id>", str(world.quiz.pk)), row))
    return sent


#: URLs that end the session (Wagtail's logout deletes the cookie even when it answers 405): the
#: client gets its cookie back after them.
LOGS_OUT = {"logout", "wagtailadmin_logout ()"}
#: What Wagtail's admin writes as it shows a page, none of it a record: an editor's session and
#: subscription to comments on the page they open, the admin's profile of a user, a document's and an
#: image's size and hash worked out once, an image's renditions.
WAGTAIL_CACHES = {
    "wagtailadmin.editingsession",
    "wagtailcore.pagesubscription",
    "wagtailusers.userprofile",
    "wagtaildocs.document",
    "wagtailimages.image",
    "wagtailimages.rendition",
}
#: Something only ``learner``'s own records carry, to look for in pages that must hide them.
LEARNER_TRACE = "quillfeather"


def try_every_cell(world, method: str) -> tuple[list[str], int]:
    """Send ``method`` to every URL as every role whose cell asks for it; the mismatches and the count."""
    mismatches, count = [], 0
    for key, url, row in requests_to_send(world):
        expected = row.expected(method)
        if method == "POST":
            refused = {role: cell for role, cell in row.expected("GET").items() if cell in ("login", "no")}
            expected = expected or refused
        for role, cell in expected.items():
            if cell == "-":
                continue
            client = world.clients[role]
            cookies = copy.deepcopy(client.cookies)
            got, body = send(client, method, url)
            if key in LOGS_OUT:
                client.cookies = cookies
            count += 1
            if method == "POST" and cell == "no" and got == "405" and not row.post:
                got = "no"  # a view that takes GET only refuses the POST too
            if got == "ok" and cell in ("hid", "sees"):
                got = "sees" if LEARNER_TRACE in body.lower() else "hid"
            if got != cell:
                mismatches.append(f"{method} {url} ({key}) as {role}: expected {cell}, got {got}")
    return mismatches, count


def send(client, method: str, url: str) -> tuple[str, str]:
    """The outcome of one request and its text (empty for a file); a crash is the outcome 500."""
    try:
        response = client.get(url) if method == "GET" else client.post(url, {})
    except Exception as error:  # a crash is one more outcome to list with the rest
        return f"500 ({type(error).__name__}: {error})", ""
    body = "" if response.streaming else response.content.decode(errors="replace")
    return outcome(response), body


def test_every_url_has_a_row(world):
    keys = [key for key, _pattern in keyed_patterns()]
    keys += [key for key, _page, _url in page_routes()]

    without_a_row = sorted({key for key in keys if row_for(key) is None and key not in PAGE_ROUTES})

    assert without_a_row == []


def test_every_role_gets_what_its_row_says_and_nothing_changes(world):
    before = database_rows(exclude=WAGTAIL_CACHES)

    mismatches, count = try_every_cell(world, "GET")
    print(f"{count} GET requests")

    assert not mismatches, "\n".join(mismatches)
    assert count > 2400
    assert changed_tables(before, database_rows(exclude=WAGTAIL_CACHES)) == {}


def test_posts_that_must_be_refused_are_refused_and_change_nothing(world):
    before = database_rows(exclude=WAGTAIL_CACHES)

    mismatches, count = try_every_cell(world, "POST")
    print(f"{count} POST requests")

    assert not mismatches, "\n".join(mismatches)
    assert count > 1000
    assert changed_tables(before, database_rows(exclude=WAGTAIL_CACHES)) == {}
