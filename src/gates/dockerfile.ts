import { mapLimit, READ_AHEAD, toList } from '../lib/files.js'
import type { ResultLocation } from '../ledger/ledger.js'
import type { DockerfileGate } from '../plan/plan.generated.js'
import { type DockerfileInstruction, dockerfileParse, lineAt } from './dockerfile-parse.js'
import { findFiles, inputGlobs } from './file-options.js'
import type { GateKind } from './gate-kind.js'
import { remoteScripts } from './remote-scripts.js'

type Rule = 'pinned-base' | 'remote-scripts' | 'latest-tag' | 'root-user'

const DEFAULT_RULES: Rule[] = ['pinned-base', 'remote-scripts']
const DEFAULT_IN = '**/{Dockerfile,Containerfile,*.Dockerfile,*.dockerfile,Dockerfile.*}'
// `Dockerfile.dockerignore` is the ignore file of one Dockerfile, not a Dockerfile; nor is source,
// data or a document that `Dockerfile.*` matches in any case (`dockerfile.ts`, `dockerfile.test.js`).
const NOT_DOCKERFILE =
  /\.(?:dockerignore|[cm]?[jt]sx?|json|md|go|py|rb|rs|java|kts?|cs|php|sh|snap|ya?ml|toml|html?|css|lock)$/i
const DIGEST = /@sha256:[0-9a-f]{64}$/
const VARIABLE = /\$(?:\{([A-Za-z_][A-Za-z0-9_]*)(?::?([-+])([^}]*))?\}|([A-Za-z_][A-Za-z0-9_]*))/g
const SHOWN = 5

type Finding = Required<Pick<ResultLocation, 'file' | 'line' | 'col' | 'message'>>

/** The rules, globs and exclusions of a `dockerfile:` gate, defaults filled in. */
function dockerfileOptions(value: DockerfileGate['dockerfile']) {
  if (value === true) return { rules: DEFAULT_RULES, in: [DEFAULT_IN], exclude: [] as string[] }
  if (Array.isArray(value)) return { rules: value as Rule[], in: [DEFAULT_IN], exclude: [] as string[] }
  return {
    rules: (value.rules ?? DEFAULT_RULES) as Rule[],
    in: value.in ? toList(value.in) : [DEFAULT_IN],
    exclude: value.exclude ? toList(value.exclude) : [],
  }
}

/** `dockerfile:` — Dockerfiles, parsed, pin their base images by digest, run no downloaded script, and (by rule) avoid `latest` and root. */
export const dockerfileGate: GateKind<DockerfileGate> = {
  describe: (gate) => `Dockerfiles: ${dockerfileOptions(gate.dockerfile).rules.join(', ')}`,
  // Names match in any case (`dockerfile`), so the inputs do too.
  inputs: (gate) => inputGlobs(dockerfileOptions(gate.dockerfile).in, true),
  perFile: true,
  async check(gate, { root, only, workspace }) {
    const options = dockerfileOptions(gate.dockerfile)
    const found = await Promise.all(
      options.in.map((p) => findFiles(root, p, { nocase: true, exclude: options.exclude }, only)),
    )
    const files = [...new Set(found.flat())].filter((f) => !NOT_DOCKERFILE.test(f)).sort()
    if (files.length === 0) return { status: 'passed', message: only ? 'no staged Dockerfile' : 'no Dockerfile found' }
    const texts = await mapLimit(files, READ_AHEAD, (file) => workspace.boundary.readFile(file, 'utf8'))
    const findings = files.flatMap((file, i) => judgeDockerfile(file, dockerfileParse(texts[i]!), options.rules))
    const subject = files.length === 1 ? files[0]! : `${files.length} Dockerfiles`
    if (findings.length === 0) return { status: 'passed', message: `${subject}: ${options.rules.join(', ')} hold` }
    const shown = findings
      .slice(0, SHOWN)
      .map((f) => `${f.file}:${f.line}`)
      .join(', ')
    const more = findings.length > SHOWN ? ` and ${findings.length - SHOWN} more` : ''
    return {
      status: 'failed',
      message: `${findings.length} ${findings.length === 1 ? 'finding' : 'findings'} in ${subject}: ${shown}${more}`,
      locations: findings,
    }
  },
}

interface Stage {
  name?: string
  from: DockerfileInstruction
  /** The earlier stage this one builds on. */
  parent?: Stage
  user?: DockerfileInstruction
}

