# Navigator — the two commands: `make run` and `make test`.
# Everything missing (wasm target, trunk, wasm-bindgen-cli, Chromium,
# chromedriver) is installed by scripts/install-tools.sh.

SHELL := /bin/bash
CARGO ?= cargo
WEB_PROFILE := wasm-release
export CARGO_TERM_COLOR ?= never

.PHONY: run build web web-check tools tools-browser test lint unit e2e openapi bench clean-data

## Build the web client and the API (release) and serve http://127.0.0.1:8080 on SQLite with demo data.
run: build
	DEMO_DATA=true ./target/release/navigator serve

build: web
	$(CARGO) build --release -p navigator-api

tools:
	@scripts/install-tools.sh

tools-browser:
	@scripts/install-tools.sh --browser

## The SPA: trunk writes the page, its styles and static files; the wasm is
## built with the size-optimized profile and cut into chunks (public pages,
## family pages, staff sections) by scripts/build-wasm.sh, shrunk by wasm-opt;
## then the brotli and gzip siblings the server sends to browsers that accept them.
web: tools
	cd web && trunk build --release
	scripts/build-wasm.sh $(WEB_PROFILE) web/dist
	scripts/compress-web.sh web/dist

## Everything CI checks: formatting, lints, unit and integration tests on
## SQLite and PostgreSQL, the OpenAPI drift test, the wasm build, browser tests,
## then schemathesis against the running server on both backends.
test: tools-browser lint web
	@set -euo pipefail; \
	pg_url=$$(scripts/ensure-postgres.sh); \
	echo "==> tests (PostgreSQL at $$pg_url)"; \
	TEST_POSTGRES_URL=$$pg_url RUST_TEST_THREADS=$${RUST_TEST_THREADS:-6} \
	  $(CARGO) test --workspace --exclude navigator-web; \
	$(CARGO) build -q -p navigator-api; \
	scripts/api-fuzz.sh sqlite; \
	scripts/api-fuzz.sh postgres

lint: tools
	$(CARGO) fmt --all -- --check
	$(CARGO) clippy --workspace --exclude navigator-web --all-targets -- -D warnings
	$(CARGO) clippy -p navigator-web --target wasm32-unknown-unknown -- -D warnings
	$(CARGO) clippy -p navigator-shared --features diesel -- -D warnings
	$(CARGO) clippy -p navigator-api --no-default-features -- -D warnings

## Regenerate the committed OpenAPI document.
openapi:
	$(CARGO) run -q -p navigator-api -- openapi > openapi/openapi.json

## Catalog search at 20,000 programs on SQLite and PostgreSQL (wrk, 64
## connections); login throughput with the production argon2 parameters;
## certificate issue throughput and the enrolment rush (10,000 applications
## to 400 groups, 64 in flight) on both backends, through the web client's
## `POST /applications` and, in the same run, through an integration client's
## `POST /integrations/applications`, whose signed webhooks go to a receiver
## in the bench (deliveries/s); the operator's statistics dashboard over
## 200,000 children (about 400,000 applications, 150,000 contracts), p95 of
## varied ranges and territories beside /healthz; the web client's first load
## of `/` and `/catalog` in Chromium on a throttled slow mobile network. Ends
## with one table of every measure against its goal (scripts/bench-table.py).
bench:
	@scripts/install-tools.sh --bench
	$(CARGO) build --release -p navigator-api
	@set -e; summary=$$(mktemp /tmp/navigator-bench-summary.XXXXXX); export BENCH_SUMMARY=$$summary; \
	scripts/bench-catalog.sh 20000; \
	$(CARGO) run --release -p navigator-api --example login_bench; \
	$(CARGO) run --release -p navigator-api --example registry_bench; \
	$(CARGO) run --release -p navigator-api --example enrolment_bench; \
	$(CARGO) run --release -p navigator-api --example stats_bench; \
	pg=$$(scripts/ensure-postgres.sh); db=navigator_bench_$$$$; \
	psql "$$pg/postgres" -qc "CREATE DATABASE $$db"; \
	BENCH_DATABASE_URL="$$pg/$$db" $(CARGO) run --release -p navigator-api --example registry_bench; \
	psql "$$pg/postgres" -qc "DROP DATABASE $$db WITH (FORCE)"; \
	psql "$$pg/postgres" -qc "CREATE DATABASE $$db"; \
	BENCH_DATABASE_URL="$$pg/$$db" $(CARGO) run --release -p navigator-api --example enrolment_bench; \
	psql "$$pg/postgres" -qc "DROP DATABASE $$db WITH (FORCE)"; \
	psql "$$pg/postgres" -qc "CREATE DATABASE $$db"; \
	BENCH_DATABASE_URL="$$pg/$$db" $(CARGO) run --release -p navigator-api --example stats_bench; \
	psql "$$pg/postgres" -qc "DROP DATABASE $$db WITH (FORCE)"; \
	scripts/install-tools.sh --browser; \
	$(MAKE) web; \
	$(CARGO) test -p navigator-e2e --test weight -- --ignored --nocapture; \
	scripts/bench-table.py "$$summary"; rm -f "$$summary"

clean-data:
	rm -rf data
