// A nunjucks template can run any JavaScript (`{{ range.constructor("…")() }}`), so on paths that
// promise to run nothing (--dry-run, wf mcp without --allow-run) a repository's template is rendered
// in a child Node.js under the permission model: no child processes, no workers, no writes, and
// reads limited to the nunjucks code itself. The child gets no environment variables.
import { existsSync, realpathSync } from 'node:fs'
import { createRequire } from 'node:module'
import { dirname, join, sep } from 'node:path'
import { fileURLToPath } from 'node:url'
import { WfError } from '../lib/errors.js'
import { lazyImport } from '../lib/memo.js'
import { packageRoot } from '../lib/package-root.js'

/** A template that runs longer than this in the sandbox is stopped (a loop over a huge range). */
const RENDER_TIMEOUT_MS = 30_000
const MAX_OUTPUT_BYTES = 64 * 1024 * 1024

// Reads one JSON request on stdin, renders with the options templates.ts uses, answers with JSON.
const CHILD = `'use strict'
let input = ''
process.stdin.setEncoding('utf8')
process.stdin.on('data', (chunk) => { input += chunk })
process.stdin.on('end', () => {
  let reply
  try {
    const { file, key, source, context, name } = JSON.parse(input)
    const loaded = require(file)
    const nunjucks = key ? loaded[key]() : loaded
    const env = new nunjucks.Environment(null, { throwOnUndefined: true, autoescape: false, trimBlocks: true, lstripBlocks: true })
    reply = { output: new nunjucks.Template(source, env, name, true).render(context) }
  } catch (error) {
    const denied = /ERR_ACCESS_DENIED/.test(String(error && error.code)) || /Access to this API has been restricted/.test(String(error && error.message))
    reply = denied ? { denied: true } : { error: String((error && error.message) || error) }
  }
  process.stdout.write(JSON.stringify(reply))
})
`

const loadExeca = lazyImport(() => import('execa'))

/** Where the child loads nunjucks from: the bundle's vendor file when wf runs from dist/, else the installed package. */
function nunjucksEntry(): { file: string; key?: string; readable: string } {
  const dist = join(packageRoot, 'dist')
  const vendor = join(dist, 'vendor', 'nunjucks.cjs')
  if (fileURLToPath(import.meta.url).startsWith(dist + sep) && existsSync(vendor)) {
    const file = realpathSync(vendor)
    return { file, key: 'nunjucks', readable: file }
  }
  const file = realpathSync(createRequire(import.meta.url).resolve('nunjucks'))
  // nunjucks requires its dependencies from the node_modules folder it is installed in.
  const at = file.lastIndexOf(`${sep}node_modules${sep}`)
  return { file, readable: at >= 0 ? file.slice(0, at + `${sep}node_modules${sep}`.length) : dirname(file) }
}

/** Renders template source with a context in a child process that can run no program, write no file and read nothing but nunjucks; rejects with nunjucks' message on a template error. */
export async function renderSandboxed(source: string, context: Record<string, unknown>, name: string): Promise<string> {
  const { execa } = await loadExeca()
  const entry = nunjucksEntry()
  const permission = process.allowedNodeEnvironmentFlags.has('--permission')
    ? '--permission'
    : '--experimental-permission'
  const child = await execa(
    process.execPath,
    [permission, '--no-warnings', `--allow-fs-read=${entry.readable}`, '-e', CHILD],
    {
      input: JSON.stringify({ file: entry.file, key: entry.key, source, context, name }),
      env: {},
      extendEnv: false,
      reject: false,
      timeout: RENDER_TIMEOUT_MS,
      maxBuffer: MAX_OUTPUT_BYTES,
      stripFinalNewline: false,
    },
  )
  if (child.timedOut)
    throw new WfError('WF_USAGE', `template ${name} did not finish rendering within ${RENDER_TIMEOUT_MS / 1000} s`, {
      hint: 'look for a loop over a very large range in the template',
    })
  let reply: { output?: string; error?: string; denied?: boolean }
  try {
    reply = JSON.parse(String(child.stdout))
  } catch {
    throw new Error(
      `rendering stopped: ${String(child.stderr).trim().split('\n').at(-1) || `exit code ${child.exitCode}`}`,
    )
  }
  if (reply.denied)
    throw new WfError(
      'WF_USAGE',
      `template ${name} tried to start a process, write a file or read one outside nunjucks; that is refused where nothing may run`,
      {
        hint: 'a template that runs code renders only in a real run (`wf run`, or run_phase with `wf mcp --allow-run`)',
      },
    )
  if (reply.error !== undefined) throw new Error(reply.error)
  return reply.output ?? ''
}
