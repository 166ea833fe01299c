package main

import (
	"archive/zip"
	"bytes"
	"compress/gzip"
	"crypto/sha1"
	"encoding/hex"
	"encoding/json"
	"fmt"
	"math/rand/v2"
	"net"
	"os"
	"os/exec"
	"path/filepath"
	"strconv"
	"strings"
	"sync"
	"testing"

	"github.com/keyscan/keyscan/internal/fakekey"
	"github.com/keyscan/keyscan/internal/gittest"
)

// These tests run git's own receive-pack against a bare repository with the
// keyscan pre-receive hook installed by `keyscan hook install --type
// pre-receive`, pushing from clones over file:// (and git://, through a git
// daemon on 127.0.0.1). The pushed objects are in git's quarantine while
// the hook runs, as on any server.

// server is a bare repository with the gate installed and a clone of it.
type server struct {
	t     *testing.T
	bare  string
	clone string
	url   string
	log   string
}

func newServer(t *testing.T, hookFlags ...string) *server {
	t.Helper()
	requireKeyscanOnPath(t)
	root := t.TempDir()
	s := &server{t: t, bare: filepath.Join(root, "srv.git"), clone: filepath.Join(root, "work"), log: filepath.Join(root, "audit.jsonl")}
	gitOK(t, root, "init", "-q", "--bare", s.bare)
	s.url = "file://" + s.bare
	args := append([]string{"hook", "install", "--type", "pre-receive", s.bare, "--", "--log", s.log}, hookFlags...)
	if r := runCmd(t, root, nil, "keyscan", args...); r.code != 0 {
		t.Fatalf("hook install: exit %d\n%s%s", r.code, r.stdout, r.stderr)
	}
	gitOK(t, root, "init", "-q", s.clone)
	gitOK(t, s.clone, "remote", "add", "origin", s.url)
	s.commit("README.md", "# project\n", "initial")
	s.mustPush("origin", "main")
	return s
}

func (s *server) commit(name, content, msg string) string {
	s.t.Helper()
	writeRepoFile(s.t, s.clone, name, content)
	gitOK(s.t, s.clone, "add", "-A")
	gitOK(s.t, s.clone, "commit", "-q", "-m", msg)
	return s.head()
}

func (s *server) head() string {
	return strings.TrimSpace(gitOK(s.t, s.clone, "rev-parse", "HEAD"))
}

// refs returns the server's refs, as show-ref lists them.
func (s *server) refs() string {
	r := gitRun(s.t, s.bare, nil, "show-ref")
	return r.stdout
}

func (s *server) push(args ...string) cmdResult {
	s.t.Helper()
	return gitRun(s.t, s.clone, nil, append([]string{"push"}, args...)...)
}

func (s *server) mustPush(args ...string) {
	s.t.Helper()
	if r := s.push(args...); r.code != 0 {
		s.t.Fatalf("git push %s: exit %d, want 0\n%s%s", strings.Join(args, " "), r.code, r.stdout, r.stderr)
	}
}

// mustRefuse pushes and wants the gate to refuse without moving a ref.
func (s *server) mustRefuse(wants []string, args ...string) cmdResult {
	s.t.Helper()
	before := s.refs()
	r := s.push(args...)
	if r.code == 0 {
		s.t.Fatalf("git push %s: accepted, want refused\n%s%s", strings.Join(args, " "), r.stdout, r.stderr)
	}
	if !strings.Contains(r.stderr, "pre-receive hook declined") {
		s.t.Errorf("git push %s: not refused by the hook:\n%s", strings.Join(args, " "), r.stderr)
	}
	for _, w := range wants {
		if !strings.Contains(r.stderr, w) {
			s.t.Errorf("git push %s: the refusal lacks %q:\n%s", strings.Join(args, " "), w, r.stderr)
		}
	}
	if after := s.refs(); after != before {
		s.t.Errorf("refused push moved the server's refs:\nbefore:\n%safter:\n%s", before, after)
	}
	return r
}

// installedLater pushes args before the gate exists (moving the hook aside).
func (s *server) withoutGate(fn func()) {
	s.t.Helper()
	hook := filepath.Join(s.bare, "hooks", "pre-receive")
	if err := os.Rename(hook, hook+".off"); err != nil {
		s.t.Fatal(err)
	}
	fn()
	if err := os.Rename(hook+".off", hook); err != nil {
		s.t.Fatal(err)
	}
}

