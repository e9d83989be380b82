import picomatch from 'picomatch'
import type { ResolvedPhase } from '../plan/resolve-plan.js'
import type { Workspace } from '../lib/workspace.js'
import { phaseInputGlobs, readsWholeTree } from '../fingerprint/fingerprint.js'
import { treeFiles } from '../fingerprint/repository-state.js'

const LISTED = 10

/**
 * Files a run's phases change that no phase declares as an output: each is noted with the phases
 * that were running when it changed, and the phases whose fingerprint it invalidates.
 */
export class UndeclaredWrites {
  private step = 0
  /** When each phase that passed or was up to date took its last fingerprint. */
  private ended = new Map<string, number>()
  private writes = new Map<string, { phases: Set<string>; step: number }>()
  private readsFile = new Map<string, (path: string) => boolean>()

  constructor(
    private readonly phases: readonly ResolvedPhase[],
    /** Files that belong to a phase (declared outputs, generated files, files wf wrote on request). */
    private readonly owned: (path: string) => boolean,
  ) {}

  /** The state of the tree as a phase's tasks start (the workspace's, computed once until files change). */
  start(workspace: Workspace): Promise<Map<string, string>> {
    return treeFiles(workspace)
  }

  /** Notes the files that changed between `before` and now (after the phase's tasks, the tree forgotten). */
  async end(phase: ResolvedPhase, workspace: Workspace, before: Map<string, string>): Promise<void> {
    const after = await treeFiles(workspace)
    const step = ++this.step
    const changed = [...after.keys()].filter((path) => before.get(path) !== after.get(path))
    changed.push(...[...before.keys()].filter((path) => !after.has(path)))
    for (const path of changed) {
      if (this.owned(path)) continue
      const write = this.writes.get(path) ?? { phases: new Set<string>(), step }
      // Phases that ran side by side each see the file change in their own window: each is a candidate.
      write.phases.add(phase.id)
      write.step = step
      this.writes.set(path, write)
    }
  }

  /** A phase ended; one that passed or was up to date holds a fingerprint taken now. */
  phaseEnded(id: string, status: string): void {
    if (status === 'passed' || status === 'up-to-date') this.ended.set(id, ++this.step)
  }

  /** One warning per group of files with the same writers: who wrote them, what the next run will redo, what to declare. */
  warnings(): string[] {
    const groups = new Map<string, { writers: string[]; files: string[]; again: Set<string> }>()
    for (const [path, write] of [...this.writes].sort(([a], [b]) => (a < b ? -1 : 1))) {
      const writers = [...write.phases].sort()
      const key = writers.join('\0')
      const group = groups.get(key) ?? { writers, files: [], again: new Set<string>() }
      group.files.push(path)
      for (const phase of this.phases)
        if (
          !write.phases.has(phase.id) &&
          (this.ended.get(phase.id) ?? Infinity) < write.step &&
          this.reads(phase, path)
        )
          group.again.add(phase.id)
      groups.set(key, group)
    }
    return [...groups.values()].map(({ writers, files, again }) => {
      const one = writers.length === 1
      const listed =
        files.slice(0, LISTED).join(', ') + (files.length > LISTED ? ` and ${files.length - LISTED} more` : '')
      const declare = files.slice(0, LISTED).join(', ')
      const next = again.size
        ? `: the next run will run ${words(this.phases.filter((p) => again.has(p.id)).map((p) => p.id))} again; `
        : '; '
      return (
        `${one ? writers[0] : words(writers, 'or')} wrote ${listed}, which ${files.length === 1 ? 'is' : 'are'} not in ` +
        `${one ? 'its' : 'their'} outputs${next}declare \`outputs: [${declare}]\`${one ? '' : ' on the phase that writes it'}`
      )
    })
  }

  /** Whether a phase's fingerprint covers the file: the whole tree, or a glob it reads. */
  private reads(phase: ResolvedPhase, path: string): boolean {
    if (readsWholeTree(phase)) return true
    let matcher = this.readsFile.get(phase.id)
    if (!matcher) {
      matcher = picomatch(phaseInputGlobs(phase), { dot: true })
      this.readsFile.set(phase.id, matcher)
    }
    return matcher(path)
  }
}

/** `a`, `a and b`, `a, b and c`. */
function words(items: readonly string[], last = 'and'): string {
  return items.length < 2 ? (items[0] ?? '') : `${items.slice(0, -1).join(', ')} ${last} ${items.at(-1)}`
}
