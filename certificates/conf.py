"""Settings of the certificates app.

Every setting has the prefix ``TRAINING_CERTIFICATE_`` and its default here; read them with
:func:`get_setting` so a site only sets what it wants to change.
"""

from typing import Any

from django.conf import settings

DEFAULTS: dict[str, Any] = {
    # Email each certificate to its holder (as a PDF attachment) when it is issued.
    "CERTIFICATE_EMAIL": False,
    # Days before its expiry from which the verification page calls a certificate "expiring soon".
    "CERTIFICATE_EXPIRING_SOON_DAYS": 30,
    # The site address printed in the QR code of each certificate; empty: WAGTAILADMIN_BASE_URL.
    "CERTIFICATE_BASE_URL": "",
    # Verification requests allowed per client address in each window of so many seconds. The counts
    # live in the default cache: use a cache shared by every process (Redis, Memcached, database) in
    # production, or each process counts on its own.
    "CERTIFICATE_VERIFY_RATE": (30, 60),
    # The largest file the verification page checks; a certificate is a few hundred kilobytes.
    "CERTIFICATE_VERIFY_MAX_BYTES": 5 * 1024 * 1024,
    # Where certificate files are stored (an alias of STORAGES) and under which folder.
    "CERTIFICATE_STORAGE": "default",
    "CERTIFICATE_FOLDER": "certificates",
}


def get_setting(name: str) -> Any:
    """The value of ``TRAINING_<name>``, or its default."""
    return getattr(settings, f"TRAINING_{name}", DEFAULTS[name])