func TestPreReceiveRefusesAKeyAndPassesCleanPushes(t *testing.T) {
	g := fakekey.New(301)
	s := newServer(t)
	s.commit("app/main.go", "package main\n", "clean work")
	s.mustPush("origin", "main")

	id, secret := g.KeyID("AKIA"), g.Secret()
	s.commit("notes.txt", "more\n", "clean")
	key := s.commit("deploy/creds.ini", "[default]\naws_access_key_id = "+id+"\naws_secret_access_key = "+secret+"\n", "add creds")
	s.commit("other.txt", "after\n", "clean after the key")
	r := s.mustRefuse([]string{"deploy/creds.ini:2", "deploy/creds.ini:3", "aws-secret-access-key",
		"introduced in commit " + key, "fingerprint ", "rotate", "git rebase -i", "keyscan:allow <reason>"}, "origin", "main")
	if strings.Contains(r.stderr, secret) || strings.Contains(r.stderr, id) {
		t.Errorf("the refusal shows the secret unredacted:\n%s", r.stderr)
	}

	// The audit log has the refusal, with fingerprints and no secret.
	data, err := os.ReadFile(s.log)
	if err != nil {
		t.Fatal(err)
	}
	if strings.Contains(string(data), secret) || strings.Contains(string(data), id) {
		t.Errorf("the audit log holds the secret:\n%s", data)
	}
	var e struct {
		Decision, Pusher string
		Refs             []struct{ Ref, Old, New string }
		Findings         []struct{ Fingerprint, File, Commit string }
	}
	if err := json.Unmarshal([]byte(strings.SplitN(string(data), "\n", 2)[0]), &e); err != nil {
		t.Fatalf("audit log line: %v\n%s", err, data)
	}
	if e.Decision != "refused" || len(e.Refs) != 1 || e.Refs[0].Ref != "refs/heads/main" || len(e.Findings) != 2 || e.Findings[0].Commit != key {
		t.Errorf("audit log entry: %+v", e)
	}

	// Rewritten without the key, the same work passes.
	gitOK(t, s.clone, "reset", "-q", "--hard", "HEAD~3")
	s.commit("notes.txt", "more\n", "clean")
	s.mustPush("origin", "main")
}

func TestPreReceiveForcePushReintroducingAKey(t *testing.T) {
	g := fakekey.New(302)
	s := newServer(t)
	base := s.head()
	// Before the gate: a key was pushed, then history was rewritten without
	// it. Its objects stay in the repository, reachable from no ref.
	s.withoutGate(func() {
		s.commit("creds.ini", fakeCredsFile(g), "key before the gate")
		s.mustPush("origin", "main")
		gitOK(t, s.clone, "reset", "-q", "--hard", base)
		s.commit("clean.txt", "clean\n", "rewritten")
		s.mustPush("--force", "origin", "main")
	})
	gitOK(t, s.clone, "reset", "-q", "--hard", "HEAD@{2}") // the commit with the key again
	s.mustRefuse([]string{"creds.ini:2"}, "--force", "origin", "main")
}

func TestPreReceiveBranchesTagsAndDeletion(t *testing.T) {
	g := fakekey.New(303)
	s := newServer(t)
	// A key in the history from before the gate does not block later pushes
	// that do not add it.
	s.withoutGate(func() {
		s.commit("old/creds.ini", fakeCredsFile(g), "old key")
		s.mustPush("origin", "main")
		gitOK(t, s.clone, "branch", "legacy")
		s.mustPush("origin", "legacy")
	})
	gitOK(t, s.clone, "checkout", "-q", "-b", "feature")
	s.commit("feature.txt", "work\n", "feature work")
	s.mustPush("origin", "feature") // new branch, clean

	s.commit("feature.env", "AWS_SECRET_ACCESS_KEY="+g.Secret()+"\nAWS_ACCESS_KEY_ID="+g.KeyID("AKIA")+"\n", "leak")
	s.mustRefuse([]string{"feature.env:1"}, "origin", "HEAD:refs/heads/feature2") // new branch with a key
	gitOK(t, s.clone, "reset", "-q", "--hard", "HEAD~1")

	// Tags: a lightweight tag of a pushed commit passes; an annotated tag of
	// a new commit with a key is refused; so is a tag of a bare blob.
	gitOK(t, s.clone, "tag", "v1")
	s.mustPush("origin", "v1")
	gitOK(t, s.clone, "checkout", "-q", "--detach")
	s.commit("release.ini", fakeCredsFile(g), "release with a key")
	gitOK(t, s.clone, "tag", "-a", "-m", "release", "v2")
	s.mustRefuse([]string{"release.ini:2"}, "origin", "v2")
	blob := strings.TrimSpace(gitOK(t, s.clone, "rev-parse", "HEAD:release.ini"))
	gitOK(t, s.clone, "tag", "blobtag", blob)
	s.mustRefuse([]string{"aws-secret-access-key"}, "origin", "blobtag")

	// Deleting a branch adds nothing: it passes, even one holding an old key.
	s.mustPush("origin", ":legacy")
	if strings.Contains(s.refs(), "refs/heads/legacy") {
		t.Errorf("deletion did not happen:\n%s", s.refs())
	}

	// Notes are scanned like any ref.
	gitOK(t, s.clone, "checkout", "-q", "feature")
	gitOK(t, s.clone, "notes", "add", "-m", "aws_secret_access_key = "+g.Secret(), "HEAD")
	s.mustRefuse([]string{"aws-secret-access-key"}, "origin", "refs/notes/commits")
}

