# One entry point for people, .ci/run and the GitHub workflow: they all call these targets.
PYTHON ?= python3
export NO_MKDOCS_2_WARNING := 1
OFFLINE_DIR ?= site-offline

.PHONY: setup setup-dev build build-offline serve test lint fmt check report

setup:            ## install what building the site needs
	$(PYTHON) -m pip install -r requirements.txt

setup-dev:        ## install what the tests need too
	$(PYTHON) -m pip install -r requirements-dev.txt

build:            ## build the hosted site into site/ (fails on any warning)
	$(PYTHON) -m mkdocs build --strict -d site

build-offline:    ## build the offline edition into site-offline/ (opens from file://)
	OFFLINE=true USE_DIRECTORY_URLS=false $(PYTHON) -m mkdocs build --strict -d $(OFFLINE_DIR)

serve:            ## live preview: edit a note, see the page change
	$(PYTHON) -m mkdocs serve

report:           ## where every line of every note went
	$(PYTHON) -m studysite report

lint:             ## ruff lint and format check
	$(PYTHON) -m ruff check src hooks tests scripts
	$(PYTHON) -m ruff format --check src hooks tests scripts

fmt:
	$(PYTHON) -m ruff check --fix src hooks tests scripts
	$(PYTHON) -m ruff format src hooks tests scripts

test:             ## the whole test suite
	$(PYTHON) -m pytest

check: lint test build  ## what CI runs

# The offline edition as one download: the workflow uploads this zip as an artifact and
# attaches it to the release of a version tag. DIST moves the zip (the tests build into a
# temporary folder); the site itself is built by build-offline into site-offline/.
DIST ?= dist
.PHONY: offline-zip

offline-zip: build-offline  ## the offline edition zipped into $(DIST)/studysite-offline.zip
	$(PYTHON) scripts/zip_site.py $(OFFLINE_DIR) $(DIST)/studysite-offline.zip

# What a build costs and how it grows (README "Performance"). Prints figures, never fails on
# a slow machine; BENCH_ARGS="--sizes 1,10,100" adds the 100x corpus (minutes).
BENCH_ARGS ?=
.PHONY: bench

bench:            ## benchmark: core pipeline at 1x and 10x, full build vs plain Material build
	$(PYTHON) -m studysite bench --json $(BENCH_ARGS)
