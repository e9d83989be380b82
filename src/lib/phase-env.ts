import { lstatSync } from 'node:fs'
import { join } from 'node:path'
import { type EnvLayer, resolveEnv, type ResolvedEnv } from './environment.js'
import { WfError } from './errors.js'
import type { Workspace } from './workspace.js'

const NO_THROW = { throwIfNoEntry: false } as const

/** The dotenv file every phase reads when it exists. */
export const ROOT_ENV_FILE = '.env'

/** What a phase's environment comes from: its `env` map and the env files its plan and it name. */
export interface PhaseEnvSource {
  env: EnvLayer
  envFiles?: readonly string[]
}

/** The env files a phase reads, in the order they apply: `.env` (used when present), then those named. */
export function envFilesOf(phase: Pick<PhaseEnvSource, 'envFiles'>): string[] {
  return [ROOT_ENV_FILE, ...(phase.envFiles ?? []).filter((file) => file !== ROOT_ENV_FILE)]
}

/**
 * A phase's environment: `base`, then the variables of its env files (a later file wins), then its
 * `env` map. Values from env files are redacted like plan values: when their names say secret, or
 * when `env` declares them secret (`{ from: NAME, secret: true }` reads the env files too).
 */
export async function phaseEnv(
  workspace: Workspace,
  base: NodeJS.ProcessEnv,
  phase: PhaseEnvSource,
): Promise<ResolvedEnv> {
  const fromFiles = await readEnvFiles(workspace, phase.envFiles ?? [])
  if (fromFiles) return resolveEnv({ ...base, ...fromFiles }, fromFiles, phase.env)
  if (Object.keys(phase.env).length > 0) return resolveEnv(base, phase.env)
  // Most phases add nothing to the base: resolved (every name checked for a secret) once per workspace, copied for each.
  const shared = workspace.scoped(BaseEnvs).byBase
  let resolved = shared.get(base)
  if (!resolved) {
    resolved = resolveEnv(base)
    shared.set(base, resolved)
  }
  return { vars: { ...resolved.vars }, secrets: [...resolved.secrets] }
}

/** The base environments resolved in a workspace, by object: the environment is taken as fixed while a workspace lives. */
class BaseEnvs {
  byBase = new WeakMap<NodeJS.ProcessEnv, ResolvedEnv>()
}

/** The variables of `.env` (when present) and `named` (which must exist), later files winning; undefined when there are none. */
async function readEnvFiles(
  workspace: Workspace,
  named: readonly string[],
): Promise<Record<string, string> | undefined> {
  const texts: string[] = []
  for (const file of envFilesOf({ envFiles: named })) {
    // Most repositories have no .env: a stat that finds nothing is far cheaper than a read that fails.
    if (file === ROOT_ENV_FILE && !named.includes(ROOT_ENV_FILE) && !lstatSync(join(workspace.root, file), NO_THROW))
      continue
    try {
      texts.push(await workspace.boundary.readFile(file, 'utf8'))
    } catch (error) {
      if ((error as NodeJS.ErrnoException).code !== 'ENOENT') throw error
      if (file === ROOT_ENV_FILE && !named.includes(ROOT_ENV_FILE)) continue
      throw new WfError('WF_PLAN_INVALID', `env file \`${file}\` does not exist`, {
        hint: `create ${file} or remove it from \`env_file\``,
      })
    }
  }
  if (texts.length === 0) return undefined
  // Loaded only when a repository has an env file: most never pay for it.
  const { parse } = await import('dotenv')
  return Object.assign({}, ...texts.map((text) => parse(text)))
}
