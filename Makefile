# Two commands for users: `make demo` and `make test`. Everything else is for developers.
PYTHON ?= python3
VENV := .venv
BIN := $(VENV)/bin
UV_VERSION := 0.13.9
STAMP := $(VENV)/.synced
TX := $(BIN)/tuanxue
DEMO_DB := sqlite:///$(CURDIR)/var/demo.sqlite3
export UV_PROJECT_ENVIRONMENT := $(VENV)
export UV_PYTHON_DOWNLOADS := never

.PHONY: demo test lint fmt serve messages bench clean requirements screenshots

$(BIN)/uv:
	$(PYTHON) -m venv $(VENV)
	$(BIN)/python -m pip install --quiet --disable-pip-version-check uv==$(UV_VERSION)

$(STAMP): $(BIN)/uv pyproject.toml uv.lock
	$(BIN)/uv sync --frozen --quiet --python $(BIN)/python
	@touch $@

demo: $(STAMP)
	@mkdir -p var
	DATABASE_URL=$(DEMO_DB) DEBUG=1 $(TX) migrate --verbosity 0
	DATABASE_URL=$(DEMO_DB) DEBUG=1 $(TX) demo
	$(TX) fonts
	DATABASE_URL=$(DEMO_DB) DEBUG=1 $(TX) jobs recover
	@# The background worker (batch transcripts, large imports) runs beside the server and stops
	@# with it; its output goes to var/worker.log.
	@export DATABASE_URL=$(DEMO_DB) DEBUG=1; \
	$(TX) db_worker --no-reload > var/worker.log 2>&1 & worker=$$!; \
	trap 'kill $$worker 2>/dev/null; wait $$worker 2>/dev/null' EXIT INT TERM; \
	echo "background worker started (pid $$worker, log var/worker.log)"; \
	$(TX) runserver 127.0.0.1:8000

EXPORT := $(BIN)/uv export --frozen --no-dev --no-emit-project --no-header --format requirements-txt --quiet

test: $(STAMP)
	@$(EXPORT) | diff -q - requirements.txt >/dev/null || { echo "requirements.txt is out of date with uv.lock: run make requirements"; exit 1; }
	$(BIN)/ruff check .
	$(BIN)/ruff format --check .
	$(TX) check --fail-level WARNING
	$(TX) makemigrations --check --dry-run --verbosity 0
	$(BIN)/python -m tuanxue.tools.msgcheck
	$(TX) fonts
	$(BIN)/pytest -n 2 -q -m "not postgres"
	@if [ -n "$$TUANXUE_TEST_DATABASE_URL" ]; then \
		echo "== again on $$(echo $$TUANXUE_TEST_DATABASE_URL | sed 's/:[^:@]*@/:***@/')"; \
		DATABASE_URL="$$TUANXUE_TEST_DATABASE_URL" $(BIN)/pytest -n 2 -q -m "not e2e"; \
	elif [ "$$TUANXUE_STRICT" = "1" ]; then \
		echo "strict mode: TUANXUE_TEST_DATABASE_URL is not set, the PostgreSQL run cannot be skipped"; exit 1; \
	else \
		echo "(PostgreSQL run skipped: set TUANXUE_TEST_DATABASE_URL to run it)"; \
	fi

lint: $(STAMP)
	$(BIN)/ruff check .
	$(BIN)/ruff format --check .

fmt: $(STAMP)
	$(BIN)/ruff check --fix .
	$(BIN)/ruff format .

messages: $(STAMP)
	cd src/tuanxue && ../../$(TX) makemessages -l zh_Hans --no-location --no-obsolete
	$(BIN)/python -m tuanxue.tools.msgcheck
	$(BIN)/python -m tuanxue.tools.msgcheck --compile

# The user guide's screenshots (docs/screenshots/*.jpg) from a throwaway demo; needs Chromium.
screenshots: $(STAMP)
	$(BIN)/python docs/screenshots/take.py

bench: $(STAMP)
	$(BIN)/python bench/import_students.py

# The locked production dependencies with hashes, for `pip install --require-hashes -r requirements.txt`.
requirements: $(STAMP)
	$(EXPORT) > requirements.txt

clean:
	rm -rf $(VENV)
