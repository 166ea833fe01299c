package walk

import (
	"context"

	"github.com/keyscan/keyscan/scanner"
)

// WalkHooked is Walk with hook called between the listing of every folder
// and the open of each folder and file found in it, with the entry's path
// below its root (walker.hook): a test makes the race of a folder swapped
// for a link deterministic.
func WalkHooked(ctx context.Context, roots []string, sc *scanner.Scanner, opts Options, hook func(rel string)) (Result, error) {
	return walk(ctx, roots, sc, opts, hook)
}

// ValidHead exposes validHead to the tests.
var ValidHead = validHead
