import { Command } from '@oclif/core/command'
import { completeWords } from '../app/complete-words.js'
import { completionTable } from '../cli/completion-table.js'
import { phaseIds } from '../app/phase-ids.js'
import { BUILTIN_PHASES } from '../plan/builtin-phases.js'

/** `wf __complete -- WORDS…`: the candidates the completion scripts offer for the last word; never fails. */
export default class Complete extends Command {
  static override hidden = true
  static override strict = false
  static override summary = 'Print completion candidates for the words after `wf` (used by `wf completion` scripts).'

  async run() {
    const words = this.argv[0] === '--' ? this.argv.slice(1) : this.argv
    try {
      const lines = completeWords(words.length ? words : [''], completionTable(this.config), {
        phases: ({ cwd, plan }) => phaseIds(cwd ?? process.cwd(), plan),
        presets: () => Object.entries(BUILTIN_PHASES).map(([id, p]) => ({ id, name: p.name })),
      })
      if (lines.length) process.stdout.write(`${lines.join('\n')}\n`)
    } catch {
      // A broken plan or folder offers nothing rather than printing an error into the user's prompt.
    }
  }
}
