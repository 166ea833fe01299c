package scanner

import (
	"bytes"
	"fmt"
	"os/exec"
	"strings"
	"testing"

	"github.com/keyscan/keyscan/internal/fakekey"
	"github.com/keyscan/keyscan/rules"
)

// pickled runs the real python3 on script (which writes the pickle to
// stdout) with args, or skips the test when python3 is missing.
func pickled(t testing.TB, script string, args ...string) []byte {
	t.Helper()
	if _, err := exec.LookPath("python3"); err != nil {
		t.Skip("python3 not installed (.ci/run installs it): not checked")
	}
	out, err := exec.Command("python3", append([]string{"-c", "import pickle,sys\n" + script}, args...)...).Output()
	if err != nil {
		t.Fatalf("python3: %v", err)
	}
	return out
}

// pickleCases are pickles of credentials as python3 writes them, at every
// protocol: a dict, a list of two dicts (the second's keys are memo
// references to the first's), a dict in a dict and bytes values.
const pickleCases = `
p, kind, i1, s1, i2, s2 = int(sys.argv[1]), sys.argv[2], *sys.argv[3:7]
d = {'aws_access_key_id': i1, 'aws_secret_access_key': s1, 'region': 'us-east-1'}
v = {'dict': d, 'list': [d, dict(d, aws_access_key_id=i2, aws_secret_access_key=s2)],
     'nested': {'default': d, 'port': 5432, 'on': True},
     'bytes': {b'aws_access_key_id': i1.encode(), b'aws_secret_access_key': s1.encode()}}[kind]
sys.stdout.buffer.write(pickle.dumps(v, protocol=p))
`

// TestPickle is qa14 MEDIUM-14: pickled credentials are found, key ID and
// secret, at every protocol (0, Python 2's default, is text; 1 to 3 put a
// length and a memo opcode around each value), and each secret beside its
// own key when a list holds two pairs. The pickles are python3's, made
// here; a Python 2 STRING pickle is written by hand.
func TestPickle(t *testing.T) {
	sc := binScanner(t)
	g := fakekey.New(1414)
	i1, s1, i2, s2 := g.KeyID("AKIA"), g.Secret(), g.KeyID("AKIA"), g.Secret()
	for p := range 6 {
		for _, kind := range []string{"dict", "list", "nested", "bytes"} {
			data := pickled(t, pickleCases, fmt.Sprint(p), kind, i1, s1, i2, s2)
			want := map[string]bool{i1: true, s1: true}
			if kind == "list" {
				want[i2], want[s2] = true, true
			}
			// bytes are pickled as _codecs.encode(str, 'latin1') calls
			// at protocols 0 to 2: a key that is no string, its secret
			// found beside the key ID.
			checkPickle(t, sc, fmt.Sprintf("p%d-%s.pkl", p, kind), data, want, kind != "bytes")
		}
	}
	py2 := fmt.Sprintf("(dp0\nS'aws_access_key_id'\np1\nS'%s'\np2\nsS'aws_secret_access_key'\np3\nS'%s'\np4\nsS'note'\np5\nS'it\\'s \\x41 \\n'\np6\ns.", i1, s1)
	checkPickle(t, sc, "py2.pkl", []byte(py2), map[string]bool{i1: true, s1: true}, false)
}

// checkPickle scans a pickle, as a text file or a binary one as content
// would, and wants exactly the values of want, each once, its offset on
// the value in the file, and with keyed each secret taken for its key.
func checkPickle(t *testing.T, sc *Scanner, name string, data []byte, want map[string]bool, keyed bool) {
	t.Helper()
	var fs Findings
	if IsBinary(data) {
		fs = sc.ScanBinaryAll(name, data)
	} else {
		fs = sc.ScanAll(name, data)
	}
	got := map[string]int{}
	for _, f := range fs {
		got[f.Secret]++
		if f.Offset < 0 || f.EndOffset > len(data) || !bytes.Contains(data[f.Offset:f.EndOffset], []byte(f.Secret)) {
			t.Errorf("%s: %s at %d-%d, not on its value", name, f.Rule, f.Offset, f.EndOffset)
		}
		if keyed && f.Kind == rules.SecretAccessKey && !strings.Contains(f.Context, "aws_secret_access_key") {
			t.Errorf("%s: secret taken for %q, not for its key", name, f.Context)
		}
	}
	for v := range want {
		if got[v] == 0 {
			t.Errorf("%s: %.8s… not found (found %v)", name, v, len(fs))
		}
	}
	if len(got) != len(want) {
		t.Errorf("%s: %d values found, want %d", name, len(got), len(want))
	}
}

// TestNotPickle: text that starts and ends like a pickle is read as it
// was (no pickle text), and a pickle cut short is no pickle.
func TestNotPickle(t *testing.T) {
	for _, d := range []string{
		"(draft) see the notes.",
		"c'est la vie.",
		"}.",
		"\x80\x02}q\x00.trailing",
		"(dp0\nVkey\np1\nVvalue\np2\ns",  // no STOP
		"(dp0\nVkey\np1\nVvalue\np2\nu.", // SETITEMS without a mark
		"\x80\x04X\xff\xff\xff\x7f.",     // a length past the end
	} {
		if text, _, ok := pickleText([]byte(d)); ok {
			t.Errorf("%q read as a pickle: %q", d, text)
		}
	}
}

// FuzzPickle: any input is walked without a panic, in one pass; what it
// gives is no larger than twice the input, and every byte maps into it.
func FuzzPickle(f *testing.F) {
	f.Add([]byte("(dp0\nVaws_access_key_id\np1\nVx\np2\ns."))
	f.Add([]byte("\x80\x02}q\x00(X\x01\x00\x00\x00aq\x01h\x01u."))
	f.Add([]byte("\x80\x04\x95\x10\x00\x00\x00\x00\x00\x00\x00}\x94\x8c\x01a\x94\x8c\x01b\x94s."))
	f.Add([]byte("(lp0\nS'a\\x41\\101'\np1\naI5\naL7L\naF1.5\nag1\na."))
	f.Fuzz(func(t *testing.T, data []byte) {
		text, segs, ok := pickleText(data)
		if !ok {
			return
		}
		if len(text) > 2*len(data)+8 || len(segs) > 4*len(data)+8 {
			t.Fatalf("%d bytes of text, %d segments, from %d bytes", len(text), len(segs), len(data))
		}
		for k, sg := range segs {
			if sg.file < 0 || sg.file+sg.n > len(data)+1 || sg.text > len(text) || k > 0 && sg.text < segs[k-1].text {
				t.Fatalf("segment %+v: outside %d bytes or out of order", sg, len(data))
			}
		}
	})
}
