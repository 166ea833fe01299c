package archive

import (
	"bytes"
	"encoding/binary"
	"fmt"
	"os"
	"os/exec"
	"path/filepath"
	"strings"
	"testing"

	"github.com/keyscan/keyscan/scanner/archive/extfs"
)

// TestExt: ext2, ext3 and ext4 images made by the real mkfs -d, with 1 and
// 4 KiB blocks, are opened (they were counted as not opened: qa16
// HIGH-1's leftover): files reached through direct, indirect and double
// indirect blocks or extents, a folder of 300 entries (an htree in ext3
// and ext4), a nested folder, fast and slow symlinks, a sparse file; a
// damaged folder is counted.
func TestExt(t *testing.T) {
	if _, err := exec.LookPath("mkfs.ext4"); err != nil {
		t.Skip("mkfs.ext4 not installed (e2fsprogs)")
	}
	root := t.TempDir()
	env := "aws_secret_access_key = a fake value\n"
	big := strings.Repeat("0123456789abcdef", 20<<10) + env // 320 KiB: double indirect with 1 KiB blocks
	files := map[string]string{"etc/app.env": env, "opt/app/big.log": big}
	for i := range 300 {
		files[fmt.Sprintf("many/f%03d.txt", i)] = fmt.Sprintf("file %d\n", i)
	}
	for p, c := range files {
		os.MkdirAll(filepath.Join(root, filepath.Dir(p)), 0o755)
		if err := os.WriteFile(filepath.Join(root, p), []byte(c), 0o644); err != nil {
			t.Fatal(err)
		}
	}
	long := "/opt/app/" + strings.Repeat("long-target-", 8)
	os.Symlink("/etc/app.env", filepath.Join(root, "link"))
	os.Symlink(long, filepath.Join(root, "longlink"))
	sparse, _ := os.Create(filepath.Join(root, "sparse.img"))
	sparse.WriteAt([]byte(env), 3<<20)
	sparse.Close()
	want := map[string]string{"etc/app.env": env, "opt/app/big.log": big, "many/f299.txt": "file 299\n",
		"link": "/etc/app.env", "longlink": long, "sparse.img": string(make([]byte, 3<<20)) + env}
	for _, c := range []struct{ fs, block string }{{"ext2", "1024"}, {"ext3", "1024"}, {"ext4", "1024"}, {"ext4", "4096"}} {
		img := filepath.Join(t.TempDir(), "rootfs."+c.fs)
		if out, err := exec.Command("mkfs."+c.fs, "-q", "-b", c.block, "-d", root, img, "16M").CombinedOutput(); err != nil {
			t.Fatalf("mkfs.%s -d: %v\n%s", c.fs, err, out)
		}
		data, err := os.ReadFile(img)
		if err != nil {
			t.Fatal(err)
		}
		what := c.fs + "/" + c.block
		if f := Detect(data); f != Ext {
			t.Fatalf("%s: Detect = %v", what, f)
		}
		got, warns, st := walk(t, "rootfs", data, DefaultLimits())
		if len(warns) > 0 || st.Unscanned > 0 {
			t.Errorf("%s: warnings %q", what, warns)
		}
		for p, v := range want {
			if got["rootfs!"+p] != v {
				t.Errorf("%s: member %s = %d bytes %q..., want %d bytes (members: %d)", what, p, len(got["rootfs!"+p]), got["rootfs!"+p][:min(20, len(got["rootfs!"+p]))], len(v), len(got))
			}
		}
		if len(got) != len(files)+3 {
			t.Errorf("%s: %d members, want %d", what, len(got), len(files)+3)
		}

		// The "many" folder's blocks overwritten: counted, the rest read.
		broken := bytes.Clone(data)
		i := bytes.Index(broken, []byte("f000.txt"))
		copy(broken[i-8:], make([]byte, 16))
		broken[i-4], broken[i-3] = 0xff, 0xff // a record length past the block
		got, warns, st = walk(t, "rootfs", broken, DefaultLimits())
		if st.Unscanned == 0 || got["rootfs!etc/app.env"] != env {
			t.Errorf("%s: a broken folder: %d counted, warnings %q", what, st.Unscanned, warns)
		}
	}
}

