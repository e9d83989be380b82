/** Why JavaScript rejects a regular expression, or undefined. */
export function regexProblem(source: string, flags = ''): string | undefined {
  try {
    new RegExp(source, flags)
    return undefined
  } catch (error) {
    return (error as Error).message.replace(/^Invalid regular expression: /, '')
  }
}

/** Why picomatch rejects a glob (unbalanced brackets, braces or parentheses), or undefined. */
export async function globProblem(glob: string): Promise<string | undefined> {
  const { default: picomatch } = await import('picomatch')
  try {
    picomatch.makeRe(glob, { strictBrackets: true, debug: true })
    return undefined
  } catch (error) {
    return (error as Error).message
  }
}
