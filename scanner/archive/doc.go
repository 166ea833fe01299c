// Package archive opens archives held in memory and hands their members to
// the caller, recursively: zip and the formats built on it (jar, war, ear,
// apk, aab, whl, egg, nupkg, vsix, ipa, docx, xlsx), 7z, ar (.deb), tar,
// and the gzip, bzip2, xz (with filter chains: xzchain.go), zstd, lzma ("alone"), lzip (lzip.go), Unix
// compress (.Z, lzw.go), lz4 (lz4.go) and zlib compressors, alone
// or around a tar, PDF files, whose streams are its members (pdf.go), and
// git packs and bundles, whose objects are (gitpack.go: read by
// internal/gitobj, the one reader of git's formats), squashfs images
// of gzip, xz or zstd blocks (squashfs.go), PyInstaller executables
// (pyinst.go, laid out by package pyinstaller), PNG images' compressed
// text chunks (pngtext.go, package png), Redis dumps' LZF strings
// (rdbfile.go, package rdb), compound files' streams and VBA module
// sources (ole.go, packages cfb and vba), and the gzip and zstd streams
// a binary file carries at any offset (embedded.go).
// 7z has no reader in the standard library or in keyscan's dependencies,
// so sevenzip.go reads its header itself and decodes its
// folders with the LZMA and LZMA2 decoders of github.com/ulikunitz/xz (the
// xz reader's own), the standard library's flate and bzip2, and bcj.go.
//
// ext2, ext3 and ext4 images are opened too (ext.go, package extfs).
//
// Formats it recognises but does not read (those whose Format.Opened is
// false: rar, cab, rpm, NSIS; and squashfs images it cannot read) are not passed over as one more binary
// file: Walk warns, naming the archive and the format, and counts a part
// not scanned, so that --strict and the pre-receive gate fail closed on
// them as on a limit hit. lzma and zlib have no real magic number; they are
// recognised only as their own decoders would accept them (the header
// checks xz-utils makes, a zlib header whose first bytes inflate), so that
// a binary file that starts with the same byte is not taken for one.
//
// A tar is read as tar --ignore-zeros reads it (tar.go): past its
// end-of-archive blocks, so that `cat a.tgz b.tgz` is read whole, and with
// members of unknown types read as files, as GNU tar extracts them. A
// format without magic (a V7 tar, a zstd stream behind a skippable frame)
// is recognised by what its readers check (a header checksum, the frames'
// own magic), never by name.
//
// An archive behind other bytes (a self-extractor's stub, an executable
// jar's launch script, a .crx header, a makeself script) is found the way
// the programs that run or unpack it find it (stub.go): a zip from its end
// record at the file's end, a 7z from its CRC-checked signature header, a
// stream or tar from its magic at a line start after a script. A file is
// not taken for an archive because it merely holds a signature, and a
// file that holds none of these costs one search for a NUL (text) or a
// look at its tail and first bytes (binary).
//
// It is one package for the whole family so that every caller (the file
// walker, the history scan, the staged scan) shares one set of limits and one
// set of bugs. Formats are recognised by their magic bytes (or, behind a
// stub, by what their readers check), never by name: a renamed jar is
// still a zip, and a text file called x.zip is still text.
//
// Nothing is written to disk. An archive is read from the bytes the caller
// already holds; compressed streams are decompressed through a meter that
// charges every byte against the limits before it is handed on, so a zip
// bomb or a nested bomb stops at the cap, with a warning naming the archive,
// instead of filling memory. No size, count or offset read from an archive is
// trusted for an allocation: members are read through a reader bounded by
// what the limits leave.
//
// A zip is read twice over: through its central directory, as unzip and
// archive/zip read it, and through the local file headers the directory
// does not account for, as a streaming reader (jar x, Java's
// ZipInputStream, funzip) extracts every member it meets (zip.go). A
// member left out of the directory, or in a zip concatenated before
// another, is otherwise a place to hide a key that every such reader
// still hands out.
//
// A member is named the way gitleaks names it: the archive's name, '!', and
// the member's path inside it (app.jar!BOOT-INF/classes/application.properties),
// one '!' per level of nesting. A compressor around a tar is one level: the
// members of site.tar.gz are site.tar.gz!dir/file.
//
// A key can sit outside every member: in a zip comment, a tar header (a PAX
// record), bytes after the end. The caller scans the outermost archive's
// bytes itself; every deeper level's own bytes reach it as Raw members (a
// nested archive whole, a compressed tar's header blocks, which are never
// whole in memory), so that each level is read the same way.
package archive
