# The whole test suite: formatting, vet, every test (with the end-to-end go vet/go fix,
# git and pre-commit tests), and keyscan's own scan and history scan of itself; the
# matcher's tests once more without its assembly (-tags purego).
.PHONY: test build bench fuzz

build:
	go build -o bin/keyscan ./cmd/keyscan

test:
	@unformatted=$$(gofmt -l $$(git ls-files '*.go' | grep -v '/testdata/')); \
	if [ -n "$$unformatted" ]; then echo "gofmt needed:"; echo "$$unformatted"; exit 1; fi
	go vet ./...
	go vet -tags purego ./scanner/
	go test -count=1 -timeout 20m ./...
	go test -count=1 -tags purego ./scanner/

bench:
	go test -run '^$$' -bench . -benchmem ./scanner/

fuzz:
	go test -run '^$$' -fuzz FuzzScan -fuzztime 60s ./scanner/
