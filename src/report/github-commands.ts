/** Escapes the message of a GitHub Actions workflow command (%, CR, LF). */
export function escapeData(text: string): string {
  return text.replace(/%/g, '%25').replace(/\r/g, '%0D').replace(/\n/g, '%0A')
}

/**
 * Plain log text the Actions runner will not read as a workflow command: the runner takes any
 * line that starts with `::` (after leading spaces) as one, so a line of wf's own text that would
 * (a file name, a phase name or a message with a line break in it) is shown behind a `│ `.
 */
export function logText(text: string): string {
  return text
    .split(/\r\n|\r|\n/)
    .map((line) => (/^\s*::/.test(line) ? `│ ${line}` : line))
    .join('\n')
}

/** Escapes a property value of a workflow command (also `:` and `,`). */
export function escapeProperty(text: string): string {
  return escapeData(text).replace(/:/g, '%3A').replace(/,/g, '%2C')
}

export interface AnnotationProperties {
  title?: string
  file?: string
  line?: number
  col?: number
  endLine?: number
  endColumn?: number
}

/** A `::error`/`::warning`/`::notice` workflow command line. */
export function annotation(
  level: 'error' | 'warning' | 'notice',
  message: string,
  properties: AnnotationProperties = {},
): string {
  const props = Object.entries(properties)
    .filter(([, value]) => value !== undefined && value !== '')
    .map(([key, value]) => `${key}=${escapeProperty(String(value))}`)
    .join(',')
  return `::${level}${props ? ` ${props}` : ''}::${escapeData(message)}`
}

/** GitHub shows at most this many error annotations, and as many warnings, per step. */
export const ANNOTATION_LIMIT = 10

/** An annotation that was not emitted because its kind reached the per-step limit. */
export interface HeldAnnotation {
  level: 'error' | 'warning'
  title: string
  message: string
  file?: string
  line?: number
  col?: number
}

/** Emits annotations up to `limit` of each kind; the rest are kept in `held`, for the job summary. */
export function createAnnotator(limit = ANNOTATION_LIMIT) {
  const emitted = { error: 0, warning: 0 }
  const held: HeldAnnotation[] = []
  return {
    limit,
    held,
    /** The workflow command line, or undefined when the limit for its kind is reached (the annotation is held). */
    annotate(
      level: 'error' | 'warning',
      message: string,
      properties: AnnotationProperties & { title: string },
    ): string | undefined {
      if (emitted[level] >= limit) {
        held.push({
          level,
          message,
          title: properties.title,
          ...(properties.file ? { file: properties.file } : {}),
          ...(properties.line ? { line: properties.line } : {}),
          ...(properties.col ? { col: properties.col } : {}),
        })
        return undefined
      }
      emitted[level]++
      return annotation(level, message, properties)
    },
  }
}

export type Annotator = ReturnType<typeof createAnnotator>
