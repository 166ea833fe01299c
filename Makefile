# The whole test suite: formatting, vet, every test (with the end-to-end go vet/go fix,
# git and pre-commit tests), and keyscan's own scan and history scan of itself; the
# rules' examples and the matcher's kernel, findings-table, notation and format tests once
# more without its assembly (-tags purego), beside the rest rather than after it: the
# suite must end within 15 minutes on 2 cores, and the analyzer's end-to-end tests are
# its longest path. go test's -timeout (30m) is there to end a hung test with its
# goroutines' stacks, not as the suite's budget: a package that is only slow on a loaded
# machine still passes.
.PHONY: test test-golangci build bench fuzz

# The matcher's tests that -tags purego runs again: the prefilter's and masks' kernels
# against their Go and byte-search references (the only code the tag swaps), and the
# findings tables end to end (formats, notations, the QA cases, the plain and byte-at-a-time
# readers, scan-and-vet agreement), whose findings must not depend on the assembly. The
# differential tests of one Go path against another (AsBefore, AnswersAs: memo against
# fresh, new reader against old) do not touch the tag's files; run once, not twice
# (about 95 CPU seconds of the suite).
PUREGO_TESTS = Prefilter|Masks|Marks|LineIndex|KeywordWindows|EscapeBytes|CheckBudget|Teddy|SignPatterns|MergeBuckets|AsPlain|AsByte|Agree|QA|Formats|Notation

build:
	go build -o bin/keyscan ./cmd/keyscan

test:
	@unformatted=$$(gofmt -l $$(git ls-files '*.go' | grep -v '/testdata/')); \
	if [ -n "$$unformatted" ]; then echo "gofmt needed:"; echo "$$unformatted"; exit 1; fi
	go vet ./...
	go vet -tags purego ./scanner/
	@purego=$$(mktemp); \
	{ go test -count=1 -tags purego ./rules/ && \
	  go test -count=1 -tags purego -run '$(PUREGO_TESTS)' ./scanner/; } > "$$purego" 2>&1 & p=$$!; \
	echo "go test -count=1 -timeout 30m ./..."; go test -count=1 -timeout 30m ./...; s=$$?; \
	wait $$p; q=$$?; echo "go test -tags purego (rules; scanner -run '$(PUREGO_TESTS)')"; cat "$$purego"; rm -f "$$purego"; \
	[ $$s -eq 0 ] && [ $$q -eq 0 ]

# The golangci-lint plugin's end-to-end test, apart from make test (see .ci/run): golangci-lint v2.15.0
# installed through the Go module proxy into a folder of its own (once), then a custom golangci-lint built
# with the plugin, run on a module with a key, and run with --fix.
GOLANGCI_VERSION = v2.15.0
GOLANGCI_BIN = $${TMPDIR:-/tmp}/keyscan-ci-golangci-$(GOLANGCI_VERSION)

test-golangci:
	@bin="$(GOLANGCI_BIN)"; \
	if [ ! -x "$$bin/golangci-lint" ]; then \
	  GOBIN="$$bin" go install "github.com/golangci/golangci-lint/v2/cmd/golangci-lint@$(GOLANGCI_VERSION)" || exit 1; \
	fi; \
	KEYSCAN_GOLANGCI_E2E=1 KEYSCAN_GOLANGCI_LINT="$$bin/golangci-lint" go test -count=1 -timeout 30m -v -run TestGolangciLintCustom ./golangciplugin/

bench:
	go test -run '^$$' -bench . -benchmem ./scanner/

fuzz:
	go test -run '^$$' -fuzz FuzzScan -fuzztime 60s ./scanner/
