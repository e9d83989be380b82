// The pure part of `wf contracts diff`: two versions of a schema set in, classified changes out.
import stringify from 'safe-stable-stringify'
import { escapePointer, indexEntries, resolveRef, atPointer } from '../refs.js'
import type { SchemaEntry, SchemaSet } from '../schema-set.js'
import { CHANGE_KINDS, type ChangeKind, type ContractChange, type Party } from './kinds.js'

type Node = Record<string, unknown>

const ANNOTATIONS = [
  'title',
  'description',
  '$comment',
  'examples',
  'deprecated',
  'readOnly',
  'writeOnly',
  'contentMediaType',
  'contentEncoding',
]
const UNDIRECTED = [
  'not',
  'if',
  'then',
  'else',
  'dependencies',
  'dependentRequired',
  'dependentSchemas',
  'patternProperties',
  'propertyNames',
  'contains',
  'minContains',
  'maxContains',
  'unevaluatedProperties',
  'unevaluatedItems',
  'additionalItems',
  '$anchor',
  '$dynamicRef',
  '$dynamicAnchor',
  '$recursiveRef',
]
// Bounds: whether a bigger value accepts more (`loosens`) or less.
const UPPER = ['maxLength', 'maximum', 'exclusiveMaximum', 'maxItems', 'maxProperties']
const LOWER = ['minLength', 'minimum', 'exclusiveMinimum', 'minItems', 'minProperties']

/** Stable JSON of a value (keys sorted), for comparing schemas structurally. */
export function stableJson(value: unknown): string {
  return stringify(value) ?? 'undefined'
}

interface Side {
  entry: SchemaEntry
  index: Map<string, SchemaEntry>
}

/** Compares two versions of a schema set; every difference comes back classified. */
export function compareSchemaSets(before: SchemaSet, after: SchemaSet): ContractChange[] {
  const changes: ContractChange[] = []
  const beforeIndex = indexEntries(before.entries)
  const afterIndex = indexEntries(after.entries)
  const afterByRel = new Map(after.entries.map((e) => [e.rel, e]))
  const beforeByRel = new Map(before.entries.map((e) => [e.rel, e]))
  // Files: same path, else a rename (same own $id, or the same content), else removed / added.
  const renamed = new Map<string, string>()
  const unmatchedAfter = after.entries.filter((e) => !beforeByRel.has(e.rel))
  for (const old of before.entries) {
    if (afterByRel.has(old.rel)) continue
    const same = unmatchedAfter.find(
      (e) =>
        (old.id === e.id && !old.id.startsWith('https://wf.invalid/')) ||
        stableJson(e.schema) === stableJson(old.schema),
    )
    if (same) {
      renamed.set(old.rel, same.rel)
      unmatchedAfter.splice(unmatchedAfter.indexOf(same), 1)
      changes.push(change('schema-renamed', same.rel, '', old.rel, same.rel, `${old.rel} moved to ${same.rel}`))
    } else changes.push(change('schema-removed', old.rel, '', old.rel, undefined, `${old.rel} was removed`))
  }
  for (const added of unmatchedAfter)
    changes.push(change('schema-added', added.rel, '', undefined, added.rel, `${added.rel} is new`))

  const comparer = new Comparer(renamed)
  for (const old of before.entries) {
    const now = afterByRel.get(renamed.get(old.rel) ?? old.rel)
    if (!now) continue
    changes.push(...comparer.compareFiles({ entry: old, index: beforeIndex }, { entry: now, index: afterIndex }))
  }
  changes.push(...comparer.compareUnvisitedTargets())
  return changes
}

function change(
  kind: ChangeKind,
  file: string,
  pointer: string,
  before: unknown,
  after: unknown,
  what: string,
  breaks?: Party[],
): ContractChange {
  const rule = CHANGE_KINDS[kind]
  const parties = breaks ?? (rule.breaks === 'nested' ? [] : [...rule.breaks])
  return {
    kind,
    breaks: parties,
    file,
    pointer,
    ...(before !== undefined ? { before } : {}),
    ...(after !== undefined ? { after } : {}),
    why: `${what}: ${rule.why}`,
  }
}

