# The two commands a new user needs (see README.md):
#   make run   – set up, load demo data and serve on http://127.0.0.1:8000 (SQLite), with the
#                job worker (motcua worker) beside the server;
#                make run PORT=8080 HISTORY=2000 serves elsewhere, with a year of history
#   make test  – set up and run every check and the test suite
VENV ?= .venv
PORT ?= 8000
HISTORY ?= 0
export VENV PORT HISTORY

.PHONY: run test setup messages bench bench-province bench-tracking clean

run: $(VENV)/.installed
	scripts/run

test: $(VENV)/.installed
	scripts/test

setup: $(VENV)/.installed

$(VENV)/.installed: pyproject.toml scripts/bootstrap
	scripts/bootstrap

# Extract UI strings and compile the Vietnamese catalogue (needs GNU gettext).
messages: $(VENV)/.installed
	cd motcua && ../$(VENV)/bin/python ../manage.py makemessages -l vi --no-obsolete
	cd motcua && ../$(VENV)/bin/python ../manage.py compilemessages

bench: $(VENV)/.installed
	$(VENV)/bin/python bench/run.py

# Issue #5: 2 million dossiers through the historic import, report vs DuckDB (DB=postgres too).
bench-province: $(VENV)/.installed
	$(VENV)/bin/python bench/province_year.py --db $(or $(DB),sqlite)

# Issue #13: public tracking under 200 clients over 1,000,000 dossiers behind `motcua serve`
# (PostgreSQL only; TRACK_DB names an empty database, filled on the first run).
bench-tracking: $(VENV)/.installed
	$(VENV)/bin/python bench/tracking.py --database-url $(or $(TRACK_DB),postgres://root@127.0.0.1:5432/motcua_bench_tracking)

clean:
	rm -rf $(VENV) var