// TestExtPartition: an ext4 file system inside a disk image, behind an
// MBR or a GPT that the real sfdisk writes (a VM or SD-card image), is
// opened too: it was neither opened nor counted.
func TestExtPartition(t *testing.T) {
	for _, tool := range []string{"mkfs.ext4", "sfdisk"} {
		if _, err := exec.LookPath(tool); err != nil {
			t.Skipf("%s not installed (.ci/run installs e2fsprogs and fdisk): not checked", tool)
		}
	}
	root := t.TempDir()
	env := "aws_secret_access_key = a fake value\n"
	os.WriteFile(filepath.Join(root, "app.env"), []byte(env), 0o644)
	dir := t.TempDir()
	fs := filepath.Join(dir, "fs")
	if out, err := exec.Command("mkfs.ext4", "-q", "-d", root, fs, "4M").CombinedOutput(); err != nil {
		t.Fatalf("mkfs.ext4: %v\n%s", err, out)
	}
	part, err := os.ReadFile(fs)
	if err != nil {
		t.Fatal(err)
	}
	for _, label := range []string{"dos", "gpt"} {
		disk := filepath.Join(dir, "disk-"+label)
		if err := os.WriteFile(disk, make([]byte, 16<<20), 0o644); err != nil {
			t.Fatal(err)
		}
		cmd := exec.Command("sfdisk", "-q", disk)
		typ := map[string]string{"dos": "83", "gpt": "L"}[label]
		cmd.Stdin = strings.NewReader("label: " + label + "\nstart=2048, size=8192, type=" + typ + "\nstart=12288, size=8192, type=" + typ + "\n")
		if out, err := cmd.CombinedOutput(); err != nil {
			t.Fatalf("sfdisk %s: %v\n%s", label, err, out)
		}
		data, err := os.ReadFile(disk)
		if err != nil {
			t.Fatal(err)
		}
		copy(data[2048*512:], part)
		copy(data[12288*512:], part) // the second partition (review15 B-10: not opened)
		if f := DetectName("disk.img", data); f != Ext {
			t.Fatalf("%s: DetectName = %v", label, f)
		}
		got, warns, _ := walk(t, "disk.img", data, DefaultLimits())
		if got["disk.img!app.env"] != env || got["disk.img@6291456!app.env"] != env || len(warns) > 0 {
			t.Errorf("%s: members %q, warnings %q", label, keys(got), warns)
		}
	}
}

// craftedExt returns images whose header values overflow a product of
// them (review15 B-1): a root folder whose extent starts at block 2^47 of
// an image of 2^47 blocks of 64 KiB (n*bs wrapped negative, the bounds
// check passed, block panicked), and 2^58+1 groups of 64-byte
// descriptors (groups*descSize wrapped to 64, inode indexed past the end).
func craftedExt() map[string][]byte {
	le := binary.LittleEndian
	const bs = 65536
	img := make([]byte, 20*bs) // 32,769 groups' 32-byte descriptors fit
	sb := img[1024:]
	le.PutUint32(sb[0:], 16)
	le.PutUint32(sb[4:], 8)
	le.PutUint32(sb[0x150:], 1<<15) // the blocks' high half: 2^47 blocks
	le.PutUint32(sb[24:], 6)        // 64 KiB blocks
	le.PutUint32(sb[32:], 1<<32-1)  // blocks per group
	le.PutUint32(sb[40:], 16)       // inodes per group
	le.PutUint16(sb[56:], 0xef53)
	le.PutUint32(sb[76:], 1)
	le.PutUint16(sb[88:], 256)
	le.PutUint32(sb[96:], 0x80|0x40) // 64bit, extents
	le.PutUint32(img[bs+8:], 19)     // group 0's inode table: block 19
	in := img[19*bs+256:]            // inode 2, the root folder
	le.PutUint16(in[0:], 0x41ed)
	le.PutUint32(in[4:], bs)
	le.PutUint32(in[0x20:], 0x80000)
	x := in[0x28:]
	le.PutUint16(x[0:], 0xf30a)
	le.PutUint16(x[2:], 1)
	le.PutUint16(x[4:], 4)
	le.PutUint32(x[12:], 0)          // logical block 0
	le.PutUint16(x[16:], 1)          // one block
	le.PutUint16(x[18:], 0x7fff)     // starting at 2^47-1: (n+1)*bs wraps
	le.PutUint32(x[20:], 0xffffffff) // to -2^63
	groups := bytes.Clone(img[:4096])
	sb = groups[1024:]
	le.PutUint32(sb[24:], 0) // 1 KiB blocks
	le.PutUint32(sb[4:], 1)
	le.PutUint32(sb[0x150:], 1<<26) // 2^58+1 blocks, one a group
	le.PutUint32(sb[32:], 1)
	le.PutUint32(sb[40:], 1)
	le.PutUint16(sb[88:], 128)
	le.PutUint16(sb[254:], 64)
	return map[string][]byte{"extent": img, "groups": groups}
}