/** Where a walk of two schema versions is: both sides, their nodes at `pointer`, the changes found, the `$ref` pairs followed. */
interface Walk {
  b: Side
  a: Side
  bn: Node
  an: Node
  pointer: string
  out: ContractChange[]
  seen: Set<string>
}

/** Walks two versions of a schema side by side. */
class Comparer {
  /** Locations compared so far, as `file#pointer` (after-side names). */
  private readonly visited = new Set<string>()
  /** `$ref` targets that both versions share, to compare where they are defined if nothing else walks them. */
  private readonly sharedTargets = new Map<
    string,
    { b: Side; a: Side; before: unknown; after: unknown; pointer: string }
  >()

  constructor(private readonly renamed: Map<string, string>) {}

  /**
   * Compares shared `$ref` targets that no walk reached: schemas kept under keys that are not
   * schema keywords (`x-shared`, a `$defs` inside a property…). Changes are reported where the target is.
   */
  compareUnvisitedTargets(): ContractChange[] {
    const out: ContractChange[] = []
    for (let progress = true; progress; ) {
      progress = false
      for (const [key, target] of this.sharedTargets) {
        this.sharedTargets.delete(key)
        if (this.visited.has(key)) continue
        progress = true
        this.compare(target.b, target.a, target.before, target.after, target.pointer, out, new Set())
      }
    }
    return out
  }

  compareFiles(b: Side, a: Side): ContractChange[] {
    const out: ContractChange[] = []
    const bs = asNode(b.entry.schema)
    const as = asNode(a.entry.schema)
    const file = a.entry.rel
    if (bs.$schema !== as.$schema)
      out.push(
        change(
          'dialect-changed',
          file,
          '/$schema',
          bs.$schema,
          as.$schema,
          `\`$schema\` ${show(bs.$schema)} → ${show(as.$schema)}`,
        ),
      )
    if (typeof bs.$id === 'string' && bs.$id !== as.$id)
      out.push(change('id-changed', file, '/$id', bs.$id, as.$id, `\`$id\` ${show(bs.$id)} → ${show(as.$id)}`))
    for (const key of ['definitions', '$defs']) {
      const bd = (bs[key] ?? {}) as Node
      const ad = (as[key] ?? {}) as Node
      for (const name of union(Object.keys(bd), Object.keys(ad))) {
        const pointer = `/${key}/${escapePointer(name)}`
        if (!(name in ad))
          out.push(
            change('definition-removed', file, pointer, bd[name], undefined, `definition \`${name}\` was removed`),
          )
        else if (!(name in bd))
          out.push(change('definition-added', file, pointer, undefined, ad[name], `definition \`${name}\` is new`))
        else this.compare(b, a, bd[name], ad[name], pointer, out, new Set())
      }
    }
    this.compare(b, a, b.entry.schema, a.entry.schema, '', out, new Set())
    return out
  }

  /** Where a `$ref` leads, as `file#pointer` in the after-set's file names (renames applied). */
  private refKey(side: Side, ref: string): string | undefined {
    const target = resolveRef(side.entry, ref, side.index)
    if (!target) return undefined
    return `${this.renamed.get(target.entry.rel) ?? target.entry.rel}#${target.pointer}`
  }

  private follow(side: Side, node: Node): { side: Side; node: unknown; label: string } | undefined {
    if (typeof node.$ref !== 'string') return { side, node, label: 'an inline schema' }
    const target = resolveRef(side.entry, node.$ref, side.index)
    if (!target) return undefined
    return {
      side: { entry: target.entry, index: side.index },
      node: atPointer(target.entry.schema, target.pointer),
      label: `\`${node.$ref}\``,
    }
  }

