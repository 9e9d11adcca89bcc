# Two commands matter: `make run` (the demo on the embedded default) and `make test`.
SHELL := /bin/bash
PYTHON := $(shell command -v python3.12 || command -v python3.13 || command -v python3.14 || ls /root/.pyenv/versions/3.1[2-9]*/bin/python3 2>/dev/null | head -n 1)
VENV := .venv
PY := $(VENV)/bin/python

.PHONY: run test install lint format migrations-check worker beat tick clean

$(VENV)/.installed: requirements.lock pyproject.toml
	@if [ -z "$(PYTHON)" ]; then echo "Python 3.12 or newer is required (python3.12 not found)." >&2; exit 1; fi
	@$(PYTHON) -c 'import sys; sys.exit(sys.version_info < (3, 12))' || { echo "Python 3.12+ required, found $$($(PYTHON) --version)" >&2; exit 1; }
	test -x $(PY) || $(PYTHON) -m venv $(VENV)
	$(PY) -m pip install --quiet --upgrade pip uv || true
	if [ -x $(VENV)/bin/uv ]; then $(VENV)/bin/uv pip install --quiet --python $(PY) -r requirements.lock; \
	else $(PY) -m pip install --quiet -r requirements.lock; fi
	touch $@

# The project folder on the virtualenv's path: `.venv/bin/pytest` then finds the `tests.hermetic`
# plugin (pyproject's addopts) from any folder, as `python -m pytest` does from this one.
$(VENV)/.project-path: $(VENV)/.installed
	$(PY) -c 'import pathlib, sysconfig; pathlib.Path(sysconfig.get_path("purelib"), "mentoring-project.pth").write_text("$(CURDIR)\n")'
	touch $@

install: $(VENV)/.installed $(VENV)/.project-path

node_modules/axe-core/axe.min.js: package.json
	@if command -v npm >/dev/null; then npm install --no-audit --no-fund --silent; \
	else echo "npm not found: browser accessibility tests will be skipped." >&2; fi

# `make run PORT=8001` serves elsewhere; links in emails follow (SITE_URL is the served address).
PORT ?= 8000
run: export SITE_URL ?= http://127.0.0.1:$(PORT)
run: install
	$(PY) manage.py migrate --noinput
	$(PY) manage.py seed_demo
	$(PY) manage.py runserver 127.0.0.1:$(PORT)

test: install node_modules/axe-core/axe.min.js
	$(PY) -m pytest

lint: install
	$(VENV)/bin/ruff check .
	$(VENV)/bin/ruff format --check .

format: install
	$(VENV)/bin/ruff check --fix .
	$(VENV)/bin/ruff format .

migrations-check: install
	$(PY) manage.py makemigrations --check --dry-run

worker: install
	$(VENV)/bin/celery -A mentoring worker --loglevel=INFO

beat: install
	$(VENV)/bin/celery -A mentoring beat --loglevel=INFO

tick: install
	$(PY) manage.py tick

clean:
	rm -rf $(VENV) node_modules staticfiles
