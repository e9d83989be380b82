import type { GateKindName } from '../plan/kinds.js'
import { approvalGate } from './approval.js'
import { binariesGate } from './binaries.js'
import { commandGate } from './command.js'
import { contractsCompatibleGate } from './contracts-compatible.js'
import { coverageGate } from './coverage.js'
import { dockerfileGate } from './dockerfile.js'
import { fileContainsGate } from './file-contains.js'
import { filesAbsentGate } from './files-absent.js'
import { filesExistGate } from './files-exist.js'
import { forbidGate } from './forbid.js'
import { generatedGate } from './generated.js'
import type { GateKind } from './gate-kind.js'
import { gitGate } from './git.js'
import { jsonSchemaGate } from './json-schema.js'
import { manifestGate } from './manifest.js'
import { licenseGate } from './license.js'
import { markdownLinksGate } from './markdown-links.js'
import { largeFilesGate } from './large-files.js'
import { pluginGate } from './plugin.js'
import { workflowGate } from './workflow.js'

/** Gate kinds this version of wf can check; the others are reported as not available. */
export const GATE_HANDLERS: Partial<Record<GateKindName, GateKind<never>>> = {
  'files-exist': filesExistGate,
  'files-absent': filesAbsentGate,
  'file-contains': fileContainsGate,
  forbid: forbidGate,
  command: commandGate,
  'json-schema': jsonSchemaGate,
  coverage: coverageGate,
  git: gitGate,
  plugin: pluginGate,
  approval: approvalGate,
  'contracts-compatible': contractsCompatibleGate,
  generated: generatedGate,
  manifest: manifestGate,
  workflow: workflowGate,
  'markdown-links': markdownLinksGate,
  license: licenseGate,
  dockerfile: dockerfileGate,
  binaries: binariesGate,
  'large-files': largeFilesGate,
}