  compare(
    b: Side,
    a: Side,
    before: unknown,
    after: unknown,
    pointer: string,
    out: ContractChange[],
    seen: Set<string>,
  ): void {
    const file = a.entry.rel
    this.visited.add(`${file}#${pointer}`)
    const bn = asNode(before)
    const an = asNode(after)
    const w: Walk = { b, a, bn, an, pointer, out, seen }
    if (typeof bn.$ref === 'string' || typeof an.$ref === 'string') {
      this.compareRefs(w)
      return
    }
    this.compareAnnotations(bn, an, file, pointer, out)
    const keywords: Keywords = { bn, an, file, at: (key) => `${pointer}/${escapePointer(key)}`, out }
    compareDefault(keywords)
    if (!compareTypes(before, after, pointer, keywords)) return // nothing else is comparable
    compareEnum(keywords)
    compareConst(keywords)
    compareNumericBounds(keywords)
    compareStringKeywords(keywords)
    this.compareObject(w)
    this.compareArrays(w)
    this.compareComposition(w)
    compareUndirected(keywords)
  }

  /** Either side is a `$ref`: the same target is compared where it is defined; a changed target is one `ref-changed`. */
  private compareRefs(w: Walk): void {
    const { b, a, bn, an, pointer, out, seen } = w
    const file = a.entry.rel
    const bothRefs = typeof bn.$ref === 'string' && typeof an.$ref === 'string'
    const same =
      bothRefs &&
      this.refKey(b, bn.$ref as string) === this.refKey(a, an.$ref as string) &&
      this.refKey(a, an.$ref as string) !== undefined
    // Keywords beside `$ref` constrain the data too (ajv applies them in every dialect).
    if (bothRefs) this.compare(b, a, withoutRef(bn), withoutRef(an), pointer, out, seen)
    else this.compareAnnotations(bn, an, file, pointer, out)
    if (same) {
      this.shareTarget(b, a, bn, an)
      return
    }
    // One side is a `$ref` and the other inline: the keywords beside the `$ref` are part of what it accepts.
    const bt = withSiblings(this.follow(b, bn), bn)
    const at = withSiblings(this.follow(a, an), an)
    if (!bt || !at) {
      const what = !at
        ? `\`$ref\` ${show(an.$ref)} leads to no schema now`
        : `\`$ref\` ${show(bn.$ref)} led to no schema`
      out.push(change('keyword-changed', file, `${pointer}/$ref`, bn.$ref, an.$ref, what))
      return
    }
    const pair = `${typeof bn.$ref === 'string' ? this.refKey(b, bn.$ref) : `${b.entry.rel}#${pointer}`}>${typeof an.$ref === 'string' ? this.refKey(a, an.$ref) : `${a.entry.rel}#${pointer}`}`
    if (seen.has(pair)) return
    seen.add(pair)
    const nested: ContractChange[] = []
    this.compare(bt.side, at.side, bt.node, at.node, pointer, nested, seen)
    const breaking = nested.filter((c) => c.breaks.length > 0)
    const breaks = union(...breaking.map((c) => c.breaks)) as Party[]
    const detail =
      breaking.length === 0
        ? 'the schemas it leads to accept the same data'
        : breaking
            .slice(0, 3)
            .map((c) => c.why.split(':')[0])
            .join('; ')
    const where = typeof an.$ref === 'string' ? `${pointer}/$ref` : pointer
    out.push(
      change(
        'ref-changed',
        file,
        where,
        bn.$ref ?? '(inline)',
        an.$ref ?? '(inline)',
        `${bt.label} → ${at.label}; ${detail}`,
        breaks,
      ),
    )
  }

  /** Both sides `$ref` the same target: it is compared where it is defined (or at the end, if no walk gets there). */
  private shareTarget(b: Side, a: Side, bn: Node, an: Node): void {
    const key = this.refKey(a, an.$ref as string)!
    if (this.visited.has(key) || this.sharedTargets.has(key)) return
    const bt = this.follow(b, bn)
    const at = this.follow(a, an)
    const pointerOf = (side: Side, ref: string) => resolveRef(side.entry, ref, side.index)?.pointer ?? ''
    if (bt && at)
      this.sharedTargets.set(key, {
        b: bt.side,
        a: at.side,
        before: bt.node,
        after: at.node,
        pointer: pointerOf(a, an.$ref as string),
      })
  }

