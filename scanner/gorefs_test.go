package scanner

import (
	"bytes"
	"debug/macho"
	"encoding/binary"
	"fmt"
	"os"
	"os/exec"
	"path/filepath"
	"runtime"
	"slices"
	"strings"
	"testing"

	"github.com/keyscan/keyscan/internal/fakekey"
)

// goProgram builds the Go program src (package main) for linux/amd64 with
// go build's extra arguments args (leading GOOS=... and GOARCH=... set
// another target) and returns the binary's bytes.
func goProgram(t *testing.T, src string, args ...string) []byte {
	t.Helper()
	dir := t.TempDir()
	if err := os.WriteFile(filepath.Join(dir, "main.go"), []byte(src), 0o644); err != nil {
		t.Fatal(err)
	}
	if err := os.WriteFile(filepath.Join(dir, "go.mod"), []byte("module creds\n\ngo 1.22\n"), 0o644); err != nil {
		t.Fatal(err)
	}
	env := append(os.Environ(), "GOFLAGS=-mod=mod", "CGO_ENABLED=0", "GOOS=linux", "GOARCH=amd64")
	for len(args) > 0 && strings.HasPrefix(args[0], "GO") {
		env, args = append(env, args[0]), args[1:]
	}
	out := filepath.Join(dir, "creds")
	cmd := exec.Command("go", append(append([]string{"build", "-o", out}, args...), ".")...)
	cmd.Dir, cmd.Env = dir, env
	if b, err := cmd.CombinedOutput(); err != nil {
		t.Fatalf("go build %v: %v\n%s", args, err, b)
	}
	data, err := os.ReadFile(out)
	if err != nil {
		t.Fatal(err)
	}
	return data
}

