package history

import (
	"context"
	"fmt"
	"slices"
	"strings"
	"testing"

	"github.com/keyscan/keyscan/internal/gitobj"
)

// TestCommitFeed reads a history of 300 commits, three of them with
// messages over feedBatchBytes, through the commit feed: every commit once,
// in the order of the depth-first walk it replaced (a merge's second
// parent's side first), in batches of at most feedBatch commits or one
// large commit; a walk that stops taking ends the reader, which was waiting
// to hand over its next batch; and a context that ends stops the reader,
// which says why.
func TestCommitFeed(t *testing.T) {
	g := newMemoGit(t)
	var b strings.Builder
	const n = 300
	big := map[int]bool{10: true, 11: true, 200: true}
	for i := range n {
		msg := fmt.Sprintf("change %d\n", i)
		if big[i] {
			msg += strings.Repeat("a line of a long message\n", feedBatchBytes/25+1)
		}
		fmt.Fprintf(&b, "commit refs/heads/main\nmark :%d\ncommitter C <c@example.com> %d +0000\ndata %d\n%s", i+1, 1700000000+i*60, len(msg), msg)
		if i > 0 {
			fmt.Fprintf(&b, "from :%d\n", i)
		}
		if i == 150 {
			fmt.Fprintf(&b, "merge :%d\n", 100) // a second parent, met again below
		}
		fmt.Fprintf(&b, "M 644 inline f.txt\ndata %d\n%d\n\n", len(fmt.Sprint(i))+1, i)
	}
	g.input(b.String(), "fast-import", "--quiet")
	r, err := openRepo(g.dir, Options{})
	if err != nil {
		t.Fatal(err)
	}
	defer r.close()
	s := &scan{repo: r, opts: Options{MaxBlobSize: 64 << 20}}
	s.loadPacks()
	s.objr = r.objs.NewReader(1 << 20)
	head, _ := gitobj.ParseID(g.git("rev-parse", "main"))
	none := func(gitobj.ID) bool { return false }

	// What the walk read, one commit at a time, before the feed.
	var want []gitobj.ID
	seen := map[gitobj.ID]bool{}
	for queue := []gitobj.ID{head}; len(queue) > 0; {
		h := queue[len(queue)-1]
		queue = queue[:len(queue)-1]
		if seen[h] {
			continue
		}
		seen[h] = true
		want = append(want, h)
		c, err := s.readCommit(h)
		if err != nil {
			t.Fatal(err)
		}
		queue = append(queue, c.Parents...)
	}

	byHash := map[gitobj.ID]*commitInfo{}
	f := s.startCommitFeed(context.Background(), []gitobj.ID{head}, byHash, none, nil, false)
	var got []gitobj.ID
	for {
		batch, ok := f.take()
		if !ok {
			break
		}
		held := 0
		for _, cr := range batch {
			if cr.err != nil || !strings.HasPrefix(string(cr.data), "tree ") || cr.size != int64(len(cr.data)) {
				t.Fatalf("commit %s: %d bytes of %d, %v", cr.ci.hash, len(cr.data), cr.size, cr.err)
			}
			got = append(got, cr.ci.hash)
			held += len(cr.data)
		}
		if len(batch) > feedBatch || (len(batch) > 1 && held > feedBatchBytes+len(batch[len(batch)-1].data)) {
			t.Errorf("a batch of %d commits, %d bytes", len(batch), held)
		}
	}
	f.stop()
	if f.err != nil || len(got) != n || !slices.Equal(got, want) || len(byHash) != n {
		t.Errorf("feed: %d commits (%v), %d entered; want the walk's %d in its order", len(got), f.err, len(byHash), len(want))
	}

	f = s.startCommitFeed(context.Background(), []gitobj.ID{head}, map[gitobj.ID]*commitInfo{}, none, nil, false)
	if _, ok := f.take(); !ok {
		t.Fatal("no batch")
	}
	f.stop() // the reader is blocked on its next batch: stop must not hang

	ctx, cancel := context.WithCancel(context.Background())
	cancel()
	f = s.startCommitFeed(ctx, []gitobj.ID{head}, map[gitobj.ID]*commitInfo{}, none, nil, false)
	for {
		if _, ok := f.take(); !ok {
			break
		}
	}
	f.stop()
	if f.err != context.Canceled {
		t.Errorf("cancelled feed: %v, want %v", f.err, context.Canceled)
	}
}
