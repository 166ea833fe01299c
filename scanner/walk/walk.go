// Package walk reads the files under a set of roots in parallel and runs the
// matcher on each, leaving out what cannot or should not be scanned and
// saying so: binary files, files over the size limit, unreadable files,
// symlink loops. It never follows a symlink out of, or back into, a tree it
// has already walked.
package walk

import (
	"bytes"
	"context"
	"errors"
	"fmt"
	"io"
	"io/fs"
	"os"
	"path"
	"path/filepath"
	"runtime"
	"sort"
	"strings"
	"sync"
	"sync/atomic"

	"github.com/keyscan/keyscan/scanner"
)

// Options configure a walk.
type Options struct {
	// MaxFileSize is the largest file read; larger ones are skipped with a warning.
	MaxFileSize int64
	// Excluded reports whether a path, relative to its root and
	// '/'-separated, is left out. For directories dir is true.
	Excluded func(rel string, dir bool) bool
	// Workers is the number of files scanned at once; 0 means one per CPU.
	Workers int
	// OnFile, when set, is called for every file scanned with its path on
	// disk, its path as reported, and its content (valid only during the
	// call), after the matcher has run; it lets the caller collect, say, Go
	// files for type-checked scanning.
	OnFile func(path, rel string, data []byte)
}

// Warning is a file the walk could not scan, or scanned partly.
type Warning struct {
	Path string
	Err  error
}

func (w Warning) String() string { return w.Path + ": " + w.Err.Error() }

// Stats count what the walk did.
type Stats struct {
	Files, Bytes       int64
	Binary, TooLarge   int64
	Excluded, Symlinks int64
}

// Result is what a walk found.
type Result struct {
	Findings scanner.Findings
	Warnings []Warning
	Stats    Stats
}

// ErrBinary marks a file skipped because its content is binary.
var ErrBinary = errors.New("binary file skipped")

type job struct {
	root string // the root it was found under
	path string // path on disk
	rel  string // path reported
	size int64
}

// Walk scans every file under roots. A root may be a file. Paths in
// findings are relative to the root when the root is a directory (the scan
// root), or the root as given when it is a file. The error is non-nil only
// when a root cannot be walked at all or ctx ends.
func Walk(ctx context.Context, roots []string, sc *scanner.Scanner, opts Options) (Result, error) {
	workers := opts.Workers
	if workers <= 0 {
		workers = runtime.GOMAXPROCS(0)
	}
	if opts.MaxFileSize <= 0 {
		opts.MaxFileSize = 1 << 62
	}
	var (
		res   Result
		mu    sync.Mutex
		stats struct{ files, bytes, binary, large, excluded, links atomic.Int64 }
	)
	warn := func(p string, err error) {
		mu.Lock()
		res.Warnings = append(res.Warnings, Warning{p, err})
		mu.Unlock()
	}
	jobs := make(chan job, 256)
	var wg sync.WaitGroup
	for range workers {
		wg.Add(1)
		go func() {
			defer wg.Done()
			buf := new(bytes.Buffer)
			for j := range jobs {
				if ctx.Err() != nil {
					continue
				}
				data, err := readFile(j.path, opts.MaxFileSize, buf)
				switch {
				case errors.Is(err, errTooLarge):
					stats.large.Add(1)
					warn(j.rel, fmt.Errorf("skipped: larger than the size limit (%d bytes); raise max_file_size to scan it", opts.MaxFileSize))
					continue
				case err != nil:
					warn(j.rel, err)
					continue
				}
				if isBinary(data) {
					stats.binary.Add(1)
					continue
				}
				stats.files.Add(1)
				stats.bytes.Add(int64(len(data)))
				fs := sc.Scan(j.rel, data)
				if opts.OnFile != nil {
					opts.OnFile(j.path, j.rel, data)
				}
				if len(fs) > 0 {
					mu.Lock()
					res.Findings = append(res.Findings, fs...)
					mu.Unlock()
				}
			}
		}()
	}
	var walkErr error
	for _, root := range roots {
		// With several roots, paths carry their root so that two files with
		// the same relative path stay apart.
		prefix := ""
		if len(roots) > 1 {
			prefix = filepath.ToSlash(filepath.Clean(root))
		}
		if err := walkRoot(ctx, root, prefix, opts, jobs, warn, &stats.excluded, &stats.links); err != nil {
			walkErr = err
			break
		}
	}
	close(jobs)
	wg.Wait()
	res.Stats = Stats{Files: stats.files.Load(), Bytes: stats.bytes.Load(), Binary: stats.binary.Load(),
		TooLarge: stats.large.Load(), Excluded: stats.excluded.Load(), Symlinks: stats.links.Load()}
	sort.Slice(res.Warnings, func(i, j int) bool { return res.Warnings[i].Path < res.Warnings[j].Path })
	res.Findings.Sort()
	if walkErr == nil {
		walkErr = ctx.Err()
	}
	return res, walkErr
}

