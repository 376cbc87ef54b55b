# The two commands: `make demo` and `make test`. Each builds .venv on first use.
PYTHON ?= python3
VENV := .venv
BIN := $(VENV)/bin
STAMP := $(VENV)/.installed-stamp

# Nothing here talks to the internet except the package installer.
export PREFECT_SERVER_ANALYTICS_ENABLED := false
export DO_NOT_TRACK := 1

.PHONY: setup demo test lint lock-check eval eval-real bench clean

# Installs come from uv.lock (exact versions); --frozen refuses to re-resolve, and `make lock-check`
# (run by CI) fails when pyproject.toml and the lock disagree. --inexact keeps uv itself in .venv.
$(STAMP): pyproject.toml uv.lock
	$(PYTHON) -m venv $(VENV)
	$(BIN)/python -m pip install --quiet --upgrade pip
	$(BIN)/python -m pip install --quiet uv==0.13.9
	UV_PROJECT_ENVIRONMENT=$(VENV) $(BIN)/uv sync --quiet --frozen --inexact --compile-bytecode --extra dev
	@touch $(STAMP)

setup: $(STAMP)

demo: $(STAMP)
	$(BIN)/stancewatch demo

test: $(STAMP)
	$(BIN)/pytest

lock-check: $(STAMP)
	$(BIN)/uv lock --check

lint: $(STAMP)
	$(BIN)/ruff check stancewatch flows tests benchmarks
	$(BIN)/ruff format --check stancewatch flows tests benchmarks
	$(BIN)/mypy stancewatch flows

eval: $(STAMP)
	$(BIN)/stancewatch eval eval/ceasefire eval/ev_tariffs

# Real published articles (eval/real/*): labels in ../shared/corpora/news-real, texts rebuilt in a
# cache outside the repository (STANCEWATCH_NEWS_REAL_DIR, default ~/.cache/stancewatch/news-real).
# Not run by CI, which has no cache. First checks that no tracked file quotes those texts beyond
# a few words (eval/real/quotes-allowed.txt lists the names that may be longer).
eval-real: $(STAMP)
	$(BIN)/python -m stancewatch.evaluation.quotes
	$(BIN)/stancewatch eval eval/real

# bench_run: stancewatch run vs a bare httpx+trafilatura loop on loopback (medians of 3 rounds, a
# crash count over 5 more runs); BENCH_ARGS="--pages 5000 --rounds 1" for the large case.
# bench_idle: a run on 200 feeds that all answer 304, vs bare conditional GETs.
# bench_queries: positions and changes --since 7d on 1M statements (built once, minutes).
bench: $(STAMP)
	$(BIN)/python benchmarks/bench_compare.py
	$(BIN)/python benchmarks/bench_clusters.py
	$(BIN)/python benchmarks/store_insert.py
	$(BIN)/python benchmarks/extraction_quality.py
	$(BIN)/python benchmarks/bench_run.py --rounds 3 --crash-runs 5 $(BENCH_ARGS)
	$(BIN)/python benchmarks/bench_idle.py
	$(BIN)/python benchmarks/bench_queries.py

clean:
	rm -rf $(VENV) .pytest_cache .mypy_cache .ruff_cache storage/*.duckdb storage/*.wal
