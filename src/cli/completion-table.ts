import type { Config } from '@oclif/core/config'
import type { CompletionCommand } from '../app/complete-words.js'

/** The visible commands and topics of the CLI, with their flags, as shell completion offers them. */
export function completionTable(config: Config): CompletionCommand[] {
  const ids = new Set(config.commands.map((c) => c.id))
  // A topic that is not a command itself (`ledger`) is offered with its description.
  const topics = config.topics
    .filter((t) => !t.hidden && !ids.has(t.name))
    .map((t) => ({ id: t.name.split(':').join(' '), summary: t.description, flags: [] }))
  const commands = config.commands
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
  return [...commands, ...topics]
}
