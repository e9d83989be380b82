import { locate } from '../plan/locate.js'
import { loadYaml } from '../plan/yaml.js'
import { pointerSegments } from './refs.js'

const sources = new WeakMap<object, Promise<import('../plan/locate.js').YamlSource>>()

/** The line and column of a JSON pointer in a schema file's text (the deepest part of it that exists; the key when `key`). */
export async function locatePointer(
  file: { rel: string; text: string },
  pointer: string,
  key = false,
): Promise<{ line: number; col: number }> {
  let source = sources.get(file)
  if (!source) {
    source = (async () => {
      const { LineCounter, parseDocument } = await loadYaml()
      const lineCounter = new LineCounter()
      const doc = parseDocument(file.text, { lineCounter, prettyErrors: false })
      return { rel: file.rel, lines: file.text.split(/\r?\n/), doc, lineCounter }
    })()
    sources.set(file, source)
  }
  const { location } = locate(await source, pointerSegments(pointer), key ? 'key' : 'value')
  return { line: location.line ?? 1, col: location.col ?? 1 }
}
