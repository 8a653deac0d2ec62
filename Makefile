# Two commands set everything up on a fresh machine: `make run` and `make test`.
VENV    := .venv
BIN     := $(VENV)/bin
STAMP   := $(VENV)/.installed-$(shell sha1sum requirements.txt | cut -c1-12)
PORT    ?= 5000
export FLASK_APP := wsgi.py
export PYTHONDONTWRITEBYTECODE := 1

.PHONY: run test test-e2e install translations vnu oidc db bench loadtest lock vendor screenshots messages

$(STAMP): requirements.txt
	test -x $(BIN)/python || python3 -m venv $(VENV)
	$(BIN)/python -m pip install --quiet --upgrade pip
	$(BIN)/python -m pip install --quiet -r requirements.txt
	rm -f $(VENV)/.installed-* && touch $(STAMP)

install: $(STAMP)

translations: install
	$(BIN)/pybabel compile --use-fuzzy -d translations

# Migrate, then load reference data and (once) the demo municipality. Keeps existing data.
db: translations
	$(BIN)/flask db upgrade
	$(BIN)/flask seed
	$(BIN)/flask demo

run: db
	@echo "Målpil on http://127.0.0.1:$(PORT)  (demo accounts: see README.md)"
	$(BIN)/gunicorn --bind 127.0.0.1:$(PORT) --workers 2 --threads 4 --access-logfile - wsgi:app

# In parallel, one worker per CPU (pytest-xdist); a test file stays on one worker, so a module's
# world is built once. TEST_WORKERS=0 runs everything in this one process. Then the browser tests,
# alone: they drive one served app with Chromium, and time-sensitive steps (back, forward,
# htmx's history restore) are not to compete with the rest of the suite for the CPU.
TEST_WORKERS ?= auto
test: translations vnu oidc
	$(BIN)/pytest -n $(TEST_WORKERS) --dist loadfile --ignore=tests/e2e
	$(BIN)/pytest tests/e2e

test-e2e: translations vnu oidc
	$(BIN)/pytest tests/e2e

# The Nu Html Checker for tests/e2e/test_html_validity.py (npm package vnu-jar, run with java),
# installed into .venv like the Python packages. Without npm or java the test is skipped.
vnu:
	@if command -v npm >/dev/null 2>&1 && command -v java >/dev/null 2>&1; then \
	  scripts/vnu.sh >/dev/null || echo "vnu-jar could not be installed: the HTML validity test will be skipped"; \
	else \
	  echo "npm or java not found: the HTML validity test will be skipped"; \
	fi

# The OpenID provider the single sign-on tests sign in through (npm oidc-provider, pinned with its
# package-lock in tests/oidc/), installed into .venv/oidc. Without node/npm those tests are skipped.
oidc:
	@if command -v npm >/dev/null 2>&1 && command -v node >/dev/null 2>&1; then \
	  scripts/oidc.sh >/dev/null || echo "oidc-provider could not be installed: the single sign-on tests will be skipped"; \
	else \
	  echo "node or npm not found: the single sign-on tests will be skipped"; \
	fi

# PNGs of the main pages per role at desktop and tablet width, into docs/screenshots/.
screenshots: translations
	$(BIN)/python -m scripts.screenshots

bench: translations
	$(BIN)/python -m bench.run

loadtest: translations
	$(BIN)/python -m bench.loadtest $(LOADTEST_ARGS)

# Extract the interface strings and update the English catalogue (Danish is the source language).
messages: install
	$(BIN)/pybabel extract -F babel.cfg -k _l -k lazy_gettext -o translations/messages.pot .
	$(BIN)/pybabel update -i translations/messages.pot -d translations -l en --no-fuzzy-matching

lock:
	python3 -m venv /tmp/maalpil-lock && /tmp/maalpil-lock/bin/pip install --quiet -r requirements.in
	{ echo "# Generated from requirements.in by \`make lock\`: every package the project installs, pinned."; \
	  /tmp/maalpil-lock/bin/pip freeze; } > requirements.txt

vendor:
	scripts/vendor.sh
