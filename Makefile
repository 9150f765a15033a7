# firma: `make run` serves the demo, `make test` runs every test. Both set everything up first.
# `make check` runs the in-process tests alone, in parallel: the quick loop while editing.
PYTHON ?= python3
PORT ?= 8000
VENV := .venv
BIN := $(VENV)/bin
UV_VERSION := 0.13.9
export PORT
# Python keeps its compiled modules (in the __pycache__ folders git ignores) even where the
# shell says not to: the tests start many Python processes, and each would otherwise compile
# Django and firma afresh, which takes longer than many of the tests themselves.
unexport PYTHONDONTWRITEBYTECODE

.PHONY: run serve bench test check browser lighthouse setup static lint format lock messages makemessages clean

# The development server, with DEBUG on (and so the built-in SECRET_KEY) unless it is set.
run: export DEBUG ?= 1
run: setup
	@mkdir -p var
	$(BIN)/python manage.py migrate --no-input --verbosity 0
	$(BIN)/python manage.py load_demo
	$(BIN)/python manage.py schedule_tasks
	@echo
	@echo "  firma is running: open http://127.0.0.1:$(PORT)/"
	@echo "  Admin: http://127.0.0.1:$(PORT)/admin/ (create a login with: $(BIN)/python manage.py createsuperuser)"
	@if [ -n "$$EMAIL_URL" ]; then echo "  E-mails are sent through EMAIL_URL."; \
	 else echo "  E-mails (with the confirmation links) are printed below by the worker; set EMAIL_URL to send them."; fi
	@echo
	@trap 'kill 0' INT TERM EXIT; \
	 $(BIN)/python manage.py db_worker --interval 0.5 & \
	 $(BIN)/python manage.py db_worker --interval 0.5 --queue-name webhooks & \
	 $(BIN)/python manage.py runserver --noreload 127.0.0.1:$(PORT)

# The production set-up: granian's worker processes and the task worker, configured from the
# environment like `make run`, with DEBUG off unless it is set (so SECRET_KEY is required).
HOST ?= 127.0.0.1
WORKERS ?= $(shell nproc 2>/dev/null || echo 2)
# Threads per worker: each keeps its own database connection, so WORKERS x THREADS (plus the
# task worker) must stay under the database's connection limit. Eight rather than four: the
# sign POSTs that wait together are written together (petitions/signing.py, GroupCommit).
THREADS ?= 8
# Connections each worker holds at once (granian's --backpressure counts idle keep-alive
# connections too, so it must stay well above THREADS or clients queue for a slot).
BACKPRESSURE ?= 256
serve: export DEBUG ?= 0
serve: setup
	@mkdir -p var
	$(BIN)/python manage.py migrate --no-input --verbosity 0
	$(BIN)/python manage.py schedule_tasks
	@echo "  firma serves http://$(HOST):$(PORT)/ with $(WORKERS) workers"
	@trap 'kill 0' INT TERM EXIT; \
	 $(BIN)/python manage.py db_worker --no-reload --interval 0.5 & \
	 $(BIN)/python manage.py db_worker --no-reload --interval 0.5 --queue-name webhooks & \
	 $(BIN)/granian --interface wsgi --host $(HOST) --port $(PORT) --workers $(WORKERS) \
		--blocking-threads $(THREADS) --backpressure $(BACKPRESSURE) --no-ws firma.wsgi:application

# The benchmark (bench/run.py): on SQLite, or on the database DATABASE_URL names.
bench: setup nginx wrk
	$(BIN)/python bench/run.py

# Beyond one box, on loopback (deploy/cluster): two app servers behind nginx and one worker, on
# the PostgreSQL and Redis running here, in the database CLUSTER_DATABASE (firma_cluster);
# nginx listens on PORT. Ctrl-C stops everything.
.PHONY: cluster nginx wrk
cluster: setup nginx
	deploy/cluster

# Debian's nginx for deploy/cluster and tests/test_cluster.py, installed where we can: as root
# with apt-get (the package's own service is not used). Never fails: without nginx that test is
# skipped, or fails if REQUIRE_CLUSTER=1.
nginx:
	@if [ ! -x /usr/sbin/nginx ]; then \
	  if [ "$$(id -u)" = 0 ] && command -v apt-get >/dev/null; then \
	    echo "  Installing nginx for the cluster test"; \
	    (apt-get update -qq && DEBIAN_FRONTEND=noninteractive apt-get install -y -qq nginx) \
	      || echo "  Could not install nginx: the cluster test will be skipped."; \
	  else \
	    echo "  No nginx at /usr/sbin/nginx (apt-get install nginx): the cluster test will be skipped."; \
	  fi; \
	fi

# Debian's wrk, the load generator of the bench's read phases (bench/wrk.py), installed where
# we can, as nginx is. Never fails: without it the bench sends every phase with bench/load.py.
wrk:
	@if ! command -v wrk >/dev/null; then \
	  if [ "$$(id -u)" = 0 ] && command -v apt-get >/dev/null; then \
	    echo "  Installing wrk for the benchmark"; \
	    (apt-get update -qq && DEBIAN_FRONTEND=noninteractive apt-get install -y -qq wrk) \
	      || echo "  Could not install wrk: the benchmark reads with bench/load.py."; \
	  else \
	    echo "  No wrk (apt-get install wrk): the benchmark reads with bench/load.py."; \
	  fi; \
	fi

