package archive

import (
	"bytes"
	"encoding/binary"
	"os"
	"os/exec"
	"path/filepath"
	"strings"
	"testing"

	"github.com/keyscan/keyscan/scanner/archive/archivetest"
	"github.com/keyscan/keyscan/scanner/archive/vba"
)

// TestVBA is qa16 HIGH-9: a VBA project's module source is MS-OVBA
// compressed inside a compound file, a flag byte before every 8 tokens,
// so a key in a macro was missed with --strict 0. testdata/mkvba.py lays
// out a project as Office does (7z and olefile read it): a module in
// regular sectors whose chain jumps, one in the mini stream, each after a
// cache of compiled code, and one the dir stream leaves out.
func TestVBA(t *testing.T) {
	if _, err := exec.LookPath("python3"); err != nil {
		t.Skip("python3 not installed: not checked")
	}
	out := filepath.Join(t.TempDir(), "vbaProject.bin")
	if b, err := exec.Command("python3", "testdata/mkvba.py", out, "marker").CombinedOutput(); err != nil {
		t.Fatalf("mkvba.py: %v\n%s", err, b)
	}
	bin, err := os.ReadFile(out)
	if err != nil {
		t.Fatal(err)
	}
	want := map[string]string{"VBA/Module1": `AWS_SECRET_ACCESS_KEY As String = "marker-module1"`,
		"VBA/Module2": `TOKEN As String = "marker-module2"`, "VBA/Module3": `NOTE As String = "marker-module3"`,
		"PROJECT": "Module=Module1"}
	check := func(what, prefix string, data []byte, name string, quiet bool) {
		t.Helper()
		got, warns, st := walk(t, name, data, DefaultLimits())
		if quiet && (len(warns) > 0 || st.Unscanned > 0) {
			t.Errorf("%s: warnings %q", what, warns)
		}
		for m, s := range want {
			if !strings.Contains(got[prefix+m], s) {
				t.Errorf("%s: member %s lacks %q (members %q)", what, prefix+m, s, keys(got))
			}
		}
		if len(got[prefix+"Data"]) != 5000 {
			t.Errorf("%s: Data stream of %d bytes, want 5000", what, len(got[prefix+"Data"]))
		}
	}
	check("vbaProject.bin", "vbaProject.bin!", bin, "vbaProject.bin", true)
	xlsm := archivetest.Zip(t, archivetest.F("[Content_Types].xml", []byte("<Types/>")), archivetest.F("xl/vbaProject.bin", bin))
	check("report.xlsm", "report.xlsm!xl/vbaProject.bin!", xlsm, "report.xlsm", true)

	// A container of a literal, a copy token and a raw chunk, as
	// [MS-OVBA] lays them out.
	raw := bytes.Repeat([]byte("r"), 4096)
	in := append([]byte{1, 0x03, 0xb0, 0x02, 'a', 0x00, 0x00}, append([]byte{0xff, 0x3f}, raw...)...)
	if got, err := vba.Decompress(in, 10000); err != nil || string(got) != "aaaa"+string(raw) {
		t.Errorf("Decompress = %q..., %v", got[:min(len(got), 8)], err)
	}

	// A FAT chain that loops: counted, never a hang.
	loop := bytes.Clone(bin)
	fat := loop[512:1024]
	for j := 0; j < len(fat); j += 4 {
		if binary.LittleEndian.Uint32(fat[j:]) == 0xfffffffe {
			binary.LittleEndian.PutUint32(fat[j:], uint32(j/4))
		}
	}
	if _, warns, st := walk(t, "loop.bin", loop, DefaultLimits()); st.Unscanned == 0 {
		t.Errorf("a looping FAT: nothing counted (%q)", warns)
	}
}
