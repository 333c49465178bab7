# Hufu — the two commands a newcomer needs are `make demo` and `make test`.
# Both create .venv in the repository root and (re)install into it when it is
# missing or older than pyproject.toml or this Makefile. The venv carries the `bench` extra
# too (Splink + DuckDB, the dedup benchmark's peer; all MIT/BSD/Apache, about a minute more),
# so `hufu bench dedup` runs its peer on a fresh machine.

PYTHON ?= python3
VENV   := .venv
BIN    := $(VENV)/bin
STAMP  := $(VENV)/.installed
PIP    := $(BIN)/python -m pip

.PHONY: demo demo-once test test-fast lint protos check-protos system-deps deploy-deps deploy-test clean help messages

help:
	@echo "make demo       start a national node and three regional nodes (Ctrl-C stops them)"
	@echo "make test       run the whole test suite (installs PostgreSQL/Chromium if missing)"
	@echo "make lint       ruff + mypy on the pure core and sync/"
	@echo "make protos     regenerate the gRPC stubs from protos/"
	@echo "make messages   write the catalogue template of the web UIs (regional/web/translations/messages.pot)"
	@echo "make deploy-test  deploy a federation with ansible/ onto throwaway test hosts (root; long, not in .ci/run)"

$(STAMP): pyproject.toml Makefile
	@test -x $(BIN)/python || $(PYTHON) -m venv $(VENV)
	@echo "Installing Hufu and its dependencies into $(VENV)/ (first run on a fresh machine: several minutes)..."
	$(PIP) install --quiet --disable-pip-version-check -e '.[dev,ops,bench]'
	@echo "Installed."
	@touch $(STAMP)

demo: $(STAMP)
	$(BIN)/hufu demo

demo-once: $(STAMP)
	$(BIN)/hufu demo --once

system-deps:
	@bash .ci/system-deps

test: $(STAMP) system-deps
	$(BIN)/python -m pytest -q

test-fast: $(STAMP)
	$(BIN)/python -m pytest -q -m "not e2e and not browser and not postgres and not ansible"

deploy-deps:
	@bash .ci/deploy-deps

# The Ansible kit deployed for real: network-namespace test hosts, site/upgrade/backup/restore/
# add-region/revoke-region playbooks over SSH (ansible/tests/deploy_test.py). Needs root.
deploy-test: $(STAMP) deploy-deps
	$(BIN)/python ansible/tests/deploy_test.py

lint: $(STAMP)
	$(BIN)/ruff check sync regional national tests protos
	$(BIN)/mypy sync regional/domain.py regional/detection national/cases.py national/lifecycle.py national/dedup

protos: $(STAMP)
	$(BIN)/python protos/generate.py

clean:
	rm -rf $(VENV) demo-data test-artifacts .pytest_cache

messages: $(STAMP)
	$(BIN)/python -m regional.web.catalogue --pot regional/web/translations/messages.pot
