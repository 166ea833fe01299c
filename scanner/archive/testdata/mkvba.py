# mkvba.py OUT.bin MARKER: a VBA project (vbaProject.bin) laid out as Office
# writes one (TestVBA): a compound file (version 3, 512-byte sectors) whose
# VBA storage holds the dir stream, _VBA_PROJECT and module streams, each
# module a cache of compiled code then its source compressed as [MS-OVBA]
# 2.4.1 compresses it (copy tokens, a flag byte before every 8 tokens).
# Module1 is over 4096 bytes (regular sectors, its chain interleaved with
# another stream's), Module2 under it (the mini stream); Module3 is left
# out of the dir stream (its source must be looked for). Data, a top-level
# stream, is what Module1's chain is interleaved with.
import random, struct, sys

out, marker = sys.argv[1:3]

def compress(data):
    res = bytearray(b'\x01')
    for c in range(0, len(data), 4096):
        chunk = data[c:c + 4096]; body = bytearray(); pos = 0
        while pos < len(chunk):
            fp = len(body); body.append(0); flags = 0
            for i in range(8):
                if pos >= len(chunk):
                    break
                best, boff = 0, 0
                if pos > 0:
                    bc = max((pos - 1).bit_length(), 4); maxlen = (0xFFFF >> bc) + 3
                    for cand in range(max(0, pos - (1 << (16 - bc))), pos):
                        l = 0
                        while pos + l < len(chunk) and l < maxlen and chunk[cand + l] == chunk[pos + l]:
                            l += 1
                        if l > best:
                            best, boff = l, pos - cand
                if best >= 3:
                    body += struct.pack('<H', ((boff - 1) << (16 - bc)) | (best - 3)); flags |= 1 << i; pos += best
                else:
                    body.append(chunk[pos]); pos += 1
            body[fp] = flags
        if len(body) > 4096:
            res += struct.pack('<H', 0x3000 | 4095) + chunk.ljust(4096, b'\0')
        else:
            res += struct.pack('<H', 0xB000 | (len(body) - 1)) + body
    return bytes(res)

def source(name, lines):
    return ('Attribute VB_Name = "%s"\r\n' % name + ''.join(l + '\r\n' for l in lines)).encode('latin-1')

m1 = source('Module1', ["' uploads the report to S3", 'Const AWS_SECRET_ACCESS_KEY As String = "%s-module1"' % marker,
                        'Sub Upload()', '    MsgBox "uploading"', 'End Sub'] + ["' line %d of padding, padding, padding" % i for i in range(200)])
m2 = source('Module2', ['Const TOKEN As String = "%s-module2"' % marker])
m3 = source('Module3', ['Const NOTE As String = "%s-module3"' % marker])
rng = random.Random(16)  # seeded: a run is the same every time (vba.Find is tested over many seeds in Go)
pcode = lambda n: bytes([1, 0x30, 0, 0xff, 1, 1, 0xb0]) + rng.randbytes(n)  # compiled code: random, with 0x01 bytes
mods = [('Module1', pcode(300), m1), ('Module2', pcode(40), m2)]
rec = lambda i, d: struct.pack('<HI', i, len(d)) + d
d = rec(0x01, struct.pack('<I', 1)) + rec(0x02, struct.pack('<I', 0x409)) + struct.pack('<HIIH', 0x09, 4, 1, 2)
d += rec(0x03, struct.pack('<H', 1252)) + rec(0x04, b'VBAProject') + rec(0x0f, struct.pack('<H', len(mods)))
for name, pc, src in mods:
    d += rec(0x19, name.encode()) + rec(0x47, name.encode('utf-16le')) + rec(0x1a, name.encode())
    d += rec(0x32, name.encode('utf-16le')) + rec(0x31, struct.pack('<I', len(pc))) + rec(0x21, b'') + rec(0x2b, b'')
d += rec(0x10, b'')
streams = {'VBA/dir': compress(d), 'VBA/_VBA_PROJECT': b'\xcc\x61\xff\xff\x00\x00\x00',
           'PROJECT': b'ID="{00000000-0000-0000-0000-000000000000}"\r\nModule=Module1\r\nModule=Module2\r\n'}
