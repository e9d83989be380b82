// The CLI runner: oclif with every command registered explicitly (src/commands/index.ts, the bundle's entry).
import { readFileSync } from 'node:fs'
import { join } from 'node:path'
import { execute } from '@oclif/core/execute'
import { settings } from '@oclif/core/settings'

/** Runs the CLI; `dir` is the package root (where oclif reads package.json). */
export async function run(dir: string): Promise<void> {
  // wf ships compiled JavaScript; without this oclif looks for TypeScript sources whenever NODE_ENV is test or development.
  settings.enableAutoTranspile = false
  // wf has no plugins: oclif need not look for user or development plugins, nor search for package.json.
  const pjson = JSON.parse(readFileSync(join(dir, 'package.json'), 'utf8'))
  await execute({ loadOptions: { root: dir, pjson, userPlugins: false, devPlugins: false } })
}
