package scanner

import (
	"encoding/binary"
	"slices"
	"sync"
)

// The prefilter finds the few places in a file where a credential or its
// context could start, in one pass over the bytes, before any other work.
//
// Every pattern it looks for is at least three bytes long, so any occurrence
// contains a byte pair starting at an even offset: either the pattern's pair
// at w or its pair at w+1, where w is a window chosen so that few places of
// ordinary text are looked at. The loop therefore looks up one uint16 every
// two bytes, and only a hit is checked against the patterns that own that
// pair. Where the AVX2 kernel runs, text[w:w+3] is also the fingerprint that
// decides which places the kernel lets through (prefilter_teddy.go), and
// which fingerprints share a bucket depends on all of them: the windows were
// chosen together, by counting the kernel's marks, the pairs looked up and
// the entries checked on Go source, botocore's service models, trufflehog's
// detector tests, random base64 and hex, and session-token prefixes
// repeated (BenchmarkHostileLines), weighted by what each costs the
// matcher. Any window finds the same occurrences; the choice is only speed.

type anchorKind uint8

const (
	anchorKeyID          anchorKind = iota + 1 // AKIA, ASIA, ABIA, ACCA
	anchorSecretWord                           // "ecret" / "ECRET": secret keywords
	anchorTokenWord                            // "oken" / "OKEN": session-token keywords
	anchorPasswordWord                         // "sswor" / "SSWOR": password fields, weak context
	anchorShortSecret                          // sec_key: secret names without "secret"
	anchorCredentialCall                       // Credentials(...), AmazonS3Client(...), boto3.Session(...): an SDK constructor's arguments (sdkcall.go)
	anchorTokenPrefix                          // the base64 prefixes session tokens start with
	anchorBase64                               // base64 forms of AKIA, ASIA, aws_, AWS_, ecret, ECRET, base64 of them, a gzip header, UTF-16LE
	anchorEscapedA                             // 0041, x41, &#65;...: an 'A' written as an escape
	anchorSplitHead                            // "AK, 'AS, "A"...: a literal that opens with a piece of a key prefix
	anchorSign                                 // GOOG, endpoint, a foreign host: signPatterns in foreign.go
	anchorQP                                   // =3D: quoted-printable's '=' (escapes.go)
	anchorHex                                  // hex of AKIA, ASIA, aws_, AWS_, ecret, ECRET (hex.go)
	anchorArchive                              // base64 of an archive's head: zip, xz, bzip2, 7z, zstd, ... (decodeBase64)
	anchorArchiveHex                           // hex of an archive's head: zip, xz, zstd, bzip2 (decodeHex)
	anchorGitPatch                             // GIT binary patch: files a patch carries (scanner/gitpatch)
	anchorByteLit                              // an archive's head in a byte literal: "\x1f\x8b", 0x1f, 0x8b, 1f8b08 (bytelit.go)
	anchorByteList                             // a gzip head as a gofmt'd list: 0x1f, 0x8b, and other byte-literal heads (bytelit.go), added late
	anchorCharList                             // a key prefix as code points in a list: 75, 73, 65 (charlist.go), added late
	anchorUU                                   // the end of a uuencoded block: "`\nend" (uu.go)
	anchorMIME64                               // a MIME part in base64 (Content-Transfer-Encoding: base64): a patch mailed so (mimePatch)
	anchorRawDeflate                           // a call that inflates raw deflate: gzinflate(, DeflateStream, Inflater(true) (deflate.go)
	anchorWideHex                              // hex of AKIA, ASIA, aws_, AWS_ in UTF-16LE (hex.go), added late
	anchorBase32                               // base32 of AKIA, ASIA, aws_, AWS_ (base32.go), added late
	anchorBase32Head                           // base32 of a gzip's or a zip's head at a run's start (base32.go), added late
	anchorBase85                               // a call that decodes base85: z85.decode(, ascii85. (base85.go), added late
	anchorB64Cut                               // a piece of a base64 anchor that a line break may cut off the rest (b64cut.go), added late
	anchorTokenB64                             // base64 of a session token's head: a run decodeBase64 reads, added late
	anchorEscapedALate                         // as anchorEscapedA, added late (prefilter_teddy.go)
	anchorSpacedHex                            // " 41": the A of AKIA or ASIA in spaced hex (spacedhex.go), added late
	anchorAWSPlace                             // aws-sigv4, aws://: contexts AWS's alone that place a secret (awsplace.go), added late
)

type pattern struct {
	text string
	kind anchorKind
	w    int // window: the pairs text[w:w+2] and text[w+1:w+3] index the pattern
}

