import { memoizeByObject } from '../lib/memo.js'
import { locate } from '../plan/locate.js'
import { loadYaml } from '../plan/yaml.js'
import { pointerSegments } from './refs.js'

/** A schema file's text parsed with positions, once per file object. */
const sourceOf = memoizeByObject(async (file: { rel: string; text: string }) => {
  const { LineCounter, parseDocument } = await loadYaml()
  const lineCounter = new LineCounter()
  const doc = parseDocument(file.text, { lineCounter, prettyErrors: false })
  return { rel: file.rel, lines: file.text.split(/\r?\n/), doc, lineCounter }
})

/** The line and column of a JSON pointer in a schema file's text (the deepest part of it that exists; the key when `key`). */
export async function locatePointer(
  file: { rel: string; text: string },
  pointer: string,
  key = false,
): Promise<{ line: number; col: number }> {
  const { location } = locate(await sourceOf(file), pointerSegments(pointer), key ? 'key' : 'value')
  return { line: location.line ?? 1, col: location.col ?? 1 }
}