// TestGoConstants builds a Go program holding key pairs where no symbol
// names them: constants printed (their string headers in the read-only
// data), a package struct literal's fields (headers in the data), a
// call's arguments (LEAQ and MOVL $40 in the code), a struct literal
// built on the stack, a slice literal and a map literal. Each secret, packed between
// other 40-byte strings, is found through what refers to it and paired
// with its key ID, each value once, in a default build, a stripped one
// (-ldflags="-s -w": no symbols at all), a position-independent one
// (pointers written by relocations), a Windows one, a stripped arm64
// one (ADRP and ADD for the address, MOVZ for the length), a macOS arm64
// one (Mach-O), a 386 one (32-bit headers; LEAL, MOVL) and a 32-bit ARM
// one (LDR from the literal pool, MOVW; a struct filled on the stack
// length first, its fields' stores paired by offset: qa36 M7), a
// Windows 386 one, WebAssembly ones (wasip1 and
// js: data segments; i64.const and i64.store), and a universal Mach-O of
// two images.
func TestGoConstants(t *testing.T) {
	if testing.Short() {
		t.Skip("builds Go programs")
	}
	if _, err := exec.LookPath("go"); err != nil {
		t.Skip("go not installed")
	}
	sc := binScanner(t)
	g := fakekey.New(3321)
	var ids, secrets []string
	for range 7 {
		ids, secrets = append(ids, g.KeyID("AKIA")), append(secrets, g.Secret())
	}
	src := fmt.Sprintf(`package main

import (
	"fmt"
	"os"
)

const (
	prodID     = %q
	prodSecret = %q
)

type pair struct{ A, B string }

var conf = pair{A: %q, B: %q}

//go:noinline
func open(a, b string) int { return len(a) + len(b) }

//go:noinline
func keep(p *pair) int { return len(p.A) + len(p.B) }

var list = []string{%q, %q}

var byName = map[string]string{"id": %q, "secret": %q}

func main() {
	fmt.Println(prodID, prodSecret)
	n := open(%q, %q) + keep(&conf)
	p := pair{A: %q, B: %q}
	if len(os.Args) > 5 {
		p.A = os.Args[1]
	}
	n += keep(&p) + len(list[len(os.Args)%%2]) + len(byName[os.Args[0]])
	n += keep(&pair{A: %q, B: %q})
	os.Exit(n & 1)
}
`, ids[0], secrets[0], ids[1], secrets[1], ids[2], secrets[2], ids[3], secrets[3], ids[4], secrets[4], ids[5], secrets[5], ids[6], secrets[6])
	builds := [][]string{nil, {"-ldflags=-s -w"}, {"-buildmode=pie"}, {"GOOS=windows"}, {"GOARCH=arm64", "-ldflags=-s -w"},
		{"GOOS=darwin", "GOARCH=arm64", "-ldflags=-s -w"}, {"GOARCH=386", "-ldflags=-s -w"}, {"GOOS=windows", "GOARCH=386"}, {"GOARCH=arm", "-ldflags=-s -w"},
		{"GOOS=wasip1", "GOARCH=wasm"}, {"GOOS=js", "GOARCH=wasm", "-ldflags=-s -w"}}
	var darwin []byte
	for _, args := range builds {
		data := goProgram(t, src, args...)
		if len(args) > 0 && args[0] == "GOOS=darwin" {
			darwin = data
		}
		for i, secret := range secrets {
			if bytes.Contains(data, []byte(secret+"\x00")) {
				t.Fatalf("%v: secret %d has a NUL after it: the test lays out nothing to find", args, i)
			}
		}
		fs := sc.ScanBinary("creds", data)
		byValue := map[string]Finding{}
		for _, f := range fs {
			if _, dup := byValue[f.Secret]; dup {
				t.Errorf("%v: %s reported twice", args, Redact(f.Secret))
			}
			byValue[f.Secret] = f
			if !bytes.Equal(data[f.Offset:f.EndOffset], []byte(f.Secret)) {
				t.Errorf("%v: bytes %d-%d do not hold the %s", args, f.Offset, f.EndOffset, f.Kind)
			}
		}
		for i := range ids {
			id, ok1 := byValue[ids[i]]
			sec, ok2 := byValue[secrets[i]]
			if !ok1 || !ok2 {
				t.Errorf("%v: pair %d: key ID found %v, secret found %v", args, i, ok1, ok2)
				continue
			}
			if sec.Pair != id.Fingerprint {
				t.Errorf("%v: pair %d: the secret is paired with %q, not its key ID", args, i, sec.Pair)
			}
		}
		if len(byValue) != 2*len(ids) {
			t.Errorf("%v: %d values found, want %d", args, len(byValue), 2*len(ids))
		}
	}
	// A universal Mach-O: each image's references are read, each value
	// found in both, at its offset in the whole file.
	fat := universal(darwin, darwin)
	fs := sc.ScanBinary("creds", fat)
	count := map[string]int{}
	for _, f := range fs {
		count[f.Secret]++
		if !bytes.Equal(fat[f.Offset:f.EndOffset], []byte(f.Secret)) {
			t.Errorf("universal: bytes %d-%d do not hold the %s", f.Offset, f.EndOffset, f.Kind)
		}
	}
	for i := range ids {
		if count[ids[i]] != 2 || count[secrets[i]] != 2 {
			t.Errorf("universal: pair %d: key ID found %d times, secret %d, want 2 each", i, count[ids[i]], count[secrets[i]])
		}
	}
}

// universal makes a universal (fat) Mach-O of arm64 images, told apart
// by their sub-CPU numbers, each at a 16 KB boundary.
func universal(images ...[]byte) []byte {
	const align = 1 << 14
	head := binary.BigEndian.AppendUint32(nil, macho.MagicFat)
	head = binary.BigEndian.AppendUint32(head, uint32(len(images)))
	off := uint32(align)
	var body []byte
	for i, im := range images {
		for _, v := range []uint32{uint32(macho.CpuArm64), uint32(i), off, uint32(len(im)), 14} {
			head = binary.BigEndian.AppendUint32(head, v)
		}
		pad := int(off) - align - len(body)
		body = append(append(body, make([]byte, pad)...), im...)
		off += (uint32(len(im)) + align - 1) &^ (align - 1)
	}
	return append(append(head, make([]byte, align-len(head))...), body...)
}