# The tiers of tests (markers set by tests/conftest.py): in-process tests in parallel, one
# process per core; then the tests that start firma's processes and the browser tests, as many
# files at a time as there are cores, each file in one worker (its tests share a server), since
# they mostly wait on the processes they start. With DATABASE_URL on
# PostgreSQL, `make test` runs what PostgreSQL can change: the tests that use the test database
# (marked `database`); the rest would only repeat the SQLite run.
PYTEST_WORKERS ?= auto
IN_PROCESS := $(BIN)/pytest -n $(PYTEST_WORKERS) -m in_process

test: setup browser lighthouse nginx wrk
	$(BIN)/ruff check .
	$(BIN)/ruff format --check .
	$(BIN)/lint-imports
	$(BIN)/python manage.py makemigrations --check --dry-run --verbosity 0
ifneq ($(findstring postgres,$(DATABASE_URL)),)
	$(BIN)/pytest -n $(PYTEST_WORKERS) -m database
else
	$(IN_PROCESS)
	$(BIN)/pytest -n $(PYTEST_WORKERS) --dist loadfile -m "processes or browser"
endif

check: setup
	$(IN_PROCESS)

# Debian's Chromium for the browser tests (tests/browser/), installed where we can: as root with
# apt-get. Never fails: without Chromium those tests are skipped, or fail if REQUIRE_BROWSER=1.
browser:
	@if [ ! -x /usr/bin/chromium ]; then \
	  if [ "$$(id -u)" = 0 ] && command -v apt-get >/dev/null; then \
	    echo "  Installing Chromium for the browser tests"; \
	    (apt-get update -qq && DEBIAN_FRONTEND=noninteractive apt-get install -y -qq chromium) \
	      || echo "  Could not install Chromium: the browser tests will be skipped."; \
	  else \
	    echo "  No Chromium at /usr/bin/chromium (apt-get install chromium): the browser tests will be skipped."; \
	  fi; \
	fi

# Lighthouse, pinned by tests/browser/lighthouse/package-lock.json, for
# tests/browser/test_lighthouse.py, under var/node/; npm from Debian where we can (as root).
# Never fails: without them that test is skipped, or fails if REQUIRE_BROWSER=1.
LIGHTHOUSE := var/node/node_modules/.bin/lighthouse
lighthouse: $(LIGHTHOUSE)

$(LIGHTHOUSE): tests/browser/lighthouse/package.json tests/browser/lighthouse/package-lock.json
	@if ! command -v npm >/dev/null && [ "$$(id -u)" = 0 ] && command -v apt-get >/dev/null; then \
	  echo "  Installing npm for the Lighthouse test"; \
	  (apt-get update -qq && DEBIAN_FRONTEND=noninteractive apt-get install -y -qq nodejs npm) \
	    || echo "  Could not install npm."; \
	fi
	@if command -v npm >/dev/null; then \
	  mkdir -p var/node && cp tests/browser/lighthouse/package*.json var/node/ && \
	  npm ci --prefix var/node --no-audit --no-fund --loglevel=error && touch $@ \
	    || echo "  Could not install Lighthouse: its test will be skipped."; \
	else \
	  echo "  No npm (apt-get install npm): the Lighthouse test will be skipped."; \
	fi

setup: $(VENV)/.installed messages static

# One collectstatic at a time: two at once (the tests start several servers side by side)
# rename each other's files away.
static: $(VENV)/.installed
	@mkdir -p var && flock var/static.lock $(BIN)/python manage.py collectstatic --no-input --verbosity 0

# The virtualenv, with exactly the locked dependencies; redone when the lock file changes.
$(VENV)/.installed: requirements.lock
	@test -x $(BIN)/python || $(PYTHON) -m venv $(VENV)
	@test -x $(BIN)/uv || $(BIN)/python -m pip install --quiet --disable-pip-version-check "uv==$(UV_VERSION)"
	$(BIN)/uv pip install --quiet --python $(BIN)/python --require-hashes -r requirements.lock
	@touch $@

# Compiled translation catalogues (.mo files are built, not committed).
messages: $(VENV)/.installed
	@$(BIN)/python manage.py compilemessages --ignore "$(VENV)" --verbosity 0

lint: setup
	$(BIN)/ruff check .
	$(BIN)/lint-imports

format: setup
	$(BIN)/ruff check --fix .
	$(BIN)/ruff format .

# Re-lock after changing dependencies in pyproject.toml.
lock: $(VENV)/.installed
	$(BIN)/uv pip compile pyproject.toml --extra dev --generate-hashes --python-version 3.11 \
		--quiet -o requirements.lock

# Extract new messages from the code and templates into the catalogues.
makemessages: setup
	$(BIN)/python manage.py makemessages --locale es --locale fr --locale pt --locale ar \
		--ignore "$(VENV)/*" --ignore "var/*" --no-obsolete

clean:
	rm -rf $(VENV) var