  private compareArrays(w: Walk): void {
    const { b, a, bn, an, pointer, out, seen } = w
    const file = a.entry.rel
    const at = (key: string) => `${pointer}/${escapePointer(key)}`
    if (isSchema(bn.items) && isSchema(an.items) && !Array.isArray(bn.items) && !Array.isArray(an.items))
      this.compare(b, a, bn.items, an.items, at('items'), out, seen)
    else if (bn.items !== undefined || an.items !== undefined) {
      if (stableJson(bn.items) !== stableJson(an.items)) {
        if (bn.items === undefined || an.items === undefined)
          this.compare(b, a, bn.items ?? true, an.items ?? true, at('items'), out, seen)
        else
          out.push(
            change(
              'keyword-changed',
              file,
              at('items'),
              bn.items,
              an.items,
              Array.isArray(bn.items) && Array.isArray(an.items)
                ? 'the `items` list changed'
                : '`items` changed between a list and a schema',
            ),
          )
      }
    }
    if (Array.isArray(bn.prefixItems) || Array.isArray(an.prefixItems)) {
      const bp = (bn.prefixItems ?? []) as unknown[]
      const ap = (an.prefixItems ?? []) as unknown[]
      for (let i = 0; i < Math.max(bp.length, ap.length); i++) {
        if (i < bp.length && i < ap.length) this.compare(b, a, bp[i], ap[i], `${at('prefixItems')}/${i}`, out, seen)
        else
          out.push(
            change(
              i < ap.length ? 'constraint-tightened' : 'constraint-loosened',
              file,
              `${at('prefixItems')}/${i}`,
              bp[i],
              ap[i],
              `tuple position ${i} ${i < ap.length ? 'added' : 'removed'}`,
            ),
          )
      }
    }
  }

  private compareComposition(w: Walk): void {
    const { b, a, bn, an, pointer, out, seen } = w
    const file = a.entry.rel
    const at = (key: string) => `${pointer}/${escapePointer(key)}`
    for (const key of ['oneOf', 'anyOf'] as const) {
      // The keyword itself added restricts the data to its alternatives; removed, it lifts that restriction.
      if (bn[key] === undefined && an[key] !== undefined)
        out.push(change('constraint-tightened', file, at(key), undefined, an[key], `\`${key}\` added`))
      else if (bn[key] !== undefined && an[key] === undefined)
        out.push(change('constraint-loosened', file, at(key), bn[key], undefined, `\`${key}\` removed`))
      else this.compareBranches(b, a, bn[key], an[key], at(key), key, 'branch-added', 'branch-removed', out, seen)
    }
    this.compareBranches(b, a, bn.allOf, an.allOf, at('allOf'), 'allOf', 'all-of-added', 'all-of-removed', out, seen)
  }

  private compareAnnotations(bn: Node, an: Node, file: string, pointer: string, out: ContractChange[]): void {
    for (const key of ANNOTATIONS) {
      if (stableJson(bn[key]) === stableJson(an[key])) continue
      out.push(
        change(
          'annotation-changed',
          file,
          `${pointer}/${key}`,
          bn[key],
          an[key],
          `${key} ${bn[key] === undefined ? 'added' : an[key] === undefined ? 'removed' : 'changed'}`,
        ),
      )
    }
  }