func TestPreReceiveMergeAndSeveralRefs(t *testing.T) {
	g := fakekey.New(304)
	s := newServer(t)
	gitOK(t, s.clone, "checkout", "-q", "-b", "topic")
	s.commit("topic.txt", "topic\n", "topic work")
	s.mustPush("origin", "topic")
	gitOK(t, s.clone, "checkout", "-q", "main")
	s.commit("main.txt", "main\n", "main work")
	s.mustPush("origin", "main")

	// An evil merge: both parents are on the server and clean; the merge
	// commit alone adds the key.
	gitOK(t, s.clone, "merge", "-q", "--no-commit", "topic")
	writeRepoFile(t, s.clone, "merged.ini", fakeCredsFile(g))
	gitOK(t, s.clone, "add", "merged.ini")
	gitOK(t, s.clone, "commit", "-q", "-m", "merge topic")
	merge := s.head()
	s.mustRefuse([]string{"merged.ini:2", "introduced in commit " + merge}, "origin", "main")
	gitOK(t, s.clone, "reset", "-q", "--hard", "HEAD~1")

	// Several refs in one push, one of them bad: none moves.
	s.commit("ok.txt", "fine\n", "clean on main")
	gitOK(t, s.clone, "checkout", "-q", "topic")
	s.commit("topic.ini", fakeCredsFile(g), "key on topic")
	gitOK(t, s.clone, "checkout", "-q", "-b", "third", "main")
	s.commit("third.txt", "fine\n", "clean on third")
	s.mustRefuse([]string{"topic.ini:2"}, "origin", "main", "topic", "third")
}

func TestPreReceiveExceptions(t *testing.T) {
	g := fakekey.New(305)
	s := newServer(t, "--allow-push-options")
	gitOK(t, s.bare, "config", "receive.advertisePushOptions", "true")

	// keyscan:allow with a reason, on the line.
	s.commit("fixtures/sample.env", "AWS_SECRET_ACCESS_KEY="+g.Secret()+" # keyscan:allow fixture for the parser tests\n", "fixture")
	s.mustPush("origin", "main")

	// A pushed .keyscan.toml does not exempt the push that carries it.
	writeRepoFile(t, s.clone, ".keyscan.toml", "exclude = [\"**\"]\n")
	secret := g.Secret()
	s.commit("deploy/app.env", "AWS_SECRET_ACCESS_KEY="+secret+"\nAWS_ACCESS_KEY_ID="+g.KeyID("AKIA")+"\n", "key with an exclusion")
	r := s.mustRefuse([]string{"deploy/app.env:1", "-o keyscan.allow=<fingerprint>"}, "origin", "main")

	// A push option naming the fingerprints lets it through, and is logged.
	var fps []string
	for _, line := range strings.Split(r.stderr, "\n") {
		if _, fp, ok := strings.Cut(line, "fingerprint "); ok {
			fps = append(fps, strings.TrimSpace(fp))
		}
	}
	if len(fps) != 2 {
		t.Fatalf("want 2 fingerprints in the refusal, got %v:\n%s", fps, r.stderr)
	}
	r = s.push("-o", "keyscan.allow="+fps[0], "-o", "keyscan.allow="+fps[1], "origin", "main")
	if r.code != 0 || !strings.Contains(r.stderr, "let through by push option keyscan.allow") {
		t.Fatalf("push with keyscan.allow: exit %d\n%s", r.code, r.stderr)
	}
	data, err := os.ReadFile(s.log)
	if err != nil {
		t.Fatal(err)
	}
	lines := strings.Split(strings.TrimSpace(string(data)), "\n")
	last := lines[len(lines)-1]
	if !strings.Contains(last, `"decision":"excepted"`) || !strings.Contains(last, `"exception":"push-option"`) ||
		!strings.Contains(last, fps[0]) || strings.Contains(string(data), secret) {
		t.Errorf("audit log:\n%s", data)
	}
}

