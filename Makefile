# Two commands do all set-up on a fresh machine: `make demo` and `make test` (README.md).
# Every target installs what it needs first.

NPM_STAMP := node_modules/.package-lock.json

.PHONY: deps system-deps test typecheck lint unit build bench demo clean --interactive

# npm ci when node_modules is missing or older than the lock file.
$(NPM_STAMP): package.json package-lock.json
	npm ci --no-audit --no-fund
	@touch $(NPM_STAMP)

system-deps:
	@bash scripts/system-deps.sh

deps: system-deps $(NPM_STAMP)

typecheck: $(NPM_STAMP)
	npm run typecheck

lint: $(NPM_STAMP)
	npm run lint

unit: deps
	npm test

# The build is part of the test: `make demo` builds first, and the declaration build (dist/*.d.ts) checks
# more than the type-check does.
test: deps
	npm run typecheck
	npm run lint
	npm run build
	npm test

build: $(NPM_STAMP)
	npm run build

bench: deps
	npm run bench

# make demo ARGS=--interactive (or make demo -- --interactive): no scripted scenario, drive the handsets from
# the emulator page. make refuses `make demo --interactive` as an option of its own; after `--` it reads
# --interactive as a goal, which is passed on to the demo here and does nothing itself.
DEMO_FLAGS := $(filter --interactive,$(MAKECMDGOALS))

# The demo's ports are checked first, before the installs and the build: a second `make demo` while one runs
# says so at once and leaves dist/, console/dist/ (which the running gateway serves) and ./data alone
# (scripts/demo-ports.mjs: plain node, no packages). The installs and the build then run in a make of their
# own, so that they cannot start before the check even under -j.
demo:
	@node scripts/demo-ports.mjs
	@$(MAKE) --no-print-directory deps build
	npm run demo -- $(DEMO_FLAGS) $(ARGS)

--interactive:
	@:

clean:
	rm -rf dist