  /** Properties, `required` and `additionalProperties`. */
  private compareObject(w: Walk): void {
    const { b, a, bn, an, pointer, out, seen } = w
    const file = a.entry.rel
    const bp = (bn.properties ?? {}) as Node
    const ap = (an.properties ?? {}) as Node
    const bReq = new Set(Array.isArray(bn.required) ? (bn.required as string[]) : [])
    const aReq = new Set(Array.isArray(an.required) ? (an.required as string[]) : [])
    const closedAfter = an.additionalProperties === false || an.unevaluatedProperties === false
    const closedBefore = bn.additionalProperties === false || bn.unevaluatedProperties === false
    for (const name of union(Object.keys(bp), Object.keys(ap))) {
      const at = `${pointer}/properties/${escapePointer(name)}`
      if (!(name in ap)) {
        out.push(
          change(
            closedAfter ? 'property-removed-closed' : 'property-removed',
            file,
            at,
            bp[name],
            undefined,
            `property \`${name}\`${bReq.has(name) ? ' (required)' : ''} removed`,
          ),
        )
      } else if (!(name in bp)) {
        if (aReq.has(name)) {
          const closed = closedBefore
            ? ' to a closed object, which consumers validating against the old schema reject'
            : ''
          out.push(
            change(
              'required-property-added',
              file,
              at,
              undefined,
              ap[name],
              `required property \`${name}\` added${closed}`,
              closedBefore ? ['consumers', 'producers'] : undefined,
            ),
          )
        } else
          out.push(
            change(
              closedBefore ? 'property-added-closed' : 'property-added',
              file,
              at,
              undefined,
              ap[name],
              `optional property \`${name}\` added`,
            ),
          )
      } else this.compare(b, a, bp[name], ap[name], at, out, seen)
    }
    compareRequired({ bn, an, file, at: (key) => `${pointer}/${escapePointer(key)}`, out }, bp, ap)
    this.compareAdditional(w)
  }

  private compareAdditional(w: Walk): void {
    const { b, a, bn, an, pointer, out, seen } = w
    const file = a.entry.rel
    const ba = bn.additionalProperties
    const aa = an.additionalProperties
    if (stableJson(ba) !== stableJson(aa)) {
      const at = `${pointer}/additionalProperties`
      if (aa === false)
        out.push(
          change(
            'additional-properties-closed',
            file,
            at,
            ba ?? true,
            false,
            `additionalProperties ${show(ba ?? true)} → false`,
          ),
        )
      else if (ba === false)
        out.push(
          change(
            'additional-properties-opened',
            file,
            at,
            false,
            aa ?? true,
            `additionalProperties false → ${show(aa ?? true)}`,
          ),
        )
      else this.compare(b, a, ba ?? true, aa ?? true, at, out, seen)
    }
  }

  private compareBranches(
    b: Side,
    a: Side,
    before: unknown,
    after: unknown,
    pointer: string,
    key: string,
    addedKind: ChangeKind,
    removedKind: ChangeKind,
    out: ContractChange[],
    seen: Set<string>,
  ): void {
    if (before === undefined && after === undefined) return
    const file = a.entry.rel
    const bl = Array.isArray(before) ? before : []
    const al = Array.isArray(after) ? after : []
    const bKeys = bl.map((s) => this.branchKey(b, s))
    const aKeys = al.map((s) => this.branchKey(a, s))
    const removed = bl.map((_, i) => i).filter((i) => !aKeys.includes(bKeys[i]!))
    const added = al.map((_, i) => i).filter((i) => !bKeys.includes(aKeys[i]!))
    if (removed.length === 1 && added.length === 1) {
      // One alternative edited in place: compare it, so the change is named precisely.
      this.compare(b, a, bl[removed[0]!], al[added[0]!], `${pointer}/${added[0]}`, out, seen)
      return
    }
    for (const i of removed)
      out.push(
        change(removedKind, file, `${pointer}/${i}`, bl[i], undefined, `${key} alternative ${show(bl[i])} removed`),
      )
    for (const i of added)
      out.push(change(addedKind, file, `${pointer}/${i}`, undefined, al[i], `${key} alternative ${show(al[i])} added`))
  }

  private branchKey(side: Side, schema: unknown): string {
    const node = asNode(schema)
    if (typeof node.$ref === 'string') return `ref:${this.refKey(side, node.$ref) ?? node.$ref}`
    return stableJson(schema)
  }
}

/** The two versions of one schema node, for comparing keywords whose values are not schemas. */
interface Keywords {
  bn: Node
  an: Node
  file: string
  /** The pointer of a keyword of this node. */
  at: (key: string) => string
  out: ContractChange[]
}

