// Three-way merge of a generated file: the hand-edited file (ours), what wf rendered last (base),
// and what it renders now (theirs), line by line with diff3.

/** One region where the hand edit and the new output changed the same lines differently. */
export interface MergeConflict {
  /** 1-based line in the edited file where the region starts. */
  line: number
  ours: string[]
  base: string[]
  theirs: string[]
}

/** The result of a merge: the merged text, or the conflicts and the text with git-style markers. */
export type MergeResult = { clean: true; text: string } | { clean: false; conflicts: MergeConflict[]; markers: string }

/** Merges the changes from `base` to `ours` and from `base` to `theirs`; identical changes on both sides are not conflicts. */
export async function mergeText(
  ours: string,
  base: string,
  theirs: string,
  labels: { ours: string; theirs: string },
): Promise<MergeResult> {
  const { diff3Merge } = await import('node-diff3')
  const regions = diff3Merge(lines(ours), lines(base), lines(theirs), { excludeFalseConflicts: true })
  const out: string[] = []
  const conflicts: MergeConflict[] = []
  for (const region of regions) {
    if (region.ok) {
      out.push(...region.ok)
      continue
    }
    const { a, o, b, aIndex } = region.conflict!
    conflicts.push({ line: aIndex + 1, ours: a, base: o, theirs: b })
    out.push(`<<<<<<< ${labels.ours}`, ...a, `||||||| base`, ...o, '=======', ...b, `>>>>>>> ${labels.theirs}`)
  }
  // The merged text ends with a newline when the new output does (templates decide the file's ending).
  const text = out.join('\n') + (out.length > 0 && theirs.endsWith('\n') ? '\n' : '')
  return conflicts.length === 0 ? { clean: true, text } : { clean: false, conflicts, markers: text }
}

/** Whether a text holds git-style conflict markers (a line starting `<<<<<<< ` and a later one starting `>>>>>>> `). */
export function hasConflictMarkers(text: string): boolean {
  const start = /^<{7} /m.exec(text)
  return start !== null && /^>{7} /m.test(text.slice(start.index))
}

/** The conflicts, short: each region's line and its three versions, a few lines each. */
export function describeConflicts(path: string, conflicts: readonly MergeConflict[], shown = 6): string[] {
  const side = (mark: string, body: string[]) => [
    ...body.slice(0, shown).map((line) => `${mark} ${line}`),
    ...(body.length > shown ? [`${mark} … ${body.length - shown} more lines`] : []),
  ]
  return conflicts.flatMap((conflict) => [
    `conflict in ${path} at line ${conflict.line}:`,
    '  your edit:',
    ...side('   ', conflict.ours),
    '  last generated:',
    ...side('   ', conflict.base),
    '  generated now:',
    ...side('   ', conflict.theirs),
  ])
}

function lines(text: string): string[] {
  if (text === '') return []
  return (text.endsWith('\n') ? text.slice(0, -1) : text).split('\n')
}
