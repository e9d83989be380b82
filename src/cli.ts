// The CLI entry: oclif with every command registered explicitly, so the whole CLI bundles into one file.
import { execute } from '@oclif/core/execute'
export { COMMANDS } from './commands/index.js'

/** Runs the CLI; `dir` is the URL of the bin script (the package root is found from it). */
export async function run(dir: string): Promise<void> {
  await execute({ dir })
}
