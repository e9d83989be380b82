/** A flag of a command, as completion needs it. */
export interface CompletionFlag {
  name: string
  char?: string
  summary?: string
  /** The flag takes a value (and which values, when they are fixed). */
  takesValue: boolean
  options?: readonly string[]
  helpValue?: string
}

/** A command, as completion needs it: its id with spaces (`ledger merge`), summary and flags. */
export interface CompletionCommand {
  id: string
  summary?: string
  flags: CompletionFlag[]
}

/** Where dynamic values come from (read only when asked for). */
export interface CompletionValues {
  phases: (at: { cwd?: string; plan?: string }) => { id: string; name?: string }[]
  presets: () => { id: string; name?: string }[]
}

/** The word completion prints when the value is a path: each shell then completes files. */
export const FILES = ':files'

// Commands whose arguments, and flags whose values, are phase ids or preset names.
const PHASE_ARGS = new Set(['run-phase', 'explain', 'approve', 'check'])
const PHASE_FLAGS = new Set(['only', 'from'])
const PRESET_ARGS = new Set(['presets show'])

const line = (value: string, description?: string) =>
  description ? `${value}\t${description.replace(/\s+/g, ' ')}` : value

/**
 * The candidates for the last of `words` (the word being completed; the words before it are what
 * follows the binary's name), one per line as `VALUE` or `VALUE<TAB>DESCRIPTION`, or `:files`.
 */
export function completeWords(words: string[], commands: CompletionCommand[], values: CompletionValues): string[] {
  // bash splits `--flag=value` at `=` into three words; zsh and fish keep one.
  const joined = words.filter((w, i) => !(w === '=' && words[i - 1]?.startsWith('--')))
  const attached = /^(--[^=]+)=(.*)$/s.exec(joined.at(-1) ?? '')
  if (attached) {
    const [, flag, value] = attached as unknown as [string, string, string]
    return completeWords([...joined.slice(0, -1), flag, value], commands, values).map((l) =>
      l === FILES ? l : `${flag}=${l}`,
    )
  }
  return completeNext(joined, commands, values)
}

function completeNext(words: string[], commands: CompletionCommand[], values: CompletionValues): string[] {
  const current = words.at(-1) ?? ''
  const before = words.slice(0, -1)
  const ids = new Map(commands.map((c) => [c.id, c]))
  // The longest run of leading words that names a command (`ledger merge`).
  let command: CompletionCommand | undefined
  let used = 0
  for (let n = 1; n <= before.length; n++) {
    const found = ids.get(before.slice(0, n).join(' '))
    if (found) {
      command = found
      used = n
    } else if (!commands.some((c) => c.id.startsWith(`${before.slice(0, n).join(' ')} `))) break
  }
  const rest = before.slice(used)
  const starts = (candidates: string[]) => candidates.filter((c) => c.startsWith(current))

  if (!command || (rest.length === 0 && !current.startsWith('-'))) {
    // The next word of a command id (`ledger` → `merge`, `verify`); for a complete command, also its arguments.
    const typed = before.join(' ')
    const next = new Map<string, string | undefined>()
    for (const c of commands) {
      if (typed && !c.id.startsWith(`${typed} `)) continue
      const tail = c.id.slice(typed ? typed.length + 1 : 0)
      const word = tail.split(' ')[0] as string
      if (word.startsWith(current)) next.set(word, word === tail ? c.summary : next.get(word))
    }
    const words = [...next].map(([w, s]) => line(w, s))
    return command ? [...words, ...argumentValues(command, rest, values, current)] : words
  }

  const flags = command.flags
  const findFlag = (word: string) =>
    word.startsWith('--')
      ? flags.find((f) => f.name === word.slice(2))
      : word.length === 2 && word.startsWith('-')
        ? flags.find((f) => f.char === word[1])
        : undefined
  const previous = findFlag(rest.at(-1) ?? '')
  if (previous?.takesValue) {
    if (previous.options) return starts([...previous.options])
    if (PHASE_FLAGS.has(previous.name)) return phaseLines(values, rest, current)
    if (/FILE|DIR|PATH/.test(previous.helpValue ?? '')) return [FILES]
    return []
  }
  if (current.startsWith('-')) {
    const given = new Set(rest.filter((w) => w.startsWith('--')).map((w) => w.slice(2)))
    return flags
      .filter((f) => `--${f.name}`.startsWith(current) && (!given.has(f.name) || PHASE_FLAGS.has(f.name)))
      .map((f) => line(`--${f.name}`, f.summary))
  }
  return argumentValues(command, rest, values, current)
}

function argumentValues(
  command: CompletionCommand,
  rest: string[],
  values: CompletionValues,
  current: string,
): string[] {
  const id = command.id
  if (PHASE_ARGS.has(id)) return phaseLines(values, rest, current)
  if (PRESET_ARGS.has(id))
    return values
      .presets()
      .filter((p) => p.id.startsWith(current))
      .map((p) => line(p.id, p.name))
  return []
}

/** Phase ids of the plan that `--cwd` and `--plan` among the words point at, leaving out those already named. */
function phaseLines(values: CompletionValues, rest: string[], current: string): string[] {
  const after = (flag: string) => {
    const i = rest.lastIndexOf(flag)
    return i >= 0 ? rest[i + 1] : undefined
  }
  const named = new Set(rest)
  return values
    .phases({ cwd: after('--cwd'), plan: after('--plan') })
    .filter((p) => p.id.startsWith(current) && !named.has(p.id))
    .map((p) => line(p.id, p.name))
}