// TestExtCrafted: the crafted images neither panic nor open (review15
// B-1): the walk reports the folder it could not read.
func TestExtCrafted(t *testing.T) {
	imgs := craftedExt()
	fs, err := extfs.Open(imgs["extent"])
	if err != nil {
		t.Fatalf("extent: Open: %v", err)
	}
	var bad []string
	fs.Walk(8, func(extfs.File) bool { return true }, func(p string, err error) { bad = append(bad, fmt.Sprint(p, err)) })
	if len(bad) != 1 {
		t.Errorf("extent: bad folders %q, want the root", bad)
	}
	if _, err := extfs.Open(imgs["groups"]); err == nil {
		t.Errorf("groups: Open of 2^58+1 groups in 4 KiB succeeded")
	}
	for name, img := range imgs {
		walk(t, name+".ext4", img, DefaultLimits())
	}
}

// sharedFolders returns an image of 2,000 groups whose descriptors all
// name one inode table (review15 B-2): inode 2k+1 is a folder of 8 KiB
// with no blocks (all hole), inode 2k+2 the root folder of 6 blocks,
// and the root names inodes 3 to 2001 as folders.
func sharedFolders() []byte {
	le := binary.LittleEndian
	const bs, ng, table, dirAt, nb = 4096, 2000, 200, 210, 6
	img := make([]byte, 1<<20)
	sb := img[1024:]
	le.PutUint32(sb[0:], 16)
	le.PutUint32(sb[4:], 8*ng)
	le.PutUint32(sb[24:], 2) // 4 KiB blocks
	le.PutUint32(sb[32:], 8) // blocks per group
	le.PutUint32(sb[40:], 2) // inodes per group
	le.PutUint16(sb[56:], 0xef53)
	le.PutUint16(sb[60:], 1) // errors: continue
	le.PutUint32(sb[76:], 1)
	le.PutUint16(sb[88:], 128)
	for g := range ng {
		le.PutUint32(img[bs+g*32+8:], table)
	}
	holed := img[table*bs:]
	le.PutUint16(holed[0:], 0x41ed)
	le.PutUint32(holed[4:], 8<<10)
	root := img[table*bs+128:]
	le.PutUint16(root[0:], 0x41ed)
	le.PutUint32(root[4:], nb*bs)
	for k := range nb {
		le.PutUint32(root[0x28+4*k:], uint32(dirAt+k))
	}
	d := img[dirAt*bs : (dirAt+nb)*bs]
	p := 0
	for ino := 3; p+24 <= len(d) && ino <= 2001; ino++ {
		le.PutUint32(d[p:], uint32(ino))
		le.PutUint16(d[p+4:], 12)
		d[p+6], d[p+7], d[p+8] = 1, 2, 'x'
		p += 12
	}
	le.PutUint16(d[p+4:], uint16(len(d)-p))
	return img
}

// TestExtFoldersBounded is review15 B-2: a folder with holes is corrupt
// (it was read zero-filled, up to 64 MiB a time), and the folders read are no
// more bytes in all than the image: those past it are reported.
func TestExtFoldersBounded(t *testing.T) {
	_, warns, _ := walk(t, "shared.ext4", sharedFolders(), DefaultLimits())
	var corrupt, over int
	for _, w := range warns {
		switch {
		case strings.Contains(w, extfs.ErrFolders.Error()):
			over++
		case strings.Contains(w, extfs.ErrCorrupt.Error()):
			corrupt++
		}
	}
	// The 1 MiB image holds the 24 KiB root some 42 times.
	if corrupt != 1000 || over == 0 || over > 999-30 {
		t.Errorf("%d holed folders reported corrupt, %d over the budget; warnings %d", corrupt, over, len(warns))
	}
}

// FuzzExt checks that no image makes extfs panic, hang or give a file
// over the limit.
func FuzzExt(f *testing.F) {
	for _, img := range craftedExt() {
		f.Add(img)
	}
	f.Add(sharedFolders())
	if _, err := exec.LookPath("mkfs.ext4"); err == nil {
		root := f.TempDir()
		os.WriteFile(filepath.Join(root, "a.env"), []byte("x=1\n"), 0o644)
		for _, fs := range []string{"ext2", "ext4"} {
			img := filepath.Join(f.TempDir(), "img")
			if exec.Command("mkfs."+fs, "-q", "-b", "1024", "-d", root, img, "256K").Run() == nil {
				if b, err := os.ReadFile(img); err == nil {
					f.Add(b)
				}
			}
		}
	}
	f.Fuzz(func(t *testing.T, data []byte) {
		fs, err := extfs.Open(data)
		if err != nil {
			return
		}
		n := 0
		fs.Walk(8, func(file extfs.File) bool {
			if b, err := fs.Read(file, 1<<16); err == nil && len(b) > 1<<16 {
				t.Fatalf("%s: %d bytes", file.Path, len(b))
			}
			n++
			return n < 1000
		}, func(string, error) {})
	})
}
