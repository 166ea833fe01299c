# mkpyinst.py OUT LAYOUT: a PyInstaller one-file executable laid out as
# PyInstaller writes one (TestPyInstaller): a bootloader stand-in, then
# the CArchive (entries zlib-compressed or stored, the table of
# contents, the cookie), the PYZ of modules as an entry of its own.
# LAYOUT: "6" (PyInstaller 6: 88-byte cookie, PYZ table a list of
# (name, (typecode, pos, length))), "5" (a dict of (ispkg, pos, length)),
# "2.0" (24-byte cookie), "signed" (6, then a signature after the cookie).
import marshal, struct, sys, zlib

out, layout = sys.argv[1:3]
code = lambda src, name: marshal.dumps(compile(src, name, 'exec'))
mods = [('settings', code('SECRET = "settings module: aws_secret_access_key marker-pyz-1"\n', 'settings.py')),
        ('pkg.util', code('TOKEN = "util module: marker-pyz-2"\n', 'util.py'))]
pyz = bytearray(b'PYZ\0' + b'\xcb\r\r\n' + b'\0\0\0\0')
toc = []
for name, data in mods:
    c = zlib.compress(data)
    toc.append((name, (0 if layout != '5' else False, len(pyz), len(c))))
    pyz += c
pyz[8:12] = struct.pack('!i', len(pyz))
pyz += marshal.dumps(dict(toc) if layout == '5' else toc)

entries = [('pyiboot01_bootstrap', 'm', code('import sys\n', 'boot'), 1),
           ('upload', 's', code('KEY = "entry script: marker-script"\n', 'upload.py'), 1),
           ('PYZ-00.pyz', 'z', bytes(pyz), 0),
           ('config/app.env', 'x', b'aws_secret_access_key = marker-data\n', 1)]
boot = b'\x7fELF\x02\x01\x01' + b'\0' * 57 + b'bootloader stand-in\0' * 200
pkg, tocb = bytearray(), bytearray()
for name, typ, data, comp in entries:
    c = zlib.compress(data, 9) if comp else data
    pos = len(pkg)
    pkg += c
    nm = name.encode() + b'\0'
    nm += b'\0' * ((16 - (18 + len(nm)) % 16) % 16)
    tocb += struct.pack('!iIIIBc', 18 + len(nm), pos, len(c), len(data), comp, typ.encode()) + nm
toc_pos = len(pkg)
pkg += tocb
if layout == '2.0':
    pkg += struct.pack('!8siiii', b'MEI\014\013\012\013\016', len(pkg) + 24, toc_pos, len(tocb), 27)
else:
    pkg += struct.pack('!8sIIii64s', b'MEI\014\013\012\013\016', len(pkg) + 88, toc_pos, len(tocb), 311, b'libpython3.11.so.1.0')
tail = b'\0' * 8 + b'a signature after the archive' * 100 if layout == 'signed' else b''
open(out, 'wb').write(boot + bytes(pkg) + tail)
