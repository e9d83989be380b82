/** How many leading bytes of a file `binaryKind` needs: enough for a PE header offset and a zip's first entry name. */
export const HEAD_BYTES = 4096

// OpenSSF Scorecard's Binary-Artifacts list: a file with one of these extensions is a binary when its content is not text.
const BINARY_EXTENSIONS = new Set([
  'crx',
  'deb',
  'dex',
  'dey',
  'elf',
  'o',
  'so',
  'iso',
  'class',
  'jar',
  'bundle',
  'dylib',
  'lib',
  'msi',
  'dll',
  'drv',
  'efi',
  'exe',
  'ocx',
  'pyc',
  'pyo',
  'par',
  'rpm',
  'whl',
])

// Zip-based packages of code, named by extension (a plain .zip of fixtures is not one).
const CODE_ARCHIVES: Record<string, string> = {
  jar: 'Java archive',
  war: 'Java web archive',
  ear: 'Java enterprise archive',
  aar: 'Android library archive',
  apk: 'Android package',
  whl: 'Python wheel',
  egg: 'Python egg',
  par: 'Python archive',
  nupkg: 'NuGet package',
  xpi: 'browser extension',
  vsix: 'VS Code extension',
}

const ELF_TYPES: Record<number, string> = {
  1: 'ELF object file',
  2: 'ELF executable',
  3: 'ELF shared object',
}

const startsWith = (head: Uint8Array, bytes: readonly number[], at = 0) => bytes.every((b, i) => head[at + i] === b)
const ascii = (head: Uint8Array, from: number, to: number) => Buffer.from(head.subarray(from, to)).toString('latin1')

/**
 * What kind of binary artifact a file is, judged by its first bytes (magic numbers: ELF, PE,
 * Mach-O, Java class, WebAssembly, Python bytecode, Java/Android/Python archives, ar, deb, rpm,
 * msi) and, as OpenSSF Scorecard does, by its extension when its content is not text; undefined
 * for anything else (a text file named `.exe` included).
 */
export function binaryKind(path: string, head: Uint8Array): string | undefined {
  if (head.length === 0) return undefined
  const extension = path.includes('.') ? path.slice(path.lastIndexOf('.') + 1).toLowerCase() : ''
  const view = new DataView(head.buffer, head.byteOffset, head.byteLength)
  const u32be = (at: number) => (at + 4 <= head.length ? view.getUint32(at, false) : undefined)
  if (startsWith(head, [0x7f, 0x45, 0x4c, 0x46])) {
    const type = head.length >= 18 ? view.getUint16(16, head[5] !== 2) : 0
    return ELF_TYPES[type] ?? 'ELF file'
  }
  if (startsWith(head, [0x4d, 0x5a])) {
    const pe = head.length >= 0x40 ? view.getUint32(0x3c, true) : 0
    if (pe > 0 && startsWith(head, [0x50, 0x45, 0, 0], pe)) {
      const characteristics = pe + 22 + 2 <= head.length ? view.getUint16(pe + 22, true) : 0
      return characteristics & 0x2000 ? 'Windows DLL' : 'Windows PE executable'
    }
    if (!isText(head)) return 'DOS/Windows executable'
  }
  for (const magic of [
    [0xfe, 0xed, 0xfa, 0xce],
    [0xfe, 0xed, 0xfa, 0xcf],
    [0xce, 0xfa, 0xed, 0xfe],
    [0xcf, 0xfa, 0xed, 0xfe],
  ])
    if (startsWith(head, magic)) return 'Mach-O binary'
  if (startsWith(head, [0xca, 0xfe, 0xba, 0xbe])) {
    // A Java class file and a universal Mach-O share the magic; the next word is a class version (45 and up) or a small count of architectures.
    const next = u32be(4)
    if (next !== undefined) return (next & 0xffff) >= 45 ? 'Java class file' : 'Mach-O universal binary'
  }
  if (startsWith(head, [0xca, 0xfe, 0xba, 0xbf])) return 'Mach-O universal binary'
  if (startsWith(head, [0x00, 0x61, 0x73, 0x6d])) return 'WebAssembly module'
  if (startsWith(head, [0x64, 0x65, 0x78, 0x0a]) || startsWith(head, [0x64, 0x65, 0x79, 0x0a]))
    return 'Android Dalvik executable'
  if (startsWith(head, [0xed, 0xab, 0xee, 0xdb])) return 'RPM package'
  if (startsWith(head, [0x43, 0x72, 0x32, 0x34])) return 'Chrome extension'
  if (ascii(head, 0, 8) === '!<arch>\n')
    return ascii(head, 8, 21) === 'debian-binary' ? 'Debian package' : 'static library (ar archive)'
  if (startsWith(head, [0xd0, 0xcf, 0x11, 0xe0, 0xa1, 0xb1, 0x1a, 0xe1]) && /^ms[imp]$/.test(extension))
    return 'Windows Installer package'
  // Python bytecode: a version magic (`xx 0d` since Python 3), `\r\n`, then flags and a timestamp (with NUL bytes).
  const pycMagic = head[1] === 0x0d || extension === 'pyc' || extension === 'pyo'
  if (pycMagic && head[2] === 0x0d && head[3] === 0x0a && head.length >= 16 && head.subarray(4, 16).includes(0))
    return 'Python bytecode'
  if (startsWith(head, [0x50, 0x4b, 0x03, 0x04])) {
    const kind = zipKind(head, view)
    if (kind) return kind
    if (CODE_ARCHIVES[extension]) return CODE_ARCHIVES[extension]
  }
  if (BINARY_EXTENSIONS.has(extension) && !isText(head)) return `binary .${extension} file`
  return undefined
}

/** A zip whose first entry shows a package of code: META-INF (Java), AndroidManifest.xml or classes.dex, *.dist-info (wheel). */
function zipKind(head: Uint8Array, view: DataView): string | undefined {
  if (head.length < 30) return undefined
  const length = view.getUint16(26, true)
  const name = ascii(head, 30, Math.min(head.length, 30 + length))
  if (name.startsWith('META-INF/')) return 'Java archive'
  if (name === 'AndroidManifest.xml' || name === 'classes.dex') return 'Android package'
  if (/^[^/]+\.dist-info\//.test(name)) return 'Python wheel'
  return undefined
}

/** True when bytes read as text: no NUL, and few control characters other than whitespace and escape. */
function isText(head: Uint8Array): boolean {
  let control = 0
  for (const byte of head) {
    if (byte === 0) return false
    if (byte < 0x20 && byte !== 0x09 && byte !== 0x0a && byte !== 0x0d && byte !== 0x0c && byte !== 0x1b) control++
  }
  return control * 10 < head.length
}
