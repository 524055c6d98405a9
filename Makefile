# Two commands: `make demo` serves the demo site, `make test` runs every check.

VENV := .venv
PY := $(VENV)/bin/python
PORT ?= 8000

# Libraries WeasyPrint needs, the fonts certificates fall back on, and gettext for the locale files.
SYSTEM_PACKAGES := libpango-1.0-0 libpangoft2-1.0-0 libharfbuzz-subset0 fonts-noto-core gettext
# What the test suite needs besides: Debian's Chromium for the browser tests, PostgreSQL, poppler-utils
# (pdftotext and pdftoppm read the certificates in tests).
TEST_SYSTEM_PACKAGES := chromium postgresql poppler-utils

.PHONY: demo test check pytest pytest-postgres pytest-slow pytest-package bench clean

demo: $(VENV)/.installed-runtime
	scripts/install-system-packages $(SYSTEM_PACKAGES)
	$(PY) manage.py migrate --noinput -v0
	$(PY) manage.py load_demo
	scripts/serve-demo $(PY) $(PORT)

test: $(VENV)/.installed-dev .cache/axe/axe.min.js
	scripts/install-system-packages $(SYSTEM_PACKAGES) $(TEST_SYSTEM_PACKAGES)
	$(MAKE) check pytest pytest-postgres pytest-slow pytest-package bench

check:
	$(PY) -m ruff check .
	$(PY) -m ruff format --check .
	DJANGO_SETTINGS_MODULE=config.settings.test $(PY) manage.py check --fail-level WARNING
	DJANGO_SETTINGS_MODULE=config.settings.test $(PY) manage.py makemigrations --check --dry-run

# Two processes: the suite runs on both cores.
pytest:
	$(PY) -m pytest -n 2

pytest-postgres:
	scripts/with-postgres $(PY) -m pytest -n 2

# A deployment on loopback: PostgreSQL, gunicorn and task workers with the production settings (about a minute).
pytest-slow:
	$(PY) -m pytest -m slow

# The wheel in a new `wagtail start` site, set up by the README's steps (about a minute).
pytest-package:
	$(PY) -m pytest -m package

bench:
	$(PY) bench/pages.py --small
	$(PY) bench/certificates.py --small
	$(PY) bench/certificate_pages.py --small
	$(PY) bench/sweep.py --small
	scripts/with-postgres $(PY) bench/sweep.py --small
	$(PY) bench/reminders.py --small
	$(PY) bench/reports.py --small
	$(PY) bench/load.py --small

$(VENV)/.created:
	"$$(scripts/find-python)" -m venv $(VENV)
	$(PY) -m pip install --quiet --upgrade pip
	touch $@

$(VENV)/.installed-runtime: $(VENV)/.created requirements.txt
	$(PY) -m pip install --quiet -r requirements.txt
	touch $@

$(VENV)/.installed-dev: $(VENV)/.installed-runtime requirements-dev.txt
	$(PY) -m pip install --quiet -r requirements-dev.txt
	touch $@

# axe-core, which the accessibility tests inject into pages (the version is pinned in tests/browser/axe.py).
.cache/axe/axe.min.js: tests/browser/axe.py
	$(PY) -c "from tests.browser.axe import axe_source; axe_source()"

clean:
	rm -rf $(VENV) db.sqlite3* var .cache
