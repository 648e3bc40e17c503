# Two commands set up and use a fresh machine:
#   make demo   builds the bundled demo project (data/) into out/
#   make test   runs the whole test suite
# Each one first installs what it needs: Debian packages when run as root, then a virtual environment.

PYTHON ?= python3
VENV   := .venv
BIN    := $(VENV)/bin
DEBS   := libharfbuzz-subset0 poppler-utils qpdf ghostscript libgs-common

.PHONY: demo test fast-test setup system-packages clean

demo: setup
	$(BIN)/presskit build data -o out

test: setup
	$(BIN)/python -m pytest -q

fast-test: setup
	$(BIN)/python -m pytest -q -m "not slow"

setup: system-packages $(VENV)/.installed

# Debian packages: HarfBuzz subsetting (repeatable font subsets), poppler and qpdf (tests read PDFs back),
# Ghostscript's CMYK profile (the default output intent). Installed only when missing and when root.
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

$(VENV)/.installed: pyproject.toml
	test -x $(BIN)/python || $(PYTHON) -m venv $(VENV)
	$(BIN)/pip install -q --upgrade pip
	$(BIN)/pip install -q -e '.[test]'
	touch $@

clean:
	rm -rf out
