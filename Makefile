# The whole test suite: formatting, vet, every test (with the end-to-end go vet/go fix,
# git and pre-commit tests), and keyscan's own scan and history scan of itself.
.PHONY: test build bench fuzz

build:
	go build -o bin/keyscan ./cmd/keyscan

test:
	@unformatted=$$(gofmt -l $$(git ls-files '*.go' | grep -v '/testdata/')); \
	if [ -n "$$unformatted" ]; then echo "gofmt needed:"; echo "$$unformatted"; exit 1; fi
	go vet ./...
	go test -count=1 -timeout 20m ./...

bench:
	go test -run '^$$' -bench . -benchmem ./scanner/

fuzz:
	go test -run '^$$' -fuzz FuzzScan -fuzztime 60s ./scanner/