var patterns = []pattern{
	{"AKIA", anchorKeyID, 0}, {"ASIA", anchorKeyID, 1}, {"ABIA", anchorKeyID, 1}, {"ACCA", anchorKeyID, 0},
	{"ecret", anchorSecretWord, 0}, {"ECRET", anchorSecretWord, 0},
	{"oken", anchorTokenWord, 0}, {"OKEN", anchorTokenWord, 0},
	{"sswor", anchorPasswordWord, 1}, {"SSWOR", anchorPasswordWord, 2},
	{"sec_key", anchorShortSecret, 2}, {"SEC_KEY", anchorShortSecret, 3},
	{"Credential", anchorCredentialCall, 7}, {"Amazon", anchorCredentialCall, 1}, {"boto3", anchorCredentialCall, 2},
	{"IQoJb3JpZ2luX2Vj", anchorTokenPrefix, 8}, {"FwoGZXIvYXdz", anchorTokenPrefix, 6},
	{"FQoGZXIvYXdz", anchorTokenPrefix, 6}, {"AQoDYXdz", anchorTokenPrefix, 4}, {"AgoJb3JpZ2luX2Vj", anchorTokenPrefix, 0},
	// an escaped 'A': \u0041 %u0041 U+0041 \U00000041 \u{0041}, \x41 &#x41; &#X41;,
	// \u{41} \x{41}, CSS \41, HTML &#65;, octal \101 before the next escape (\101\113)
	{"0041", anchorEscapedA, 1}, {"x41", anchorEscapedA, 0}, {"&#X41;", anchorEscapedA, 2}, {"{41}", anchorEscapedA, 0},
	{"\\41", anchorEscapedA, 0}, {"&#65;", anchorEscapedA, 0}, {"1\\1", anchorEscapedA, 0},
	// &#0065; and &#65&#75 (no ;), URL-encoded %41%4B (upper or lower case)
	{"&#0065;", anchorEscapedA, 4}, {"&#65&", anchorEscapedA, 0}, {"%41%4", anchorEscapedA, 2},
	// the K, I or S of a key prefix escaped after a plain A or AK: A\u004bIA,
	// AK\x49A, A&#83;IA (one escape is enough to hide a prefix from the plain
	// scan), most indexed by the plain letter and the escape's start, not by
	// digit pairs that numbers are full of
	{"A\\u004b", anchorEscapedA, 0}, {"A\\u004B", anchorEscapedA, 0}, {"A\\x4b", anchorEscapedA, 0}, {"A\\x4B", anchorEscapedA, 2},
	{"A&#75;", anchorEscapedA, 0}, {"K\\u0049", anchorEscapedA, 0}, {"K\\x49", anchorEscapedA, 0}, {"K&#73;", anchorEscapedA, 0},
	{"A\\u0053", anchorEscapedA, 0}, {"A\\x53", anchorEscapedA, 0}, {"A&#83;", anchorEscapedA, 0},
	// and as hex entities and braced escapes (AK&#x49;A, A&#X4B;IA, A\u{4b}IA,
	// AK\u{49}A: notation24), on the windows of the forms above ("A&#",
	// "K&#", "A\u", "K\u"), which cost the kernel nothing more
	{"K&#x49;", anchorEscapedA, 0}, {"K&#X49;", anchorEscapedA, 0}, {"K&#x0049;", anchorEscapedA, 0},
	{"A&#x4b;", anchorEscapedA, 0}, {"A&#x4B;", anchorEscapedA, 0}, {"A&#X4B;", anchorEscapedA, 0},
	{"A&#x53;", anchorEscapedA, 0}, {"A&#X53;", anchorEscapedA, 0},
	{"K\\u{49}", anchorEscapedA, 0}, {"A\\u{4b}", anchorEscapedA, 0}, {"A\\u{4B}", anchorEscapedA, 0}, {"A\\u{53}", anchorEscapedA, 0},
	// and URL-encoded: A%4BIA, AK%49A, A%53IA
	{"A%4B", anchorEscapedA, 0}, {"A%4b", anchorEscapedA, 0}, {"K%49", anchorEscapedA, 0}, {"A%53", anchorEscapedA, 0},
	// and the A alone escaped before plain letters, URL-encoded or in C
	// octal (%41KIA…, \101KIA…: on "KIA" and "SIA", which a bucket lets
	// through already), or the K, I or S in octal after plain letters
	// (A\113IA…, AK\111A…, A\123IA…: on "A\1", "K\1", "S\1"); added late,
	// each in the bucket of the form it resembles (qa18 H4)
	{"%41KIA", anchorEscapedALate, 3}, {"%41SIA", anchorEscapedALate, 3}, {"\\101", anchorEscapedALate, 1},
	{"A\\113", anchorEscapedALate, 0}, {"A\\123", anchorEscapedALate, 0}, {"K\\111", anchorEscapedALate, 0}, {"S\\111", anchorEscapedALate, 0},
	// Any mix of notations inside one prefix (qa19 L5: AKI%41…, AKI\101…,
	// A\113\111A…, AS\x49A…, %41\x4bIA…): a prefix is found at its first
	// escaped letter, whatever the letters after it are written as. An
	// escaped A is an anchor in every notation above but URL-encoding, so
	// %41 is one before the escape of a K or S in any notation, or after a
	// plain I; \101 is one alone (its "101" is let through already), and
	// so is &#065;. A plain A, AK or AS is one before the next letter's
	// escape in each notation: Python's \U0000004b, JavaScript's %u004B,
	// Perl's \x{4b}, HTML's &#075;, and the I after a plain S as after a
	// plain K. Each window is one a bucket lets through already but "\U0"
	// (joined to `AK's bucket: 108, 125 and 328 more places of Go source,
	// the models and the detector tests) and "3;A" (to3's: 79, 650, 191).
	// Left out for their cost: %u0053 after A and %u0049 after K or S
	// ("A%u", "K%u": 433, 416, 763; "53I": 39, 509, 242), the I as &#X49;
	// after S ("&#X": 301, 2006, 227), a lower-case %u004b, and %41 before
	// \U or %u (its own "%41": 616, 294, 365).
	{"%41%5", anchorEscapedALate, 2}, {"%41\\x", anchorEscapedALate, 2}, {"%41\\u", anchorEscapedALate, 2},
	{"%41\\1", anchorEscapedALate, 2}, {"%41&#", anchorEscapedALate, 2}, {"I%41", anchorEscapedALate, 0},
	{"A\\U0000004b", anchorEscapedALate, 1}, {"A\\U0000004B", anchorEscapedALate, 1}, {"A\\U00000053", anchorEscapedALate, 1},
	{"A%u004B", anchorEscapedALate, 4},
	{"A\\x{4b}", anchorEscapedALate, 0}, {"A\\x{4B}", anchorEscapedALate, 0}, {"A\\x{53}", anchorEscapedALate, 0},
	{"&#065;", anchorEscapedALate, 3}, {"A&#075;", anchorEscapedALate, 0}, {"A&#083;", anchorEscapedALate, 0},
	{"K\\U00000049", anchorEscapedALate, 1}, {"K\\x{49}", anchorEscapedALate, 0}, {"K&#073;", anchorEscapedALate, 0},
	{"S\\u0049", anchorEscapedALate, 0}, {"S\\x49", anchorEscapedALate, 0}, {"S&#73;A", anchorEscapedALate, 4}, {"S&#x49;A", anchorEscapedALate, 5},
	{"S\\u{49}", anchorEscapedALate, 0}, {"S%49", anchorEscapedALate, 0}, {"S\\U00000049", anchorEscapedALate, 1},
	{"S\\x{49}", anchorEscapedALate, 0}, {"S&#073;A", anchorEscapedALate, 5},
	// A literal that opens with a piece of a key prefix or goes on with the rest
	// of one: "AK" + "IA…", "A" + "KIA…", "ASI" + "A…", "AS" + "IA…" (anchored
	// at the second literal), "ASIA" + "…". Each pattern is indexed by pairs that
	// are rare in source code: not "AS", "AB", "AC" or "CA" (so ABIA and ACCA
	// split inside their prefix are found as "A" + "BIA…", "AB" + "IA…" only).
	{"\"AK", anchorSplitHead, 0}, {"'AK", anchorSplitHead, 0}, {"`AK", anchorSplitHead, 0},
	{"\"A\"", anchorSplitHead, 0}, {"'A'", anchorSplitHead, 0}, {"`A`", anchorSplitHead, 0},
	{"\"IA", anchorSplitHead, 0}, {"'IA", anchorSplitHead, 0}, {"`IA", anchorSplitHead, 0},
	{"ASI\"", anchorSplitHead, 1}, {"ASI'", anchorSplitHead, 1}, {"ASI`", anchorSplitHead, 1},
	{"\"ASIA", anchorSplitHead, 2}, {"'ASIA", anchorSplitHead, 2}, {"`ASIA", anchorSplitHead, 2},
	// base64 of AKIA, ASIA, aws_, AWS_, ecret and ECRET at the three alignments
	{"QUtJQ", anchorBase64, 0}, {"FLSU", anchorBase64, 0}, {"BS0lB", anchorBase64, 2},
	{"QVNJQ", anchorBase64, 2}, {"FTSU", anchorBase64, 0}, {"BU0lB", anchorBase64, 2},
	{"YXdzX", anchorBase64, 0}, {"F3c1", anchorBase64, 0}, {"hd3Nf", anchorBase64, 2},
	{"QVdTX", anchorBase64, 1}, {"FXU1", anchorBase64, 1}, {"BV1Nf", anchorBase64, 2},
	{"ZWNyZX", anchorBase64, 1}, {"VjcmV0", anchorBase64, 0}, {"lY3Jld", anchorBase64, 2},
	{"RUNSRV", anchorBase64, 3}, {"VDUkVU", anchorBase64, 0}, {"FQ1JFV", anchorBase64, 2},
	// and base64 of those forms at the three alignments (base64 inside
	// base64: a Kubernetes Secret's data of an encoded credentials file, Helm's
	// b64enc of a base64 value); the decoded text is scanned again, which finds
	// the forms above, so two levels are found from any position
	{"UVV0Sl", anchorBase64, 0}, {"FVdEpR", anchorBase64, 2}, {"RVXRKU", anchorBase64, 1},
	{"RkxTV", anchorBase64, 0}, {"ZMU1", anchorBase64, 0}, {"GTFNV", anchorBase64, 2},
	{"QlMwbE", anchorBase64, 1}, {"JTMGxC", anchorBase64, 2}, {"CUzBsQ", anchorBase64, 3},
	{"UVZOSl", anchorBase64, 0}, {"FWTkpR", anchorBase64, 1}, {"RVk5KU", anchorBase64, 0},
	{"RlRTV", anchorBase64, 0}, {"ZUU1", anchorBase64, 1}, {"GVFNV", anchorBase64, 2},
	{"QlUwbE", anchorBase64, 2}, {"JVMGxC", anchorBase64, 2}, {"CVTBsQ", anchorBase64, 2},
	{"WVhkel", anchorBase64, 1}, {"lYZHpY", anchorBase64, 2}, {"ZWGR6W", anchorBase64, 3},
	{"RjNjM", anchorBase64, 1}, {"YzYz", anchorBase64, 0}, {"GM2Mx", anchorBase64, 0},
	{"aGQzTm", anchorBase64, 2}, {"hkM05m", anchorBase64, 0}, {"oZDNOZ", anchorBase64, 0},
	{"UVZkVF", anchorBase64, 0}, {"FWZFRY", anchorBase64, 1}, {"RVmRUW", anchorBase64, 0},
	{"RlhVM", anchorBase64, 0}, {"ZYVT", anchorBase64, 0}, {"GWFUx", anchorBase64, 0},
	{"QlYxTm", anchorBase64, 0}, {"JWMU5m", anchorBase64, 3}, {"CVjFOZ", anchorBase64, 1},
	// base64 of a gzip stream, and base64 of that, twice (cloud-init's
	// gz+b64, Terraform's base64gzip(), a Helm 3 release Secret): the stream's
	// header opens the run, so each level has one form
	{"H4sI", anchorBase64, 0}, {"SDRzSU", anchorBase64, 0}, {"U0RSelNV", anchorBase64, 4},
	// base64 of a zip's first local header (cloud-init write_files, a Secret's
	// data, a data: URI): version 2.0 (Python, Go, Java, Info-ZIP's deflated
	// members), 1.0 (Info-ZIP's folders and stored members) with or without
	// a data descriptor; and its hex (mysqldump --hex-blob, a bytea dump).
	// These are added to the Teddy buckets last (lateFingerprint). No pair
	// of theirs is "AA": base64 of zeros is a run of A's, where such a
	// pair was looked up at every other byte (200 MB per CPU second).
	{"UEsDBBQ", anchorArchive, 3}, {"UEsDBAoAA", anchorArchive, 5}, {"UEsDBAoACA", anchorArchive, 7},
	{"504B0304", anchorArchiveHex, 1}, {"504b030414", anchorArchiveHex, 6},
	// base64 of the other archives and compressed streams keyscan opens
	// (archive.Detect), each at the head of its run: xz, bzip2 (from its
	// block magic on, past the level digit), 7z, LZMA "alone" with
	// xz-utils' properties (lc=3 lp=0 pb=2) and a dictionary of 64 KiB or
	// more, a POSIX or GNU tar's "ustar" (at byte 257 of the run), zlib at
	// its default level (78 9c: "eJw" to "eJz"), zstd, and a PDF. Late
	// fingerprints too; most cost nothing (a bucket lets them through
	// already), the others were joined where they let the fewest more places
	// of the corpora through (lateJoins).
	{"/Td6WFoAAA", anchorArchive, 4}, {"FBWSZTW", anchorArchive, 1}, {"N3q8ryccAA", anchorArchive, 1},
	{"XQAA", anchorArchive, 0}, {"c3RhcgAw", anchorArchive, 2}, {"c3RhciAg", anchorArchive, 2},
	{"eJz", anchorArchive, 0}, {"eJw", anchorArchive, 0}, {"eJx", anchorArchive, 0}, {"eJy", anchorArchive, 0},
	{"KLUv/", anchorArchive, 0}, {"JVBERi0", anchorArchive, 0},
	// and the hex of xz, zstd and bzip2 in lower case (7z's is a
	// byte-literal anchor)
	{"fd377a585a00", anchorArchiveHex, 8}, {"28b52ffd", anchorArchiveHex, 3}, {"425a683", anchorArchiveHex, 2},
	// base64 of AKIA, ASIA, aws_ and AWS_ in UTF-16LE at the three alignments
	// (powershell -EncodedCommand)
	{"QQBLAEkAQQ", anchorBase64, 1}, {"EASwBJAEEA", anchorBase64, 2}, {"BAEsASQBBA", anchorBase64, 6},
	{"QQBTAEkAQQ", anchorBase64, 2}, {"EAUwBJAEEA", anchorBase64, 2}, {"BAFMASQBBA", anchorBase64, 6},
	{"YQB3AHMAXw", anchorBase64, 1}, {"EAdwBzAF8A", anchorBase64, 7}, {"hAHcAcwBfA", anchorBase64, 1},
	{"QQBXAFMAXw", anchorBase64, 2}, {"EAVwBTAF8A", anchorBase64, 7}, {"BAFcAUwBfA", anchorBase64, 5},
	// quoted-printable text writes every = as =3D, and says what it is in a
	// MIME header (Content-Transfer-Encoding: quoted-printable)
	{"=3D", anchorQP, 0}, {"uoted-p", anchorQP, 4}, {"uoted-P", anchorQP, 4},
	// hex of AKIA, ASIA, aws_, AWS_, ecret and ECRET, in lower and upper case
	// (a key written as hex: bytes.fromhex, a firmware or NVRAM dump)
	{"414b4941", anchorHex, 5}, {"414B4941", anchorHex, 5}, {"41534941", anchorHex, 5},
	{"6177735f", anchorHex, 5}, {"6177735F", anchorHex, 5}, {"4157535f", anchorHex, 5}, {"4157535F", anchorHex, 5},
	{"6563726574", anchorHex, 0}, {"4543524554", anchorHex, 4},
	// the last two lines of a uuencoded block, as uuencode and shar write
	// them (also with CRLF, and with shar's X in front of every line):
	// the decoder reads the block back to its begin line (uu.go). A late
	// fingerprint, as the archives' heads are.
	{"`\nend", anchorUU, 1}, {"`\r\nend", anchorUU, 0}, {"`\nXend", anchorUU, 1},
	// Python's uu codec writes the last line as a space (and a mailer may
	// leave a blank after the "`"), on the same window; quoted in a mail
	// reply, "> " before every line
	{" \nend", anchorUU, 1}, {"`\n> end", anchorUU, 1}, {" \n> end", anchorUU, 1},
	// the line git writes before the deflated base85 of a binary file in
	// a patch (git format-patch --binary); the caller decodes the hunks
	{"GIT binary patch", anchorGitPatch, 9},
	// a MIME part's header that says its body is base64: a patch mailed as
	// an attachment is base64 text, in which no other anchor need stand
	// (mimePatch). A late fingerprint, on the window "Enc" (on "se6" it
	// cost Go source 1.4 % more instructions).
	{"Encoding: base64", anchorMIME64, 0},
	// the head of an archive or compressed stream written as a byte literal
	// (bytelit.go): gzip as go-bindata's and Python's string escapes (in
	// lower case anchored by the end of the header Go and Python write,
	// \x00\xff, or zlib's \x02\x03 of Python's gzip.compress(data,
	// mtime=0), or GNU gzip's \x00\x03 (XFL 0, OS Unix; on the window x03:
	// 0\x cost Go source 0.5 % more): see byteLitStart; "\x1F\x8B" in upper case) and as one hex
	// run in either case (pkger, mysqldump --hex-blob, xxd -p; 1F8B08's
	// window is B08, which costs no more than noise: F8B or 8B0 cost 3 and
	// 23 % more instructions on Go source); zip, xz and zstd as string escapes
	// (b"PK\x03\x04", "\xfd7zXZ", "(\xb5/\xfd", all escaped too), 7z as
	// a hex run. Each of these fingerprints costs the kernel a few hundred
	// marks in 8 MB of Go source, most of them none (several share "\xf",
	// "K\x" is the escapes' own); the other notations' heads (0x1f, 0x8b,
	// \x1f\x8b itself, 1AY&SY) cost thousands, up to 5 % of the matcher's
	// time on Go source.
	{"1f8b08", anchorByteLit, 1}, {"1F8B08", anchorByteLit, 3}, {"\\x1F\\x8B", anchorByteLit, 2},
	{"\\x00\\xff", anchorByteLit, 4}, {"\\x02\\xff", anchorByteLit, 4}, {"\\x04\\xff", anchorByteLit, 4},
	{"\\x02\\x03", anchorByteLit, 3}, {"\\x00\\x03", anchorByteLit, 5},
	{"PK\\x03\\x04", anchorByteLit, 1},
	{"\\xfd7zXZ", anchorByteLit, 0}, {"\\xfd\\x37\\x7a\\x58", anchorByteLit, 0},
	{"(\\xb5/\\xfd", anchorByteLit, 6}, {"\\x28\\xb5\\x2f\\xfd", anchorByteLit, 12},
	{"377abcaf271c", anchorByteLit, 2},
	// a gzip head as a list of bytes as gofmt writes it ([]byte{0x1f, 0x8b,
	// …}: fileb0x, %#v; 31, 139, 8 in decimal), in any file: the byte scan
	// must open what go vet's type checker opens (analyzer/archives.go), or
	// history would miss what scan finds. Added to the Teddy buckets last
	// (lateFingerprint), on the windows "x8b" and "139".
	{"0x1f, 0x8b", anchorByteList, 7}, {"0x1F, 0x8B", anchorByteList, 7},
	// bzip2 is written as escapes from its magic
	// (\x42\x5a\x68: "BZh", on the window of \x02\x03, which costs
	// nothing more) or, as Python's repr and Go's %q write it, with its
	// head plain ("BZh91AY&SY", on the window "Y&S", which no base64 or hex
	// holds): go vet reads them in Go source, and scan, history and staged
	// must too (qa14 MEDIUM-1). Added to the Teddy buckets last.
	{`\x42\x5a\x68`, anchorByteLit, 3}, {`\x42\x5A\x68`, anchorByteLit, 3},
	{"1AY&SY", anchorByteList, 2},
	// the I of a key prefix as a decimal code point that a comma follows in
	// a list (charlist.go: String.fromCharCode(65, 75, 73, 65, …),
	// bytes([…]), []byte{65, …}, one a line as gofmt and prettier write
	// them), checked to stand after K or S and before A whatever blanks and
	// line breaks stand around the commas (codePointPrefix), added to the
	// Teddy buckets last: one fingerprint for AKIA and ASIA (the K and the
	// S as two cost Go source 1 % more). The quoted and hex forms cost 0.5-1.2 % each as
	// fingerprints ('K', "K", x49) and are found from the windows instead
	// (markWindows).
	{"73,", anchorCharList, 0},
	// and a list that opens with a key prefix, whatever blanks stand around
	// its commas ([65 , 75 , 73 , 65, {65,\t83 …: qa14 HIGH-12), at its
	// opening bracket and A: "[65" is let through already, "{65" joins the
	// bucket of AKI (more places let through, as lateJoins counts them:
	// 750 of Go source, 85 of the service models, 355 of the detector
	// tests). "(65" (fromCharCode(65 , …)) is left out: 18 k more places of
	// moto's Python.
	{"[65", anchorCharList, 0}, {"{65", anchorCharList, 0},
	// and the I of a key prefix as a chr call's argument, the calls joined
	// by their language's operator (chr(75)+chr(73)+chr(65), CHAR(73) +,
	// Chr(73) &, chr(73).chr: chrCallPrefix): "73)" is let through
	// already, at no more places (notation25's count over the corpora)
	{"73)", anchorCharList, 0},
	// More heads at the start of a run, of formats the archive reader
	// opens (qa15 HIGH-2: decoded, they were passed in silence): in base64
	// lzip ("LZIP") and compress's .Z (1f 9d, with block mode or without),
	// and the heads of xz and zstd that hold a / in base64url (qa15
	// MEDIUM-4: urlRun); in hex lzip and .Z. Each was placed (window,
	// lateJoins) where it lets the kernel through at the fewest more
	// places of Go source. Left out for what they cost (500 to 2,000 more
	// places of Go source or of the service models each, 0.5-1 % of the
	// matcher's instructions): zlib at levels 1 and 9 in base64 ("eAF",
	// "eNp"…: "eN" opens every "typeName" of a JSON model; read near a
	// Python file's decompress( instead: fileSeeds) and zlib in hex,
	// UTF-16BE's byte order mark in base64 (/v8A), a uuencoded block
	// behind "# " or "// ".
	{"TFpJUA", anchorArchive, 0}, {"H52", anchorArchive, 0},
	{"_Td6WFoAAA", anchorArchive, 4}, {"KLUv_", anchorArchive, 0},
	{"4c5a4950", anchorArchiveHex, 2}, {"4C5A4950", anchorArchiveHex, 2}, {"1F9D90", anchorArchiveHex, 0},
	{"1f9d90", anchorArchiveHex, 3}, {"H50", anchorArchive, 0},
	// a zip whose first member needs version 4.5 (zip64: Python's
	// force_zip64, a member over 4 GiB), deflated, with or without a data
	// descriptor (qa15 MEDIUM-8), on the window "C0A"
	{"UEsDBC0AAAAI", anchorArchive, 5}, {"UEsDBC0ACAAI", anchorArchive, 5},
	// calls that inflate raw deflate, which has no head, from base64
	// (qa16 HIGH-7: deflate.go): PHP's gzinflate(base64_decode(…, .NET's
	// and PowerShell's DeflateStream, Java's new Inflater(true) (indexed by
	// "w I", which Go source and service models hardly hold: Inflater(
	// alone, indexed anywhere, let through 2,000 more places of Go source;
	// Kotlin's Inflater(true) without new is looked for in Kotlin files
	// only: languageInflaters)
	{"DeflateStream", anchorRawDeflate, 10}, {"inflate(base64_d", anchorRawDeflate, 13},
	{"new Inflater(tru", anchorRawDeflate, 2}, // 16 bytes at most (listSkipMargin)
	// and Python's bytes.fromhex(, near which a hex run is read as zlib at
	// any level (qa15 MEDIUM-8; zlib.decompress( and b64decode(, for zlib
	// at levels 1 and 9 in base64, would let through five to twenty times
	// the places of Go source "mhe" does: left out)
	{"fromhex(", anchorRawDeflate, 3},
	// hex of AKIA, ASIA, aws_ and AWS_ in UTF-16LE (perf21: the hex of a
	// PowerShell or .NET string, xxd -p of a UTF-16 file, at either byte
	// alignment, which hex digits do not change), in lower and upper case
	// (ASIA's has no letter); decodeHex reads such a run, whose bytes are
	// no text, as a binary member (embed), for its UTF-16 runs. Late
	// fingerprints, each on a window a bucket lets through already but for
	// aws_'s "5f0" (lateJoins)
	{"41004b0049004100", anchorWideHex, 11}, {"41004B0049004100", anchorWideHex, 3},
	{"4100530049004100", anchorWideHex, 11},
	{"6100770073005f00", anchorWideHex, 12}, {"6100770073005F00", anchorWideHex, 13},
	{"4100570053005f00", anchorWideHex, 12}, {"4100570053005F00", anchorWideHex, 13},
	// base32 of AKIA, ASIA, aws_ and AWS_ at the five byte alignments of
	// a 40-bit group (b32Forms: the characters the word's bits fill
	// alone), and of a gzip's and a zip's head at a run's start (qa16
	// MEDIUM-6: coreutils base32, Python's b32encode). Late fingerprints
	{"IFFUSQ", anchorBase32, 1}, {"AUWSKB", anchorBase32, 3}, {"CS2JI", anchorBase32, 2}, {"QKLJFA", anchorBase32, 0}, {"BJNEU", anchorBase32, 0},
	{"IFJUSQ", anchorBase32, 1}, {"AVGSKB", anchorBase32, 3}, {"CU2JI", anchorBase32, 2}, {"QKTJFA", anchorBase32, 0}, {"BKNEU", anchorBase32, 0},
	{"MF3XGX", anchorBase32, 0}, {"QXO427", anchorBase32, 0}, {"C53TL", anchorBase32, 1}, {"YLXONP", anchorBase32, 0}, {"BO5ZV", anchorBase32, 1},
	{"IFLVGX", anchorBase32, 0}, {"AVOU27", anchorBase32, 1}, {"CV2TL", anchorBase32, 1}, {"QKXKNP", anchorBase32, 0}, {"BK5JV", anchorBase32, 1},
	{"D6FQQ", anchorBase32Head, 1}, {"KBFQGB", anchorBase32Head, 1},
	// calls that decode base85, whose runs no anchor can name (qa15
	// MEDIUM-9: base85.go): Z85's z85.decode( and the Ascii85 libraries'
	// ascii85. (Go's encoding/ascii85, JavaScript's, Ruby's Ascii85.);
	// Python's b85decode( and a85decode( let through 12,000 to 19,000
	// more places of the corpora and are looked for in Python files only
	// (fileSeeds)
	{"85.decode(", anchorBase85, 1}, {"scii85.", anchorBase85, 3},
	// pieces of the base64 of AKIA, ASIA, aws_, AWS_, ecret and ECRET, and of
	// AKIA, ASIA, aws_ and AWS_ in UTF-16LE, at each alignment, such that
	// wherever the line break of a run wrapped at a multiple of four
	// characters (between two groups) cuts the form, one of its pieces
	// stands whole on one side of the break (qa17 H2: b64cut.go). A piece
	// may take in a character the next byte decides (the E or F after
	// AKIA's and ASIA's FLSU and FTSU, the Q or R after ECRET's RUNSRV).
	// Each form's pieces are the cover whose fingerprints the kernel lets
	// through at the fewest more places of the corpora; all but seven are
	// let through already. Left out: aws_ and AWS_ one byte past a group
	// (F3c1, FXU1), which a break cuts in the middle, where the cheapest
	// cover (four variants of ?F3 or ?FX) cost Go source 3 % more
	// instructions; a text holding them holds its key ID or secret too.
	// Late fingerprints.
	{"QUt", anchorB64Cut, 0}, {"SUE", anchorB64Cut, 0}, {"SUF", anchorB64Cut, 0}, {"0lB", anchorB64Cut, 0}, {"VNJ", anchorB64Cut, 0}, {"YXd", anchorB64Cut, 0},
	{"3Nf", anchorB64Cut, 0}, {"VdT", anchorB64Cut, 0},
	{"1Nf", anchorB64Cut, 0}, {"WNy", anchorB64Cut, 0},
	{"mV0", anchorB64Cut, 0}, {"3Jl", anchorB64Cut, 0}, {"RVQ", anchorB64Cut, 0}, {"RVR", anchorB64Cut, 0}, {"UkV", anchorB64Cut, 0}, {"1JF", anchorB64Cut, 0}, {"QBL", anchorB64Cut, 0},
	{"SwB", anchorB64Cut, 0}, {"SQB", anchorB64Cut, 0}, {"QBT", anchorB64Cut, 0}, {"UwB", anchorB64Cut, 0}, {"QB3", anchorB64Cut, 0}, {"F8A", anchorB64Cut, 0},
	{"AHc", anchorB64Cut, 0}, {"QBX", anchorB64Cut, 0},
	// base64 of a session token's head (b3JpZ2luX2Vj of IQoJb3JpZ2luX2Vj
	// and AgoJ…), at the three alignments, each form as two anchors such
	// that wherever a line break between two groups cuts the form, one
	// stands whole on one side: text holding only aws_session_token = …,
	// whose aws_ a break cuts one byte past a group (enc24: at two shifts
	// in 120 the run was not decoded), or a token with no name. Late
	// fingerprints, the others let through already; MlZ, Mmx and WjJ
	// joined where they let through the fewest more places (lateJoins).
	{"YjNKcFoy", anchorTokenB64, 1}, {"cFoybHVYMlZq", anchorTokenB64, 8},
	{"IzSnBaMmx1", anchorTokenB64, 6}, {"Mmx1WDJWa", anchorTokenB64, 0},
	{"iM0pwWjJs", anchorTokenB64, 0}, {"WjJsdVgyVm", anchorTokenB64, 0},
	// the hex of an A behind a blank: the first or last A of AKIA or ASIA
	// in spaced hex (od -An -tx1, hexdump -C, xxd, Format-Hex,
	// bytes.fromhex("41 4b …")) inside other text, whose pairs
	// spacedHexKey reads around it, over a line end and the next line's
	// offset (enc26). A late fingerprint; " 49" or "4b " (the K or I)
	// let through five times the places of Go source " 41" does.
	{" 41", anchorSpacedHex, 0},
	// and behind a tab, or the colon, comma or dash that may part pairs
	// without a blank (openssl's 41:4b:49:41): ":41" and "-41" let
	// through 3 and 18 more places of Go source
	{"\t41", anchorSpacedHex, 0}, {":41", anchorSpacedHex, 0}, {",41", anchorSpacedHex, 0}, {"-41", anchorSpacedHex, 0},
	// curl's --aws-sigv4 and an Airflow aws:// connection URI, whose user's
	// password is the secret access key by its place (awsplace.go, qa29
	// L2): on the windows "gv4", which hardly any text holds, and "ws:"
	// (not "aws", which AWS's own code and models are full of, nor "://",
	// every URL's)
	{"aws-sigv4", anchorAWSPlace, 6}, {"aws://", anchorAWSPlace, 1},
}

