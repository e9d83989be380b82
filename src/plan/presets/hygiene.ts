import { FIXES } from './fixes.js'
import type { Preset } from './preset.js'

// Test fixtures often hold throwaway keys and conflict samples on purpose.
const FIXTURES = '**/{test,tests,testdata,__tests__,fixtures,__fixtures__}/**'
// A line that opens or closes a merge conflict. Not `=======`, the middle marker: alone on a line it
// is also a Markdown or reStructuredText heading underline, and a real conflict always has the other two.
const CONFLICT_MARKER = String.raw`^(?:<{7}|>{7})(?: |\r?$)`
// The header and the start of a key's body (after PEM headers such as `Proc-Type:`, and quotes, `|` margins or `\n`
// escapes when the key sits in source code): code that only writes the header to encode a key is not a key.
const PRIVATE_KEY_BLOCK = String.raw`-----BEGIN [A-Z0-9 ]*PRIVATE KEY(?: BLOCK)?-----(?:[\s"'|+,]|\\[nr])*(?:[A-Za-z-]+:[^\n]*\n(?:[\s"'|+,]|\\[nr])*){0,4}[A-Za-z0-9+/]{32}`
const KEY_FILES: [string, string] = ['**/{id_rsa,id_dsa,id_ecdsa,id_ed25519}', '**/*.{p12,pfx,jks,keystore,key}']

/** Repository hygiene: what should never be committed. */
export const HYGIENE_PRESETS: Record<string, Preset> = {
  'repo-hygiene': {
    name: 'Repository hygiene',
    category: 'hygiene',
    tags: ['hygiene', 'large-files', 'keys', 'secrets', 'merge-conflicts'],
    description:
      'A file committed once stays in every clone forever: large files make the repository slow to clone, a committed private key must be treated as leaked, and a leftover merge-conflict marker means a file was committed half merged. Files Git LFS stores do not count as large. Key files and private-key blocks under test fixture folders (test, tests, testdata, __tests__, fixtures) are left out, where throwaway keys are kept on purpose. Repolinter and Scorecard have no such checks; the `secrets` preset finds credentials of known services.',
    gates: [
      {
        name: 'no file larger than 5 MB',
        'large-files': '5MB',
        fix: FIXES.largeFiles,
        hint: 'remove the file from the repository (and from history: `git filter-repo`), publish it as a release asset, or track it with Git LFS; `exclude` it if it belongs',
      },
      {
        name: 'no key files',
        'files-absent': {
          paths: KEY_FILES,
          exclude: FIXTURES,
        },
        fix: FIXES.secrets,
        hint: 'delete the key file, rotate the key (it is in git history), and keep keys in a secret store; add the pattern to .gitignore',
      },
      {
        name: 'no private key blocks',
        // Key files are reported once, by the gate above.
        forbid: { patterns: [PRIVATE_KEY_BLOCK], exclude: [FIXTURES, ...KEY_FILES] },
        fix: FIXES.secrets,
        hint: 'remove the private key, rotate it (it is in git history) and load it from a secret store at run time; a public certificate (`BEGIN CERTIFICATE`) is fine',
      },
      {
        name: 'no merge-conflict markers',
        forbid: { patterns: [CONFLICT_MARKER], exclude: FIXTURES },
        fix: FIXES.conflictMarkers,
        hint: 'finish the merge: choose the right lines between `<<<<<<<` and `>>>>>>>`, delete the markers, and commit again',
      },
    ],
  },
  'binary-artifacts': {
    name: 'No binary artifacts',
    category: 'supply-chain',
    tags: ['binaries', 'supply-chain', 'scorecard', 'reproducible-builds'],
    description:
      "A committed executable or library cannot be reviewed and may not match its source: build it in CI instead. Follows OpenSSF Scorecard's Binary-Artifacts (content types, and its extension list when the content is not text), and also finds a binary by its first bytes whatever its name (an ELF file named `tool.txt`), Java, Android and Python archives, WebAssembly, and ar, deb, rpm and msi packages. Differences: Scorecard accepts `gradle-wrapper.jar` once its checksum matches a Gradle release (online); wf, offline, allows `gradle/wrapper/gradle-wrapper.jar` by path without checking it. Scorecard counts every binary against its score; wf fails on any. Repolinter's `binaries-not-present` forbids `*.exe` and `*.dll` by name; wf judges content, so a text file named `.exe` passes and a renamed executable does not.",
    gates: [
      {
        name: 'no binary artifacts',
        binaries: { allow: '**/gradle/wrapper/gradle-wrapper.jar' },
        fix: FIXES.binaries,
        hint: 'delete the binary and build it from source in CI (publish it as a release asset if users need it); list a vetted one under `allow`, or `exclude` test fixtures',
      },
    ],
  },
}
