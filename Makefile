# tiermodel — two commands: `make report` and `make test` (each sets up .venv first).
PYTHON ?= python3
VENV := .venv
BIN := $(VENV)/bin
STAMP := $(VENV)/.installed

.PHONY: setup report test bench notebooks lab clean screenshots mutate chromium explore

setup: $(STAMP) chromium

$(STAMP): pyproject.toml
	$(PYTHON) -m venv $(VENV)
	$(BIN)/python -m pip install --quiet --disable-pip-version-check --upgrade pip
	$(BIN)/python -m pip install --quiet --disable-pip-version-check -e '.[test,explore,browser]'
	touch $(STAMP)

## the system's Chromium, which prints the committee pack (Debian's package, installed once as
## root; where it cannot be installed the pack is written as HTML and the PDF tests are skipped)
chromium:
	@command -v chromium >/dev/null || command -v chromium-browser >/dev/null || \
	  { test "$$(id -u)" = 0 && command -v apt-get >/dev/null && \
	    (apt-get update -qq && DEBIAN_FRONTEND=noninteractive apt-get install -y -qq chromium >/dev/null) ; } || \
	  echo "Chromium not installed: the committee pack is written as HTML (apt-get install chromium prints it)"

## full report on the bundled sample portfolio into reports/<scenario>-<timestamp>/
report: $(STAMP) chromium
	$(BIN)/tiermodel report

## unit, property and notebook (nbval) tests
test: $(STAMP) chromium
	$(BIN)/python -m pytest -p no:cacheprovider -n 2 --dist loadfile tests --nbval-lax --nbval-current-env notebooks

## benchmarks (not part of the test suite)
bench: $(STAMP)
	for f in benchmarks/bench_*.py; do $(BIN)/python $$f || exit 1; done

## re-execute the notebooks in place so their stored outputs match the code (commit them)
notebooks: $(STAMP)
	for nb in notebooks/[0-9]*.ipynb; do \
	  $(BIN)/jupyter nbconvert --to notebook --execute --inplace \
	    --ExecutePreprocessor.kernel_name=python3 --ExecutePreprocessor.record_timing=False "$$nb" || exit 1; done

## each HTML page of the newest reports/ run as PNG (headless Chromium from the system's packages)
screenshots: $(STAMP) chromium
	@fc-list 2>/dev/null | grep -q "Noto Sans CJK" || apt-get install -y fonts-noto-cjk
	$(BIN)/python -m pip install --quiet --disable-pip-version-check -e '.[browser]'
	$(BIN)/python -m tiermodel.screenshots

## mutation testing (not part of `make test`): every module of mutation/modules.toml — scoring,
## tiers, policy (validators and field bounds too), the sensitivity engine, the comparisons and the
## 附件七 budget — mutated by mutation/mutator.py and run against its focused tests on 2 workers;
## per module: generated, not covered, run, equivalent, killed, kill rate (target ≥ 95 %);
## equivalent mutants in mutation/equivalent.txt. One module: `make mutate MODULE=tiermodel/tiers.py`
mutate: $(STAMP)
	$(BIN)/python -m pip install --quiet --disable-pip-version-check -e '.[mutate]'
	$(BIN)/python mutation/run.py $(MODULE)

## the what-if explorer (notebook 09) as a web page on localhost, served by Voilà: no code cells,
## the controls and the results; same inputs as `tiermodel report`, e.g.
## make explore ARGS="--portfolio book.xlsx --branches branches.csv --amount-unit wan"
explore: $(STAMP)
	$(BIN)/tiermodel explore $(ARGS)

## JupyterLab with the package importable
lab: $(STAMP)
	$(BIN)/jupyter lab notebooks

clean:
	rm -rf $(VENV) .pytest_cache
