/** A place in a shell script where code fetched from the network is run. */
export interface RemoteScript {
  /** Offset in the script of the command that downloads or runs it. */
  index: number
  message: string
}

const DOWNLOADER = /^(?:curl|wget)(?:\.exe)?$/
const INTERPRETER = /^(?:(?:ba|da|z|k|a|fi|tc|c)?sh|python[0-9.]*|perl|ruby|node|php)$/
// Words that run the next word as the command: `sudo -E bash`, `env X=1 sh`.
const PREFIX = /^(?:sudo|env|exec|command|time|nice|nohup)$/
const SEPARATOR = /&&|\|\||;|\n|\|/g
// The command word after `$(`, `<(` or a backquote; it stops before the next opener, so a scan stays linear.
const INLINE_COMMAND = /(?:\$\(|<\(|`)\s*([^\s()`$<>;|&]*)/g
// Checksum and signature tools: a downloaded file they check is no longer run unverified.
const VERIFIER = /^(?:sha(?:1|224|256|384|512)sum|shasum|b2sum|gpgv?|cosign|minisign|signify|slsa-verifier|openssl)$/
// The words that make them check rather than print a sum or sign: `-c`, `--check`, `--verify`, `verify-blob`, `minisign -Vm`.
const CHECKING = /^(?:-[A-Za-z]*[cV][A-Za-z]*|--check|-?-verify|verify(?:-[a-z]+)?)$/
// A backslash-newline joins lines.
const CONTINUATION = /\\\r?\n/g
// What may come before a `#` that starts a comment.
const WORD_START = /[\s;&|()]/

interface Command {
  index: number
  words: string[]
  /** Set when the command is piped into the next one. */
  piped: boolean
}

/**
 * Where a shell script runs what it downloads: `curl … | sh` (also through `sudo`, in any stage of
 * the pipe), `sh -c "$(curl …)"`, `bash <(wget …)`, and `curl -o x.sh … && sh x.sh` unless a
 * checksum or signature tool checked it in between (`downloaded` carries the files fetched by
 * earlier scripts of the same file or job, such as earlier `RUN`s or steps).
 */
export function remoteScripts(script: string, downloaded = new Set<string>()): RemoteScript[] {
  const found: RemoteScript[] = []
  // Blanked rather than removed, so offsets still point into the script.
  const commands = splitCommands(blankComments(script.replace(CONTINUATION, (joint) => ' '.repeat(joint.length))))
  let fetching: { index: number; by: string } | undefined
  let previous: Command | undefined
  for (const command of commands) {
    const fed = previous?.piped ? previous.words : []
    previous = command
    let [program, ...rest] = stripPrefix(command.words)
    let name = program ? basename(program) : ''
    // `sh -c "curl … | sh"`: the command is the string after `-c`.
    if (INTERPRETER.test(name) && rest[0] === '-c' && rest.length > 1 && !inlineFetch(command.words.join(' '))) {
      ;[program, ...rest] = stripPrefix([unquote(rest[1]!), ...rest.slice(2)])
      name = program ? basename(program) : ''
    }
    if (DOWNLOADER.test(name)) {
      fetching = fetching ?? { index: command.index, by: name }
      for (const file of outputFiles(name, rest)) downloaded.add(file)
    } else if (VERIFIER.test(name) && (name === 'gpgv' || rest.some((w) => CHECKING.test(w)))) {
      // `echo "… x.sh" | sha256sum -c`, `gpg --verify x.sh.asc`: the downloads named (or whose `.asc`, `.sha256`… is); `sha256sum -c SUMS` checks them all.
      const words = [...rest, ...fed].map((w) => unquote(w).replace(/^\.\//, ''))
      const named = [...downloaded].filter((f) => words.some((w) => w === f || w.startsWith(`${f}.`)))
      if (named.length === 0) downloaded.clear()
      for (const file of named) downloaded.delete(file)
    } else if (INTERPRETER.test(name)) {
      const inline = inlineFetch(command.words.join(' '))
      const operand = rest.find((w) => !w.startsWith('-'))
      if (fetching && runsStdin(name, rest))
        found.push({
          index: fetching.index,
          message: `a script downloaded by ${fetching.by} is piped into ${name}`,
        })
      else if (inline) found.push({ index: command.index, message: `${name} runs a script downloaded by ${inline}` })
      else if (operand !== undefined && isDownloaded(downloaded, operand))
        found.push({
          index: command.index,
          message: `${name} runs ${unquote(operand)}, downloaded by an earlier command`,
        })
    } else if (program !== undefined && isDownloaded(downloaded, program)) {
      found.push({ index: command.index, message: `${unquote(program)} is run after being downloaded` })
    }
    if (!command.piped) fetching = undefined
  }
  return found
}

/** `script` with each comment (a `#` starting a word, outside quotes, to the end of its line) turned into spaces. */
function blankComments(script: string): string {
  const chars = script.split('')
  let quote: string | undefined
  for (let i = 0; i < chars.length; i++) {
    const c = chars[i]!
    if (quote) {
      if (c === '\\' && quote === '"') i++
      else if (c === quote) quote = undefined
    } else if (c === '\\') i++
    else if (c === '"' || c === "'") quote = c
    else if (c === '#' && (i === 0 || WORD_START.test(chars[i - 1]!)))
      for (; i < chars.length && chars[i] !== '\n'; i++) chars[i] = ' '
  }
  return chars.join('')
}

/** The downloader (`curl`, `wget`) whose output `$(…)`, `<(…)` or a backquote hands to the command, if any. */
function inlineFetch(text: string): string | undefined {
  for (const match of text.matchAll(INLINE_COMMAND)) {
    const name = basename(match[1]!)
    if (DOWNLOADER.test(name)) return name.replace(/\.exe$/, '')
  }
  return undefined
}

/**
 * Whether an interpreter runs the script it reads on stdin: not with code of its own (`sh -c …`,
 * `python3 -m json.tool`, `node -e …`, `perl -ne …`) nor with a local script file as operand
 * (then what is piped in is data); `sh -s -- --yes` and `python3 -` do.
 */
function runsStdin(name: string, words: string[]): boolean {
  const shell = /sh$/.test(name)
  const operand = words.find((w) => !w.startsWith('-'))
  if (shell) {
    if (words.some((w) => /^-[a-zA-Z]*c[a-zA-Z]*$/.test(w))) return false
    if (words.some((w) => /^-[a-zA-Z]*s[a-zA-Z]*$/.test(w))) return true
  } else if (words.some((w) => /^-[a-zA-Z]*[cemr]$/.test(w))) return false
  return operand === undefined
}

/** Commands (words and offset) separated by `&&`, `||`, `;`, newlines and pipes. */
function splitCommands(script: string): Command[] {
  const commands: Command[] = []
  let start = 0
  const add = (end: number, piped: boolean) => {
    const text = script.slice(start, end)
    const lead = text.length - text.trimStart().length
    const words = text.trim().split(/\s+/).filter(Boolean)
    if (words.length > 0) commands.push({ index: start + lead, words, piped })
  }
  for (const match of script.matchAll(SEPARATOR)) {
    add(match.index, match[0] === '|')
    start = match.index + match[0].length
  }
  add(script.length, false)
  return commands
}

function stripPrefix(words: string[]): string[] {
  let i = 0
  while (i < words.length) {
    const word = words[i]!
    if (PREFIX.test(word) || /^[A-Za-z_][A-Za-z0-9_]*=/.test(word) || (i > 0 && word.startsWith('-'))) i++
    else break
  }
  return words.slice(i)
}

/** Files a `curl -o FILE` / `wget -O FILE` (also `-fsSLo FILE`, `--output=FILE`, `-OFILE`, `> FILE`) writes. */
function outputFiles(program: string, words: string[]): string[] {
  const files: string[] = []
  const long = program.startsWith('curl') ? '--output' : '--output-document'
  // A cluster of short flags ending in the output flag, with the file attached or as the next word.
  const short = program.startsWith('curl') ? /^-[A-Za-z]*o(.*)$/ : /^-[A-Za-z]*O(.*)$/
  words.forEach((word, i) => {
    const next = words[i + 1]
    const cluster = short.exec(word)
    if (word === long || word === '>' || (cluster && cluster[1] === '')) {
      if (next) files.push(next)
    } else if (cluster) files.push(cluster[1]!)
    else if (word.startsWith(`${long}=`)) files.push(word.slice(long.length + 1))
    else if (word.startsWith('>')) files.push(word.slice(1))
  })
  return files.map((f) => unquote(f).replace(/^\.\//, '')).filter((f) => f !== '' && f !== '-')
}

const isDownloaded = (downloaded: Set<string>, word: string) => downloaded.has(unquote(word).replace(/^\.\//, ''))

const unquote = (word: string) => word.replace(/^["']|["']$/g, '')
const basename = (word: string) => unquote(word).replace(/^.*\//, '')