// TestGoConstantsGuard: a referenced 40-byte string is no secret without
// a key ID the binary refers to (a random token alone), nor when it is
// words (a program's packed names, which pass the entropy tests) beside
// one, nor is any string of a program that holds a key ID beside the
// standard library's networking, crypto and encoding, for amd64 or arm64:
// the key ID alone is found, once.
func TestGoConstantsGuard(t *testing.T) {
	if testing.Short() {
		t.Skip("builds Go programs")
	}
	if _, err := exec.LookPath("go"); err != nil {
		t.Skip("go not installed")
	}
	sc := binScanner(t)
	g := fakekey.New(3322)
	id, token := g.KeyID("AKIA"), g.Secret()
	const prog = "package main\n\n//go:noinline\nfunc open(a, b string) int { return len(a) + len(b) }\n\nfunc main() { println(open(%q, %q)) }\n"
	words := "TokenApostropheTokenOParenTokenCParenTok"
	for _, c := range []struct {
		a, b string
		want []string
		src  string
		args []string
	}{
		{"localhost:8080/path", token, nil, "", nil},
		{id, words, []string{id}, "", nil},
		// A key ID beside the standard library's networking, crypto and
		// encoding packages: none of their strings is taken for a secret.
		{id, "9d3c6a1b_not_a_secret_but_forty_bytes_xy", []string{id},
			"package main\n\nimport (\n\t\"crypto/tls\"\n\t\"encoding/json\"\n\t\"fmt\"\n\t\"net/http\"\n\t\"os\"\n)\n\n//go:noinline\nfunc open(a, b string) int { return len(a) + len(b) }\n\nfunc main() {\n\tjson.NewEncoder(os.Stdout).Encode(http.DefaultClient)\n\tfmt.Println(tls.VersionTLS13, open(%q, %q))\n}\n", nil},
		{id, "9d3c6a1b_not_a_secret_but_forty_bytes_xy", []string{id},
			"package main\n\nimport (\n\t\"crypto/tls\"\n\t\"encoding/json\"\n\t\"fmt\"\n\t\"net/http\"\n\t\"os\"\n)\n\n//go:noinline\nfunc open(a, b string) int { return len(a) + len(b) }\n\nfunc main() {\n\tjson.NewEncoder(os.Stdout).Encode(http.DefaultClient)\n\tfmt.Println(tls.VersionTLS13, open(%q, %q))\n}\n", []string{"GOARCH=arm64"}},
	} {
		src := prog
		if c.src != "" {
			src = c.src
		}
		data := goProgram(t, fmt.Sprintf(src, c.a, c.b), c.args...)
		ids, secrets, _ := goRefs(data)
		if len(secrets) == 0 {
			t.Fatalf("%.12s: goRefs found no 40-byte string", c.b)
		}
		if (len(ids) > 0) != (c.a == id) {
			t.Errorf("goRefs found key IDs %v", ids)
		}
		var got []string
		for _, f := range sc.ScanBinary("prog", data) {
			got = append(got, f.Secret)
		}
		if fmt.Sprint(got) != fmt.Sprint(c.want) {
			t.Errorf("%.12s: found %d values, want %d", c.b, len(got), len(c.want))
		}
	}
}

// TestGoRefsToolchain: the go toolchain's own programs refer to no key
// ID, so no referenced string of theirs is read as a secret, and they give
// no findings.
func TestGoRefsToolchain(t *testing.T) {
	if testing.Short() {
		t.Skip("reads the toolchain's binaries")
	}
	sc := binScanner(t)
	files, _ := filepath.Glob(filepath.Join(runtime.GOROOT(), "bin", "*"))
	tools, _ := filepath.Glob(filepath.Join(runtime.GOROOT(), "pkg", "tool", "*", "*"))
	files = append(files, tools...)
	if len(files) == 0 {
		t.Skip("no toolchain binaries")
	}
	for _, f := range files {
		data, err := os.ReadFile(f)
		if err != nil || !IsBinary(data) {
			continue
		}
		if ids, _, _ := goRefs(data); len(ids) != 0 {
			t.Errorf("%s: refers to %d key IDs", f, len(ids))
		}
		for _, fd := range sc.ScanBinary(filepath.Base(f), data) {
			t.Errorf("%s: %s at byte %d", f, fd.Kind, fd.Offset)
		}
	}
}

