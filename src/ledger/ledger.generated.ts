// Types generated from contracts/ledger.schema.json by scripts/gen-contracts.js. Do not edit: run `npm run gen:contracts`.

/**
 * This interface was referenced by `Ledger`'s JSON-Schema
 * via the `definition` "phaseStatus".
 */
export type PhaseStatus =
  | 'running'
  | 'passed'
  | 'failed'
  | 'up-to-date'
  | 'skipped'
  | 'blocked'
  | 'cancelled'
  | 'interrupted'
  | 'awaiting-approval'
  | 'not-evaluated'
/**
 * This interface was referenced by `Ledger`'s JSON-Schema
 * via the `definition` "runStatus".
 */
export type RunStatus = 'running' | 'passed' | 'failed' | 'cancelled' | 'interrupted'
/**
 * What wrote a record in .wf/runs/: a run (the default when absent), `wf approve`, `wf generate` / `wf contracts generate` outside a run, or `wf check`.
 *
 * This interface was referenced by `Ledger`'s JSON-Schema
 * via the `definition` "recordKind".
 */
export type RecordKind = 'run' | 'approve' | 'generate' | 'check'

/**
 * wf's record of runs (.wf/ledger.json): the latest state of every phase, what each last passed with, and a short index of recent runs. Full run records live in .wf/runs/ and are hash-chained.
 */
export interface Ledger {
  /**
   * Ledger format version (format 1, written by older wf, is read and upgraded).
   */
  format: 2
  /**
   * The wf version that last wrote the ledger.
   */
  wf: string
  /**
   * An ISO 8601 date-time.
   */
  updatedAt: string
  /**
   * How many run records are kept in .wf/runs/.
   */
  history: number
  /**
   * Sequence number of the last run started.
   */
  lastSeq: number
  /**
   * Hash of the last finished run record (the end of the chain).
   */
  head: string | null
  active: null | ActiveRun
  /**
   * Latest result of each phase, by id; a result in an environment other than the default (`--env`) is under `ID@ENVIRONMENT`.
   */
  phases: {
    [k: string]: PhaseRecord | undefined
  }
  /**
   * What each phase last passed with, by id; in an environment other than the default (`--env`), under `ID@ENVIRONMENT`.
   */
  passed: {
    [k: string]: FingerprintRecord | undefined
  }
  /**
   * The last few runs, newest last.
   */
  recent: RunSummary[]
  /**
   * Recorded `wf approve` decisions, by phase id; each holds for the phase's fingerprint at the time.
   */
  approvals?: {
    [k: string]: ApprovalRecord | undefined
  }
  /**
   * What wf last wrote to each generated file, by repository-relative path: the hash lets the next run tell a file wf wrote from one edited by hand.
   */
  generated?: {
    [k: string]: GeneratedFile | undefined
  }
  /**
   * The last `wf check` of each phase, by id (`ID@ENVIRONMENT` in an environment other than the default). A check evaluates gates only (possibly on some files), so it is kept beside the phase's latest state and never replaces it or satisfies a need.
   */
  checks?: {
    [k: string]: CheckRecord | undefined
  }
}
/**
 * This interface was referenced by `Ledger`'s JSON-Schema
 * via the `definition` "activeRun".
 */
export interface ActiveRun {
  runId: string
  seq: number
  pid: number
  host: string
  /**
   * An ISO 8601 date-time.
   */
  startedAt: string
}
/**
 * This interface was referenced by `Ledger`'s JSON-Schema
 * via the `definition` "phaseRecord".
 */
export interface PhaseRecord {
  id: string
  status: PhaseStatus
  runId: string
  /**
   * An ISO 8601 date-time.
   */
  startedAt?: string
  /**
   * An ISO 8601 date-time.
   */
  endedAt?: string
  durationMs?: number
  /**
   * Why the phase has this status (skipped, blocked, up to date…).
   */
  reason?: string
  fingerprint?: string
  git?: GitFacts
  tasks?: TaskRecord[]
  gates?: GateRecord[]
  /**
   * Only the phase's gates were checked (`wf check`); its tasks did not run.
   */
  gatesOnly?: boolean
  /**
   * The environment (`--env`) the phase ran in; absent for the default.
   */
  environment?: string
}
/**
 * This interface was referenced by `Ledger`'s JSON-Schema
 * via the `definition` "gitFacts".
 */
