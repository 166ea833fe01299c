package scanner_test

import (
	"bufio"
	"bytes"
	"fmt"
	"io"
	"os"
	"os/exec"
	"path/filepath"
	"runtime"
	"strconv"
	"strings"
	"sync"
	"testing"

	"github.com/keyscan/keyscan/scanner"
)

// TestCheckWorkOfRepositories measures the check budget on real data: every
// blob of the git directories KEYSCAN_WORK_REPOS names (a list separated by
// colons), and with KEYSCAN_WORK_GOROOT=1 every file under GOROOT, is
// scanned with no budget and the work its checks cost is set against its
// allowance (work.go). It fails when a blob's work comes above a quarter
// of its allowance: no real file may come near the budget. Each blob's
// steps are written to the file KEYSCAN_WORK_OUT names, if set. Without
// either it is skipped: the repositories live outside this one.
func TestCheckWorkOfRepositories(t *testing.T) {
	repos, goroot := os.Getenv("KEYSCAN_WORK_REPOS"), os.Getenv("KEYSCAN_WORK_GOROOT") != ""
	if repos == "" && !goroot {
		t.Skip("KEYSCAN_WORK_REPOS names no repository")
	}
	sc := newScanner(t, scanner.Options{})
	type blob struct {
		name string
		data []byte
	}
	blobs := make(chan blob, 64)
	var out io.Writer = io.Discard
	if p := os.Getenv("KEYSCAN_WORK_OUT"); p != "" {
		f, err := os.Create(p)
		if err != nil {
			t.Fatal(err)
		}
		defer f.Close()
		bw := bufio.NewWriter(f)
		defer bw.Flush()
		out = bw
	}
	var mu sync.Mutex
	worst, worstName, n, total := 0.0, "", 0, 0
	var wg sync.WaitGroup
	for range runtime.GOMAXPROCS(0) {
		wg.Add(1)
		go func() {
			defer wg.Done()
			for b := range blobs {
				spent, allow, _, taken := scanner.CheckWork(sc, b.name, b.data, 10000, 0)
				r := float64(spent) / float64(allow)
				mu.Lock()
				n++
				total += len(b.data)
				if r > worst {
					worst, worstName = r, b.name
				}
				if spent > 0 {
					fmt.Fprintf(out, "%q %d %v %d %d\n", b.name, len(b.data), taken, spent, allow)
				}
				mu.Unlock()
			}
		}()
	}
	for _, repo := range strings.Split(repos, ":") {
		if repo == "" {
			continue
		}
		// A blob is scanned under a path it has (the file's kind is read
		// from its name), as keyscan history scans it.
		paths := map[string]string{}
		// A mirror may lack objects (a partial clone): its paths are
		// those of the objects it holds.
		list, err := exec.Command("git", "--git-dir="+repo, "rev-list", "--objects", "--all", "--missing=allow-any").Output()
		if err != nil {
			t.Fatalf("%s: git rev-list: %v", repo, err)
		}
		for _, l := range strings.Split(string(list), "\n") {
			if oid, p, ok := strings.Cut(l, " "); ok {
				if _, seen := paths[oid]; !seen {
					paths[oid] = p
				}
			}
		}
		cmd := exec.Command("git", "--git-dir="+repo, "cat-file", "--batch-all-objects", "--batch", "--unordered")
		stdout, err := cmd.StdoutPipe()
		if err != nil {
			t.Fatal(err)
		}
		if err := cmd.Start(); err != nil {
			t.Fatal(err)
		}
		r := bufio.NewReaderSize(stdout, 1<<20)
		for {
			head, err := r.ReadString('\n')
			if err != nil {
				break
			}
			f := strings.Fields(head) // oid type size
			size, _ := strconv.Atoi(f[2])
			data := make([]byte, size+1)
			if _, err := io.ReadFull(r, data); err != nil {
				t.Fatal(err)
			}
			if f[1] == "blob" && size <= 25<<20 {
				name := paths[f[0]]
				if name == "" {
					name = f[0]
				}
				blobs <- blob{name, data[:size]}
			}
		}
		cmd.Wait()
	}
	if goroot {
		filepath.WalkDir(runtime.GOROOT(), func(p string, d os.DirEntry, err error) error {
			if err == nil && d.Type().IsRegular() {
				if data, err := os.ReadFile(p); err == nil && len(data) <= 25<<20 && !bytes.Contains(data[:min(len(data), 8000)], []byte{0}) {
					blobs <- blob{p, data}
				}
			}
			return nil
		})
	}
	close(blobs)
	wg.Wait()
	t.Logf("%d blobs, %d bytes: the highest work to allowance is %.4f (%s)", n, total, worst, worstName)
	if worst > 0.25 {
		t.Errorf("%s: work %.2f of its allowance, want at most 0.25", worstName, worst)
	}
}