// TestGoConstantsInlined: the shapes an inlined constructor leaves (qa34
// 00: the AWS SDK v1's credentials.NewStaticCredentials and v2's
// NewStaticCredentialsProvider, built for amd64, gave nothing): a heap
// object filled length first, each field's (MOVQ $40, 0x18(AX) before
// the LEAQ, and MOVQ CX, 0x10(AX) after it), and a struct in a large
// stack frame (MOVQ $40, 0x300(SP): a 32-bit offset). Each pair is found
// and paired, on amd64, arm64 and wasm.
func TestGoConstantsInlined(t *testing.T) {
	if testing.Short() {
		t.Skip("builds Go programs")
	}
	if _, err := exec.LookPath("go"); err != nil {
		t.Skip("go not installed")
	}
	sc := binScanner(t)
	g := fakekey.New(3402)
	heapID, heapSecret, frameID, frameSecret := g.KeyID("AKIA"), g.Secret(), g.KeyID("AKIA"), g.Secret()
	src := fmt.Sprintf(`package main

import (
	"fmt"
	"os"
)

type P struct{ a, b, c string }

func New(a, b, c string) *P { return &P{a, b, c} }

func (p *P) Len() int { return len(p.a) + len(p.b) + len(p.c) }

type V struct{ A, B, C string }

//go:noinline
func Use(v *V, pad *[4096]byte) int { return len(v.A) + len(v.B) + int(pad[0]) }

var sink *P

func main() {
	sink = New(%q, %q, "")
	var pad [4096]byte
	pad[len(os.Args)] = 1
	v := V{A: %q, B: %q}
	fmt.Println(sink.Len(), Use(&v, &pad))
}
`, heapID, heapSecret, frameID, frameSecret)
	for _, args := range [][]string{nil, {"-ldflags=-s -w"}, {"GOARCH=arm64"}, {"GOOS=wasip1", "GOARCH=wasm"}} {
		data := goProgram(t, src, args...)
		fs := sc.ScanBinary("app", data)
		byValue := map[string]Finding{}
		for _, f := range fs {
			byValue[f.Secret] = f
		}
		for _, pair := range [][2]string{{heapID, heapSecret}, {frameID, frameSecret}} {
			id, ok1 := byValue[pair[0]]
			sec, ok2 := byValue[pair[1]]
			if !ok1 || !ok2 || sec.Pair != id.Fingerprint {
				t.Errorf("%v: key ID found %v, secret found %v (paired %v)", args, ok1, ok2, ok1 && ok2 && sec.Pair == id.Fingerprint)
			}
		}
		if len(fs) != 4 {
			t.Errorf("%v: %d findings, want 4", args, len(fs))
		}
	}
}

