import { readFileSync } from 'node:fs'
import { join } from 'node:path'
import { packageRoot } from './package-root.js'

/** Where users learn about wf: package.json's `homepage`, else its repository as a web address; undefined when it has neither. */
export function wfHomepage(manifest: { homepage?: unknown; repository?: unknown }): string | undefined {
  if (typeof manifest.homepage === 'string' && /^https?:\/\//.test(manifest.homepage)) return manifest.homepage
  const repository =
    typeof manifest.repository === 'string'
      ? manifest.repository
      : (manifest.repository as { url?: unknown } | undefined)?.url
  if (typeof repository !== 'string') return undefined
  const github = /^github:([\w.-]+\/[\w.-]+)$/.exec(repository) ?? /^([\w.-]+\/[\w.-]+)$/.exec(repository)
  if (github) return `https://github.com/${github[1]!.replace(/\.git$/, '')}`
  const web = /^(?:git\+)?(https?:\/\/.+?)(?:\.git)?$/.exec(repository)
  return web?.[1]
}

/** The running wf's homepage, from its package.json. */
export const WF_HOMEPAGE: string | undefined = wfHomepage(
  JSON.parse(readFileSync(join(packageRoot, 'package.json'), 'utf8')),
)
