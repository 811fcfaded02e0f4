# wardsleep: the two commands a new machine needs are `make report` and `make test`.
SWIFT        ?= swift
APT_PACKAGES := libcsv-dev r-mathlib libsqlite3-dev
SUDO         := $(shell [ "$$(id -u)" = 0 ] || echo sudo)
BIN          := .build/release/wardsleep
BENCH_ROWS   ?= 500000,5000000
BENCH_DIR    := .build/bench

.PHONY: deps build report test sample reference bench validate clean

## Install the system libraries that are missing (apt, with sudo when not root).
deps:
	@missing=""; for p in $(APT_PACKAGES); do dpkg -s $$p >/dev/null 2>&1 || missing="$$missing $$p"; done; \
	if [ -n "$$missing" ]; then \
	  echo "installing:$$missing"; \
	  $(SUDO) apt-get update -qq && \
	  $(SUDO) env DEBIAN_FRONTEND=noninteractive apt-get install -y -qq --no-install-recommends $$missing; \
	fi

## Build the release binary.
build: deps
	$(SWIFT) build -c release

## Build, then run the bundled sample study into reports/sample/.
report: build
	$(BIN) run data/sample --out reports/sample

## Run the whole test suite.
test: deps
	$(SWIFT) test

## Regenerate the committed synthetic sample study (deterministic).
sample: build
	$(BIN) sample --out data/sample --force

## Measure speed and memory: generated EPMA administrations exports of $(BENCH_ROWS) rows, then every other export kind
## (observation logs, incidents, sleep plans, feedback, pharmacy issues, occupancy; parse-only, validate and run, 1 and
## all threads), each export of a 20x sample, then polars and DuckDB on the administrations files when installed.
## Peak memory is each child's own through GNU time (package time).
bench: build
	@[ -x /usr/bin/time ] || $(SUDO) env DEBIAN_FRONTEND=noninteractive apt-get install -y -qq --no-install-recommends time
	$(BIN) bench --rows $(BENCH_ROWS) --keep $(BENCH_DIR)
	$(BIN) bench --rows 1000000,10000000 --export observations
	$(BIN) bench --rows 100000,1000000 --export incidents
	$(BIN) bench --rows 500000,5000000 --export sleep-plans
	$(BIN) bench --rows 100000,1000000 --export feedback
	$(BIN) bench --rows 500000,5000000 --export issues
	$(BIN) bench --rows 500000,5000000 --export occupancy
	$(BIN) sample --out $(BENCH_DIR)/sample --scale 20 --force >/dev/null
	$(BIN) bench $(BENCH_DIR)/sample
	@if command -v python3 >/dev/null 2>&1; then \
	  for n in $$(echo $(BENCH_ROWS) | tr , ' '); do \
	    echo; WARDSLEEP=$(BIN) scripts/bench-peers $(BENCH_DIR)/rows-$$n/hypnotics.csv || exit 1; \
	  done; \
	else echo "python3 not found: scripts/bench-peers skipped"; fi

## Recompile the reference tables in data/reference/ into the binary.
reference:
	scripts/embed-reference.sh

## Check the sample study without writing a report.
validate: build
	$(BIN) validate data/sample

clean:
	rm -rf .build
