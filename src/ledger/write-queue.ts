/** Writes one file whole (the ledger's writes go through `writeFileAtomic` unless a test injects its own). */
export type WriteFile = (path: string, data: string) => Promise<void>

/**
 * Writes files one at a time, in the order they were asked for, so an older content can never be
 * renamed over a newer one. A file's content is rendered when its write starts, and a caller that
 * asks for a file whose write is queued but not started shares that write. After a write fails,
 * every later one fails with the same error without touching the disk: what is on disk stays as it
 * was before the failed write.
 */
export class WriteQueue {
  private tail: Promise<unknown> = Promise.resolve()
  private readonly queued = new Map<string, Promise<void>>()
  private failure?: { error: unknown }

  constructor(
    private readonly writeFile: WriteFile,
    /** Turns a failed write's error into the one every caller sees. */
    private readonly describe: (error: unknown, path: string) => unknown = (error) => error,
  ) {}

  /** Resolves once a write of `path` that started after this call (so holds what `render` returns then) is done. */
  write(path: string, render: () => string): Promise<void> {
    const waiting = this.queued.get(path)
    if (waiting) return waiting
    const done = this.tail.then(async () => {
      this.queued.delete(path)
      if (this.failure) throw this.failure.error
      try {
        await this.writeFile(path, render())
      } catch (error) {
        this.failure = { error: this.describe(error, path) }
        throw this.failure.error
      }
    })
    this.queued.set(path, done)
    this.tail = done.catch(() => {})
    return done
  }
}
