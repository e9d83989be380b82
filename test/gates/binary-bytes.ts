/** The first bytes of an ELF executable (64-bit, little-endian, `e_type` 2): enough for a content check. */
export function elfBytes(): Buffer {
  const bytes = Buffer.alloc(64)
  bytes.set([0x7f, 0x45, 0x4c, 0x46, 2, 1, 1])
  bytes.writeUInt16LE(2, 16)
  bytes.writeUInt16LE(0x3e, 18)
  return bytes
}

/** A Windows PE stub: `MZ`, the PE header offset at 0x3c, and `PE\0\0` there. */
export function peBytes(dll = false): Buffer {
  const bytes = Buffer.alloc(0x100)
  bytes.write('MZ', 0, 'latin1')
  bytes.writeUInt32LE(0x80, 0x3c)
  bytes.write('PE\0\0', 0x80, 'latin1')
  bytes.writeUInt16LE(0x8664, 0x84)
  bytes.writeUInt16LE(dll ? 0x2022 : 0x0022, 0x80 + 22)
  return bytes
}

/** A zip whose first entry is `name` (stored, as `jar` writes META-INF/MANIFEST.MF first). */
export function zipBytes(name: string, content = 'Manifest-Version: 1.0\r\n'): Buffer {
  const data = Buffer.from(content)
  const header = Buffer.alloc(30)
  header.writeUInt32LE(0x04034b50, 0)
  header.writeUInt16LE(10, 4)
  header.writeUInt32LE(data.length, 18)
  header.writeUInt32LE(data.length, 22)
  header.writeUInt16LE(name.length, 26)
  return Buffer.concat([header, Buffer.from(name, 'latin1'), data])
}
