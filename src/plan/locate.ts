import type { Document, LineCounter, Node } from 'yaml'
import type { SourceLocation } from '../lib/errors.js'
import { yamlSync } from './yaml.js'

/** What a position refers to: the value at a path, or the key of its last segment. */
export type Target = 'value' | 'key'

/** A parsed YAML file with what is needed to point into it. */
export interface YamlSource {
  rel: string
  lines: string[]
  doc: Document
  lineCounter: LineCounter
}

/** The node at a data path, descending as far as the path exists. */
function nodeAt(doc: Document, path: readonly (string | number)[], target: Target): Node | undefined {
  const { isMap, isNode, isPair, isScalar, isSeq } = yamlSync()
  let node: unknown = doc.contents
  for (let i = 0; i < path.length; i++) {
    const segment = path[i]
    if (isMap(node)) {
      const pair = node.items.find((p) => isScalar(p.key) && String(p.key.value) === String(segment))
      if (!pair) return node as Node
      if (target === 'key' && i === path.length - 1) return pair.key as Node
      node = pair.value ?? pair.key
    } else if (isSeq(node)) {
      const item = node.items[Number(segment)]
      if (!isNode(item)) return node as Node
      node = item
    } else {
      return isNode(node) ? node : undefined
    }
  }
  if (isPair(node)) return node.key as Node
  return isNode(node) ? node : undefined
}

/** The file:line:col of a data path (or its key), with the source line for an excerpt. */
export function locate(
  source: YamlSource,
  path: readonly (string | number)[],
  target: Target = 'value',
): { location: SourceLocation; excerpt?: string } {
  const node = nodeAt(source.doc, path, target)
  if (!node?.range) return { location: { file: source.rel, line: 1, col: 1 }, excerpt: source.lines[0] }
  return locateOffset(source, node.range[0], node.range[1])
}

/** The file:line:col of a character offset range in a source. */
export function locateOffset(
  source: Pick<YamlSource, 'rel' | 'lines' | 'lineCounter'>,
  start: number,
  end: number,
): { location: SourceLocation; excerpt?: string } {
  const { line, col } = source.lineCounter.linePos(start)
  const excerpt = source.lines[line - 1]
  const lineEnd = excerpt === undefined ? col : excerpt.length + 1
  const endCol = Math.max(col + 1, Math.min(lineEnd, col + Math.max(1, end - start)))
  return { location: { file: source.rel, line, col, endCol }, excerpt }
}
