// Rendering nunjucks templates: the repository's own (a path such as templates/x.njk) and wf's
// built-in library (`builtin:NAME`, described in the package's templates/library.json).
import { readFileSync, realpathSync, statSync } from 'node:fs'
import { readFile } from 'node:fs/promises'
import { basename, resolve } from 'node:path'
import type { Environment, Template } from 'nunjucks'
import { WfError } from '../lib/errors.js'
import { isInside } from '../lib/paths.js'
import type { Workspace } from '../lib/workspace.js'
import { builtinTemplates, type TemplateInfo } from '../plan/template-library.js'
import { renderSandboxed } from './sandboxed-render.js'

/** What a workspace remembers about templates. */
class TemplateCache {
  /** Templates found inside the repository, with the files epoch they were checked in (links may change). */
  checked = new Map<string, number>()
  facts?: Promise<TemplateFacts>
  environment?: Environment
  /** Compiled templates by file; checked against the file's size and mtime once per files epoch. */
  compiled = new Map<string, { mtimeMs: number; size: number; template: Template; source: string; epoch: number }>()
}

/** Finds a template by reference: `builtin:NAME` or a path inside the repository. */
export function findTemplate(workspace: Workspace, ref: string): TemplateInfo {
  if (ref.startsWith('builtin:')) {
    const info = builtinTemplates().get(ref.slice('builtin:'.length))
    if (!info) {
      throw new WfError('WF_USAGE', `unknown built-in template \`${ref}\``, {
        hint: 'Run `wf templates list` to see the built-in templates.',
      })
    }
    return info
  }
  const root = workspace.root
  const file = resolve(root, ref)
  const { checked } = workspace.scoped(TemplateCache)
  if (checked.get(file) === workspace.filesEpoch) return { name: ref, file, vars: [] }
  // Through symbolic links too: a template is read into files wf writes, so it must not come from outside.
  const real = (path: string) => {
    try {
      return realpathSync.native(path)
    } catch {
      return path
    }
  }
  if (file === resolve(root) || !isInside(root, file) || !isInside(real(root), real(file))) {
    throw new WfError('WF_USAGE', `template ${ref} is outside the repository`, {
      hint: 'Templates live in the repository (e.g. templates/NAME.njk) or are built in (builtin:NAME).',
    })
  }
  checked.set(file, workspace.filesEpoch)
  return { name: ref, file, vars: [] }
}

/** What every template can use, besides its variables. */
export interface TemplateFacts {
  project: string
  year: number
  repository: { name: string; owner: string; url: string; default_branch: string }
  author: { name: string; email: string }
}

/** Repository name, owner, remote URL and default branch, the current year, and the git user, read once per workspace. */
export function templateFacts(workspace: Workspace): Promise<TemplateFacts> {
  const cache = workspace.scoped(TemplateCache)
  cache.facts ??= readFacts(workspace)
  return cache.facts
}

