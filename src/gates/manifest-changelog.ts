import type { RepoBoundary } from '../lib/inside-repo.js'
import { findFiles } from './file-options.js'

const escapeRegExp = (text: string) => text.replace(/[.*+?^${}()|[\]\\]/g, '\\$&')
const UNDERLINE = /^([=\-~^"'`#*+])\1{2,}\s*$/
const VERSION_LIKE = /\d+\.\d+/

/** A heading of a changelog: Markdown `#` or setext, or reStructuredText (a line underlined with `=`, `-`, `~`…). */
interface Heading {
  line: number
  text: string
}

function headings(lines: string[]): Heading[] {
  const found: Heading[] = []
  for (const [i, line] of lines.entries()) {
    if (/^#{1,6}\s/.test(line)) found.push({ line: i + 1, text: line.trim() })
    else if (line.trim() && !UNDERLINE.test(line) && UNDERLINE.test(lines[i + 1] ?? ''))
      found.push({ line: i + 1, text: line.trim() })
  }
  return found
}

/**
 * Why the changelog (the first file matching `pattern`, in any case) does not name `version`, or undefined when it
 * does: in a heading (`## 1.2.0`, `## [1.2.0] - 2024-05-01`, `Version 1.2.0` underlined) or as
 * `[1.2.0]` (a link reference), not as part of a longer version (`1.2.0-rc.1`, `11.2.0`).
 */
export async function changelogProblem(
  root: string,
  boundary: RepoBoundary,
  pattern: string,
  version: string,
): Promise<string | undefined> {
  const file = (await findFiles(root, pattern, { nocase: true, exclude: [] }))[0]
  if (!file) return `has no changelog: no file matches ${pattern}`
  const lines = (await boundary.readFile(file, 'utf8')).split(/\r?\n/)
  const bare = version.replace(/^v/, '')
  const token = new RegExp(`(?<![\\w.+-])v?${escapeRegExp(bare)}(?![\\w+-]|\\.\\w)`)
  const all = headings(lines)
  if (all.some((h) => token.test(h.text))) return undefined
  const reference = new RegExp(`\\[v?${escapeRegExp(bare)}\\]`)
  if (lines.some((line) => reference.test(line))) return undefined
  const latest = all.find((h) => VERSION_LIKE.test(h.text))
  return latest
    ? `is not in ${file}; its latest entry is ${JSON.stringify(latest.text)} (line ${latest.line})`
    : `is not in ${file}, which names no version yet`
}
