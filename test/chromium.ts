import { execFileSync } from 'node:child_process'
import { existsSync } from 'node:fs'

/**
 * A Chromium for browser tests: $CHROMIUM_PATH, then `chromium` or `chromium-browser` on PATH, then
 * a browser playwright downloaded. Throws one line saying how to install one when there is none.
 */
export async function findChromium(): Promise<string> {
  const fromEnv = process.env.CHROMIUM_PATH
  if (fromEnv) {
    if (existsSync(fromEnv)) return fromEnv
    throw new Error(`CHROMIUM_PATH is ${fromEnv}, which does not exist`)
  }
  for (const name of ['chromium', 'chromium-browser']) {
    try {
      const path = execFileSync('sh', ['-c', `command -v ${name}`], { encoding: 'utf8' }).trim()
      if (path) return path
    } catch {}
  }
  const { chromium } = await import('playwright-core')
  const bundled = chromium.executablePath()
  if (bundled && existsSync(bundled)) return bundled
  throw new Error(
    'no Chromium found for the HTML report test: install it (`sudo apt-get install chromium`) or set CHROMIUM_PATH',
  )
}
