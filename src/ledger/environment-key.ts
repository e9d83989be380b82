import type { Ledger } from './ledger.generated.js'

/** The key of a phase's entries in the ledger's `phases`, `passed` and `checks`: its id, or `ID@ENVIRONMENT` outside the default environment. */
export function ledgerKey(id: string, environment?: string): string {
  return environment ? `${id}@${environment}` : id
}

/** The ledger as one environment sees it: `phases`, `passed` and `checks` hold that environment's entries, by phase id. */
export function environmentView(ledger: Ledger, environment?: string): Ledger {
  // The default environment's entries are keyed by id already: lookups by id never meet another's.
  if (!environment) return ledger
  const suffix = `@${environment}`
  const pick = <T>(map: Record<string, T> | undefined): Record<string, T> => {
    const picked: Record<string, T> = {}
    for (const [key, entry] of Object.entries(map ?? {}))
      if (key.endsWith(suffix)) picked[key.slice(0, -suffix.length)] = entry
    return picked
  }
  return { ...ledger, phases: pick(ledger.phases), passed: pick(ledger.passed), checks: pick(ledger.checks) }
}
