import { readFileSync } from 'node:fs'
import { join } from 'node:path'
import { packageRoot } from './package-root.js'

/** The version of wf that is running (recorded in the ledger and in fingerprints). */
export const WF_VERSION: string = JSON.parse(readFileSync(join(packageRoot, 'package.json'), 'utf8')).version
