// The plan schema's validator (ajv, compiled at build time: the largest module wf has) and the fast
// YAML parser, loaded on first use: a plan file found in the plan cache needs neither.

/** Checks a value against the plan schema; after a failure, `errors` holds ajv's findings. */
export type PlanSchemaCheck = ((data: unknown) => boolean) & {
  errors?: { instancePath: string; message?: string }[] | null
}

/** The plan schema's validator. */
export async function planValidator(): Promise<PlanSchemaCheck> {
  return (await import('./validate-plan.generated.js')).default as PlanSchemaCheck
}

/** js-yaml: parses several times faster than a positioned Document, without positions. */
export function fastYaml(): Promise<typeof import('js-yaml')> {
  return import('js-yaml')
}