function compareDefault({ bn, an, file, at, out }: Keywords): void {
  if ('default' in bn || 'default' in an) {
    if (!('default' in bn))
      out.push(change('default-added', file, at('default'), undefined, an.default, `default ${show(an.default)} added`))
    else if (!('default' in an))
      out.push(
        change('default-removed', file, at('default'), bn.default, undefined, `default ${show(bn.default)} removed`),
      )
    else if (stableJson(bn.default) !== stableJson(an.default))
      out.push(
        change(
          'default-changed',
          file,
          at('default'),
          bn.default,
          an.default,
          `default ${show(bn.default)} → ${show(an.default)}`,
        ),
      )
  }
}

/** Type changes (boolean schemas included); false when the versions share no type, so nothing else compares. */
function compareTypes(before: unknown, after: unknown, pointer: string, { file, at, out }: Keywords): boolean {
  const bTypes = typesOf(before)
  const aTypes = typesOf(after)
  if (stableJson(bTypes) === stableJson(aTypes)) return true
  const narrowed = covers(bTypes, aTypes)
  const widened = covers(aTypes, bTypes)
  if (!(narrowed && widened)) {
    const kind: ChangeKind = narrowed ? 'type-narrowed' : widened ? 'type-widened' : 'type-changed'
    const where = typeof before === 'boolean' || typeof after === 'boolean' ? pointer : at('type')
    const what = `type ${typeLabel(bTypes)} → ${typeLabel(aTypes)}`
    out.push(change(kind, file, where, typeLabel(bTypes), typeLabel(aTypes), what))
  }
  return overlaps(bTypes, aTypes)
}

function compareEnum({ bn, an, file, at, out }: Keywords): void {
  if (Array.isArray(bn.enum) || Array.isArray(an.enum)) {
    if (!Array.isArray(bn.enum))
      out.push(change('enum-added', file, at('enum'), undefined, an.enum, `enum ${show(an.enum)} added`))
    else if (!Array.isArray(an.enum))
      out.push(change('enum-removed', file, at('enum'), bn.enum, undefined, `enum ${show(bn.enum)} removed`))
    else {
      const bv = bn.enum.map(stableJson)
      const av = an.enum.map(stableJson)
      const removed = bn.enum.filter((_, i) => !av.includes(bv[i]!))
      const added = an.enum.filter((_, i) => !bv.includes(av[i]!))
      for (const value of removed)
        out.push(change('enum-value-removed', file, at('enum'), value, undefined, `enum value ${show(value)} removed`))
      for (const value of added)
        out.push(
          change(
            'enum-value-added',
            file,
            `${at('enum')}/${an.enum.findIndex((v) => stableJson(v) === stableJson(value))}`,
            undefined,
            value,
            `enum value ${show(value)} added`,
          ),
        )
    }
  }
}

function compareConst({ bn, an, file, at, out }: Keywords): void {
  if ('const' in bn || 'const' in an) {
    if (!('const' in bn))
      out.push(change('const-added', file, at('const'), undefined, an.const, `const ${show(an.const)} added`))
    else if (!('const' in an))
      out.push(change('const-removed', file, at('const'), bn.const, undefined, `const ${show(bn.const)} removed`))
    else if (stableJson(bn.const) !== stableJson(an.const))
      out.push(
        change('const-changed', file, at('const'), bn.const, an.const, `const ${show(bn.const)} → ${show(an.const)}`),
      )
  }
}