type pairEntry struct {
	head  uint64 // its first eight bytes, little-endian (of a shorter text, its bytes)
	mask  uint64 // the bits of head that are the text's
	head2 uint64 // and so its next eight bytes, if any
	mask2 uint64
	pat   uint16
	delta uint8 // the pattern starts delta bytes before the pair
	n     uint8 // the length of its text
}

// prefilter is immutable after newPrefilter and shared by all scans. Its
// table has two bytes per pair (one held 255 lists, and the anchors of
// qa15 HIGH-2 and MEDIUM-8 made 271): the pairs of printable text touch
// about 24 KiB of it, which stays in L1 (the kernel's path looks up only
// the pairs at its marks), and the entry found is already the index of
// the patterns to check, so a hit costs no map lookup.
//
// Where the CPU has AVX2 (simd), a kernel first marks, 64 bytes at a time,
// where the patterns' three bytes text[w:w+3] may start (teddy, see
// scanner/prefilter_teddy.go), and only the even offsets at or just after a
// mark are looked up in idx and checked, as the pure-Go loop checks them and
// in the same increasing order. The kernel lets through a superset of those
// three-byte strings, and check reports an occurrence only where its
// fingerprint is, so the offsets left out are ones where check would report
// nothing: both paths call fn with the same occurrences in the same order
// (TestPrefilterPathsAgree, FuzzPrefilterPaths).
type prefilter struct {
	idx   [1 << 16]uint16 // 0: no pattern owns the pair; else 1 + index into lists
	lists [][]pairEntry
	// byNear splits the lists longer than splitEntries by a byte beside
	// the pair (see nearSplit): check reads only the entries whose text
	// may hold that byte there.
	byNear []nearSplit
	nears  [][]pairEntry
	pats   []pattern
	simd   bool        // scan with the AVX2 kernel; chosen once, at construction
	teddy  teddyTables // the kernel's nibble tables, built from patterns
}