// TestGoRefsUnread: what goRefs cannot read of an executable is said
// (qa35 2, 3, 1), for the caller to report as a gap: a Go program cut
// short (the last 1 %: a partial download) for each format; a universal
// Mach-O of more images than maxFatImages; an ELF of more sections than
// maxImageSpans, each mapping the whole file (bounded: not read N times
// over). A whole program says nothing, and a fat64 universal Mach-O's
// images are read as a fat one's are.
func TestGoRefsUnread(t *testing.T) {
	if testing.Short() {
		t.Skip("builds Go programs")
	}
	if _, err := exec.LookPath("go"); err != nil {
		t.Skip("go not installed")
	}
	sc := binScanner(t)
	g := fakekey.New(3503)
	src := fmt.Sprintf("package main\n\n//go:noinline\nfunc open(a, b string) int { return len(a) + len(b) }\n\nfunc main() { println(open(%q, %q)) }\n", g.KeyID("AKIA"), g.Secret())
	var darwin []byte
	for _, args := range [][]string{nil, {"GOOS=windows"}, {"GOOS=darwin", "GOARCH=arm64"}, {"GOOS=wasip1", "GOARCH=wasm"}} {
		data := goProgram(t, src, args...)
		if len(args) > 0 && args[0] == "GOOS=darwin" {
			darwin = data
		}
		if ids, secrets, unread := goRefs(data); len(ids) != 1 || len(secrets) == 0 || unread != "" {
			t.Errorf("%v: whole: %d key IDs, %d secrets, unread %q", args, len(ids), len(secrets), unread)
		}
		cut := data[:len(data)-len(data)/100]
		if _, c := sc.ScanBinaryAllCounted("app", cut, 0); c.Unread == "" {
			t.Errorf("%v: cut short: nothing said unread", args)
		}
	}
	wide := universal(darwin, darwin)
	binary.BigEndian.PutUint32(wide, magicFat64)
	wide = fat64(t, wide)
	if ids, secrets, unread := goRefs(wide); len(ids) != 2 || len(secrets) == 0 || unread != "" {
		t.Errorf("fat64: %d key IDs, %d secrets, unread %q", len(ids), len(secrets), unread)
	}
	fat := universal(darwin, darwin)
	binary.BigEndian.PutUint32(fat[4:], maxFatImages+1)
	if _, _, unread := goRefs(fat); unread == "" {
		t.Errorf("a universal Mach-O of %d images: nothing said unread", maxFatImages+1)
	}
	junk := make([][]byte, maxFatImages+1)
	for i := range maxFatImages {
		junk[i] = make([]byte, 64) // padding entries before the real image
	}
	junk[maxFatImages] = darwin
	if _, _, unread := goRefs(universal(junk...)); unread == "" {
		t.Errorf("a universal Mach-O whose image follows %d padding entries: nothing said unread", maxFatImages)
	}
	class := append(binary.BigEndian.AppendUint32(nil, macho.MagicFat), "\x00\x00\x00\x34\x00\x1d\x0a\x00\x06\x00\x0f\x09"...)
	class = append(class, make([]byte, 256)...)
	if _, _, unread := goRefs(class); unread != "" {
		t.Errorf("a Java class file: unread %q", unread)
	}
	if _, _, unread := goRefs(elfOfSections(2*maxImageSpans, 1<<16)); unread == "" {
		t.Errorf("an ELF of %d sections: nothing said unread", 2*maxImageSpans)
	}
}

// fat64 rewrites a universal Mach-O's table (its magic already set to
// magicFat64) with 64-bit offsets and sizes: 32 bytes an entry.
func fat64(t *testing.T, fat []byte) []byte {
	t.Helper()
	n := binary.BigEndian.Uint32(fat[4:])
	out := slices.Clone(fat)
	for i := range n {
		e := fat[8+20*i:]
		w := out[8+32*i:]
		if 8+32*(i+1) > 1<<14 {
			t.Fatal("table past the first image")
		}
		binary.BigEndian.PutUint32(w, binary.BigEndian.Uint32(e))
		binary.BigEndian.PutUint32(w[4:], binary.BigEndian.Uint32(e[4:]))
		binary.BigEndian.PutUint64(w[8:], uint64(binary.BigEndian.Uint32(e[8:])))
		binary.BigEndian.PutUint64(w[16:], uint64(binary.BigEndian.Uint32(e[12:])))
		binary.BigEndian.PutUint32(w[24:], binary.BigEndian.Uint32(e[16:]))
		binary.BigEndian.PutUint32(w[28:], 0)
	}
	return out
}

// elfOfSections lays out a little-endian 64-bit ELF executable of size
// bytes whose n sections each map all of it, as data.
func elfOfSections(n, size int) []byte {
	b := make([]byte, size+64*n)
	copy(b, "\x7fELF\x02\x01\x01")
	le := binary.LittleEndian
	le.PutUint16(b[16:], 2)    // ET_EXEC
	le.PutUint16(b[18:], 0x3e) // x86-64
	le.PutUint32(b[20:], 1)
	le.PutUint64(b[40:], uint64(size)) // section headers
	le.PutUint16(b[52:], 64)
	le.PutUint16(b[58:], 64)
	le.PutUint16(b[60:], uint16(n))
	for i := range n {
		h := b[size+64*i:]
		le.PutUint32(h[4:], 1)                       // SHT_PROGBITS
		le.PutUint64(h[8:], 2)                       // SHF_ALLOC
		le.PutUint64(h[16:], 0x400000+uint64(i)<<20) // address
		le.PutUint64(h[24:], 0)                      // offset
		le.PutUint64(h[32:], uint64(size))           // size
	}
	return b
}
