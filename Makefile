# Two commands set up and use a fresh machine:
#   make demo   builds the bundled demo project (data/) into out/
#   make test   runs the whole test suite
# Each one first installs what it needs: Debian packages when run as root, then a virtual environment.

# The interpreter of the virtual environment: Debian's own python3 (3.10 or later) when there is one. Debian
# builds it with profile-guided and link-time optimisation, where a default pyenv or source build has
# neither: presskit, mostly WeasyPrint's Python, lays out pages 10-15 % faster on it (benchmarks/README.md).
# `make PYTHON=python3.12 test` chooses another; a .venv made by a different interpreter is made anew.
PYTHON ?= $(shell /usr/bin/python3 -c 'import sys; sys.exit(sys.version_info < (3, 10))' 2>/dev/null \
            && echo /usr/bin/python3 || echo python3)
VENV   := .venv
BIN    := $(VENV)/bin
DEBS   := libharfbuzz-subset0 poppler-utils qpdf ghostscript libgs-common python3-venv ruby ruby-pdf-reader fonts-noto-core fonts-noto-cjk libicu-dev pkg-config

.PHONY: demo test fast-test lint messages setup bytecode system-packages venv-interpreter clean

demo: setup
	$(BIN)/presskit build data -o out

test: setup
	$(BIN)/python -m pytest -q

# Lint (ruff check, ruff format --check) and type check (mypy), as configured in pyproject.toml.
lint: setup
	$(BIN)/ruff check .
	$(BIN)/ruff format --check .
	$(BIN)/mypy

fast-test: setup
	$(BIN)/python -m pytest -q -m "not slow"

# The label catalogues (layouts/locale/<lang>/LC_MESSAGES/presskit.po): the template presskit.pot from the
# English catalogue (babel.cfg), new keys carried into every language, then a compile of every catalogue as
# a check (presskit reads the .po files themselves; the .mo files are not kept).
messages: setup
	$(BIN)/pybabel extract -F babel.cfg -o layouts/locale/presskit.pot --no-location --project presskit .
	$(BIN)/pybabel update -i layouts/locale/presskit.pot -d layouts/locale -D presskit --no-fuzzy-matching
	$(BIN)/pybabel compile -d layouts/locale -D presskit --statistics
	find layouts/locale -name '*.mo' -delete

setup: system-packages venv-interpreter $(VENV)/.installed bytecode

# presskit's modules compiled ahead (what a non-editable install does): a command then reads them instead of
# compiling them at every start, even where PYTHONDONTWRITEBYTECODE is set (about 0.13 s a command).
bytecode: $(VENV)/.installed
	@$(BIN)/python -m compileall -q presskit

# Debian packages: HarfBuzz subsetting (repeatable font subsets), poppler and qpdf (tests read PDFs back),
# Ghostscript (tests: separations, nullpage), the Noto fonts of every script (presskit/fonts.py), ICU and pkg-config (PyICU
# builds against them: index collation and CLDR quotation marks), Ruby and ruby-pdf-reader (yob/pdf-preflight in
# tests/test_independent.py). Installed only when missing and when root.
system-packages:
	@missing=$$(for p in $(DEBS); do dpkg -s $$p >/dev/null 2>&1 || echo $$p; done); \
	if [ -n "$$missing" ]; then \
	  if [ "$$(id -u)" = 0 ] && command -v apt-get >/dev/null; then \
	    echo "installing Debian packages: $$missing"; \
	    apt-get update -qq && DEBIAN_FRONTEND=noninteractive apt-get install -y -qq $$missing >/dev/null; \
	  else \
	    echo "warning: missing Debian packages (install them as root): $$missing" >&2; \
	  fi; \
	fi

# A .venv made by another interpreter than $(PYTHON) (say, before the choice above) is removed, to be made anew.
venv-interpreter:
	@if [ -x $(BIN)/python ]; then \
	  have=$$($(BIN)/python -c 'import sys; print(sys.base_prefix)' 2>/dev/null); \
	  want=$$($(PYTHON) -c 'import sys; print(sys.base_prefix)' 2>/dev/null); \
	  if [ -n "$$want" ] && [ "$$have" != "$$want" ]; then \
	    echo "$(VENV) was made by the Python in $$have, not $(PYTHON) ($$want): making it anew"; rm -rf $(VENV); \
	  fi; \
	fi

$(VENV)/.installed: pyproject.toml
	test -x $(BIN)/python || $(PYTHON) -m venv $(VENV) || { \
	  echo "warning: '$(PYTHON) -m venv' failed (Debian: apt-get install python3-venv); using python3" >&2; \
	  rm -rf $(VENV); python3 -m venv $(VENV); }
	$(BIN)/pip install -q --upgrade pip
	$(BIN)/pip install -q -e '.[test]'
	touch $@

clean:
	rm -rf out
