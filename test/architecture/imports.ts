import { readdirSync, readFileSync } from 'node:fs'
import { dirname, join, relative, resolve } from 'node:path'

/**
 * The layers of src/, lowest first. A file may import from its own folder and from folders of a
 * lower rank; folders that share a rank may not import each other.
 */
export const LAYERS: Record<string, number> = {
  lib: 0,
  ledger: 1,
  plan: 2,
  generate: 3,
  contracts: 4,
  tasks: 5,
  gates: 6,
  fingerprint: 7,
  engine: 8,
  report: 9,
  app: 10,
  mcp: 11,
  cli: 11,
  commands: 12,
}

const IMPORT = /(?:\bfrom\s*|\bimport\s*\(\s*|^\s*import\s+)(['"])(\.\.?\/[^'"]+)\1/gm

/** Every relative import of every source file under `dir`: file → imported files (paths relative to `dir`). */
export function importGraph(dir: string): Map<string, string[]> {
  const graph = new Map<string, string[]>()
  const walk = (folder: string) => {
    for (const entry of readdirSync(folder, { withFileTypes: true })) {
      const path = join(folder, entry.name)
      if (entry.isDirectory()) walk(path)
      else if (/\.(ts|js)$/.test(entry.name)) {
        const source = readFileSync(path, 'utf8')
        const targets = [...source.matchAll(IMPORT)].map((m) =>
          relative(dir, resolve(dirname(path), (m[2] ?? '').replace(/\.js$/, '.ts'))),
        )
        graph.set(relative(dir, path), targets)
      }
    }
  }
  walk(dir)
  // Imports of generated JavaScript validators name .js files that exist as such.
  for (const [file, targets] of graph)
    graph.set(
      file,
      targets.map((t) => (graph.has(t) ? t : t.replace(/\.ts$/, '.js'))),
    )
  return graph
}

/** Imports that point up the layers, or sideways between folders of one rank. */
export function layerViolations(graph: Map<string, string[]>, layers = LAYERS): string[] {
  const folder = (file: string) => file.split('/')[0] ?? ''
  const problems: string[] = []
  for (const [file, targets] of graph) {
    for (const target of targets) {
      const from = folder(file)
      const to = folder(target)
      if (from === to) continue
      if (!(from in layers)) problems.push(`${file}: its folder ${from} has no layer`)
      else if (!(to in layers)) problems.push(`${file} imports ${target}, outside every layer`)
      else if ((layers[to] ?? 0) >= (layers[from] ?? 0)) problems.push(`${file} (${from}) imports ${target} (${to})`)
    }
  }
  return problems
}

/** Import cycles, each as the files on it (Tarjan's strongly connected components). */
export function importCycles(graph: Map<string, string[]>): string[][] {
  let index = 0
  const indexOf = new Map<string, number>()
  const low = new Map<string, number>()
  const stack: string[] = []
  const onStack = new Set<string>()
  const cycles: string[][] = []
  const visit = (node: string) => {
    indexOf.set(node, index)
    low.set(node, index++)
    stack.push(node)
    onStack.add(node)
    for (const next of graph.get(node) ?? []) {
      if (!graph.has(next)) continue
      if (!indexOf.has(next)) {
        visit(next)
        low.set(node, Math.min(low.get(node)!, low.get(next)!))
      } else if (onStack.has(next)) low.set(node, Math.min(low.get(node)!, indexOf.get(next)!))
    }
    if (low.get(node) === indexOf.get(node)) {
      const component: string[] = []
      let member: string
      do {
        member = stack.pop()!
        onStack.delete(member)
        component.push(member)
      } while (member !== node)
      if (component.length > 1 || (graph.get(node) ?? []).includes(node)) cycles.push(component.sort())
    }
  }
  for (const node of graph.keys()) if (!indexOf.has(node)) visit(node)
  return cycles
}