func pairKey(a, b byte) uint16 { return uint16(a) | uint16(b)<<8 }

func newPrefilter(pats []pattern) *prefilter { return buildPrefilter(pats, true) }

// splitEntries is the longest list check reads whole; a longer one is
// split by a byte beside the pair (nearSplit).
const splitEntries = 3

// nearSplit is a long list split by the byte at offset off from the pair
// (-1, the byte before it, or 2, the one after): sub[c] is 1 + the index
// into prefilter.nears of the list's entries, in its order, whose text
// holds c there or does not reach there, or 0 for none. The side is the
// one fewer of the entries do not reach. A pair that many patterns share
// ("41" of spaced hex, \x41, %41 and the hex of AKIA: 16 entries; "IA"
// of ASIA, ABIA, "IA and the other split heads: 10) was checked entry by
// entry at every occurrence, most of the prefilter's time on a text of
// key IDs' heads or spaced hex (issue 16).
type nearSplit struct {
	sub *[256]uint16 // nil: a short list, read whole
	off int
}

// buildPrefilter builds the table of pats; simd asks for the AVX2 kernel,
// which is used only where the CPU has it (haveAVX2): without it, or built
// with the purego tag or for another GOARCH, the scan is the pure-Go loop.
func buildPrefilter(pats []pattern, simd bool) *prefilter {
	return buildPrefilterSplit(pats, simd, splitEntries)
}

