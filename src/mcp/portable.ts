import * as z from 'zod'

/**
 * Output-schema pieces whose JSON Schema stays in the subset every MCP client accepts: a free-form
 * object says `additionalProperties: true` instead of an empty schema, and a nullable value is an
 * `anyOf` of single-type branches instead of a `type` array.
 */
export const portable = {
  /** An object with any keys and values. */
  object: () => z.record(z.string(), z.unknown()).meta({ additionalProperties: true }),
  /** A described value that may be null (the description keeps the value's branch apart from the null one). */
  nullable: <T extends z.ZodType>(schema: T, description: string) => schema.describe(description).nullable(),
}