for name, pc, src in mods:
    streams['VBA/' + name] = pc + compress(src)
streams['VBA/Module3'] = pcode(20) + compress(m3)
streams['Data'] = rng.randbytes(5000)
assert len(streams['VBA/Module1']) > 4096 and len(streams['VBA/Module2']) < 4096

SS, MS, END, FREE = 512, 64, 0xFFFFFFFE, 0xFFFFFFFF
big = [n for n in streams if len(streams[n]) >= 4096]
small = [n for n in streams if len(streams[n]) < 4096]
ministream, minifat, start = bytearray(), [], {}
for n in small:
    data = streams[n]; k = (len(data) + MS - 1) // MS; s0 = len(ministream) // MS; start[n] = s0
    minifat += [s0 + i + 1 for i in range(k - 1)] + [END]; ministream += data.ljust(k * MS, b'\0')
sectors, fat = [], []  # sectors: bytes of each; fat: next pointers
def alloc(data, order=None):
    k = max(1, (len(data) + SS - 1) // SS)
    idx = order if order else list(range(len(sectors), len(sectors) + k))
    for i in idx:
        while len(sectors) <= i:
            sectors.append(b'\0' * SS); fat.append(FREE)
    for j, i in enumerate(idx):
        sectors[i] = data[j * SS:(j + 1) * SS].ljust(SS, b'\0'); fat[i] = idx[j + 1] if j + 1 < len(idx) else END
    return idx[0]
nfat = 1
sectors.append(b''); fat.append(0xFFFFFFFD)  # sector 0: the FAT
# Module1 and Filler interleaved: their chains jump.
a, b = big
ka, kb = [(len(streams[x]) + SS - 1) // SS for x in (a, b)]
base = len(sectors); slots = list(range(base, base + ka + kb))
start[a] = alloc(streams[a], slots[0:2 * min(ka, kb):2] + slots[2 * min(ka, kb):][:max(0, ka - kb)])
rest = [s for s in slots if s >= len(fat) or fat[s] == FREE]
start[b] = alloc(streams[b], rest)
mfat = alloc(b''.join(struct.pack('<I', x) for x in minifat))
mroot = alloc(bytes(ministream))

def dirent(name, typ, child=FREE, right=FREE, st=END, size=0):
    n = (name + '\0').encode('utf-16le')
    return (n.ljust(64, b'\0') + struct.pack('<HBB', len(n), typ, 1) + struct.pack('<III', FREE, right, child)
            + b'\0' * 36 + struct.pack('<IQ', st, size))
names = list(streams)
vba = [n for n in names if n.startswith('VBA/')]
top = [n for n in names if not n.startswith('VBA/')]
# entries: 0 root, 1 VBA storage, then VBA's streams, then top streams; siblings chained by right links
ents = [None, None]
ids = {}
for n in vba + top:
    ids[n] = len(ents); ents.append(n)
def chain_right(ns, i):
    return ids[ns[i + 1]] if i + 1 < len(ns) else FREE
dirb = dirent('Root Entry', 5, child=1, st=mroot, size=len(ministream))
dirb += dirent('VBA', 1, child=ids[vba[0]], right=ids[top[0]] if top else FREE)
for i, n in enumerate(vba):
    dirb += dirent(n[4:], 2, right=chain_right(vba, i), st=start[n], size=len(streams[n]))
for i, n in enumerate(top):
    dirb += dirent(n, 2, right=chain_right(top, i), st=start[n], size=len(streams[n]))
dsec = alloc(dirb)
assert len(fat) <= SS // 4
sectors[0] = b''.join(struct.pack('<I', x) for x in fat + [FREE] * (SS // 4 - len(fat)))
hdr = (b'\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1' + b'\0' * 16 + struct.pack('<HHHHH', 0x3E, 3, 0xFFFE, 9, 6) + b'\0' * 6
       + struct.pack('<IIIIIIIII', 0, nfat, dsec, 0, 4096, mfat, 1, END, 0)
       + struct.pack('<I', 0) + struct.pack('<I', FREE) * 108)
open(out, 'wb').write(hdr + b''.join(sectors))