// buildPrefilterSplit is buildPrefilter splitting the lists longer than
// split entries (nearSplit); the tests compare it with lists read whole.
func buildPrefilterSplit(pats []pattern, simd bool, split int) *prefilter {
	p := &prefilter{pats: pats, simd: simd && haveAVX2()}
	for i, pt := range pats {
		for d := pt.w; d <= pt.w+1; d++ {
			k := pairKey(pt.text[d], pt.text[d+1])
			if p.idx[k] == 0 {
				p.lists = append(p.lists, nil)
				p.idx[k] = uint16(len(p.lists))
			}
			l := &p.lists[p.idx[k]-1]
			e := pairEntry{pat: uint16(i), delta: uint8(d), n: uint8(len(pt.text))}
			for k := 0; k < min(8, len(pt.text)); k++ {
				e.head |= uint64(pt.text[k]) << (8 * k)
				e.mask |= 0xff << (8 * k)
			}
			for k := 8; k < min(16, len(pt.text)); k++ {
				e.head2 |= uint64(pt.text[k]) << (8 * (k - 8))
				e.mask2 |= 0xff << (8 * (k - 8))
			}
			*l = append(*l, e)
		}
	}
	p.splitLists(split)
	if p.simd {
		p.teddy, p.simd = teddyFor(pats)
	}
	return p
}

