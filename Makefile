# One entry point for people, .ci/run and the GitHub workflow: they all call these targets.
PYTHON ?= python3
export NO_MKDOCS_2_WARNING := 1
OFFLINE_DIR ?= site-offline

.PHONY: setup setup-dev build build-offline serve test test-fast lint fmt check report

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

lint:             ## ruff lint and format check, mypy on src/ ([tool.mypy] in pyproject.toml)
	$(PYTHON) -m ruff check src hooks tests scripts
	$(PYTHON) -m ruff format --check src hooks tests scripts
	$(PYTHON) -m mypy

fmt:
	$(PYTHON) -m ruff check --fix src hooks tests scripts
	$(PYTHON) -m ruff format src hooks tests scripts

test:             ## the whole test suite
	$(PYTHON) -m pytest

test-fast:        ## every test not marked slow (no site build, no browser)
	$(PYTHON) -m pytest -m "not slow"

check: lint test build  ## what CI runs

# The offline edition as one download: the workflow uploads this zip as an artifact and
# attaches it to the release of a version tag. DIST moves the zip (the tests build into a
# temporary folder); the site itself is built by build-offline into site-offline/.
DIST ?= dist
.PHONY: offline-zip

offline-zip: build-offline  ## the offline edition zipped into $(DIST)/studysite-offline.zip
	$(PYTHON) scripts/zip_site.py $(OFFLINE_DIR) $(DIST)/studysite-offline.zip

# What a build costs and how it grows (README "Performance"). Prints figures, never fails on
# a slow machine; BENCH_ARGS="--sizes 1,10,100" adds the 100x corpus (minutes);
# BENCH_ARGS="--pathological" builds a note of 20,000 short headings beside the notes instead.
BENCH_ARGS ?=
.PHONY: bench

bench:            ## benchmark: core pipeline at 1x and 10x, full build vs plain Material build
	$(PYTHON) -m studysite bench --json $(BENCH_ARGS)

# Vendored browser code. The offline edition runs search from file:// with the iframe-worker
# shim (npm, MIT); Material's offline plugin would load it from unpkg.com, so mkdocs.yml
# lists this copy in extra.polyfills instead. `make vendor` fetches the pinned version from
# the npm registry (npm checks the tarball's integrity) and rewrites docs/assets/vendor/;
# to update, bump IFRAME_WORKER_VERSION, run it, build-offline, run the browser tests,
# commit the folder.
IFRAME_WORKER_VERSION ?= 1.0.4
IFRAME_WORKER_DIR := docs/assets/vendor/iframe-worker
# KaTeX (npm, MIT) renders the notes' math ($...$, pymdownx.arithmatex) on the pages that have
# some (overrides/main.html). Only woff2 fonts are kept: every browser that runs the site
# reads them, so the stylesheet's woff/ttf fallbacks are cut and never requested.
KATEX_VERSION ?= 0.16.47
KATEX_DIR := docs/assets/vendor/katex
.PHONY: vendor vendor-iframe-worker vendor-katex

vendor: vendor-iframe-worker vendor-katex  ## refresh docs/assets/vendor/ from the npm registry

vendor-katex:
	@tmp=$$(mktemp -d) && trap 'rm -rf "$$tmp"' EXIT && \
	  (cd "$$tmp" && npm pack --silent katex@$(KATEX_VERSION) >/dev/null) && \
	  tar -xzf "$$tmp/katex-$(KATEX_VERSION).tgz" -C "$$tmp" && \
	  rm -rf $(KATEX_DIR) && mkdir -p $(KATEX_DIR)/fonts && \
	  cp "$$tmp/package/dist/katex.min.js" "$$tmp/package/LICENSE" $(KATEX_DIR)/ && \
	  cp "$$tmp"/package/dist/fonts/*.woff2 $(KATEX_DIR)/fonts/ && \
	  sed -E 's/,url\(fonts\/[A-Za-z0-9_-]+\.(woff|ttf)\) format\("(woff|truetype)"\)//g' \
	    "$$tmp/package/dist/katex.min.css" > $(KATEX_DIR)/katex.min.css && \
	  { echo "KaTeX $(KATEX_VERSION) - https://www.npmjs.com/package/katex"; \
	    echo "License: MIT (LICENSE beside this file), Copyright (c) 2013-2020 Khan Academy and other contributors"; \
	    echo "katex.min.js and fonts/*.woff2 are package/dist/ of katex-$(KATEX_VERSION).tgz;"; \
	    echo "katex.min.css is package/dist/katex.min.css with its woff and ttf fallbacks cut."; \
	    (cd $(KATEX_DIR) && sha256sum katex.min.js katex.min.css | sed 's/^/sha256 /'); \
	    echo "Used on pages with math (overrides/main.html, docs/assets/math.js)."; \
	    echo "Update: make vendor-katex KATEX_VERSION=x.y.z (README, Reading offline and search)"; \
	  } > $(KATEX_DIR)/VERSION.txt && \
	  echo "vendored KaTeX $(KATEX_VERSION) into $(KATEX_DIR)"

vendor-iframe-worker:
	@tmp=$$(mktemp -d) && trap 'rm -rf "$$tmp"' EXIT && \
	  (cd "$$tmp" && npm pack --silent iframe-worker@$(IFRAME_WORKER_VERSION) >/dev/null) && \
	  tar -xzf "$$tmp/iframe-worker-$(IFRAME_WORKER_VERSION).tgz" -C "$$tmp" && \
	  mkdir -p $(IFRAME_WORKER_DIR) && \
	  cp "$$tmp/package/shim/index.js" $(IFRAME_WORKER_DIR)/shim.js && \
	  cp "$$tmp/package/LICENSE" $(IFRAME_WORKER_DIR)/LICENSE && \
	  { echo "iframe-worker $(IFRAME_WORKER_VERSION) - https://www.npmjs.com/package/iframe-worker"; \
	    echo "License: MIT (LICENSE beside this file), Copyright (c) 2020-2022 Martin Donath"; \
	    echo "shim.js is package/shim/index.js of iframe-worker-$(IFRAME_WORKER_VERSION).tgz"; \
	    echo "sha256 $$(sha256sum $(IFRAME_WORKER_DIR)/shim.js | cut -d' ' -f1)  shim.js"; \
	    echo "Used by the offline edition: search from file:// (mkdocs.yml, extra.polyfills)."; \
	    echo "Update: make vendor IFRAME_WORKER_VERSION=x.y.z (README, Reading offline and search)"; \
	  } > $(IFRAME_WORKER_DIR)/VERSION.txt && \
	  echo "vendored iframe-worker $(IFRAME_WORKER_VERSION) into $(IFRAME_WORKER_DIR)"

# Mutation testing of the core packages (README "Mutation testing"): mutmut, one worker, each
# mutant against the fast tests that reach it; prints the score per package. Slow (about
# 15,000 mutants: many hours on one core), so not part of `make test`; the mutation workflow
# runs it weekly. PACKAGE=routing (or "links tables") limits it; MUTATION_ARGS="--fail-under 80"
# gates on it; MUTATION_ARGS="--sample 20 --seed 1" estimates each score from 20 seeded mutants.
PACKAGE ?= readers routing render links tables model
MUTATION_ARGS ?=
.PHONY: mutation

mutation:         ## mutation score per core package (slow; PACKAGE=tables limits it)
	$(PYTHON) scripts/mutation_report.py --run $(PACKAGE) $(MUTATION_ARGS)