/** The findings of the chosen rules in one parsed Dockerfile. */
function judgeDockerfile(file: string, instructions: DockerfileInstruction[], rules: Rule[]): Finding[] {
  const findings: Finding[] = []
  const at = (instruction: DockerfileInstruction, message: string, line = instruction.line) => {
    const text = instruction.parts.find((p) => p.line === line)?.text ?? instruction.parts[0]!.text
    findings.push({
      file,
      line,
      col: text.length - text.trimStart().length + 1,
      message: `${message}: \`${quote(text)}\``,
    })
  }
  const globalArgs = new Map<string, string | undefined>()
  const stages: Stage[] = []
  const downloaded = new Set<string>()
  for (const instruction of instructions) {
    const { keyword } = instruction
    if (keyword === 'ARG' && stages.length === 0) {
      for (const [name, value] of argDefinitions(instruction.args)) globalArgs.set(name, value)
    } else if (keyword === 'FROM') {
      const { image, name } = fromImage(instruction.args)
      const { value, unresolved } = expand(image, globalArgs)
      const parent = stages.find((s) => s.name !== undefined && s.name === value.toLowerCase())
      stages.push({ name: name?.toLowerCase(), from: instruction, parent })
      if (parent || value.toLowerCase() === 'scratch') continue
      const via = value === image ? '' : ` (from \`${image}\`)`
      if (DIGEST.test(value)) continue
      if (unresolved.length > 0) {
        if (rules.includes('pinned-base'))
          at(
            instruction,
            `base image \`${image}\` depends on build argument ${unresolved.join(', ')}, which has no default: wf cannot tell whether it is pinned`,
          )
        continue
      }
      if (rules.includes('pinned-base')) at(instruction, `base image \`${value}\`${via} is not pinned by a digest`)
      if (rules.includes('latest-tag')) {
        const tag = imageTag(value)
        if (tag === undefined) at(instruction, `base image \`${value}\`${via} has no tag, which means \`latest\``)
        else if (tag === 'latest') at(instruction, `base image \`${value}\`${via} uses the \`latest\` tag`)
      }
    } else if (keyword === 'USER' && stages.length > 0) {
      stages[stages.length - 1]!.user = instruction
    } else if (keyword === 'RUN' && rules.includes('remote-scripts')) {
      const script = shellForm(instruction.args)
      for (const found of remoteScripts(script, downloaded))
        at(instruction, found.message, lineAt(instruction, found.index).line)
      for (const heredoc of instruction.heredocs)
        for (const found of remoteScripts(heredoc.body, downloaded)) {
          const line = heredoc.line + heredoc.body.slice(0, found.index).split('\n').length - 1
          findings.push({
            file,
            line,
            col: 1,
            message: `${found.message}: \`${quote(heredoc.body.split('\n')[line - heredoc.line]!)}\``,
          })
        }
    }
  }
  const last = stages[stages.length - 1]
  if (rules.includes('root-user') && last) {
    let stage: Stage | undefined = last
    while (stage && !stage.user) stage = stage.parent
    if (!stage?.user)
      at(last.from, 'the final stage sets no `USER`, so the container runs as root unless its base image sets a user')
    else {
      const user = expand(stage.user.args.split(/\s+/)[0]!, globalArgs).value.split(':')[0]!
      if (user === 'root' || user === '0') at(stage.user, 'the final stage runs as root')
    }
  }
  return findings.sort((a, b) => a.line - b.line)
}

/** `NAME=value` / `NAME` pairs of an `ARG` instruction (quotes removed; no value: undefined). */
function argDefinitions(args: string): [string, string | undefined][] {
  return [...args.matchAll(/([A-Za-z_][A-Za-z0-9_]*)(?:=("[^"]*"|'[^']*'|\S*))?/g)].map((m) => [
    m[1]!,
    m[2] === undefined ? undefined : m[2].replace(/^["']|["']$/g, ''),
  ])
}

/** The image and stage name of `FROM [--platform=…] IMAGE [AS NAME]`. */
function fromImage(args: string): { image: string; name?: string } {
  const words = args.split(/\s+/).filter((w) => !w.startsWith('--'))
  return { image: words[0] ?? '', name: words[1]?.toLowerCase() === 'as' ? words[2] : undefined }
}

/** `text` with `$NAME`, `${NAME}` and `${NAME:-default}` replaced by build-argument defaults; the names left unresolved. */
function expand(text: string, args: Map<string, string | undefined>): { value: string; unresolved: string[] } {
  const unresolved: string[] = []
  const value = text.replace(VARIABLE, (whole, braced?: string, op?: string, word?: string, plain?: string) => {
    const name = (braced ?? plain)!
    const known = args.get(name)
    if (op === '-') return known || word || ''
    if (op === '+') return known ? (word ?? '') : ''
    if (known !== undefined) return known
    unresolved.push(name)
    return whole
  })
  return { value, unresolved }
}

/** The tag of an image reference (after the last `:` of its last path part), or undefined. */
function imageTag(image: string): string | undefined {
  const last = image.slice(image.lastIndexOf('/') + 1)
  const colon = last.indexOf(':')
  return colon < 0 ? undefined : last.slice(colon + 1)
}

/** A `RUN`'s command line: exec form (`["sh", "-c", "…"]`) joined, shell form without its flags. */
function shellForm(args: string): string {
  // `RUN --mount=… --network=…` flags become spaces, so offsets still point into the original lines.
  if (!args.startsWith('[')) return args.replace(/^(?:--\S+\s+)+/, (flags) => ' '.repeat(flags.length))
  try {
    const words = JSON.parse(args) as unknown
    return Array.isArray(words) ? words.join(' ') : args
  } catch {
    return args
  }
}

const quote = (line: string) => {
  const text = line.trim()
  return text.length > 100 ? `${text.slice(0, 99)}…` : text
}
