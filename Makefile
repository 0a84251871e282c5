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

.PHONY: run test check gate install eval bench clean

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

# Style, types and layering first (seconds), then the suite, then the quality gate.
test: $(STAMP) check
	$(PY) -m pytest
	$(MAKE) --no-print-directory gate

check: $(STAMP)
	$(PY) -m ruff check .
	$(PY) -m ruff format --check .
	$(PY) -m mypy

# The quality gate: each question set's held-out half must stay at or above its floors, on a
# fresh index of the documents it was written for (never the user's .index). The index grows
# set by set (seeds; + the challenge documents; + the extra, fresh, fresh2, fresh3 and fresh4
# documents),
# so each ingest embeds only what is new.
EVAL_INDEX := test-output/eval-index
EVAL := ASSISTANT_INDEX_DIR=$(EVAL_INDEX) $(PY) -m assistant

gate: $(STAMP)
	rm -rf $(EVAL_INDEX)
	$(EVAL) ingest --json corpus
	$(EVAL) eval evals/questions.yaml evals/compare-seeds.yaml --floors evals/floors.yaml --out test-output/eval-dev
	$(EVAL) ingest --json corpus evals/challenge/corpus
	$(EVAL) eval evals/challenge/questions.yaml evals/challenge/compare.yaml --floors evals/challenge/floors.yaml --out test-output/eval-challenge
	$(EVAL) ingest --json corpus evals/challenge/corpus evals/extra/corpus
	$(EVAL) eval evals/extra/questions.yaml evals/extra/compare.yaml --floors evals/extra/floors.yaml --out test-output/eval-extra
	$(EVAL) ingest --json corpus evals/challenge/corpus evals/extra/corpus evals/fresh/corpus
	$(EVAL) eval evals/fresh/questions.yaml evals/fresh/compare.yaml --floors evals/fresh/floors.yaml --out test-output/eval-fresh
	$(EVAL) ingest --json corpus evals/challenge/corpus evals/extra/corpus evals/fresh/corpus evals/fresh2/corpus
	$(EVAL) eval evals/fresh2/questions.yaml evals/fresh2/compare.yaml --floors evals/fresh2/floors.yaml --out test-output/eval-fresh2
	$(EVAL) ingest --json corpus evals/challenge/corpus evals/extra/corpus evals/fresh/corpus evals/fresh2/corpus evals/fresh3/corpus
	$(EVAL) eval evals/fresh3/questions.yaml evals/fresh3/compare.yaml --floors evals/fresh3/floors.yaml --out test-output/eval-fresh3
	$(EVAL) ingest --json corpus evals/challenge/corpus evals/extra/corpus evals/fresh/corpus evals/fresh2/corpus evals/fresh3/corpus evals/fresh4/corpus
	$(EVAL) eval evals/fresh4/questions.yaml evals/fresh4/compare.yaml --floors evals/fresh4/floors.yaml --out test-output/eval-fresh4

eval: $(STAMP)
	$(PY) -m assistant eval evals/questions.yaml --floors evals/floors.yaml

bench: $(STAMP)
	$(PY) -m assistant bench

clean:
	rm -rf $(VENV) .index test-output