/** Bounds (a bigger upper bound or a smaller lower one accepts more), multipleOf and uniqueItems. */
function compareNumericBounds({ bn, an, file, at, out }: Keywords): void {
  for (const key of [...UPPER, ...LOWER]) {
    const bv = typeof bn[key] === 'number' ? (bn[key] as number) : undefined
    const av = typeof an[key] === 'number' ? (an[key] as number) : undefined
    if (bv === av) continue
    const upper = UPPER.includes(key)
    const tightened = bv === undefined || (av !== undefined && (upper ? av < bv : av > bv))
    const what =
      bv === undefined ? `${key} ${av} added` : av === undefined ? `${key} ${bv} removed` : `${key} ${bv} → ${av}`
    out.push(change(tightened ? 'constraint-tightened' : 'constraint-loosened', file, at(key), bv, av, what))
  }
  if (bn.multipleOf !== an.multipleOf) {
    const bv = bn.multipleOf as number | undefined
    const av = an.multipleOf as number | undefined
    const what = `multipleOf ${show(bv)} → ${show(av)}`
    if (bv === undefined || (av !== undefined && Number.isInteger(av / bv)))
      out.push(change('constraint-tightened', file, at('multipleOf'), bv, av, what))
    else if (av === undefined || Number.isInteger(bv / av))
      out.push(change('constraint-loosened', file, at('multipleOf'), bv, av, what))
    else out.push(change('keyword-changed', file, at('multipleOf'), bv, av, what))
  }
  if (Boolean(bn.uniqueItems) !== Boolean(an.uniqueItems)) {
    out.push(
      change(
        an.uniqueItems ? 'constraint-tightened' : 'constraint-loosened',
        file,
        at('uniqueItems'),
        bn.uniqueItems,
        an.uniqueItems,
        `uniqueItems ${show(bn.uniqueItems ?? false)} → ${show(an.uniqueItems ?? false)}`,
      ),
    )
  }
}

function compareStringKeywords({ bn, an, file, at, out }: Keywords): void {
  for (const [key, added, removed, changed] of [
    ['pattern', 'pattern-added', 'pattern-removed', 'pattern-changed'],
    ['format', 'format-added', 'format-removed', 'format-changed'],
  ] as const) {
    if (bn[key] === an[key]) continue
    if (bn[key] === undefined)
      out.push(change(added, file, at(key), undefined, an[key], `${key} ${show(an[key])} added`))
    else if (an[key] === undefined)
      out.push(change(removed, file, at(key), bn[key], undefined, `${key} ${show(bn[key])} removed`))
    else out.push(change(changed, file, at(key), bn[key], an[key], `${key} ${show(bn[key])} → ${show(an[key])}`))
  }
}

/** Properties that became required or no longer are: those in both versions first, then those in neither. */
function compareRequired({ bn, an, file, at, out }: Keywords, bp: Node, ap: Node): void {
  const bReq = new Set(Array.isArray(bn.required) ? (bn.required as string[]) : [])
  const aReq = new Set(Array.isArray(an.required) ? (an.required as string[]) : [])
  const added = (name: string) =>
    out.push(
      change(
        'required-added',
        file,
        `${at('required')}/${(an.required as string[]).indexOf(name)}`,
        undefined,
        name,
        `\`${name}\` became required`,
      ),
    )
  const removed = (name: string) =>
    out.push(change('required-removed', file, at('required'), name, undefined, `\`${name}\` is no longer required`))
  for (const name of aReq) if (!bReq.has(name) && name in bp) added(name)
  for (const name of bReq) if (!aReq.has(name) && name in ap) removed(name)
  for (const name of aReq) if (!bReq.has(name) && !(name in bp) && !(name in ap)) added(name)
  for (const name of bReq) if (!aReq.has(name) && !(name in bp) && !(name in ap)) removed(name)
}

/** Keywords whose change cannot be called tighter or looser. */
function compareUndirected({ bn, an, file, at, out }: Keywords): void {
  for (const key of UNDIRECTED) {
    if (stableJson(bn[key]) !== stableJson(an[key]))
      out.push(
        change(
          'keyword-changed',
          file,
          at(key),
          bn[key],
          an[key],
          `\`${key}\` ${bn[key] === undefined ? 'added' : an[key] === undefined ? 'removed' : 'changed'}`,
        ),
      )
  }
}

function asNode(schema: unknown): Node {
  if (schema === true || schema === undefined) return {}
  if (schema === false) return { not: {} }
  return schema && typeof schema === 'object' && !Array.isArray(schema) ? (schema as Node) : {}
}

