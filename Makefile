# Two commands do all set-up on a fresh machine: `make demo` and `make test` (README.md).
# Every target installs what it needs first.

NPM_STAMP := node_modules/.package-lock.json

.PHONY: deps system-deps test typecheck lint unit build console bench demo clean --interactive

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

# The build is part of the test: the declaration build (dist/*.d.ts) checks more than the type-check does, and
# the console bundle is what `make demo` and the browser tests serve.
test: deps
	npm run typecheck
	npm run lint
	npm run build
	npm test

build: $(NPM_STAMP)
	npm run build

# The console bundle alone (console/dist, about 2 s): what the demo serves. The demo runs the sources with tsx,
# so it does not need dist/, whose declaration build took most of the ~20 s every `make demo` spent building.
console: $(NPM_STAMP)
	npm run build:console

bench: deps
	npm run bench

# make demo ARGS=--interactive (or make demo -- --interactive): no scripted scenario, drive the handsets from
# the emulator page. make refuses `make demo --interactive` as an option of its own; after `--` it reads
# --interactive as a goal, which is passed on to the demo here and does nothing itself.
DEMO_FLAGS := $(filter --interactive,$(MAKECMDGOALS))

# The demo's ports are checked first, before the installs and the build: a second `make demo` while one runs
# says so at once and leaves console/dist/ (which the running gateway serves) and ./data alone
# (scripts/demo-ports.mjs: plain node, no packages). The installs and the console's build then run in a make of
# their own, so that they cannot start before the check even under -j.
demo:
	@node scripts/demo-ports.mjs
	@$(MAKE) --no-print-directory deps console
	npm run demo -- $(DEMO_FLAGS) $(ARGS)

--interactive:
	@:

clean:
	rm -rf dist