func walkRoot(ctx context.Context, root, prefix string, opts Options, jobs chan<- job, warn func(string, error), excluded, links *atomic.Int64) error {
	fi, err := os.Stat(root)
	if err != nil {
		return fmt.Errorf("scan root: %w", err)
	}
	if !fi.IsDir() {
		rel := filepath.ToSlash(filepath.Clean(root))
		if opts.Excluded != nil && opts.Excluded(filepath.ToSlash(filepath.Base(root)), false) && opts.Excluded(rel, false) {
			excluded.Add(1)
			return nil
		}
		jobs <- job{root: root, path: root, rel: rel, size: fi.Size()}
		return nil
	}
	// Links to directories inside the root are not followed: the directory
	// is walked under its own name. Links out of the root are followed once
	// per target.
	realRoot, _ := filepath.EvalSymlinks(root)
	visited := map[string]bool{}
	var walk func(dir, relDir string) error
	walk = func(dir, relDir string) error {
		entries, err := os.ReadDir(dir)
		if err != nil {
			warn(orDot(path.Join(prefix, relDir)), err)
			return nil
		}
		for _, e := range entries {
			if err := ctx.Err(); err != nil {
				return err
			}
			name := e.Name()
			p := filepath.Join(dir, name)
			rel := name
			if relDir != "" {
				rel = relDir + "/" + name
			}
			shown := rel // as reported
			if prefix != "" {
				shown = prefix + "/" + rel
			}
			typ := e.Type()
			if typ&fs.ModeSymlink != 0 {
				links.Add(1)
				target, err := filepath.EvalSymlinks(p)
				if err != nil {
					if strings.Contains(err.Error(), "too many links") {
						warn(shown, errors.New("symlink loop: not followed"))
					} else {
						warn(shown, fmt.Errorf("broken symlink: %w", unwrapPath(err)))
					}
					continue
				}
				tfi, err := os.Stat(target)
				if err != nil {
					warn(shown, err)
					continue
				}
				if tfi.IsDir() {
					if realRoot != "" && (target == realRoot || strings.HasPrefix(target, realRoot+string(filepath.Separator))) {
						continue // inside the root: scanned under its own name
					}
					if visited[target] || inside(target, visited) {
						warn(shown, errors.New("link to a folder already scanned through another link: not followed"))
						continue
					}
					visited[target] = true
					if opts.Excluded != nil && opts.Excluded(rel, true) {
						excluded.Add(1)
						continue
					}
					if err := walk(p, rel); err != nil {
						return err
					}
					continue
				}
				typ = tfi.Mode().Type()
			}
			switch {
			case typ.IsDir():
				if name == ".git" {
					continue
				}
				if opts.Excluded != nil && opts.Excluded(rel, true) {
					excluded.Add(1)
					continue
				}
				if err := walk(p, rel); err != nil {
					return err
				}
			case typ.IsRegular() || typ&fs.ModeSymlink != 0:
				if opts.Excluded != nil && opts.Excluded(rel, false) {
					excluded.Add(1)
					continue
				}
				select {
				case jobs <- job{root: root, path: p, rel: shown}:
				case <-ctx.Done():
					return ctx.Err()
				}
			default:
				// Reading a FIFO would block; sockets and devices hold no source.
				warn(shown, fmt.Errorf("not a regular file (%s): skipped", typ))
			}
		}
		return nil
	}
	return walk(root, "")
}

// inside reports whether dir lies under one of the directories already walked
// (a link to an ancestor would loop).
func inside(dir string, visited map[string]bool) bool {
	for v := range visited {
		if strings.HasPrefix(v, dir+string(filepath.Separator)) {
			return true
		}
	}
	return false
}

func orDot(s string) string {
	if s == "" {
		return "."
	}
	return s
}

func unwrapPath(err error) error {
	var pe *fs.PathError
	if errors.As(err, &pe) {
		return pe.Err
	}
	return err
}

var errTooLarge = errors.New("too large")

// readFile reads a whole file of at most max bytes.
func readFile(path string, max int64, buf *bytes.Buffer) ([]byte, error) {
	f, err := os.Open(path)
	if err != nil {
		return nil, unwrapPath(err)
	}
	defer f.Close()
	fi, err := f.Stat()
	if err != nil {
		return nil, unwrapPath(err)
	}
	if fi.Size() > max {
		return nil, errTooLarge
	}
	buf.Reset()
	if _, err := io.Copy(buf, io.LimitReader(f, max+1)); err != nil {
		return nil, unwrapPath(err)
	}
	if int64(buf.Len()) > max {
		return nil, errTooLarge
	}
	return buf.Bytes(), nil
}

// isBinary reports whether content is binary the way git decides it: a NUL
// byte in the first 8000 bytes. UTF-16 text with a byte order mark is text.
func isBinary(data []byte) bool {
	if len(data) >= 2 && (data[0] == 0xFF && data[1] == 0xFE || data[0] == 0xFE && data[1] == 0xFF) {
		return false
	}
	head := data[:min(len(data), 8000)]
	return bytes.IndexByte(head, 0) >= 0
}
