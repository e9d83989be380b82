/** One flag as the quick parser reads it: the same name, letter, type and limits as the command's oclif flag. */
export interface QuickFlag {
  char?: string
  type: 'boolean' | 'string' | 'integer'
  multiple?: boolean
  options?: readonly string[]
  min?: number
  /** The environment variable that gives the value when the flag is not given. */
  env?: string
  default?: () => string | number
  /** Flags that must be given with this one (a usage error otherwise, which oclif words). */
  dependsOn?: readonly string[]
  exclusive?: readonly string[]
}

/** A command's flags, and whether it takes arguments (`strict: false` commands take any number). */
export interface QuickCommand {
  flags: Record<string, QuickFlag>
  args: boolean
}

export type QuickFlags = Record<string, string | number | boolean | string[] | undefined>

/**
 * Reads argv the way oclif does for the plain forms (`--name`, `--name value`, `--name=value`,
 * `-c value`), with each flag's default, environment variable and limits. Anything else
 * (an unknown or repeated flag, `--`, `-cVALUE`, an argument to a command that takes none, a
 * value out of range, a missing dependency) gives undefined: oclif then parses it and says what is
 * wrong in its own words.
 */
export function parseQuickArgv(
  argv: readonly string[],
  command: QuickCommand,
): { flags: QuickFlags; args: string[] } | undefined {
  const flags: QuickFlags = {}
  const args: string[] = []
  const byChar = new Map(Object.entries(command.flags).flatMap(([name, f]) => (f.char ? [[`-${f.char}`, name]] : [])))
  for (let i = 0; i < argv.length; i++) {
    const word = argv[i]!
    if (!word.startsWith('-') || word === '-') {
      if (!command.args) return undefined
      args.push(word)
      continue
    }
    const eq = word.startsWith('--') ? word.indexOf('=') : -1
    const name = word.startsWith('--') ? word.slice(2, eq < 0 ? undefined : eq) : byChar.get(word)
    const flag = name === undefined ? undefined : command.flags[name]
    if (!flag || name === undefined) return undefined
    if (flag.type === 'boolean') {
      if (eq >= 0 || flags[name] !== undefined) return undefined
      flags[name] = true
      continue
    }
    const raw = eq >= 0 ? word.slice(eq + 1) : argv[++i]
    if (raw === undefined || (eq < 0 && raw.startsWith('-'))) return undefined
    const value = flagValue(flag, raw)
    if (value === undefined) return undefined
    // oclif reads the words after a repeatable flag's value as more values.
    if (flag.multiple && argv[i + 1] !== undefined && !argv[i + 1]!.startsWith('-')) return undefined
    if (flag.multiple) flags[name] = [...((flags[name] as string[] | undefined) ?? []), String(value)]
    else if (flags[name] !== undefined) return undefined
    else flags[name] = value
  }
  return withDefaults(flags, command) ? { flags, args } : undefined
}

/** A flag's value, or undefined when oclif would refuse it. */
function flagValue(flag: QuickFlag, raw: string): string | number | undefined {
  if (flag.options && !flag.options.includes(raw)) return undefined
  if (flag.type !== 'integer') return raw
  if (!/^\d+$/.test(raw)) return undefined
  const value = Number(raw)
  return flag.min !== undefined && value < flag.min ? undefined : value
}

/** Fills in defaults and environment values; false when a flag's dependency or exclusion is not met. */
function withDefaults(flags: QuickFlags, command: QuickCommand): boolean {
  for (const [name, flag] of Object.entries(command.flags)) {
    if (flags[name] !== undefined) {
      if (flag.dependsOn?.some((other) => flags[other] === undefined)) return false
      if (flag.exclusive?.some((other) => flags[other] !== undefined)) return false
      continue
    }
    const fromEnv = flag.env === undefined ? undefined : process.env[flag.env]
    if (fromEnv) {
      const value = flagValue(flag, fromEnv)
      if (value === undefined) return false
      flags[name] = value
    } else if (flag.default) flags[name] = flag.default()
  }
  return true
}
