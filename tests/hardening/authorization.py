"""How the authorization matrix turns a URL pattern into a request and a response into an outcome."""

from __future__ import annotations

import re
from dataclasses import dataclass, field

from django.contrib import messages
from django.http import HttpResponse

from tests.hardening.world import ROLES

#: The outcomes a cell of the matrix may name.
OUTCOMES = {
    "ok": "200: the page, the file or the feed",
    "sees": "200, showing learner's records",
    "hid": "200, with nothing of learner's records in it",
    "go": "a redirect to the person's own content or the page that says why not (not a login page)",
    "login": "a redirect to a login page (anonymous visitors, and the signed-in who lack admin access)",
    "no": "refused: 403, 404, or the admin's redirect to its home page with a permission-denied message",
    "405": "the method is not allowed: the URL takes POST only",
    "-": "not tried for this role",
}
LOGIN_PAGES = ("/accounts/login/", "/admin/login/", "/_util/login/")


@dataclass(frozen=True)
class Row:
    """What each role gets from one URL pattern: seven cells, in the order of ``ROLES``.

    ``post`` gives the outcomes of a POST, for URLs that change state; a POST is sent only where it
    must be refused or change nothing, and the database is compared before and after. ``args`` names
    the world's object (or a literal) for each parameter of the pattern.
    """

    get: str
    post: str | None = None
    args: dict[str, str | int] = field(default_factory=dict)

    def __post_init__(self):
        for cells in (self.get, self.post):
            if cells is not None and (len(cells.split()) != len(ROLES) or set(cells.split()) - set(OUTCOMES)):
                raise ValueError(f"a row has one known outcome per role: {cells!r}")

    def expected(self, method: str) -> dict[str, str]:
        cells = self.get if method == "GET" else self.post
        return dict(zip(ROLES, cells.split(), strict=True)) if cells else {}


def outcome(response: HttpResponse) -> str:
    """The matrix's name for what a response did."""
    status = response.status_code
    if status == 200:
        return "ok"
    if status in (301, 302, 303):
        location = response["Location"]
        path = re.sub(r"^https?://[^/]+", "", location)
        if path.removeprefix("/fa").startswith(LOGIN_PAGES):
            return "login"
        if path == "/admin/" and any(message.level == messages.ERROR for message in messages_of(response)):
            return "no"
        return "go"
    if status in (403, 404):
        return "no"
    return str(status)


def messages_of(response: HttpResponse) -> list:
    """The messages the request added (not those still waiting from earlier requests)."""
    storage = getattr(response.wsgi_request, "_messages", None)
    return list(getattr(storage, "_queued_messages", []))


_PARAMETER = re.compile(r"<(?:(?P<converter>\w+):)?(?P<name>\w+)>|\(\?P<(?P<group>\w+)>[^)]*\)")


def parameters(route: str) -> list[str]:
    """The names of a route's parameters, in order."""
    return [match["name"] or match["group"] for match in _PARAMETER.finditer(route)]


def url_of(route: str, values: dict[str, object], default: object = 1) -> str:
    """The path of ``route`` with each parameter replaced by its value from ``values`` (else ``default``)."""

    def value(match: re.Match) -> str:
        return str(values.get(match["name"] or match["group"], default))

    path = _PARAMETER.sub(value, route)
    return "/" + path.replace("^", "").replace("$", "").replace("\\", "")