export interface GitFacts {
  /**
   * HEAD commit, null before the first commit or outside git.
   */
  commit: string | null
  /**
   * Current branch, null when detached or outside git.
   */
  branch: string | null
  /**
   * Uncommitted changes were present.
   */
  dirty: boolean
}
/**
 * This interface was referenced by `Ledger`'s JSON-Schema
 * via the `definition` "taskRecord".
 */
export interface TaskRecord {
  name: string
  kind: string
  status: 'passed' | 'failed' | 'cancelled' | 'skipped'
  /**
   * An ISO 8601 date-time.
   */
  startedAt?: string
  /**
   * An ISO 8601 date-time.
   */
  endedAt?: string
  durationMs?: number
  exitCode?: number | null
  attempts?: number
  /**
   * Failed, but continue_on_error let the phase go on.
   */
  allowedFailure?: boolean
  message?: string
  /**
   * The last lines of output, secrets redacted.
   */
  output?: string
  /**
   * Files a template or contracts task produced, and what it did with each.
   */
  generated?: GeneratedOutput[]
}
export interface GeneratedOutput {
  path: string
  /**
   * `overwritten`: a file edited by hand was replaced (`--overwrite` or `overwrite: always`), its content first saved at `backup`. `merged`: a file edited by hand was merged three ways with the new output (both changes kept). `conflicted`: the merge conflicted; the file was left as it was, or written with conflict markers (`markers`).
   */
  action: 'created' | 'updated' | 'unchanged' | 'drifted' | 'kept' | 'overwritten' | 'merged' | 'conflicted'
  /**
   * sha256 (hex) of what the file holds after the task (for `conflicted` without `markers`, of what the generator rendered).
   */
  hash: string
  /**
   * sha256 (hex) of what the generator rendered, when the file holds something else (a merge); its content is kept in .wf/base/ as the next merge base.
   */
  base?: string
  /**
   * `conflicted`: the file was written with git-style conflict markers.
   */
  markers?: boolean
  source: string
  /**
   * Where the file edited by hand was saved, byte for byte, before it was overwritten (repository-relative, under .wf/backup/).
   */
  backup?: string
}
/**
 * This interface was referenced by `Ledger`'s JSON-Schema
 * via the `definition` "gateRecord".
 */
export interface GateRecord {
  name: string
  kind: string
  status: 'passed' | 'failed' | 'warned' | 'waived' | 'awaiting-approval' | 'not-evaluated'
  message: string
  durationMs?: number
  locations?: ResultLocation[]
  waiver?: {
    reason: string
    owner: string
    until: string
    expired: boolean
  }
  /**
   * What to do about a failure.
   */
  hint?: string
}
/**
 * This interface was referenced by `Ledger`'s JSON-Schema
 * via the `definition` "location".
 */
export interface ResultLocation {
  file: string
  line?: number
  col?: number
  message?: string
}
/**
 * This interface was referenced by `Ledger`'s JSON-Schema
 * via the `definition` "fingerprint".
 */
export interface FingerprintRecord {
  hash: string
  runId: string
  /**
   * An ISO 8601 date-time.
   */
  at: string
  /**
   * Content hash of each declared output the phase passed with, by repository-relative path.
   */
  outputs?: {
    [k: string]: string | undefined
  }
  inputs: FingerprintInputs
}
export interface FingerprintInputs {
  wf: string
  definition: string
  vars: string
  env: string
  needs: {
    [k: string]: string | undefined
  }
  /**
   * Content hash of each input file, by repository-relative path.
   */
  files: {
    [k: string]: string | undefined
  }
  /**
   * Hash of the whole working tree, for phases that declare no inputs.
   */
  repository?: string
  /**
   * Commits of the git refs the phase's gates compare against (e.g. `contracts-compatible`), by ref name.
   */
  refs?: {
    [k: string]: string | undefined
  }
}
/**
 * This interface was referenced by `Ledger`'s JSON-Schema
 * via the `definition` "runSummary".
 */
export interface RunSummary {
  seq: number
  id: string
  status: RunStatus
  /**
   * An ISO 8601 date-time.
   */
  startedAt: string
  /**
   * An ISO 8601 date-time.
   */
  endedAt?: string
  commit?: string | null
  counts?: {
    [k: string]: number | undefined
  }
  kind?: RecordKind
}
/**
 * This interface was referenced by `Ledger`'s JSON-Schema
 * via the `definition` "approval".
 */
