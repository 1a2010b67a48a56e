# The two commands a newcomer needs (see README): `make report` and `make test`.
# Everything installs into .venv from the one lock, requirements.lock.

PYTHON ?= python3
VENV   ?= .venv
PY     := $(VENV)/bin/python
KERNEL := claim-audit
# Extra options for the runner, e.g. `make report ARGS="-p edition 2020"`.
ARGS   ?=

.PHONY: help venv node report test data notebooks lab lock bench clean

help:  ## List the targets
	@grep -E '^[a-z]+:.*## ' $(MAKEFILE_LIST) | sed 's/:.*## /\t/'

$(VENV)/.installed: pyproject.toml requirements.lock
	test -x $(PY) || $(PYTHON) -m venv $(VENV)
	$(PY) -m pip install --quiet --disable-pip-version-check -c requirements.lock -e '.[dev]'
	$(PY) -m ipykernel install --sys-prefix --name $(KERNEL) --display-name "Python (claim audit)" >/dev/null
	touch $@

venv: $(VENV)/.installed  ## Create .venv and install the package from the lock

# The browser tests' checkers (axe-core, html-validate) from npm, exactly as package-lock.json pins them;
# once installed they run offline.
node_modules/.installed: package.json package-lock.json
	npm ci --no-audit --no-fund --ignore-scripts --loglevel=error
	touch $@

node: node_modules/.installed  ## Install the HTML and accessibility checkers the browser tests use (npm ci)

report: venv  ## Audit the op-ed: run every notebook, write reports/<article>/ (pages, scorecard, ClaimReview) and reports/index.html
	$(PY) -m analysis run $(ARGS)

# Two pytest workers, each test file (and each notebook) kept on one worker: nbval's cells of a notebook
# must run in order in one kernel, and only tests/test_browser.py writes reports/ (measured: 160 s -> 88 s).
test: venv node  ## Run the whole test suite (pytest + nbval)
	$(PY) -m pytest -n 2 --dist loadfile

data: venv  ## Fetch and verify raw data (pinned URLs or $$ANALYSIS_DATA_MIRROR), rebuild data/processed
	$(PY) -m analysis fetch
	$(PY) -m analysis build-data

notebooks: venv  ## Re-execute the committed notebooks in place (their outputs are nbval's reference)
	$(PY) -m analysis refresh-notebooks

lab: venv  ## Install JupyterLab (extra, kept out of the test env) and start it
	$(PY) -m pip install --quiet -c requirements.lock -e '.[dev,lab]'
	$(VENV)/bin/jupyter lab

bench: venv  ## Print the benchmarks (benchmarks/run.py; ARGS="--quick"); Jupyter Book, compared with, goes into .venv-bench
	test -x .venv-bench/bin/python || $(PYTHON) -m venv .venv-bench
	.venv-bench/bin/python -m pip install --quiet --disable-pip-version-check -c requirements.lock '.[bench]'
	$(PY) benchmarks/run.py --jupyter-book .venv-bench/bin/jupyter-book $(ARGS)

lock:  ## Recompile requirements.lock from pyproject.toml (needs PyPI) and binder/requirements.txt from it
	$(PY) -m piptools compile --quiet --all-extras --strip-extras --no-emit-index-url --no-emit-find-links --output-file requirements.lock pyproject.toml
	$(PY) tools/binder_requirements.py

clean:  ## Remove build outputs (reports/), keep data and .venv
	rm -rf reports