func TestPreReceiveWithoutPushOptionsAndWithBaseline(t *testing.T) {
	g := fakekey.New(306)
	s := newServer(t)
	gitOK(t, s.bare, "config", "receive.advertisePushOptions", "true")
	s.commit("creds.ini", fakeCredsFile(g), "key")
	r := s.mustRefuse([]string{"ask the server's administrator"}, "origin", "main")
	fp := ""
	for _, line := range strings.Split(r.stderr, "\n") {
		if _, v, ok := strings.Cut(line, "fingerprint "); ok && fp == "" {
			fp = strings.TrimSpace(v)
		}
	}
	// The server does not honour push options: still refused, and told so.
	s.mustRefuse([]string{"was not honoured"}, "-o", "keyscan.allow="+fp, "origin", "main")

	// The administrator's baseline (in the server configuration) lets both through.
	report := runCmd(t, s.clone, nil, "keyscan", "baseline", "scan", "creds.ini")
	if report.code != 0 {
		t.Fatalf("keyscan baseline: exit %d\n%s", report.code, report.stderr)
	}
	writeRepoFile(t, s.bare, "baseline.json", report.stdout)
	writeRepoFile(t, s.bare, "keyscan.toml", "[pre_receive]\nbaseline = \"baseline.json\"\n")
	r = s.push("origin", "main")
	if r.code != 0 || !strings.Contains(r.stderr, "let through by the server's baseline") {
		t.Fatalf("push with the baseline: exit %d\n%s", r.code, r.stderr)
	}
}

func TestPreReceiveQuarantinePack(t *testing.T) {
	// receive.unpackLimit=1 keeps the pushed objects as a pack in the
	// quarantine rather than loose objects.
	g := fakekey.New(307)
	s := newServer(t)
	gitOK(t, s.bare, "config", "receive.unpackLimit", "1")
	for i := range 5 {
		s.commit("f"+strconv.Itoa(i)+".txt", strings.Repeat("line\n", i+1), "clean "+strconv.Itoa(i))
	}
	s.mustPush("origin", "main")
	s.commit("deep/dir/creds.ini", fakeCredsFile(g), "key")
	s.mustRefuse([]string{"deep/dir/creds.ini:2"}, "origin", "main")
}

func TestPreReceiveOverGitDaemon(t *testing.T) {
	if _, err := exec.LookPath("git"); err != nil {
		t.Skip("no git")
	}
	g := fakekey.New(308)
	s := newServer(t)
	gitOK(t, s.bare, "config", "daemon.receivepack", "true")
	ln, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		t.Skipf("no loopback listener: %v", err)
	}
	port := ln.Addr().(*net.TCPAddr).Port
	// git-daemon itself, not the git command that would start it as a
	// child: killing git left the daemon running after the test. It
	// serves each connection of the test's own listener (--inetd): a port
	// closed here for the daemon to bind could be taken meanwhile by
	// another test run on the machine, and the push would reach it.
	execPath, err := exec.Command("git", "--exec-path").Output()
	if err != nil {
		t.Skipf("git --exec-path: %v", err)
	}
	daemon := filepath.Join(strings.TrimSpace(string(execPath)), "git-daemon")
	if _, err := os.Stat(daemon); err != nil {
		t.Skipf("git daemon: %v", err)
	}
	var served sync.WaitGroup
	t.Cleanup(func() { ln.Close(); served.Wait() })
	served.Add(1)
	go func() {
		defer served.Done()
		for {
			c, err := ln.Accept()
			if err != nil {
				return
			}
			f, err := c.(*net.TCPConn).File()
			c.Close()
			if err != nil {
				continue
			}
			d := exec.Command(daemon, "--inetd", "--log-destination=none", "--export-all", "--enable=receive-pack",
				"--base-path="+filepath.Dir(s.bare), filepath.Dir(s.bare))
			d.Env = append(os.Environ(), testGitEnv...)
			d.Stdin, d.Stdout = f, f
			_ = d.Run() // a failure shows as the push's
			f.Close()
		}
	}()
	url := "git://127.0.0.1:" + strconv.Itoa(port) + "/srv.git"
	s.commit("daemon.txt", "clean\n", "clean over git://")
	s.mustPush(url, "main")
	s.commit("daemon.ini", fakeCredsFile(g), "key over git://")
	s.mustRefuse([]string{"daemon.ini:2"}, url, "main")
}

// hookRun runs keyscan pre-receive in dir with stdin and extra environment.
func hookRun(t *testing.T, dir, stdin string, env []string, args ...string) cmdResult {
	t.Helper()
	return runCmdStdin(t, dir, env, strings.NewReader(stdin), "keyscan", append([]string{"pre-receive"}, args...)...)
}

