// Before the suite: rebuilds dist/ when a source it is built from is newer, so tests that spawn
// bin/run.js never run yesterday's build.
import { execFileSync } from 'node:child_process'
import { readdirSync, statSync } from 'node:fs'
import { join } from 'node:path'
import { fileURLToPath } from 'node:url'

const repoRoot = fileURLToPath(new URL('..', import.meta.url))

/** The newest modification time of the files under `path`. */
function newest(path: string): number {
  const info = statSync(path, { throwIfNoEntry: false })
  if (!info) return 0
  if (!info.isDirectory()) return info.mtimeMs
  return Math.max(0, ...readdirSync(path).map((name) => newest(join(path, name))))
}

export default function setup(): void {
  const built = newest(join(repoRoot, 'dist', 'cli.cjs'))
  const sources = Math.max(
    ...['src', 'scripts/build.js', 'package.json', 'contracts', 'bin'].map((p) => newest(join(repoRoot, p))),
  )
  if (built >= sources) return
  process.stderr.write('dist/ is older than src/: building it first\n')
  execFileSync(process.execPath, [join(repoRoot, 'scripts', 'build.js')], { cwd: repoRoot, stdio: 'inherit' })
}
