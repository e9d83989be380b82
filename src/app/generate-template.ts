import { readdir } from 'node:fs/promises'
import { join } from 'node:path'
import { WfError } from '../lib/errors.js'
import { LedgerWriter, readLedger } from '../ledger/ledger.js'
import { RepoBoundary } from '../lib/inside-repo.js'
import { findRoot } from '../lib/paths.js'
import { WF_VERSION } from '../lib/wf-version.js'
import { applyOutputs, planOutputs, unifiedDiff, type GeneratedOutput, type OutputPlan } from '../generate/outputs.js'
import { BACKUP_DIR } from '../ledger/save-backup.js'
import { builtinTemplates, type TemplateInfo } from '../plan/template-library.js'
import { findTemplate, renderTemplate, templateFacts, templateVariables } from '../generate/templates.js'
import { Workspace } from '../lib/workspace.js'

export interface GenerateTemplateOptions {
  cwd: string
  template: string
  to?: string
  vars: Record<string, unknown>
  dryRun?: boolean
  /** Replace the file even when it was edited by hand, saving it under .wf/backup/<fresh id>/ first. */
  overwrite?: boolean
  lockTimeoutMs: number
  argv: string[]
}

export interface GenerateTemplateResult {
  template: string
  path: string
  action: GeneratedOutput['action']
  dryRun: boolean
  note?: string
  diff?: string
  /** `overwritten`: where the edited file was saved (repository-relative). */
  backup?: string
}

/** `wf generate template`: renders one template outside any plan, with the same drift protection as a plan's template task. */
export async function generateTemplate(options: GenerateTemplateOptions): Promise<GenerateTemplateResult> {
  const root = findRoot(options.cwd)
  const workspace = new Workspace(root)
  const info = findTemplate(workspace, options.template)
  const to = options.to ?? info.to
  if (!to) throw new WfError('WF_USAGE', `${options.template} has no default output path`, { hint: 'Pass --to PATH.' })
  // A dry run runs no repository code: a repository template renders in the sandbox then.
  const facts = await templateFacts(workspace)
  const content = await renderTemplate(workspace, info, facts, options.vars, {}, { sandbox: options.dryRun === true })
  const files = [{ path: to.replace(/\\/g, '/').replace(/^\.\//, ''), content, source: info.name }]
  const decide = (previous: Parameters<typeof planOutputs>[2]['previous']) =>
    planOutputs(workspace, files, { previous, policy: 'if-unchanged', overwrite: options.overwrite })
  if (options.dryRun) {
    const { ledger } = await readLedger(root, WF_VERSION)
    const [plan] = await decide(ledger.generated ?? {})
    return {
      template: info.name,
      path: plan!.path,
      action: plan!.action,
      dryRun: true,
      note: noteOf(plan!, true),
      diff: await unifiedDiff(plan!.path, plan!.current, plan!.content),
    }
  }
  const writer = await LedgerWriter.open(root, {
    wf: WF_VERSION,
    lockTimeoutMs: options.lockTimeoutMs,
    command: ['wf', ...options.argv].join(' '),
    argv: options.argv,
  })
  try {
    const [plan] = await decide(writer.ledger.generated ?? {})
    await writer.intend([plan!])
    const outputs = await applyOutputs(workspace, [plan!])
    await writer.recordGenerated(outputs)
    const result: GenerateTemplateResult = {
      template: info.name,
      path: plan!.path,
      action: plan!.action,
      dryRun: false,
      note: noteOf(plan!, false),
      ...(plan!.backup ? { backup: plan!.backup } : {}),
    }
    if (plan!.action === 'drifted') result.diff = await unifiedDiff(plan!.path, plan!.current, plan!.content)
    return result
  } finally {
    await writer.close()
  }
}

/** What to say beside the file: why it was left alone, or where the edit it replaced was saved. */
function noteOf(plan: OutputPlan, dryRun: boolean): string | undefined {
  if (plan.action !== 'overwritten') return plan.note
  return dryRun ? `${plan.note}; your edit would be saved under ${BACKUP_DIR}/` : `your edit saved in ${plan.backup}`
}

/** The failure of a run that left a hand-edited file alone, if it did. */
export function templateDrift(result: GenerateTemplateResult): WfError | undefined {
  if (result.action !== 'drifted' || result.dryRun) return undefined
  return new WfError('WF_FAILED', `${result.path} was changed by hand and was not overwritten`, {
    hint: `Run again with --overwrite to replace it (your edit is saved in ${BACKUP_DIR}/ first), or keep your edit: a plan's template task with \`overwrite: never\` keeps it for good.`,
  })
}

/** Built-in templates and the repository's own (`templates/**\/*.njk`), with their variables. */
export async function listTemplates(cwd: string): Promise<TemplateInfo[]> {
  const root = findRoot(cwd)
  const builtin = [...builtinTemplates().values()]
  const own: TemplateInfo[] = []
  // Neither the templates folder nor a template in it is read through a link out of the repository.
  const boundary = new RepoBoundary(root)
  const walk = async (dir: string, rel: string): Promise<void> => {
    dir = await boundary.resolve(dir).catch((error: unknown) => {
      if (error instanceof WfError) throw error
      return dir
    })
    for (const entry of await readdir(dir, { withFileTypes: true }).catch(() => [])) {
      const path = rel ? `${rel}/${entry.name}` : entry.name
      if (entry.isDirectory()) await walk(join(dir, entry.name), path)
      else if (entry.name.endsWith('.njk')) {
        const file = join(dir, entry.name)
        const vars = await templateVariables(await boundary.resolve(file))
        own.push({ name: `templates/${path}`, file, vars: vars.map((name) => ({ name })) })
      }
    }
  }
  await walk(join(root, 'templates'), '')
  return [...builtin, ...own.sort((a, b) => a.name.localeCompare(b.name))]
}

/** Parses `--var name=value` flags; values that look like JSON arrays or objects are parsed as such. */
export function parseVarFlags(flags: string[]): Record<string, unknown> {
  const vars: Record<string, unknown> = {}
  for (const flag of flags) {
    const eq = flag.indexOf('=')
    const name = eq > 0 ? flag.slice(0, eq) : ''
    if (!/^[A-Za-z_][A-Za-z0-9_]*$/.test(name))
      throw new WfError('WF_USAGE', `--var ${flag}: expected NAME=VALUE`, { hint: 'e.g. --var holder="Acme Inc."' })
    const value = flag.slice(eq + 1)
    if (/^\s*[[{]/.test(value)) {
      try {
        vars[name] = JSON.parse(value)
        continue
      } catch {
        throw new WfError('WF_USAGE', `--var ${name}: the value starts like JSON but does not parse`, {
          hint: `e.g. --var ${name}='["npm","github-actions"]'`,
        })
      }
    }
    vars[name] = value
  }
  return vars
}