func TestPreReceiveBadInput(t *testing.T) {
	s := newServer(t)
	head := s.head()
	zero := strings.Repeat("0", 40)
	for _, tc := range []struct{ name, stdin, want string }{
		{"two fields", head + " refs/heads/main\n", "standard input line 1: 2 fields"},
		{"not hex", zero + " " + strings.Repeat("g", 40) + " refs/heads/x\n", "not 40 lowercase hex digits"},
		{"short ref", zero + " " + head + " main\n", "not a full ref name"},
		{"sha256", zero + " " + strings.Repeat("a", 64) + " refs/heads/x\n", "SHA-256"},
		{"unknown object", head + " " + strings.Repeat("ab", 20) + " refs/heads/main\n", strings.Repeat("ab", 20)},
		{"long line", strings.Repeat("a", 70000) + "\n", "longer than"},
	} {
		r := hookRun(t, s.bare, tc.stdin, nil)
		if r.code != exitError || !strings.Contains(r.stderr, tc.want) || !strings.Contains(r.stderr, "push refused") {
			t.Errorf("%s: exit %d, want 2 and %q:\n%s", tc.name, r.code, tc.want, r.stderr)
		}
	}

	// Failing open accepts, warns, and logs what happened.
	r := hookRun(t, s.bare, "nonsense\n", nil, "--fail-open", "--log", s.log)
	if r.code != exitClean || !strings.Contains(r.stderr, "NOT checked") {
		t.Errorf("--fail-open: exit %d\n%s", r.code, r.stderr)
	}
	if data, _ := os.ReadFile(s.log); !strings.Contains(string(data), `"decision":"error-accepted"`) {
		t.Errorf("audit log lacks the unchecked push:\n%s", data)
	}
	// A deletion only, or an empty input, passes at once; so does the
	// deletion of a ref the server no longer has, which git sends with both
	// IDs zero (qa10 LOW-7), beside a clean update.
	if r := hookRun(t, s.bare, head+" "+zero+" refs/heads/gone\n", nil); r.code != 0 {
		t.Errorf("deletion: exit %d\n%s", r.code, r.stderr)
	}
	if r := hookRun(t, s.bare, zero+" "+zero+" refs/heads/already-gone\n"+head+" "+head+" refs/heads/main\n", nil); r.code != 0 {
		t.Errorf("deletion of a ref already gone: exit %d\n%s", r.code, r.stderr)
	}
	if r := hookRun(t, s.bare, zero+" "+zero+" gone\n", nil); r.code != exitError || !strings.Contains(r.stderr, "not a full ref name") {
		t.Errorf("both IDs zero and a bad ref: exit %d, want 2\n%s", r.code, r.stderr)
	}
}

func TestPreReceiveCorruptQuarantinePack(t *testing.T) {
	g := fakekey.New(309)
	s := newServer(t)
	old := s.head()
	s.commit("a.txt", strings.Repeat("some text that compresses\n", 200), "big")
	s.commit("creds.ini", fakeCredsFile(g), "key")
	tip := s.head()
	// The push's objects as a pack in a quarantine folder, as receive-pack
	// leaves them, then damaged in the middle.
	q := filepath.Join(s.bare, "objects", "incoming-test")
	if err := os.MkdirAll(filepath.Join(q, "pack"), 0o755); err != nil {
		t.Fatal(err)
	}
	cmd := exec.Command("git", "pack-objects", "--revs", filepath.Join(q, "pack", "pack"))
	cmd.Dir = s.clone
	cmd.Stdin = strings.NewReader(tip + "\n^" + old + "\n")
	if out, err := cmd.CombinedOutput(); err != nil {
		t.Fatalf("pack-objects: %v\n%s", err, out)
	}
	line := old + " " + tip + " refs/heads/main\n"
	env := []string{"GIT_QUARANTINE_PATH=" + q, "GIT_OBJECT_DIRECTORY=" + q,
		"GIT_ALTERNATE_OBJECT_DIRECTORIES=" + filepath.Join(s.bare, "objects")}
	if r := hookRun(t, s.bare, line, env); r.code != exitFindings || !strings.Contains(r.stderr, "creds.ini:2") {
		t.Fatalf("sound quarantine pack: exit %d, want 1\n%s", r.code, r.stderr)
	}
	packs, _ := filepath.Glob(filepath.Join(q, "pack", "*.pack"))
	if len(packs) != 1 {
		t.Fatalf("packs: %v", packs)
	}
	data, err := os.ReadFile(packs[0])
	if err != nil {
		t.Fatal(err)
	}
	for i := 12; i < len(data)-20; i++ {
		data[i] ^= 0x5a
	}
	if err := os.WriteFile(packs[0], data, 0o644); err != nil {
		t.Fatal(err)
	}
	r := hookRun(t, s.bare, line, env)
	if r.code != exitError || !strings.Contains(r.stderr, "could not be checked") {
		t.Errorf("corrupt quarantine pack: exit %d, want 2\n%s", r.code, r.stderr)
	}
}

