// Soak (npm run test:soak): twenty rounds of each way wf can be stopped while a task with setsid
// children runs (SIGINT, SIGTERM, SIGHUP, and SIGKILL followed by `wf status`): after each, no
// process of the task is left.
import { afterEach, describe, expect, it } from 'vitest'
import { runCli } from '../cli-in-process.js'
import { killMarked, linux, markedPids, newMarker, quiet, repo, startTask } from '../e2e/signal-kit.js'

const ROUNDS = 20

afterEach(killMarked)

describe.skipIf(!linux)('signals, again and again', () => {
  it.each(['SIGINT', 'SIGTERM', 'SIGHUP', 'SIGKILL'] as const)(
    `%s, ${ROUNDS} times: no task process is left`,
    { timeout: ROUNDS * 40_000 },
    async (signal) => {
      for (let round = 0; round < ROUNDS; round++) {
        const marker = newMarker()
        const cwd = repo(
          `setsid sleep ${marker} & setsid sh -c 'setsid sleep ${marker} >/dev/null 2>&1 &'; sleep ${marker} & sleep ${marker}`,
        )
        const wf = await startTask(cwd, marker, 4)
        process.kill(wf.pid, signal)
        const { code, signal: by } = await wf.ended
        await wf.done()
        if (signal === 'SIGKILL') await runCli(['status'], { cwd, env: quiet })
        else
          expect({ code, by }, `round ${round}`).toEqual(
            signal === 'SIGHUP' ? { code: null, by: 'SIGHUP' } : { code: 130, by: null },
          )
        expect(markedPids(marker), `round ${round}: task processes left`).toEqual([])
      }
    },
  )
})
