# Two commands do all set-up: `make run` (index corpus/, serve the web chat) and `make test`.
# The venv is (re)installed only when it is missing or pyproject.toml changed (stamp file).

PYTHON ?= python3
VENV   := .venv
PY     := $(VENV)/bin/python
STAMP  := $(VENV)/.installed

# Offline by default: no model hub, no telemetry, no analytics.
export HF_HUB_OFFLINE := 1
export TRANSFORMERS_OFFLINE := 1
export ANONYMIZED_TELEMETRY := False
export GRADIO_ANALYTICS_ENABLED := False

.PHONY: run test install eval bench clean

$(STAMP): pyproject.toml
	test -x $(PY) || $(PYTHON) -m venv $(VENV)
	# torch first and pinned: it resolves to the local CPU wheel, not GBs of CUDA packages
	$(PY) -m pip install -q torch==2.13.0
	$(PY) -m pip install -q -e '.[dev,llm]'
	touch $(STAMP)

install: $(STAMP)

# Index first, in the foreground with a progress bar (exit 2 = some files were skipped, each
# reported; serve anyway), then the web chat.
run: $(STAMP)
	$(PY) -m assistant ingest || [ $$? -eq 2 ]
	$(PY) -m assistant serve

# The suite, then the quality gate: the development question set must stay at or above the
# floors in evals/floors.yaml (on a fresh index of corpus/, never the user's .index).
EVAL_INDEX := test-output/eval-index

test: $(STAMP)
	$(PY) -m pytest
	rm -rf $(EVAL_INDEX)
	ASSISTANT_INDEX_DIR=$(EVAL_INDEX) $(PY) -m assistant ingest --json
	ASSISTANT_INDEX_DIR=$(EVAL_INDEX) $(PY) -m assistant eval evals/questions.yaml --floors evals/floors.yaml --out test-output/eval-report

eval: $(STAMP)
	$(PY) -m assistant eval evals/questions.yaml --floors evals/floors.yaml

bench: $(STAMP)
	$(PY) -m assistant bench

clean:
	rm -rf $(VENV) .index test-output
