import { readFileSync } from 'node:fs'
import { join } from 'node:path'
import { packageRoot } from './package-root.js'

/** The name wf is installed under from the registry (`npm install --save-dev NAME`, `npx NAME`), read from its package.json. */
export function packageName(): string {
  return JSON.parse(readFileSync(join(packageRoot, 'package.json'), 'utf8')).name
}
