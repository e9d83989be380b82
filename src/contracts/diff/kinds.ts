// The rule table of `wf contracts diff`: every kind of change and whom it breaks.
//
// Producers write data that must match the schema; consumers read data that matched it. A change
// that makes the schema accept less (narrowing) breaks producers; one that makes it accept more,
// or stops guaranteeing something (widening), breaks consumers.

export type Party = 'consumers' | 'producers'

const C: Party[] = ['consumers']
const P: Party[] = ['producers']
const BOTH: Party[] = ['consumers', 'producers']
const NONE: Party[] = []

/** Every kind of change, whom it breaks (`nested`: whatever the changes it stands for break), and why. */
export const CHANGE_KINDS = {
  'schema-added': { breaks: NONE, why: 'a new schema breaks no one' },
  'schema-removed': { breaks: BOTH, why: 'everything that refers to the schema or its generated type breaks' },
  'schema-renamed': { breaks: BOTH, why: 'references to the old path and imports of the old module break' },
  'id-changed': { breaks: BOTH, why: 'references by the old `$id` no longer resolve' },
  'definition-added': { breaks: NONE, why: 'a new definition breaks no one' },
  'definition-removed': { breaks: BOTH, why: 'references to the definition and its generated type break' },
  'property-added': {
    breaks: NONE,
    why: 'an optional property on an open object: producers need not send it, consumers already accept unknown properties',
  },
  'property-added-closed': {
    breaks: C,
    why: 'the object is closed (`additionalProperties: false`): consumers validating against the old schema reject data carrying the new property',
  },
  'required-property-added': { breaks: P, why: 'producers must now send a property they do not know about' },
  'property-removed': { breaks: C, why: 'consumers that read the property no longer get it' },
  'property-removed-closed': {
    breaks: BOTH,
    why: 'consumers no longer get the property, and the closed object now rejects producers that still send it',
  },
  'required-added': { breaks: P, why: 'producers that leave the property out are now rejected' },
  'required-removed': { breaks: C, why: 'consumers can no longer rely on the property being present' },
  'type-narrowed': { breaks: P, why: 'values of the dropped type are now rejected' },
  'type-widened': { breaks: C, why: 'consumers may now receive values of a type they do not handle' },
  'type-changed': { breaks: BOTH, why: 'the old and new types do not overlap' },
  'enum-value-added': { breaks: C, why: 'consumers may now receive a value they do not handle' },
  'enum-value-removed': { breaks: P, why: 'producers sending the removed value are now rejected' },
  'enum-added': { breaks: P, why: 'values outside the new list are now rejected' },
  'enum-removed': { breaks: C, why: 'consumers may now receive values outside the old list' },
  'const-added': { breaks: P, why: 'every other value is now rejected' },
  'const-removed': { breaks: C, why: 'consumers may now receive other values' },
  'const-changed': { breaks: BOTH, why: 'the one allowed value is a different one' },
  'additional-properties-closed': {
    breaks: P,
    why: 'producers sending properties the schema does not list are now rejected',
  },
  'additional-properties-opened': { breaks: C, why: 'consumers may now receive properties they do not know' },
  'constraint-tightened': { breaks: P, why: 'values that were valid are now rejected' },
  'constraint-loosened': { breaks: C, why: 'consumers may now receive values outside the old bounds' },
  'pattern-added': { breaks: P, why: 'strings not matching the pattern are now rejected' },
  'pattern-removed': { breaks: C, why: 'consumers may now receive strings the old pattern excluded' },
  'pattern-changed': { breaks: BOTH, why: 'wf cannot prove one pattern contains the other' },
  'format-added': { breaks: P, why: 'strings not in the format are now rejected' },
  'format-removed': { breaks: C, why: 'consumers may now receive strings not in the old format' },
  'format-changed': { breaks: BOTH, why: 'the strings allowed are different ones' },
  'branch-added': {
    breaks: C,
    why: 'a new `oneOf`/`anyOf` alternative: consumers may receive data of a shape they do not handle',
  },
  'branch-removed': { breaks: P, why: 'data of the removed alternative is now rejected' },
  'all-of-added': { breaks: P, why: 'a new `allOf` member adds constraints' },
  'all-of-removed': { breaks: C, why: 'an `allOf` member no longer constrains the data' },
  'ref-changed': {
    breaks: 'nested' as const,
    why: 'the `$ref` leads to a different schema; what breaks depends on how it differs',
  },
  'default-added': {
    breaks: NONE,
    why: 'data that leaves the property out keeps its meaning for producers; consumers gain a default',
  },
  'default-removed': {
    breaks: C,
    why: 'consumers that filled in the default no longer know what a missing value means',
  },
  'default-changed': { breaks: C, why: 'data that leaves the property out now means something else to consumers' },
  'annotation-changed': {
    breaks: NONE,
    why: 'titles, descriptions, examples and comments do not change what is valid',
  },
  'dialect-changed': { breaks: NONE, why: 'the `$schema` dialect changed; the keywords are compared on their own' },
  'keyword-changed': {
    breaks: BOTH,
    why: 'wf cannot tell which way a change to this keyword goes, so it counts as breaking both ways',
  },
} as const satisfies Record<string, { breaks: readonly Party[] | 'nested'; why: string }>

export type ChangeKind = keyof typeof CHANGE_KINDS

/** One classified change between two versions of a schema set. */
export interface ContractChange {
  kind: ChangeKind
  /** Who breaks; empty when the change is compatible. */
  breaks: Party[]
  /** The schema file (as it is now; as it was, when it is gone). */
  file: string
  /** JSON pointer in that schema. */
  pointer: string
  before?: unknown
  after?: unknown
  /** What changed and why it is classified so. */
  why: string
  line?: number
  col?: number
  /** Set when an allowance covers this breaking change. */
  allowed?: { reason: string; by: string }
  /** Set when the schema's `x-wf-direction` says the parties it breaks are this repository's own side. */
  notCounted?: string
}

/** The party a schema's `x-wf-direction` guards: `output` (this repository writes the data) → its consumers; `input` (it reads the data) → its producers. */
export function guardedParty(direction: unknown): Party | undefined {
  if (direction === 'output') return 'consumers'
  if (direction === 'input') return 'producers'
  return undefined
}

/** A short label for whom a change breaks. */
export function impactLabel(breaks: readonly Party[]): string {
  if (breaks.length === 0) return 'compatible'
  if (breaks.length === 2) return 'breaking for consumers and producers'
  return `breaking for ${breaks[0]}`
}
