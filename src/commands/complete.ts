import { Command } from '@oclif/core/command'
import { completeWords, type CompletionCommand } from '../app/complete-words.js'
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
      const lines = completeWords(words.length ? words : [''], this.commandTable(), {
        phases: ({ cwd, plan }) => phaseIds(cwd ?? process.cwd(), plan),
        presets: () => Object.entries(BUILTIN_PHASES).map(([id, p]) => ({ id, name: p.name })),
      })
      if (lines.length) process.stdout.write(`${lines.join('\n')}\n`)
    } catch {
      // A broken plan or folder offers nothing rather than printing an error into the user's prompt.
    }
  }

  private commandTable(): CompletionCommand[] {
    return this.config.commands
      .filter((c) => !c.hidden)
      .map((c) => ({
        id: c.id.split(':').join(' '),
        summary: c.summary ?? c.description?.split('\n')[0],
        flags: [
          ...Object.entries(c.flags)
            .filter(([, f]) => !f.hidden)
            .map(([name, f]) => ({
              name,
              ...(f.char ? { char: f.char } : {}),
              ...(f.summary ? { summary: f.summary } : {}),
              takesValue: f.type === 'option',
              ...(f.type === 'option' && f.options ? { options: f.options } : {}),
              ...(f.type === 'option' && f.helpValue ? { helpValue: String(f.helpValue) } : {}),
            })),
          { name: 'help', summary: 'Show help.', takesValue: false },
        ],
      }))
  }
}