func TestPreReceiveShallowPush(t *testing.T) {
	// A shallow clone pushes into a repository that lacks the history below
	// its boundary; receive.shallowUpdate lets git take such a push, and
	// the gate cannot tell what it adds.
	src := newServer(t)
	src.commit("one.txt", "1\n", "one")
	src.commit("two.txt", "2\n", "two")
	src.mustPush("origin", "main")
	dst := newServer(t)
	gitOK(t, dst.bare, "config", "receive.shallowUpdate", "true")
	shallow := filepath.Join(t.TempDir(), "shallow")
	gitOK(t, src.clone, "clone", "-q", "--depth", "1", src.url, shallow)
	r := gitRun(t, shallow, nil, "push", dst.url, "main:refs/heads/imported")
	if r.code == 0 || !strings.Contains(r.stderr, "could not be checked") || !strings.Contains(r.stderr, "shallow") {
		t.Errorf("shallow push: exit %d, want refused as unchecked, naming a shallow push\n%s", r.code, r.stderr)
	}
	// The cause is the pusher's shallow clone, and so is the way out
	// (qa24 L4): not "a problem on the server".
	if !strings.Contains(r.stderr, "git fetch --unshallow") || strings.Contains(r.stderr, "problem on the server") {
		t.Errorf("shallow push: the refusal should name the pusher's shallow clone and git fetch --unshallow:\n%s", r.stderr)
	}
}

// TestPreReceiveTreeTooDeep (qa24 L4): a push whose tree is more than
// gitobj.MaxTreeDepth folders deep is refused as unchecked (exit 2) for
// the push's own content, which the pusher can fix: not as a problem on
// the server.
func TestPreReceiveTreeTooDeep(t *testing.T) {
	for _, withFile := range []bool{true, false} {
		preReceiveTreeTooDeep(t, withFile)
	}
}

func preReceiveTreeTooDeep(t *testing.T, withFile bool) {
	s := newServer(t)
	var objs []gittest.Object
	add := func(typ string, data []byte) string {
		h := sha1.Sum(append([]byte(fmt.Sprintf("%s %d\x00", typ, len(data))), data...))
		id := hex.EncodeToString(h[:])
		objs = append(objs, gittest.Object{ID: id, Type: typ, Data: data})
		return id
	}
	tree := add("tree", nil)
	for range 4100 {
		h, _ := hex.DecodeString(tree)
		tree = add("tree", append([]byte("40000 d\x00"), h...))
	}
	blob, _ := hex.DecodeString(add("blob", []byte("hello\n")))
	h, _ := hex.DecodeString(tree)
	if withFile {
		tree = add("tree", append(append(append([]byte("100644 a.txt\x00"), blob...), "40000 d\x00"...), h...))
	}
	commit := add("commit", []byte("tree "+tree+"\nauthor A <a@b> 0 +0000\ncommitter A <a@b> 0 +0000\n\ndeep\n"))
	if err := gittest.WriteForgedPack(filepath.Join(s.bare, "objects"), objs); err != nil {
		t.Fatal(err)
	}
	r := hookRun(t, s.bare, strings.Repeat("0", 40)+" "+commit+" refs/heads/deep\n", nil)
	if r.code != exitError || !strings.Contains(r.stderr, "folders deep") || !strings.Contains(r.stderr, "flatten them in your commits") ||
		strings.Contains(r.stderr, "problem on the server") {
		t.Errorf("tree 4100 folders deep (a file beside it: %v): exit %d, want %d naming the push's too deep folders\n%.2000s", withFile, r.code, exitError, r.stderr)
	}
}

