/** `file:line:col` (the column only with a line), as every report writes a location. */
export function locationText(l: { file: string; line?: number; col?: number }): string {
  return [l.file, l.line, l.line !== undefined ? l.col : undefined].filter((x) => x !== undefined).join(':')
}
