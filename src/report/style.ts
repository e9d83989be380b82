/** ANSI styling that switches itself off for pipes, NO_COLOR and TERM=dumb. */
export function createStyle(stream: NodeJS.WriteStream = process.stderr) {
  const on = Boolean(stream.isTTY) && !('NO_COLOR' in process.env) && process.env.TERM !== 'dumb'
  const wrap = (open: number, close: number) => (text: string) => (on ? `\u001B[${open}m${text}\u001B[${close}m` : text)
  return {
    bold: wrap(1, 22),
    dim: wrap(2, 22),
    red: wrap(31, 39),
    green: wrap(32, 39),
    yellow: wrap(33, 39),
    cyan: wrap(36, 39),
  }
}

export type Style = ReturnType<typeof createStyle>
