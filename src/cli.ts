// The CLI entry: oclif with every command registered explicitly, so the whole CLI bundles into one file.
import { execute } from '@oclif/core/execute'
import { settings } from '@oclif/core/settings'
export { COMMANDS } from './commands/index.js'

/** Runs the CLI; `dir` is the package root (where oclif reads package.json). */
export async function run(dir: string): Promise<void> {
  // wf ships compiled JavaScript; without this oclif looks for TypeScript sources whenever NODE_ENV is test or development.
  settings.enableAutoTranspile = false
  await execute({ dir })
}
