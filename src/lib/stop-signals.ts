/** Signals that stop a run as Ctrl-C does; SIGHUP is the terminal closing, which must not orphan tasks. */
export const STOP_SIGNALS = ['SIGINT', 'SIGTERM', 'SIGHUP'] as const

/**
 * Ends this process by SIGHUP, as it would have ended without a handler (a shell shows status 129),
 * once what had to be done is done. Exiting normally instead would have Node restore the terminal's
 * settings, and it aborts when the terminal is gone.
 */
export function endByHangup(): void {
  process.removeAllListeners('SIGHUP')
  process.kill(process.pid, 'SIGHUP')
}