async function readFacts(workspace: Workspace): Promise<TemplateFacts> {
  const root = workspace.root
  const config: Record<string, string> = {}
  const git = await workspace.git.client()
  if (git) {
    const raw = await git
      .raw(['config', '--get-regexp', '^(user\\.(name|email)|remote\\.origin\\.url)$'])
      .catch(() => '')
    for (const line of raw.split('\n')) {
      const space = line.indexOf(' ')
      if (space > 0) config[line.slice(0, space)] = line.slice(space + 1).trim()
    }
  }
  const url = config['remote.origin.url'] ?? ''
  // git@github.com:acme/api.git, https://github.com/acme/api(.git), ssh://git@host/acme/api
  const match = /[/:]([^/:]+)\/([^/]+?)(?:\.git)?\/?$/.exec(url)
  const name = match?.[2] ?? basename(root)
  const branch = git ? (await workspace.git.defaultBranch()).replace(/^origin\//, '') : 'main'
  return {
    project: name,
    year: new Date().getFullYear(),
    repository: { name, owner: match?.[1] ?? '', url: toWebUrl(url), default_branch: branch },
    author: { name: config['user.name'] ?? '', email: config['user.email'] ?? '' },
  }
}

/** A remote URL as a browsable https URL (git@github.com:a/b.git → https://github.com/a/b). */
function toWebUrl(url: string): string {
  const ssh = /^(?:ssh:\/\/)?git@([^:/]+)[:/](.+?)(?:\.git)?$/.exec(url)
  if (ssh) return `https://${ssh[1]}/${ssh[2]}`
  return url.replace(/\.git$/, '').replace(/^https?:\/\/[^@/]+@/, 'https://')
}

async function nunjucksEnvironment(workspace: Workspace): Promise<{ env: Environment; Template: typeof Template }> {
  const nunjucks = (await import('nunjucks')).default
  const cache = workspace.scoped(TemplateCache)
  // Undefined output is an error, not an empty string; block tags do not leave blank lines.
  cache.environment ??= new nunjucks.Environment(null, {
    throwOnUndefined: true,
    autoescape: false,
    trimBlocks: true,
    lstripBlocks: true,
  })
  return { env: cache.environment, Template: nunjucks.Template }
}

/** Drops the compiled template of a file wf just wrote (a template can be generated too). */
export function forgetCompiled(workspace: Workspace, file: string): void {
  workspace.scoped(TemplateCache).compiled.delete(file)
}

/** A template file's real path (refused when a link leads it out of the repository) and its stat. */
function templateStat(
  workspace: Workspace,
  file: string,
  display: string,
): { info: import('node:fs').Stats; real: string } {
  let info: import('node:fs').Stats | undefined
  // A repository template is read at its real path, refused when a link leads it out of the repository.
  let real = file
  try {
    if (workspace.boundary.covers(file)) real = workspace.boundary.resolveSync(file)
    info = statSync(real, { throwIfNoEntry: false })
  } catch (error) {
    if (error instanceof WfError) throw error
  }
  if (!info?.isFile())
    throw new WfError('WF_USAGE', `template ${display} not found`, {
      hint: 'Templates live in the repository (e.g. templates/NAME.njk) or are built in: run `wf templates list`.',
    })
  return { info, real }
}

function readSource(workspace: Workspace, file: string, display: string): string {
  return readFileSync(templateStat(workspace, file, display).real, 'utf8')
}

async function compile(
  workspace: Workspace,
  file: string,
  display: string,
): Promise<{ template: Template; source: string }> {
  const { compiled } = workspace.scoped(TemplateCache)
  const known = compiled.get(file)
  if (known?.epoch === workspace.filesEpoch) return known
  const { info, real } = templateStat(workspace, file, display)
  if (known && known.mtimeMs === info.mtimeMs && known.size === info.size) {
    known.epoch = workspace.filesEpoch
    return known
  }
  const source = readFileSync(real, 'utf8')
  const { env, Template: TemplateClass } = await nunjucksEnvironment(workspace)
  let template: Template
  try {
    template = new TemplateClass(source, env, display, true)
  } catch (error) {
    throw templateError(error, display, source)
  }
  compiled.set(file, { mtimeMs: info.mtimeMs, size: info.size, template, source, epoch: workspace.filesEpoch })
  return { template, source }
}

/**
 * Renders a template with facts, its defaults, and the given variables (later layers win).
 * `sandbox`: a repository template (which can run code) is rendered in a child process that can
 * run no program and write nothing (wf's own built-in templates render in process).
 */
export async function renderTemplate(
  workspace: Workspace,
  info: TemplateInfo,
  facts: TemplateFacts,
  vars: Record<string, unknown>,
  env: Record<string, string> = {},
  options: { sandbox?: boolean } = {},
): Promise<string> {
  const context: Record<string, unknown> = { ...facts, env, ...vars }
  for (const variable of info.vars) {
    if (variable.name in vars || variable.default === undefined) continue
    context[variable.name] =
      typeof variable.default === 'string' && variable.default.includes('{{')
        ? await renderString(workspace, variable.default, context, `${info.name} (default of ${variable.name})`)
        : variable.default
  }
  if (options.sandbox && !info.name.startsWith('builtin:')) {
    const source = readSource(workspace, info.file, info.name)
    try {
      return await renderSandboxed(workspace, source, context, info.name)
    } catch (error) {
      throw error instanceof WfError ? error : templateError(error, info.name, source)
    }
  }
  const { template, source } = await compile(workspace, info.file, info.name)
  try {
    return await new Promise<string>((done, fail) =>
      template.render(context, (error, result) => (error ? fail(error) : done(result ?? ''))),
    )
  } catch (error) {
    throw templateError(error, info.name, source)
  }
}

async function renderString(
  workspace: Workspace,
  text: string,
  context: Record<string, unknown>,
  display: string,
): Promise<string> {
  const { env } = await nunjucksEnvironment(workspace)
  try {
    return env.renderString(text, context)
  } catch (error) {
    throw templateError(error, display, text)
  }
}

/** Turns a nunjucks error into one that names the template, line, column and (for undefined output) the variable. */
function templateError(error: unknown, display: string, source: string): WfError {
  const message = (error as Error).message ?? String(error)
  const where = /\[Line (\d+), Column (\d+)\]/.exec(message)
  const line = where ? Number(where[1]) : undefined
  const col = where ? Number(where[2]) : undefined
  const detail = message
    .split('\n')
    .map((l) => l.trim())
    .filter((l) => l && !l.startsWith('(') && !l.startsWith('Template render error'))
    .join(' ')
  const at = line ? `${display}:${line}:${col}` : display
  if (/undefined value/.test(message) && line) {
    const text = source.split('\n')[line - 1] ?? ''
    const expression = /\{\{-?\s*(.*?)\s*-?\}\}/
      .exec(text.slice(Math.max(0, (col ?? 1) - 1)))?.[1]
      ?.split('|')[0]
      ?.trim()
    const name = expression ?? 'a variable'
    const root = expression?.split(/[.[\s(]/)[0]
    return new WfError('WF_USAGE', `${at}: \`${name}\` is undefined`, {
      hint: `Give it a value: \`vars: { ${root ?? 'NAME'}: ... }\` in the plan, phase or task, or --var ${root ?? 'NAME'}=... with wf generate template; or write \`{{ ${name} | default("...") }}\` in the template.`,
    })
  }
  return new WfError('WF_USAGE', `${at}: ${detail || message}`, {
    hint: 'Fix the template syntax (nunjucks: https://mozilla.github.io/nunjucks/templating.html).',
  })
}

/** Variables a repository template uses at its top level (for `wf templates list`). */
export async function templateVariables(file: string): Promise<string[]> {
  const source = await readFile(file, 'utf8')
  const nunjucks = (await import('nunjucks')).default as unknown as {
    parser: { parse(src: string, ext?: unknown, opts?: unknown): unknown }
  }
  const found = new Set<string>()
  // Names nunjucks provides itself: the loop variable, `caller` in macros, and the global functions.
  const bound = new Set<string>(['loop', 'caller', 'range', 'cycler', 'joiner'])
  const walk = (node: unknown): void => {
    if (!node || typeof node !== 'object') return
    const n = node as {
      typename?: string
      value?: unknown
      name?: { value?: string; children?: { value?: string }[] }
      targets?: { value?: string }[]
      children?: unknown[]
      [k: string]: unknown
    }
    if (n.typename === 'For' || n.typename === 'AsyncEach' || n.typename === 'AsyncAll') {
      const names = n.name?.children ? n.name.children.map((c) => c.value) : [n.name?.value]
      for (const name of names) if (name) bound.add(name)
    }
    if (n.typename === 'Set') for (const target of n.targets ?? []) if (target.value) bound.add(target.value)
    if (n.typename === 'Macro') {
      if (n.name?.value) bound.add(n.name.value)
      const args =
        (n.args as { children?: Array<{ value?: string; children?: Array<{ key?: { value?: string } }> }> } | undefined)
          ?.children ?? []
      for (const arg of args) {
        if (arg.value) bound.add(arg.value)
        for (const pair of arg.children ?? []) if (pair.key?.value) bound.add(pair.key.value)
      }
    }
    if (n.typename === 'Symbol' && typeof n.value === 'string') found.add(n.value)
    for (const [key, value] of Object.entries(n)) {
      if (key === 'typename' || key === 'lineno' || key === 'colno') continue
      // A filter's name (`| default(...)`) is not a variable.
      if (key === 'name' && (n.typename === 'Filter' || n.typename === 'FilterAsync')) continue
      if (Array.isArray(value)) value.forEach(walk)
      else if (value && typeof value === 'object') walk(value)
    }
  }
  try {
    walk(nunjucks.parser.parse(source, undefined, { trimBlocks: true, lstripBlocks: true }))
  } catch {
    return []
  }
  return [...found].filter((name) => !bound.has(name)).sort()
}