// Keywords beside a `$ref` whose values are not schemas, so they mean the same wherever the `$ref` leads.
const PLAIN_SIBLINGS = new Set([
  ...UPPER,
  ...LOWER,
  ...ANNOTATIONS,
  'type',
  'enum',
  'const',
  'required',
  'format',
  'pattern',
  'multipleOf',
  'uniqueItems',
  'default',
])

/**
 * What a `$ref` with keywords beside it accepts: both apply. Bounds take the stricter value,
 * `required` the union, `enum` and `type` what both allow; annotations beside it win. Any other
 * keyword both give differently applies twice: the one beside the `$ref` goes into `allOf`.
 */
function withSiblings<T extends { node: unknown }>(followed: T | undefined, node: Node): T | undefined {
  if (!followed || typeof node.$ref !== 'string') return followed
  const siblings = Object.entries(withoutRef(node)).filter(([key]) => PLAIN_SIBLINGS.has(key))
  if (siblings.length === 0) return followed
  const merged: Node = { ...asNode(followed.node) }
  for (const [key, value] of siblings) {
    const mine = merged[key]
    if (mine === undefined || ANNOTATIONS.includes(key) || key === 'default') merged[key] = value
    else if (stableJson(mine) === stableJson(value)) continue
    else if (UPPER.includes(key) && typeof mine === 'number' && typeof value === 'number')
      merged[key] = Math.min(mine, value)
    else if (LOWER.includes(key) && typeof mine === 'number' && typeof value === 'number')
      merged[key] = Math.max(mine, value)
    else if (key === 'required' && Array.isArray(mine) && Array.isArray(value)) merged[key] = union(mine, value)
    else if (key === 'enum' && Array.isArray(mine) && Array.isArray(value))
      merged[key] = mine.filter((v) => value.some((w) => stableJson(w) === stableJson(v)))
    else if (key === 'type') merged[key] = commonTypes(typesOf({ type: mine }), typesOf({ type: value }))
    else merged.allOf = [...(Array.isArray(merged.allOf) ? merged.allOf : []), { [key]: value }]
  }
  return { ...followed, node: merged }
}

/** The types both lists allow (`integer` is a `number`). */
function commonTypes(x: string[], y: string[]): string[] {
  const allows = (list: string[], type: string) =>
    list.includes(type) || (type === 'integer' && list.includes('number'))
  return [...new Set([...x.filter((t) => allows(y, t)), ...y.filter((t) => allows(x, t))])].sort()
}

function withoutRef(node: Node): Node {
  const { $ref: _ref, ...rest } = node
  return rest
}

function isSchema(value: unknown): boolean {
  return typeof value === 'boolean' || (value !== null && typeof value === 'object')
}

const ALL_TYPES = ['array', 'boolean', 'null', 'number', 'object', 'string']

/** The types a schema allows (`integer` kept apart from `number`); every type when it says none, none for `false`. */
function typesOf(schema: unknown): string[] {
  if (schema === false) return []
  const node = asNode(schema)
  const type = node.type
  if (typeof type === 'string') return [type]
  if (Array.isArray(type)) return [...new Set(type as string[])].sort()
  return ALL_TYPES
}

/** True when every value of `inner` types is allowed by `outer` types (integer is a number). */
function covers(outer: string[], inner: string[]): boolean {
  return inner.every((t) => outer.includes(t) || (t === 'integer' && outer.includes('number')))
}

function overlaps(x: string[], y: string[]): boolean {
  return x.some(
    (t) => y.includes(t) || (t === 'integer' && y.includes('number')) || (t === 'number' && y.includes('integer')),
  )
}

function typeLabel(types: string[]): string {
  if (types.length === 0) return 'nothing (false)'
  if (types === ALL_TYPES || stableJson(types) === stableJson(ALL_TYPES)) return 'any'
  return types.join(' | ')
}

function union<T>(...lists: T[][]): T[] {
  return [...new Set(lists.flat())]
}

function show(value: unknown): string {
  const text = JSON.stringify(value)
  if (text === undefined) return String(value)
  return text.length > 60 ? `${text.slice(0, 57)}...` : text
}
