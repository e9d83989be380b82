// The shop contracts fixture (test/fixtures/contracts/shop) as files to put in a test repository.
import { readdirSync, readFileSync } from 'node:fs'
import { join, relative } from 'node:path'
import { repoRoot } from './helpers.js'

/** Where the fixture schemas and their examples live. */
export const fixtureDir = join(repoRoot, 'test/fixtures/contracts/shop')

/** The fixture schemas (and their examples) as a tree under `contracts/`. */
export function fixtureTree(prefix = 'contracts'): Record<string, string> {
  const tree: Record<string, string> = {}
  const walk = (dir: string) => {
    for (const entry of readdirSync(dir, { withFileTypes: true })) {
      const path = join(dir, entry.name)
      if (entry.isDirectory()) walk(path)
      else tree[`${prefix}/${relative(fixtureDir, path).split('\\').join('/')}`] = readFileSync(path, 'utf8')
    }
  }
  walk(fixtureDir)
  return tree
}

/** A plan whose phase `types` generates contracts/ into src/generated with validators. */
export const contractsPlan = (extra = '') => `version: 1
phases:
  - id: types
    tasks:
      - contracts: contracts
        out: src/generated
        validators: true
${extra}`

/** Every file under `dir`, relative and sorted. */
export function listFiles(dir: string): string[] {
  return readdirSync(dir, { recursive: true, withFileTypes: true })
    .filter((e) => e.isFile())
    .map((e) => relative(dir, join(e.parentPath, e.name)).split('\\').join('/'))
    .sort()
}
