# ML Enablement Studio: `make run` starts the app, `make test` runs every test tier.
# Both create .venv and install the pinned requirements when requirements.txt changed.

PYTHON ?= python3
VENV   := .venv
PY     := $(VENV)/bin/python
STAMP  := $(VENV)/.requirements.stamp
PORT   ?= 8501
OPEN_BROWSER ?= 1

.PHONY: setup migrate demo run test test-unit test-integration test-app test-e2e bench screenshots clean-venv

$(PY):
	$(PYTHON) -m venv $(VENV)

$(STAMP): requirements.txt | $(PY)
	$(PY) -m pip install --quiet --upgrade pip
	$(PY) -m pip install --quiet -r requirements.txt
	$(PY) scripts/check_no_torch.py
	touch $(STAMP)

setup: $(STAMP)

migrate: setup
	$(PY) -m core.cli migrate

demo: migrate
	$(PY) -m core.cli demo

run: demo
	@if [ "$(OPEN_BROWSER)" = 1 ]; then (sleep 4; $(PY) -m webbrowser -t http://localhost:$(PORT) >/dev/null 2>&1 || true) & fi
	$(PY) -m streamlit run app.py --server.port $(PORT)

test: setup
	bash scripts/test.sh

test-unit: setup
	$(PY) -m pytest tests/unit -q

test-integration: setup
	$(PY) -m pytest tests/integration -q

test-app: setup
	$(PY) -m pytest tests/app -q

test-e2e: setup
	bash scripts/test.sh tests/e2e

bench: setup
	$(PY) -m bench

screenshots: test-e2e
	mkdir -p docs/screenshots && cp build/screenshots/*.png docs/screenshots/

clean-venv:
	rm -rf $(VENV)