export interface ApprovalRecord {
  by: string
  /**
   * An ISO 8601 date-time.
   */
  at: string
  note?: string
  /**
   * The phase's fingerprint when it was approved; a change of inputs needs a new approval.
   */
  fingerprint: string
  /**
   * Signed approvals: the phase id the signature covers.
   */
  phase?: string
  /**
   * Signed approvals: the HEAD commit when it was signed (what the approver had checked out).
   */
  commit?: string
  /**
   * Signed approvals: the armored SSH signature (`ssh-keygen -Y sign -n wf-approval`) over phase, fingerprint, commit, at and note; `by` is the principal the allowed-signers file gave the key.
   */
  signature?: string
}
/**
 * This interface was referenced by `Ledger`'s JSON-Schema
 * via the `definition` "generatedFile".
 */
export interface GeneratedFile {
  /**
   * sha256 (hex) of the content wf wrote.
   */
  hash: string
  /**
   * sha256 (hex) of what the generator rendered, when wf wrote something else (a three-way merge with a hand edit); absent when it is `hash`. The rendered content is kept as .wf/base/HASH, the base of the next merge.
   */
  base?: string
  /**
   * What produced it: a template (`builtin:NAME` or a path) or a schema.
   */
  source: string
  /**
   * The phase whose task wrote it; absent for `wf generate` and `wf contracts generate`.
   */
  phase?: string
  /**
   * The run or record (in .wf/runs/) that wrote this entry.
   */
  runId?: string
  /**
   * An ISO 8601 date-time.
   */
  at: string
}
/**
 * A phase's gate results from a `wf check`, with what the check looked at.
 *
 * This interface was referenced by `Ledger`'s JSON-Schema
 * via the `definition` "checkRecord".
 */
export interface CheckRecord {
  id: string
  status: PhaseStatus
  /**
   * The check's run (its record in .wf/runs/ holds the same results).
   */
  runId: string
  /**
   * An ISO 8601 date-time.
   */
  startedAt?: string
  /**
   * An ISO 8601 date-time.
   */
  endedAt?: string
  durationMs?: number
  /**
   * Why the phase has this status (skipped, blocked, up to date…).
   */
  reason?: string
  git?: GitFacts
  gates?: GateRecord[]
  scope?: CheckScope
}
/**
 * What a `wf check` looked at.
 *
 * This interface was referenced by `Ledger`'s JSON-Schema
 * via the `definition` "checkScope".
 */
export interface CheckScope {
  /**
   * full: every phase, whole tree; phases: the phases named, whole tree; files: only the files named on the command line; staged: only the files staged in git (`--staged`).
   */
  kind: 'full' | 'phases' | 'files' | 'staged'
  /**
   * How many files a files or staged check looked at.
   */
  fileCount?: number
  /**
   * The files a files or staged check looked at, when there are at most 20.
   */
  files?: string[]
}
/**
 * One record of the chain, as stored in .wf/runs/NNNNNNNN.json: a run, or another change to the ledger (`kind`).
 *
 * This interface was referenced by `Ledger`'s JSON-Schema
 * via the `definition` "runRecord".
 */
export interface RunRecord {
  format: 1
  seq: number
  id: string
  kind?: RecordKind
  status: RunStatus
  /**
   * An ISO 8601 date-time.
   */
  startedAt: string
  /**
   * An ISO 8601 date-time.
   */
  endedAt?: string
  pid: number
  host: string
  argv: string[]
  wf: string
  git: GitFacts
  phases: PhaseRecord[]
  check?: CheckScope
  /**
   * Hash of the previous run record.
   */
  prevHash: string | null
  /**
   * What an `approve` record recorded: the approval, by phase id.
   */
  approvals?: {
    [k: string]: ApprovalRecord | undefined
  }
  /**
   * What a `generate` record recorded: the generated-file entries it wrote, by repository-relative path.
   */
  generated?: {
    [k: string]: GeneratedFile | undefined
  }
  /**
   * Tasks this run left running when its wf process was killed, which the next wf stopped: each task's first process, its command, and how many of its processes were stopped.
   */
  reaped?: {
    /**
     * The task's first process; 0 when wf was killed between spawning the task and noting its pid (its processes were found by the token in their environment).
     */
    pid: number
    command: string
    processes: number
  }[]
  /**
   * What ledger.json asserts after this record: for each of its maps (phases, passed, approvals, generated, checks), the digest of each entry by key (sha256 of the entry's canonical JSON, 32 hex digits); a map left out is empty. `wf ledger verify` compares ledger.json with the head record's state.
   */
  state?: {
    [k: string]:
      | {
          [k: string]: string | undefined
        }
      | undefined
  }
  /**
   * sha256 of this record's canonical JSON without `hash`; set when the run ends.
   */
  hash?: string
}