// splitLists fills byNear and nears for the lists longer than split
// entries (and of at most 64, the bits of a set of them). A list's
// sub-lists with the same entries are stored once: most bytes beside a
// pair leave only the entries that do not reach them.
func (p *prefilter) splitLists(split int) {
	p.byNear = make([]nearSplit, len(p.lists))
	for i, l := range p.lists {
		if len(l) <= split || len(l) > 64 {
			continue
		}
		// the byte at off from the pair in e's text, or -1 where the
		// text does not reach there
		at := func(e pairEntry, off int) int {
			k := int(e.delta) + off
			if k < 0 || k >= int(e.n) {
				return -1
			}
			return int(p.pats[e.pat].text[k])
		}
		off, wild := -1, len(l)+1
		for _, o := range []int{-1, 2} {
			n := 0
			for _, e := range l {
				if at(e, o) < 0 {
					n++
				}
			}
			if n < wild {
				off, wild = o, n
			}
		}
		// the entries that hold each byte there, and those that do not
		// reach there (which any byte leaves)
		var holds [256]uint64
		var any uint64
		for k, e := range l {
			if b := at(e, off); b < 0 {
				any |= 1 << k
			} else {
				holds[b] |= 1 << k
			}
		}
		t := new([256]uint16)
		var sets []uint64 // the sets stored, p.nears[first+k] for sets[k]
		first := len(p.nears)
		for c := range 256 {
			set := any | holds[c]
			if set == 0 {
				continue
			}
			k := slices.Index(sets, set)
			if k < 0 {
				var sub []pairEntry
				for k, e := range l {
					if set&(1<<k) != 0 {
						sub = append(sub, e)
					}
				}
				k, sets, p.nears = len(sets), append(sets, set), append(p.nears, sub)
			}
			t[c] = uint16(first + k + 1)
		}
		p.byNear[i] = nearSplit{sub: t, off: off}
	}
}

