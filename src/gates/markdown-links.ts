import { stat } from 'node:fs/promises'
import { join, posix } from 'node:path'
import { candidateFiles, mapLimit, READ_AHEAD, toList } from '../lib/files.js'
import type { Workspace } from '../lib/workspace.js'
import type { ResultLocation } from '../ledger/ledger.js'
import type { MarkdownLinksGate } from '../plan/plan.generated.js'
import { repositoryFiles } from './repository-files.js'
import { excludeFiles } from './file-options.js'
import { type GateKind, WHOLE_TREE } from './gate-kind.js'

const DEFAULT_IN = '**/*.md'
const SHOWN = 5
const MARKDOWN = /\.(?:md|markdown|mdown|mkd)$/i
// A scheme (`https:`, `mailto:`, `data:`) or `//host`: not a file of the repository.
const EXTERNAL = /^(?:[a-z][a-z0-9+.-]*:|\/\/)/i
// `](target` or `]: target` where the target is not external: a text without one has no link to check.
const MAY_LINK = /\](?:\(\s*|:[ \t]*(?:\r?\n[ \t]*)?)<?(?![a-z][a-z0-9+.-]*:|\/\/)/i

/** A node of the Markdown syntax tree, as much of it as the gate reads. */
interface MdNode {
  type: string
  url?: string
  label?: string | null
  value?: string
  depth?: number
  children?: MdNode[]
  position?: { start: { line: number; column: number; offset?: number }; end: { offset?: number } }
}

interface Parsed {
  links: { url: string; line: number; column: number; quote: string }[]
  anchors: Set<string>
}

const spec = (gate: MarkdownLinksGate) => (gate['markdown-links'] === true ? {} : gate['markdown-links'])

/** `markdown-links:` — relative links and images in Markdown files point at files or folders of the repository (and, with `anchors`, at headings that exist). */
export const markdownLinksGate: GateKind<MarkdownLinksGate> = {
  describe: (gate) => `relative links resolve in ${toList(spec(gate).in ?? DEFAULT_IN).join(', ')}`,
  // A link breaks when its target goes, wherever that is.
  inputs: () => [WHOLE_TREE],
  perFile: true,
  async check(gate, { root, only, workspace }) {
    const { in: patterns = DEFAULT_IN, exclude, anchors = true } = spec(gate)
    const tracked = only ?? (await repositoryFiles(root, workspace.git, {}))
    const files = await excludeFiles(
      root,
      await candidateFiles(root, toList(patterns), tracked),
      exclude ? toList(exclude) : [],
    )
    if (files.length === 0)
      return {
        status: 'passed',
        message: only ? 'no staged file to check' : `no file matches ${toList(patterns).join(', ')}`,
      }
    const parser = await loadParser()
    const texts = new Map<string, Promise<string | undefined>>()
    const read = (file: string) => {
      let text = texts.get(file)
      if (!text) {
        text = workspace.boundary.readFile(file, 'utf8').catch(() => undefined)
        texts.set(file, text)
      }
      return text
    }
    const parsed = new Map<string, Promise<Parsed | undefined>>()
    const parse = (file: string) => {
      let found = parsed.get(file)
      if (!found) {
        found = read(file).then((text) => (text === undefined ? undefined : parser(text)))
        parsed.set(file, found)
      }
      return found
    }
    const broken: ResultLocation[] = []
    let checked = 0
    const results = await mapLimit(files, READ_AHEAD, async (file) => {
      // Parsing is the cost of this gate: a file without a link that could be relative is not parsed for its links.
      const text = await read(file)
      if (text === undefined || !MAY_LINK.test(text)) return []
      const own = await parse(file)
      if (!own) return []
      const found: ResultLocation[] = []
      for (const link of own.links) {
        if (link.url === '' || EXTERNAL.test(link.url)) continue
        checked++
        const problem = await linkProblem(workspace, file, link.url, anchors, parse)
        if (problem) found.push({ file, line: link.line, col: link.column, message: `\`${link.quote}\`: ${problem}` })
      }
      return found
    })
    for (const found of results) broken.push(...found)
    if (broken.length === 0)
      return {
        status: 'passed',
        message: `${checked} relative ${checked === 1 ? 'link' : 'links'} in ${files.length} ${files.length === 1 ? 'file' : 'files'} ${checked === 1 ? 'resolves' : 'resolve'}`,
      }
    const shown = broken.slice(0, SHOWN).map((b) => `${b.file}:${b.line}:${b.col} ${b.message}`)
    return {
      status: 'failed',
      message: `${broken.length} broken ${broken.length === 1 ? 'link' : 'links'}: ${shown.join('; ')}${broken.length > SHOWN ? ` and ${broken.length - SHOWN} more` : ''}`,
      locations: broken,
    }
  },
}

/** Why a link from `file` does not resolve, or undefined when it does (or is not a repository link). */
async function linkProblem(
  workspace: Workspace,
  file: string,
  url: string,
  anchors: boolean,
  parse: (file: string) => Promise<Parsed | undefined>,
): Promise<string | undefined> {
  const hash = url.indexOf('#')
  const rawPath = (hash < 0 ? url : url.slice(0, hash)).replace(/\?.*$/, '')
  const fragment = hash < 0 ? undefined : decode(url.slice(hash + 1))
  const path = decode(rawPath)
  let target = file
  if (path !== '') {
    const rooted = path.startsWith('/')
    const wanted =
      (rooted ? posix.normalize(path.slice(1)) : posix.join(posix.dirname(file), path)).replace(/\/$/, '') || '.'
    if (wanted === '..' || wanted.startsWith('../')) return 'points outside the repository'
    const found = await resolveTarget(workspace.root, file, wanted, rooted)
    if (!found) return `${wanted} does not exist`
    target = found.path
    if (!(await workspace.boundary.staysInside(target).catch(() => false))) return `${target} is outside the repository`
    if (found.kind === 'folder') return undefined
  }
  if (!anchors || fragment === undefined || fragment === '' || !MARKDOWN.test(target)) return undefined
  const headings = (await parse(target))?.anchors
  if (!headings || headings.has(fragment.toLowerCase())) return undefined
  return `no heading \`#${fragment}\` in ${target}`
}

/**
 * The file or folder a link target names: as written, or as a documentation site (VitePress, Docusaurus, MkDocs)
 * reads it — a page without `.md` or as `.html`, a `/path` from the site's folder (an ancestor of the linking file),
 * a static file under that folder's `public/` or `static/`.
 */
async function resolveTarget(
  root: string,
  file: string,
  target: string,
  rooted: boolean,
): Promise<{ path: string; kind: 'file' | 'folder' } | undefined> {
  const bases = ['']
  if (rooted) for (let dir = posix.dirname(file); dir !== '.'; dir = posix.dirname(dir)) bases.push(dir)
  for (const base of bases) {
    const at = posix.join(base, target)
    const tries = [at, ...pageFiles(at)]
    if (base) tries.push(posix.join(base, 'public', target), posix.join(base, 'static', target))
    for (const path of tries) {
      const kind = await stat(join(root, path)).then(
        (s) => (s.isDirectory() ? ('folder' as const) : ('file' as const)),
        () => undefined,
      )
      if (kind) return { path, kind }
    }
  }
  return undefined
}

function pageFiles(path: string): string[] {
  if (path.endsWith('.html')) return [path.replace(/\.html$/, '.md')]
  if (path === '.' || /\.[^/]*$/.test(posix.basename(path))) return []
  return [`${path}.md`, `${path}/index.md`, `${path}/README.md`]
}

// VitePress's slug: every run of punctuation or spaces is one `-` (`build.target` → `build-target`; GitHub drops the dot).
const siteSlug = (text: string) =>
  text
    .normalize('NFKD')
    .replace(/[\u0300-\u036f\u0000-\u001f]/g, '')
    .replace(/[\s~`!@#$%^&*()\-_+=[\]{}|\\;:"'\u201c\u201d\u2018\u2019<>,.?/]+/g, '-')
    .replace(/^-+|-+$/g, '')
    .replace(/^(\d)/, '_$1')
    .toLowerCase()

function decode(text: string): string {
  try {
    return decodeURIComponent(text)
  } catch {
    return text
  }
}

/** A Markdown reader: the links, images and link definitions of a text (not in code), and the anchors its headings make. */
async function loadParser(): Promise<(text: string) => Parsed> {
  const [{ fromMarkdown }, { slug }] = await Promise.all([import('mdast-util-from-markdown'), import('github-slugger')])
  return (text) => {
    const tree = fromMarkdown(text) as MdNode
    // GitHub numbers repeated headings: `setup`, `setup-1`, `setup-2` (github-slugger's own rule).
    const occurrences = new Map<string, number>()
    const slugger = {
      slug(value: string) {
        const base = slug(value)
        let result = base
        while (occurrences.has(result)) {
          const n = occurrences.get(base)! + 1
          occurrences.set(base, n)
          result = `${base}-${n}`
        }
        occurrences.set(result, 0)
        return result
      },
    }
    const links: Parsed['links'] = []
    const anchors = new Set<string>()
    const visit = (node: MdNode) => {
      if (node.type === 'heading') {
        // GitHub trims the heading text (an `<a id>` before it leaves a space); `{#id}` names the anchor on documentation sites.
        const text = plainText(node).trim()
        const custom = /\s*\{#([^}\s]+)\}$/.exec(text)
        if (custom) anchors.add(custom[1]!.toLowerCase())
        const title = custom ? text.slice(0, custom.index) : text
        anchors.add(slugger.slug(title))
        anchors.add(siteSlug(title))
      }
      // Anchors written in HTML (`<a name="x">`, `<h2 id="x">`) are targets too.
      if (node.type === 'html' && node.value)
        for (const m of node.value.matchAll(/\s(?:name|id)\s*=\s*["']([^"']+)["']/gi)) anchors.add(m[1]!.toLowerCase())
      // `[^note]: text` is a GitHub footnote, not a link definition.
      const footnote = node.type === 'definition' && node.label?.startsWith('^')
      if (
        (node.type === 'link' || node.type === 'image' || node.type === 'definition') &&
        node.url !== undefined &&
        !footnote
      ) {
        const start = node.position?.start
        if (start) {
          const source = text.slice(start.offset, node.position?.end.offset).split('\n')[0]!
          links.push({ url: node.url, line: start.line, column: start.column, quote: shorten(source) })
        }
      }
      for (const child of node.children ?? []) visit(child)
    }
    visit(tree)
    return { links, anchors }
  }
}

function plainText(node: MdNode): string {
  if (node.type === 'text' || node.type === 'inlineCode') return node.value ?? ''
  return (node.children ?? []).map(plainText).join('')
}

const shorten = (text: string) => (text.length > 80 ? `${text.slice(0, 77)}…` : text)
