# The two set-up commands: `make demo` and `make test`. Both install what they need first.
PYTHON ?= python3
VENV ?= .venv
BIN := $(VENV)/bin
STAMP := $(VENV)/.installed-stamp
DEMO_DIR ?= demo-client

.PHONY: install demo test lint clean browser

$(STAMP): pyproject.toml
	@echo "installing into $(VENV)/: a virtual environment with Python $$($(PYTHON) -c 'import sys; print(sys.version.split()[0])')"
	$(PYTHON) -m venv $(VENV)
	@echo "installing: pip, then scalegap and its dependencies (pandas, duckdb, papermill, jupyter-book, ...),"
	@echo "            its test tools (pytest, nbval, playwright), its lint tools (ruff, mypy) and JupyterLab;"
	@echo "            about two minutes on a fresh machine, quiet unless something fails"
	$(BIN)/python -m pip install --quiet --upgrade pip
	$(BIN)/python -m pip install --quiet -e '.[test,lint,lab]'
	@echo "installing: the Jupyter kernel the chapters run in"
	$(BIN)/python -m ipykernel install --sys-prefix --name python3 --display-name "Python 3 (scalegap)" >/dev/null
	@echo "installed: $$($(BIN)/python -m pip list --format=freeze 2>/dev/null | wc -l) packages in $(VENV)/"
	touch $(STAMP)

install: $(STAMP)

demo: install
	$(BIN)/scalegap demo $(DEMO_DIR)

# the browser tests and `scalegap pdf` drive Debian's Chromium (Playwright's own browser download is not used);
# the PDF test reads the book back with poppler's pdftotext and pdftoppm
browser:
	@command -v chromium >/dev/null || (apt-get update -qq && apt-get install -y -qq chromium >/dev/null)
	@command -v pdftotext >/dev/null || (apt-get update -qq && apt-get install -y -qq poppler-utils >/dev/null)

# ruff (lint and format check) over the code, mypy on all of src/ (strict on the modules pyproject.toml names)
lint: install
	$(BIN)/ruff check src tests benchmarks scripts
	$(BIN)/ruff format --check src tests benchmarks scripts
	$(BIN)/mypy

# two test workers on two cores: one BLAS thread each (the models make many small fits)
test: install browser lint
	OPENBLAS_NUM_THREADS=1 OMP_NUM_THREADS=1 MKL_NUM_THREADS=1 $(BIN)/python -m pytest -n 2 --dist loadgroup

clean:
	rm -rf $(VENV) $(DEMO_DIR) .pytest_cache