// defaultPrefilter finds the anchors of the matcher (patterns) in every
// input; signPrefilter the triggers of lineSign (signPatterns), in the
// inputs where a secret asks for them. Both are built on first use: go vet
// starts keyscan once for each package a vetted package depends on (~300
// for a program on the AWS SDK), runs that scan nothing.
var (
	defaultPrefilter = sync.OnceValue(func() *prefilter { return newPrefilter(patterns) })
	// signPrefilter is built the first time a secret asks (its Teddy tables
	// are start-up time every process would pay, the pre-commit hook's too).
	signPrefilter = sync.OnceValue(func() *prefilter { return newPrefilter(signPatterns) })
)

// hits checks the pairs the scan finds against the patterns that own them and
// reports the occurrences.
type hits struct {
	p             *prefilter
	data          []byte
	fn            func(pat int, at int)
	last, lastPat int          // drop a duplicate report of one occurrence
	ctl           *scanControl // set by fn (nil: never asks)
	// skip is ctl.skip as of fn's last report (0 without ctl): read after
	// every report, fn's only chance to move it, so that the scans ask a
	// field of their own after a check and not ctl once a block.
	skip int
}

// scanControl is what the caller of scanStop asks of the scan as it runs,
// from fn.
type scanControl struct {
	// stop: report no more.
	stop bool
	// skip: no report is needed of a pattern whose pair is before this
	// offset (those there are of no use to the caller: a long list of
	// code points is an anchor every 12 bytes, which the matcher passed
	// over at 50 ns each, 70 % of its time on 16 MiB of them; see
	// listAnchor). The scan may still report some.
	skip int
}