func TestPreReceiveHookChainsAndUninstalls(t *testing.T) {
	requireKeyscanOnPath(t)
	g := fakekey.New(310)
	root := t.TempDir()
	bare := filepath.Join(root, "srv.git")
	gitOK(t, root, "init", "-q", "--bare", bare)
	// A hook that was there first: it records its input and accepts.
	seen := filepath.Join(root, "seen")
	writeRepoFile(t, bare, "hooks/pre-receive", "#!/bin/sh\ncat >>'"+seen+"'\n")
	if err := os.Chmod(filepath.Join(bare, "hooks", "pre-receive"), 0o755); err != nil {
		t.Fatal(err)
	}
	if r := runCmd(t, root, nil, "keyscan", "hook", "install", "--type", "pre-receive", bare); r.code != 0 || !strings.Contains(r.stdout, "pre-receive.keyscan-chained") {
		t.Fatalf("install: exit %d\n%s%s", r.code, r.stdout, r.stderr)
	}
	s := &server{t: t, bare: bare, clone: filepath.Join(root, "work"), url: "file://" + bare}
	gitOK(t, root, "init", "-q", s.clone)
	s.commit("a.txt", "a\n", "clean")
	s.mustPush(s.url, "main")
	s.commit("b.ini", fakeCredsFile(g), "key")
	s.mustRefuse([]string{"b.ini:2"}, s.url, "main")
	data, err := os.ReadFile(seen)
	if err != nil || strings.Count(string(data), "refs/heads/main") != 2 {
		t.Errorf("the chained hook should have seen both pushes: %q, %v", data, err)
	}
	if r := runCmd(t, root, nil, "keyscan", "hook", "uninstall", "--type", "pre-receive", bare); r.code != 0 || !strings.Contains(r.stdout, "put back") {
		t.Fatalf("uninstall: exit %d\n%s%s", r.code, r.stdout, r.stderr)
	}
	if hook, _ := os.ReadFile(filepath.Join(bare, "hooks", "pre-receive")); strings.Contains(string(hook), "keyscan") {
		t.Errorf("uninstall left keyscan's hook:\n%s", hook)
	}
	s.mustPush(s.url, "main") // the gate is gone
	if r := runCmd(t, root, nil, "keyscan", "hook", "install", "--type", "post-receive", bare); r.code != exitError {
		t.Errorf("--type post-receive: exit %d, want 2", r.code)
	}
}

func TestQuarantineEnvironment(t *testing.T) {
	env := map[string]string{
		"GIT_QUARANTINE_PATH":              "/r/objects/incoming-1",
		"GIT_OBJECT_DIRECTORY":             "/r/objects/incoming-1",
		"GIT_ALTERNATE_OBJECT_DIRECTORIES": `/r/objects:"/odd:dir/objects":rel/objects`,
		"GIT_PUSH_OPTION_COUNT":            "2",
		"GIT_PUSH_OPTION_0":                "keyscan.allow=abc",
		"GIT_PUSH_OPTION_1":                "ci.skip",
		"GITEA_PUSHER_NAME":                "gitea-user",
		"USER":                             "git",
	}
	getenv := func(k string) string { return env[k] }
	got := strings.Join(quarantineDirs(getenv), "|")
	if want := "/r/objects/incoming-1|/r/objects/incoming-1|/r/objects|/odd:dir/objects|rel/objects"; got != want {
		t.Errorf("quarantineDirs = %s, want %s", got, want)
	}
	if got := strings.Join(pushOptionsFrom(getenv), "|"); got != "keyscan.allow=abc|ci.skip" {
		t.Errorf("push options = %s", got)
	}
	if got := pusher(getenv); got != "gitea-user" {
		t.Errorf("pusher = %s, want the Gitea pusher before USER", got)
	}
}

// TestPreReceiveOpensArchives pushes a jar and a gzip file holding a key:
// the gate opens archives as scan, history and staged do, so neither gets
// through.
func TestPreReceiveOpensArchives(t *testing.T) {
	g := fakekey.New(321)
	s := newServer(t)
	s.commit("README", "clean\n", "clean")
	s.mustPush("origin", "main")

	var jar bytes.Buffer
	w := zip.NewWriter(&jar)
	f, err := w.Create("BOOT-INF/classes/application.properties")
	if err != nil {
		t.Fatal(err)
	}
	f.Write([]byte(fakeCredsFile(g)))
	if err := w.Close(); err != nil {
		t.Fatal(err)
	}
	s.commit("app.jar", jar.String(), "add the app")
	s.mustRefuse([]string{"app.jar!BOOT-INF/classes/application.properties"}, "origin", "main")

	gitOK(t, s.clone, "reset", "-q", "--hard", "HEAD~1")
	var gz bytes.Buffer
	zw := gzip.NewWriter(&gz)
	zw.Write([]byte(fakeCredsFile(g)))
	zw.Close()
	s.commit("backup/credentials.gz", gz.String(), "add a backup")
	s.mustRefuse([]string{"backup/credentials.gz!credentials"}, "origin", "main")
}

