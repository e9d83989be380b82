/** Escapes the message of a GitHub Actions workflow command (%, CR, LF). */
export function escapeData(text: string): string {
  return text.replace(/%/g, '%25').replace(/\r/g, '%0D').replace(/\n/g, '%0A')
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
export function annotation(level: 'error' | 'warning' | 'notice', message: string, properties: AnnotationProperties = {}): string {
  const props = Object.entries(properties)
    .filter(([, value]) => value !== undefined && value !== '')
    .map(([key, value]) => `${key}=${escapeProperty(String(value))}`)
    .join(',')
  return `::${level}${props ? ` ${props}` : ''}::${escapeData(message)}`
}