// stopped reports whether fn asked to hear no more.
func (h *hits) stopped() bool { return h.ctl != nil && h.ctl.stop }

// check reports the occurrences of the patterns of list whose pair is at j,
// and returns where fn asked the scan to go on from (h.skip). Most entries
// are turned down by one compare of their first eight bytes, in a loop that
// calls found for the others only.
func (h *hits) check(j int, list uint16) int {
	d := h.data
	lim := len(d) - 8 // the last place eight bytes can be read from
	es := h.p.lists[list-1]
	if s := h.p.byNear[list-1]; s.sub != nil {
		// only the entries whose text may hold the byte beside the pair
		// (a text that reaches past the data's ends matches nowhere)
		if k := j + s.off; k >= 0 && k < len(d) {
			n := s.sub[d[k]]
			if n == 0 {
				return h.skip
			}
			es = h.p.nears[n-1]
		}
	}
	for i := range es {
		e := &es[i]
		at := j - int(e.delta)
		if at >= 0 && at <= lim && binary.LittleEndian.Uint64(d[at:at+8])&e.mask != e.head {
			continue
		}
		h.found(e, at)
	}
	return h.skip
}

// found reports the pattern of entry e at at if it stands there: its first
// eight bytes do, or cannot be read at once there. Not inlined, so that
// check's loop keeps its values in registers.
//
//go:noinline
func (h *hits) found(e *pairEntry, at int) {
	d := h.data
	switch n := int(e.n); {
	case n <= 8 && at >= 0 && at+8 <= len(d):
		// the whole text is known to match (most patterns are as short)
	case at < 0 || at+n > len(d):
		return
	case at+16 <= len(d): // the first eight bytes are known to match
		if binary.LittleEndian.Uint64(d[at+8:at+16])&e.mask2 != e.head2 || n > 16 && !h.tail(e.pat, at, n) {
			return
		}
	case !h.short(e.pat, at, n):
		return
	}
	if at == h.last && int(e.pat) == h.lastPat {
		return
	}
	h.last, h.lastPat = at, int(e.pat)
	h.fn(int(e.pat), at)
	if h.ctl != nil {
		h.skip = h.ctl.skip
	}
}

// tail reports whether the text of pattern pat (n bytes) past its first
// sixteen bytes follows them at at.
func (h *hits) tail(pat uint16, at, n int) bool {
	return string(h.data[at+16:at+n]) == h.p.pats[pat].text[16:]
}

// short reports whether pattern pat (n bytes) stands at at, near the end
// of the data (where sixteen bytes cannot be read at once).
func (h *hits) short(pat uint16, at, n int) bool {
	end := at + n
	return at >= 0 && end <= len(h.data) && string(h.data[at:end]) == h.p.pats[pat].text
}

// scan calls fn for every occurrence of every pattern, in increasing order of
// position within each pattern (positions may repeat across patterns).
func (p *prefilter) scan(data []byte, fn func(pat int, at int)) {
	p.scanStop(data, fn, nil)
}

// scanStop is scan that ends soon after fn sets ctl.stop (within the 4 KiB
// the kernel marks at a time): the matcher stops once an input's check
// budget is spent, and a text made of anchors (a keyword every seven
// bytes) costs the prefilter 30 ns an anchor after that point. It passes
// over what fn asks it to (ctl.skip).
func (p *prefilter) scanStop(data []byte, fn func(pat int, at int), ctl *scanControl) {
	h := hits{p: p, data: data, fn: fn, last: -1, lastPat: -1, ctl: ctl}
	if ctl != nil {
		h.skip = ctl.skip
	}
	j := 0
	if p.simd {
		j = p.scanAVX2(&h) // the whole 64-byte blocks; the rest below
	}
	p.scanPairs(&h, j)
}

// scanPairs looks up the pair at every even offset from j (even) on, the
// pure-Go scan.
func (p *prefilter) scanPairs(h *hits, j int) {
	data := h.data
	n := len(data)
	idx := &p.idx
	// Sixteen bytes at a time: eight pairs from two loads, one branch for the
	// common case that no pair of the eight is wanted.
	for ; j+16 <= n; j += 16 {
		b := data[j : j+16 : j+16] // one bounds check for both loads
		w0, w1 := binary.LittleEndian.Uint64(b), binary.LittleEndian.Uint64(b[8:])
		if idx[uint16(w0)]|idx[uint16(w0>>16)]|idx[uint16(w0>>32)]|idx[uint16(w0>>48)]|
			idx[uint16(w1)]|idx[uint16(w1>>16)]|idx[uint16(w1>>32)]|idx[uint16(w1>>48)] == 0 {
			continue
		}
		// The pairs are in the words already loaded.
		for q, w := range [2]uint64{w0, w1} {
			for k := 0; k < 4; k++ {
				if l := idx[uint16(w>>(16*k))]; l != 0 {
					h.check(j+8*q+2*k, l)
				}
			}
		}
		if h.stopped() {
			return
		}
		if h.skip > j+16 {
			j = h.skip&^15 - 16 // j is a multiple of 16 here, and stays one
		}
	}
	for ; j+1 < n; j += 2 {
		if l := idx[pairKey(data[j], data[j+1])]; l != 0 {
			h.check(j, l)
			if h.stopped() {
				return
			}
		}
	}
}