// TestPreReceiveOpensLargeArchives: with max_file_size below the size of a
// pushed jar, the gate still opens it (up to archives.max_archive_size), as
// scan, history and staged do, and refuses the key in its properties file.
func TestPreReceiveOpensLargeArchives(t *testing.T) {
	g := fakekey.New(322)
	s := newServer(t)
	writeRepoFile(t, s.bare, "keyscan.toml", "max_file_size = 1000\n")
	var jar bytes.Buffer
	w := zip.NewWriter(&jar)
	r := rand.New(rand.NewPCG(322, 322))
	for _, name := range []string{"lib/a.bin", "lib/b.bin", "lib/c.bin"} {
		pad := make([]byte, 900)
		for j := range pad {
			pad[j] = byte(r.Uint32()) // random: it does not compress
		}
		f, err := w.Create(name)
		if err != nil {
			t.Fatal(err)
		}
		f.Write(pad)
	}
	f, err := w.Create("BOOT-INF/classes/application.properties")
	if err != nil {
		t.Fatal(err)
	}
	f.Write([]byte(fakeCredsFile(g)))
	if err := w.Close(); err != nil {
		t.Fatal(err)
	}
	if jar.Len() <= 1000 {
		t.Fatalf("the jar is %d bytes, not over max_file_size", jar.Len())
	}
	s.commit("app.jar", jar.String(), "add the app")
	s.mustRefuse([]string{"app.jar!BOOT-INF/classes/application.properties"}, "origin", "main")
}

// TestPreReceiveHookInstallChecksFlags: the flags a pre-receive hook will
// pass are parsed with pre-receive's own flag set at install time; a flag
// it lacks would refuse every push afterwards (qa3 MEDIUM-10).
func TestPreReceiveHookInstallChecksFlags(t *testing.T) {
	requireKeyscanOnPath(t)
	root := t.TempDir()
	bare := filepath.Join(root, "srv.git")
	gitOK(t, root, "init", "-q", "--bare", bare)
	for _, args := range [][]string{{"--test-keys"}, {"--bogus"}, {"--workers", "x"}, {"some-repo"}} {
		r := runCmd(t, root, nil, "keyscan", append([]string{"hook", "install", "--type", "pre-receive", bare, "--"}, args...)...)
		if r.code != exitError || !strings.Contains(r.stderr, "pre-receive") {
			t.Errorf("install -- %q: exit %d, want %d with a reason\n%s%s", args, r.code, exitError, r.stdout, r.stderr)
		}
		if _, err := os.Stat(filepath.Join(bare, "hooks", "pre-receive")); err == nil {
			t.Fatalf("install -- %q wrote a hook", args)
		}
	}
	if r := runCmd(t, root, nil, "keyscan", "hook", "install", "--type", "pre-receive", bare, "--", "--fail-open", "--workers", "2"); r.code != 0 {
		t.Fatalf("install with pre-receive's own flags: exit %d\n%s%s", r.code, r.stdout, r.stderr)
	}
}

// TestPreReceiveContentOverLimits (qa3 MEDIUM-5): content the gate does not
// read is the push's, not the server's, and a key read beside it is named.
// An archive member over max_file_size refuses the push and the key found
// in the archive's other member is listed; a plain blob over max_file_size
// refuses it too (the gate fails closed), telling the pusher what to do.
func TestPreReceiveContentOverLimits(t *testing.T) {
	g := fakekey.New(323)
	s := newServer(t)
	writeRepoFile(t, s.bare, "keyscan.toml", "max_file_size = 1000\n")
	var arc bytes.Buffer
	w := zip.NewWriter(&arc)
	r := rand.New(rand.NewPCG(323, 323))
	big := make([]byte, 3000)
	for j := range big {
		big[j] = byte(r.Uint32())
	}
	f, err := w.Create("blob.bin")
	if err != nil {
		t.Fatal(err)
	}
	f.Write(big)
	f, err = w.Create("app/.env")
	if err != nil {
		t.Fatal(err)
	}
	f.Write([]byte(fakeCredsFile(g)))
	if err := w.Close(); err != nil {
		t.Fatal(err)
	}
	s.commit("big.zip", arc.String(), "archive with a big member")
	res := s.mustRefuse([]string{"big.zip!app/.env", "the push holds"}, "origin", "main")
	if strings.Contains(res.stderr, "problem on the server") {
		t.Errorf("a limit hit in the pushed content blamed on the server:\n%s", res.stderr)
	}

	s2 := newServer(t)
	writeRepoFile(t, s2.bare, "keyscan.toml", "max_file_size = 1000\n")
	s2.commit("dump.sql", strings.Repeat("x", 2000)+"\n"+fakeCredsFile(g), "a big dump")
	res = s2.mustRefuse([]string{"over max_file_size", "the push holds"}, "origin", "main")
	if strings.Contains(res.stderr, "problem on the server") {
		t.Errorf("a blob over max_file_size blamed on the server:\n%s", res.stderr)
	}
}
