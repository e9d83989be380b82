// Types generated from contracts/plan.schema.json by scripts/gen-contracts.js. Do not edit: run `npm run gen:contracts`.

/**
 * Dotenv files (paths relative to the repository root, inside it) whose variables commands get. Each must exist. Precedence, lowest first: the process environment, `.env` at the repository root (read when present), the plan's `env_file`, the phase's `env_file`, the plan's `env`, the phase's `env`; a later file wins over an earlier one. Values of variables named like credentials are redacted from output and the ledger.
 *
 * This interface was referenced by `Plan`'s JSON-Schema
 * via the `definition` "envFile".
 */
export type EnvFile = string | string[]
/**
 * Exactly one of `files-exist`, `files-absent`, `file-contains`, `forbid`, `json-schema`, `command`, `coverage`, `git`, `generated`, `contracts-compatible`, `approval`, `plugin`, `workflow`, `dockerfile`, `binaries`, `large-files`, `markdown-links`, `license`, `manifest`.
 *
 * This interface was referenced by `Plan`'s JSON-Schema
 * via the `definition` "gate".
 */
export type Gate =
  | FilesExistGate
  | FilesAbsentGate
  | FileContainsGate
  | ForbidGate
  | JsonSchemaGate
  | CommandGate
  | CoverageGate
  | GitGate
  | GeneratedGate
  | ContractsCompatibleGate
  | ApprovalGate
  | PluginGate
  | WorkflowGate
  | DockerfileGate
  | BinariesGate
  | LargeFilesGate
  | MarkdownLinksGate
  | LicenseGate
  | ManifestGate
/**
 * What repairs the gate when it fails (`wf fix`, `wf check --fix`): exactly one of `template` (render a template to a file), `run` (a command), `edit` (a structured edit), or `manual` (it cannot be fixed offline: why, and what to do).
 *
 * This interface was referenced by `Plan`'s JSON-Schema
 * via the `definition` "fix".
 */
export type Fix = Fix1 & Fix2
export type Fix1 =
  | {
      template: unknown
      to: unknown
    }
  | {
      run: unknown
    }
  | {
      edit: unknown
    }
  | {
      manual: unknown
    }
/**
 * A path relative to the repository root; it may not leave the repository.
 *
 * This interface was referenced by `Plan`'s JSON-Schema
 * via the `definition` "outputPath".
 */
export type OutputPath = string
/**
 * A duration: seconds as a number, or a string such as `500ms`, `30s`, `10m`, `1h`.
 *
 * This interface was referenced by `Plan`'s JSON-Schema
 * via the `definition` "duration".
 */
export type Duration = number | string
/**
 * A size: bytes as a number, or a string such as `500KB`, `5MB`, `1GB`.
 *
 * This interface was referenced by `Plan`'s JSON-Schema
 * via the `definition` "size".
 */
export type Size = number | string
/**
 * Lowercase letters, digits, `-` and `_`.
 *
 * This interface was referenced by `Plan`'s JSON-Schema
 * via the `definition` "phaseId".
 */
export type PhaseId = string
/**
 * Exactly one of `run`, `template`, `contracts`.
 *
 * This interface was referenced by `Plan`'s JSON-Schema
 * via the `definition` "task".
 */
export type Task = RunTask | TemplateTask | ContractsTask

/**
 * A wf phase plan: phases of tasks (what to do) and gates (what to prove).
 */
export interface Plan {
  /**
   * The JSON Schema of this file (for editors).
   */
  $schema?: string
  /**
   * The plan format version. Always 1.
   */
  version: 1
  vars?: Vars
  env?: Env
  env_file?: EnvFile
  /**
   * Other plan files whose phases join this plan: a path relative to this file, or `npm:NAME@RANGE[/PATH]` for a policy package installed in the repository's node_modules (the installed version must satisfy RANGE; PATH defaults to the package.json `wf.plan` field, else wf.yaml).
   */
  include?: string[]
  /**
   * How wf keeps its record of runs (.wf/).
   */
  ledger?: {
    /**
     * How many run records to keep in .wf/runs/ (default 100).
     */
    history?: number
  }
  /**
   * Named overlays (dev, staging, prod…) that `wf run --env NAME` (or WF_ENV=NAME) applies on top of the plan. `phases/env/NAME.yaml` may hold one too, with the same keys. Results are kept per environment in the ledger.
   */
  environments?: {
    [k: string]: Environment | undefined
  }
  /**
   * The phases of this plan file; ids are unique across every plan in `phases/`.
   */
  phases?: Phase[]
}
/**
 * Variables for templates and conditions.
 *
 * This interface was referenced by `Plan`'s JSON-Schema
 * via the `definition` "vars".
 */
export interface Vars {
  [k: string]: unknown | undefined
}
/**
 * Environment variables for commands. A value is a literal, or `{value}` / `{from}` (another variable) with `secret: true` to redact it from output and the ledger.
 *
 * This interface was referenced by `Plan`'s JSON-Schema
 * via the `definition` "env".
 */
export interface Env {
  [k: string]:
    | string
    | number
    | boolean
    | ((
        | {
            value: unknown
          }
        | {
            from: unknown
          }
      ) & {
        /**
         * The literal value.
         */
        value?: string | number | boolean
        /**
         * The name of another environment variable whose value this one takes.
         */
        from?: string
        /**
         * Redact the value from output and the ledger.
         */
        secret?: boolean
      })
    | undefined
}
/**
 * An overlay: its vars and env win over the plan's and every phase's; `phases` changes single phases.
 *
 * This interface was referenced by `Plan`'s JSON-Schema
 * via the `definition` "environment".
 */
export interface Environment {
  /**
   * The JSON Schema of this file (for editors).
   */
  $schema?: string
  /**
   * What the environment is for (a note for readers of the plan).
   */
  description?: string
  vars?: Vars
  env?: Env
  /**
   * Per phase id: settings that replace the phase's own in this environment.
   */
  phases?: {
    [k: string]:
      | {
          vars?: Vars
          env?: Env
          when?: Condition
          /**
           * Replace the phase's gates.
           */
          gates?: Gate[]
        }
      | undefined
  }
}
/**
 * Replaces the phase's `when`.
 */
export interface Condition {
  /**
   * A variable name (true when set and not empty), or `{NAME: value}` pairs that must all be equal.
   */
  env?:
    | string
    | {
        [k: string]: string | undefined
      }
  /**
   * Globs; true when the current git branch matches one.
   */
  branch?: string | [string, ...string[]]
  /**
   * Paths or globs; true when each matches a file.
   */
  file?: string | [string, ...string[]]
  /**
   * Globs, true when a matching file changed since `since` (default: the default branch).
   */
  changed?:
    | string
    | [string, ...string[]]
    | {
        /**
         * Globs.
         */
        paths: string | [string, ...string[]]
        /**
         * A git ref (it may not start with `-`: git would read it as an option).
         */
        since?: string
      }
  /**
   * A command; true when it exits 0.
   */
  run?: string
  /**
   * Languages; true when the repository root shows one of them (package.json, tsconfig.json, pyproject.toml, go.mod, Cargo.toml, pom.xml…).
   */
  language?:
    | ('node' | 'javascript' | 'typescript' | 'python' | 'go' | 'rust' | 'java' | 'ruby' | 'php' | 'dotnet')
    | [
        'node' | 'javascript' | 'typescript' | 'python' | 'go' | 'rust' | 'java' | 'ruby' | 'php' | 'dotnet',
        ...(
          'node' | 'javascript' | 'typescript' | 'python' | 'go' | 'rust' | 'java' | 'ruby' | 'php' | 'dotnet'
        )[]
      ]
  /**
   * Tools; true when the repository root shows one of them (a lockfile, a build file, a Dockerfile, a workflow in .github/workflows).
   */
  uses?:
    | (
        | 'npm'
        | 'yarn'
        | 'pnpm'
        | 'bun'
        | 'pip'
        | 'poetry'
        | 'uv'
        | 'pipenv'
        | 'cargo'
        | 'go'
        | 'maven'
        | 'gradle'
        | 'bundler'
        | 'composer'
        | 'docker'
        | 'github-actions'
      )
    | [
        (
          | 'npm'
          | 'yarn'
          | 'pnpm'
          | 'bun'
          | 'pip'
          | 'poetry'
          | 'uv'
          | 'pipenv'
          | 'cargo'
          | 'go'
          | 'maven'
          | 'gradle'
          | 'bundler'
          | 'composer'
          | 'docker'
          | 'github-actions'
        ),
        ...(
          | 'npm'
          | 'yarn'
          | 'pnpm'
          | 'bun'
          | 'pip'
          | 'poetry'
          | 'uv'
          | 'pipenv'
          | 'cargo'
          | 'go'
          | 'maven'
          | 'gradle'
          | 'bundler'
          | 'composer'
          | 'docker'
          | 'github-actions'
        )[]
      ]
  /**
   * SPDX license ids; true when a root license file (LICENSE, LICENCE, COPYING…) is identified as one of them (by its text or an `SPDX-License-Identifier:` line; ids whose text is the same, such as GPL-3.0-only and GPL-3.0-or-later, both match).
   */
  license?: string | [string, ...string[]]
  /**
   * True when every condition in the list is true.
   *
   * @minItems 1
   */
  all?: [Condition1, ...Condition1[]]
  /**
   * True when at least one condition in the list is true.
   *
   * @minItems 1
   */
  any?: [Condition1, ...Condition1[]]
  not?: Condition1
}
/**
 * A structured condition: exactly one of env, branch, file, changed, run, language, uses, license, all, any, not.
 *
 * This interface was referenced by `Plan`'s JSON-Schema
 * via the `definition` "condition".
 */
export interface Condition1 {
  /**
   * A variable name (true when set and not empty), or `{NAME: value}` pairs that must all be equal.
   */
  env?:
    | string
    | {
        [k: string]: string | undefined
      }
  /**
   * Globs; true when the current git branch matches one.
   */
  branch?: string | [string, ...string[]]
  /**
   * Paths or globs; true when each matches a file.
   */
  file?: string | [string, ...string[]]
  /**
   * Globs, true when a matching file changed since `since` (default: the default branch).
   */
  changed?:
    | string
    | [string, ...string[]]
    | {
        /**
         * Globs.
         */
        paths: string | [string, ...string[]]
        /**
         * A git ref (it may not start with `-`: git would read it as an option).
         */
        since?: string
      }
  /**
   * A command; true when it exits 0.
   */
  run?: string
  /**
   * Languages; true when the repository root shows one of them (package.json, tsconfig.json, pyproject.toml, go.mod, Cargo.toml, pom.xml…).
   */
  language?:
    | ('node' | 'javascript' | 'typescript' | 'python' | 'go' | 'rust' | 'java' | 'ruby' | 'php' | 'dotnet')
    | [
        'node' | 'javascript' | 'typescript' | 'python' | 'go' | 'rust' | 'java' | 'ruby' | 'php' | 'dotnet',
        ...(
          'node' | 'javascript' | 'typescript' | 'python' | 'go' | 'rust' | 'java' | 'ruby' | 'php' | 'dotnet'
        )[]
      ]
  /**
   * Tools; true when the repository root shows one of them (a lockfile, a build file, a Dockerfile, a workflow in .github/workflows).
   */
  uses?:
    | (
        | 'npm'
        | 'yarn'
        | 'pnpm'
        | 'bun'
        | 'pip'
        | 'poetry'
        | 'uv'
        | 'pipenv'
        | 'cargo'
        | 'go'
        | 'maven'
        | 'gradle'
        | 'bundler'
        | 'composer'
        | 'docker'
        | 'github-actions'
      )
    | [
        (
          | 'npm'
          | 'yarn'
          | 'pnpm'
          | 'bun'
          | 'pip'
          | 'poetry'
          | 'uv'
          | 'pipenv'
          | 'cargo'
          | 'go'
          | 'maven'
          | 'gradle'
          | 'bundler'
          | 'composer'
          | 'docker'
          | 'github-actions'
        ),
        ...(
          | 'npm'
          | 'yarn'
          | 'pnpm'
          | 'bun'
          | 'pip'
          | 'poetry'
          | 'uv'
          | 'pipenv'
          | 'cargo'
          | 'go'
          | 'maven'
          | 'gradle'
          | 'bundler'
          | 'composer'
          | 'docker'
          | 'github-actions'
        )[]
      ]
  /**
   * SPDX license ids; true when a root license file (LICENSE, LICENCE, COPYING…) is identified as one of them (by its text or an `SPDX-License-Identifier:` line; ids whose text is the same, such as GPL-3.0-only and GPL-3.0-or-later, both match).
   */
  license?: string | [string, ...string[]]
  /**
   * True when every condition in the list is true.
   *
   * @minItems 1
   */
  all?: [Condition1, ...Condition1[]]
  /**
   * True when at least one condition in the list is true.
   *
   * @minItems 1
   */
  any?: [Condition1, ...Condition1[]]
  not?: Condition1
}
/**
 * This interface was referenced by `Plan`'s JSON-Schema
 * via the `definition` "filesExistGate".
 */
export interface FilesExistGate {
  /**
   * Paths or globs that must each match at least one file; or `{paths, nocase?, exclude?}`.
   */
  'files-exist':
    | string
    | [string, ...string[]]
    | {
        /**
         * Paths or globs.
         */
        paths: string | [string, ...string[]]
        /**
         * Match names case-insensitively. Default: on for well-known governance files (LICENSE, LICENCE, COPYING, README, SECURITY, CONTRIBUTING, CODE_OF_CONDUCT, CHANGELOG, SUPPORT, NOTICE, CODEOWNERS, with or without an extension), off otherwise.
         */
        nocase?: boolean
        /**
         * Globs of files to leave out.
         */
        exclude?: string | [string, ...string[]]
      }
  /**
   * A short name shown in output, reports and the ledger.
   */
  name?: string
  /**
   * A failing gate with severity `warning` is reported as `warned` and does not fail the phase.
   */
  severity?: 'error' | 'warning'
  /**
   * What to do when the gate fails; shown with the failure.
   */
  hint?: string
  fix?: Fix
  waive?: Waiver
}
export interface Fix2 {
  /**
   * What the fix will change, shown before it is applied.
   */
  description?: string
  /**
   * A template under `templates/` or `builtin:NAME`, rendered to `to`.
   */
  template?: string
  to?: OutputPath
  vars?: Vars
  /**
   * A shell command that repairs the gate (run from the repository root).
   */
  run?: string
  timeout?: Duration
  edit?: FixEdit
  /**
   * Why the gate cannot be fixed offline, and how to fix it by hand.
   */
  manual?: string
}
/**
 * A structured edit.
 */
export interface FixEdit {
  /**
   * `workflow-permissions`: add a top-level `permissions:` block to each workflow (`in`) that declares none; `set-keys`: add missing keys (`set`, dotted) to a JSON or YAML `file`, keeping its formatting; `append-lines`: add the `lines` missing from `file` (creating it), as for `.gitignore`; `prepend-header`: put `text` at the top of each file matching `in` that lacks it (after a shebang line).
   */
  kind: 'workflow-permissions' | 'set-keys' | 'append-lines' | 'prepend-header'
  /**
   * The file to edit (`set-keys`, `append-lines`).
   */
  file?: string
  /**
   * Files to edit (`workflow-permissions`, default `.github/workflows/*.{yml,yaml}`; `prepend-header`).
   */
  in?: string | [string, ...string[]]
  /**
   * Globs to leave out.
   */
  exclude?: string | [string, ...string[]]
  /**
   * The block `workflow-permissions` adds (default `{contents: read}`).
   */
  permissions?: {
    [k: string]: 'read' | 'write' | 'none' | undefined
  }
  /**
   * Dotted keys and the values `set-keys` adds where missing (an existing value is kept).
   */
  set?: {
    [k: string]: unknown | undefined
  }
  /**
   * Lines `append-lines` makes sure are in the file.
   *
   * @minItems 1
   */
  lines?: [string, ...string[]]
  /**
   * The header `prepend-header` adds (comment markers included; `{{ year }}` and `{{ NAME }}` plan vars are filled in).
   */
  text?: string
  /**
   * `prepend-header`: a regex (RE2 syntax, case-insensitive) matched against each file; a file it matches already has a header and is left alone (default: the header itself, with any year).
   */
  present?: string
}
/**
 * Accept a failing gate until a date: the gate reports `waived` until then and fails after it.
 *
 * This interface was referenced by `Plan`'s JSON-Schema
 * via the `definition` "waiver".
 */
export interface Waiver {
  /**
   * Why the failure is accepted.
   */
  reason: string
  /**
   * Who answers for it, e.g. `@team`.
   */
  owner: string
  /**
   * Expiry date, YYYY-MM-DD.
   */
  until: string
}
/**
 * This interface was referenced by `Plan`'s JSON-Schema
 * via the `definition` "filesAbsentGate".
 */
export interface FilesAbsentGate {
  /**
   * Paths or globs that must match no file; or `{paths, nocase?, exclude?}`.
   */
  'files-absent':
    | string
    | [string, ...string[]]
    | {
        /**
         * Paths or globs.
         */
        paths: string | [string, ...string[]]
        /**
         * Match names case-insensitively. Default: on for well-known governance files (LICENSE, LICENCE, COPYING, README, SECURITY, CONTRIBUTING, CODE_OF_CONDUCT, CHANGELOG, SUPPORT, NOTICE, CODEOWNERS, with or without an extension), off otherwise.
         */
        nocase?: boolean
        /**
         * Globs of files to leave out.
         */
        exclude?: string | [string, ...string[]]
      }
  /**
   * A short name shown in output, reports and the ledger.
   */
  name?: string
  /**
   * A failing gate with severity `warning` is reported as `warned` and does not fail the phase.
   */
  severity?: 'error' | 'warning'
  /**
   * What to do when the gate fails; shown with the failure.
   */
  hint?: string
  fix?: Fix
  waive?: Waiver
}
/**
 * This interface was referenced by `Plan`'s JSON-Schema
 * via the `definition` "fileContainsGate".
 */
export interface FileContainsGate {
  /**
   * Files that must contain a text or a regular expression (a number of times, with `count`).
   */
  'file-contains': (
    | {
        text: unknown
      }
    | {
        regex: unknown
      }
  ) & {
    /**
     * Files (paths or globs) to search.
     */
    in: string | [string, ...string[]]
    /**
     * Match names case-insensitively. Default: on for well-known governance files (LICENSE, LICENCE, COPYING, README, SECURITY, CONTRIBUTING, CODE_OF_CONDUCT, CHANGELOG, SUPPORT, NOTICE, CODEOWNERS, with or without an extension), off otherwise.
     */
    nocase?: boolean
    /**
     * Globs of files to leave out.
     */
    exclude?: string | [string, ...string[]]
    /**
     * A literal string to find.
     */
    text?: string
    /**
     * A regular expression to find (RE2 syntax, which runs in linear time: no lookaround or backreferences).
     */
    regex?: string
    /**
     * Regular expression flags: `i`, `m`, `s` (`u` is implied).
     */
    flags?: string
    /**
     * How many matches are required per file: an exact number, or `{min, max}`. Default: at least one.
     */
    count?:
      | number
      | {
          /**
           * At least this many matches in each file.
           */
          min?: number
          /**
           * At most this many matches in each file.
           */
          max?: number
        }
    /**
     * Pass when no file matches `in` (default: fail).
     */
    missing_ok?: boolean
  }
  /**
   * A short name shown in output, reports and the ledger.
   */
  name?: string
  /**
   * A failing gate with severity `warning` is reported as `warned` and does not fail the phase.
   */
  severity?: 'error' | 'warning'
  /**
   * What to do when the gate fails; shown with the failure.
   */
  hint?: string
  fix?: Fix
  waive?: Waiver
}
/**
 * This interface was referenced by `Plan`'s JSON-Schema
 * via the `definition` "forbidGate".
 */
export interface ForbidGate {
  /**
   * Patterns (or the built-in `secrets` set) that no scanned file may contain.
   */
  forbid: {
    /**
     * Regular expressions (RE2 syntax, `m` flag) that must not occur; `secrets` names the built-in secret detectors.
     *
     * @minItems 1
     */
    patterns: [string, ...string[]]
    /**
     * Files (globs) to scan. Default: every file not ignored by git.
     */
    in?: string | [string, ...string[]]
    /**
     * Globs to leave out.
     */
    exclude?: string | [string, ...string[]]
    /**
     * A file listing known false positives, one per line.
     */
    allowlist?: string
  }
  /**
   * A short name shown in output, reports and the ledger.
   */
  name?: string
  /**
   * A failing gate with severity `warning` is reported as `warned` and does not fail the phase.
   */
  severity?: 'error' | 'warning'
  /**
   * What to do when the gate fails; shown with the failure.
   */
  hint?: string
  fix?: Fix
  waive?: Waiver
}
/**
 * This interface was referenced by `Plan`'s JSON-Schema
 * via the `definition` "jsonSchemaGate".
 */
export interface JsonSchemaGate {
  /**
   * JSON or YAML files that must be valid against a JSON Schema.
   */
  'json-schema': {
    /**
     * The JSON Schema file (JSON or YAML), relative to the repository root.
     */
    schema: string
    /**
     * JSON or YAML files (paths or globs) to validate.
     */
    files: string | [string, ...string[]]
  }
  /**
   * A short name shown in output, reports and the ledger.
   */
  name?: string
  /**
   * A failing gate with severity `warning` is reported as `warned` and does not fail the phase.
   */
  severity?: 'error' | 'warning'
  /**
   * What to do when the gate fails; shown with the failure.
   */
  hint?: string
  fix?: Fix
  waive?: Waiver
}
/**
 * This interface was referenced by `Plan`'s JSON-Schema
 * via the `definition` "commandGate".
 */
export interface CommandGate {
  /**
   * A shell command that must exit 0.
   */
  command: string
  /**
   * A regular expression (RE2 syntax, `m` flag) the command's standard output must match.
   */
  stdout?: string
  timeout?: Duration
  env?: Env
  /**
   * Working directory, relative to the repository root.
   */
  cwd?: string
  /**
   * A short name shown in output, reports and the ledger.
   */
  name?: string
  /**
   * A failing gate with severity `warning` is reported as `warned` and does not fail the phase.
   */
  severity?: 'error' | 'warning'
  /**
   * What to do when the gate fails; shown with the failure.
   */
  hint?: string
  fix?: Fix
  waive?: Waiver
}
/**
 * This interface was referenced by `Plan`'s JSON-Schema
 * via the `definition` "coverageGate".
 */
export interface CoverageGate {
  /**
   * A coverage report (istanbul summary or lcov) whose totals must reach the thresholds.
   */
  coverage: (
    | {
        lines: unknown
      }
    | {
        branches: unknown
      }
    | {
        functions: unknown
      }
    | {
        statements: unknown
      }
  ) &
    (
      | {
          summary: unknown
        }
      | {
          lcov: unknown
        }
    ) & {
      /**
       * An istanbul `coverage-summary.json`.
       */
      summary?: string
      /**
       * An `lcov.info` file.
       */
      lcov?: string
      /**
       * The lowest percentage of lines covered that passes (0–100).
       */
      lines?: number
      /**
       * The lowest percentage of branches covered that passes (0–100).
       */
      branches?: number
      /**
       * The lowest percentage of functions covered that passes (0–100).
       */
      functions?: number
      /**
       * The lowest percentage of statements covered that passes (0–100).
       */
      statements?: number
    }
  /**
   * A short name shown in output, reports and the ledger.
   */
  name?: string
  /**
   * A failing gate with severity `warning` is reported as `warned` and does not fail the phase.
   */
  severity?: 'error' | 'warning'
  /**
   * What to do when the gate fails; shown with the failure.
   */
  hint?: string
  fix?: Fix
  waive?: Waiver
}
/**
 * This interface was referenced by `Plan`'s JSON-Schema
 * via the `definition` "gitGate".
 */
export interface GitGate {
  /**
   * Conditions on the git state: a clean tree, the branch, tracked files, file sizes.
   */
  git: {
    /**
     * The working tree has no uncommitted changes.
     */
    clean?: boolean
    /**
     * A glob the current branch name must match, e.g. `release/*`.
     */
    branch?: string
    /**
     * Paths or globs that must be tracked by git.
     */
    tracked?: string | [string, ...string[]]
    max_file_size?: Size
  }
  /**
   * A short name shown in output, reports and the ledger.
   */
  name?: string
  /**
   * A failing gate with severity `warning` is reported as `warned` and does not fail the phase.
   */
  severity?: 'error' | 'warning'
  /**
   * What to do when the gate fails; shown with the failure.
   */
  hint?: string
  fix?: Fix
  waive?: Waiver
}
/**
 * This interface was referenced by `Plan`'s JSON-Schema
 * via the `definition` "generatedGate".
 */
export interface GeneratedGate {
  /**
   * `true`: every file generated by this phase's tasks; or limit to some phases or files.
   */
  generated:
    | true
    | {
        /**
         * Check only the files these phases generate.
         *
         * @minItems 1
         */
        phases?: [PhaseId, ...PhaseId[]]
        /**
         * Generated files (paths or globs) to check.
         */
        files?: string | [string, ...string[]]
      }
  /**
   * A short name shown in output, reports and the ledger.
   */
  name?: string
  /**
   * A failing gate with severity `warning` is reported as `warned` and does not fail the phase.
   */
  severity?: 'error' | 'warning'
  /**
   * What to do when the gate fails; shown with the failure.
   */
  hint?: string
  fix?: Fix
  waive?: Waiver
}
/**
 * This interface was referenced by `Plan`'s JSON-Schema
 * via the `definition` "contractsCompatibleGate".
 */
export interface ContractsCompatibleGate {
  /**
   * JSON-Schema contracts that must have no breaking change against a reference version.
   */
  'contracts-compatible': {
    /**
     * A directory or glob of JSON Schemas.
     */
    schemas: string
    /**
     * The git ref to compare with (it may not start with `-`). Default: the default branch.
     */
    against?: string
  }
  /**
   * A short name shown in output, reports and the ledger.
   */
  name?: string
  /**
   * A failing gate with severity `warning` is reported as `warned` and does not fail the phase.
   */
  severity?: 'error' | 'warning'
  /**
   * What to do when the gate fails; shown with the failure.
   */
  hint?: string
  fix?: Fix
  waive?: Waiver
}
/**
 * This interface was referenced by `Plan`'s JSON-Schema
 * via the `definition` "approvalGate".
 */
export interface ApprovalGate {
  /**
   * `true`, or who may approve and why approval is needed.
   */
  approval:
    | true
    | {
        /**
         * Who may approve (names as `wf approve --by` records them); anyone when left out.
         *
         * @minItems 1
         */
        approvers?: [string, ...string[]]
        /**
         * Shown to whoever approves.
         */
        reason?: string
        /**
         * Accept only an approval signed with `wf approve PHASE --sign` by a key listed in `allowed-signers`, over this phase's current fingerprint.
         */
        signed?: boolean
        /**
         * With `signed: true`: the repository-relative file (OpenSSH allowed_signers format, as git's `gpg.ssh.allowedSignersFile`) naming who may sign. Default `.github/allowed_signers`.
         */
        'allowed-signers'?: string
      }
  /**
   * A short name shown in output, reports and the ledger.
   */
  name?: string
  /**
   * A failing gate with severity `warning` is reported as `warned` and does not fail the phase.
   */
  severity?: 'error' | 'warning'
  /**
   * What to do when the gate fails; shown with the failure.
   */
  hint?: string
  fix?: Fix
  waive?: Waiver
}
/**
 * This interface was referenced by `Plan`'s JSON-Schema
 * via the `definition` "pluginGate".
 */
export interface PluginGate {
  /**
   * A local ES module (relative path) exporting `{ name, run(ctx) }`.
   */
  plugin: string
  /**
   * Passed to the plugin as `ctx.options`.
   */
  options?: {
    [k: string]: unknown | undefined
  }
  /**
   * A short name shown in output, reports and the ledger.
   */
  name?: string
  /**
   * A failing gate with severity `warning` is reported as `warned` and does not fail the phase.
   */
  severity?: 'error' | 'warning'
  /**
   * What to do when the gate fails; shown with the failure.
   */
  hint?: string
  fix?: Fix
  waive?: Waiver
}
/**
 * This interface was referenced by `Plan`'s JSON-Schema
 * via the `definition` "workflowGate".
 */
export interface WorkflowGate {
  /**
   * Checks GitHub Actions workflows by parsing them: `true` for every rule, a list of rules, or `{rules?, in?, exclude?, require?}`. Rules: `pinned-actions` (each remote `uses:` pinned to a full commit SHA, `docker://` images to a digest), `token-permissions` (permissions declared at the top or on every job; no `write-all`; no write scope at the top), `dangerous-triggers` (`pull_request_target` or `workflow_run` that checks out the untrusted head), `script-injection` (untrusted `${{ github.event… }}` expressions inside `run:` or `script:`), `remote-scripts` (`curl … | sh` in `run:`).
   */
  workflow:
    | true
    | [
        'pinned-actions' | 'token-permissions' | 'dangerous-triggers' | 'script-injection' | 'remote-scripts',
        ...(
          | 'pinned-actions'
          | 'token-permissions'
          | 'dangerous-triggers'
          | 'script-injection'
          | 'remote-scripts'
        )[]
      ]
    | {
        /**
         * Rules to check (default: all; none when only `require` is given).
         *
         * @minItems 1
         */
        rules?: [
          (
            | 'pinned-actions'
            | 'token-permissions'
            | 'dangerous-triggers'
            | 'script-injection'
            | 'remote-scripts'
          ),
          ...(
            | 'pinned-actions'
            | 'token-permissions'
            | 'dangerous-triggers'
            | 'script-injection'
            | 'remote-scripts'
          )[]
        ]
        /**
         * Workflow files (globs). Default: `.github/workflows/*.{yml,yaml}`.
         */
        in?: string | [string, ...string[]]
        /**
         * Globs of workflow files to leave out.
         */
        exclude?: string | [string, ...string[]]
        /**
         * What at least one workflow must do: run on one of `trigger`, and do one of `uses` or `run` (when both are given, either is enough).
         */
        require?: {
          /**
           * Events (`pull_request`, `push`, `release`…): some workflow runs on one of them.
           *
           * @minItems 1
           */
          trigger?: [string, ...string[]]
          /**
           * Action globs (`github/codeql-action/*`): some step or job uses one of them.
           *
           * @minItems 1
           */
          uses?: [string, ...string[]]
          /**
           * A regular expression (RE2) that some `run:` script matches.
           */
          run?: string
        }
      }
  /**
   * A short name shown in output, reports and the ledger.
   */
  name?: string
  /**
   * A failing gate with severity `warning` is reported as `warned` and does not fail the phase.
   */
  severity?: 'error' | 'warning'
  /**
   * What to do when the gate fails; shown with the failure.
   */
  hint?: string
  fix?: Fix
  waive?: Waiver
}
/**
 * This interface was referenced by `Plan`'s JSON-Schema
 * via the `definition` "dockerfileGate".
 */
export interface DockerfileGate {
  /**
   * Checks Dockerfiles by parsing their instructions: `true` for the default rules, a list of rules, or `{rules?, in?, exclude?}`. Rules: `pinned-base` (each `FROM` image pinned by `@sha256:` digest; `scratch` and earlier stages are fine), `remote-scripts` (`curl … | sh` in `RUN`), `latest-tag` (no `:latest` or untagged base image), `root-user` (the final stage sets a `USER` other than root). Default rules: `pinned-base`, `remote-scripts`.
   */
  dockerfile:
    | true
    | [
        'pinned-base' | 'remote-scripts' | 'latest-tag' | 'root-user',
        ...('pinned-base' | 'remote-scripts' | 'latest-tag' | 'root-user')[]
      ]
    | {
        /**
         * Rules to check.
         *
         * @minItems 1
         */
        rules?: [
          'pinned-base' | 'remote-scripts' | 'latest-tag' | 'root-user',
          ...('pinned-base' | 'remote-scripts' | 'latest-tag' | 'root-user')[]
        ]
        /**
         * Dockerfiles (globs). Default: `** /{Dockerfile,Containerfile,*.Dockerfile,*.dockerfile,Dockerfile.*}`.
         */
        in?: string | [string, ...string[]]
        /**
         * Globs to leave out.
         */
        exclude?: string | [string, ...string[]]
      }
  /**
   * A short name shown in output, reports and the ledger.
   */
  name?: string
  /**
   * A failing gate with severity `warning` is reported as `warned` and does not fail the phase.
   */
  severity?: 'error' | 'warning'
  /**
   * What to do when the gate fails; shown with the failure.
   */
  hint?: string
  fix?: Fix
  waive?: Waiver
}
/**
 * This interface was referenced by `Plan`'s JSON-Schema
 * via the `definition` "binariesGate".
 */
export interface BinariesGate {
  /**
   * No committed binary artifacts: files git tracks are judged by content (ELF, PE, Mach-O, Java class, WebAssembly, archives of code) and by the extensions OpenSSF Scorecard lists. `true`, or `{in?, exclude?, allow?}`.
   */
  binaries:
    | true
    | {
        /**
         * Files (globs) to judge. Default: every file git does not ignore.
         */
        in?: string | [string, ...string[]]
        /**
         * Globs to leave out.
         */
        exclude?: string | [string, ...string[]]
        /**
         * Binaries that are allowed (for example `gradle/wrapper/gradle-wrapper.jar`).
         */
        allow?: string | [string, ...string[]]
      }
  /**
   * A short name shown in output, reports and the ledger.
   */
  name?: string
  /**
   * A failing gate with severity `warning` is reported as `warned` and does not fail the phase.
   */
  severity?: 'error' | 'warning'
  /**
   * What to do when the gate fails; shown with the failure.
   */
  hint?: string
  fix?: Fix
  waive?: Waiver
}
/**
 * This interface was referenced by `Plan`'s JSON-Schema
 * via the `definition` "largeFilesGate".
 */
export interface LargeFilesGate {
  /**
   * No file larger than a size: a size (`5MB`), or `{max, in?, exclude?}`.
   */
  'large-files':
    | Size
    | {
        max: Size
        /**
         * Files (globs). Default: every file git does not ignore.
         */
        in?: string | [string, ...string[]]
        /**
         * Globs to leave out.
         */
        exclude?: string | [string, ...string[]]
      }
  /**
   * A short name shown in output, reports and the ledger.
   */
  name?: string
  /**
   * A failing gate with severity `warning` is reported as `warned` and does not fail the phase.
   */
  severity?: 'error' | 'warning'
  /**
   * What to do when the gate fails; shown with the failure.
   */
  hint?: string
  fix?: Fix
  waive?: Waiver
}
/**
 * This interface was referenced by `Plan`'s JSON-Schema
 * via the `definition` "markdownLinksGate".
 */
export interface MarkdownLinksGate {
  /**
   * Relative links and images in Markdown files point at files that exist (and, with `anchors`, at headings that exist); documentation-site links (pages without `.md`, `/paths` from the site folder) count. `true`, or `{in?, exclude?, anchors?}`. Web links are not fetched.
   */
  'markdown-links':
    | true
    | {
        /**
         * Markdown files (globs). Default: `** /*.md`, git-ignored files left out.
         */
        in?: string | [string, ...string[]]
        /**
         * Globs to leave out.
         */
        exclude?: string | [string, ...string[]]
        /**
         * Check `#fragment` links against the headings of the target Markdown file (default true).
         */
        anchors?: boolean
      }
  /**
   * A short name shown in output, reports and the ledger.
   */
  name?: string
  /**
   * A failing gate with severity `warning` is reported as `warned` and does not fail the phase.
   */
  severity?: 'error' | 'warning'
  /**
   * What to do when the gate fails; shown with the failure.
   */
  hint?: string
  fix?: Fix
  waive?: Waiver
}
/**
 * This interface was referenced by `Plan`'s JSON-Schema
 * via the `definition` "licenseGate".
 */
export interface LicenseGate {
  /**
   * The license file is identified as an SPDX license by its text (or an `SPDX-License-Identifier:` line); a short file beside identified ones (a COPYING saying which of them apply) is taken as a note. `true`, or `{in?, allow?, folders?}`.
   */
  license:
    | true
    | {
        /**
         * License files (globs, names match in any case). Default: LICENSE, LICENCE, COPYING with any extension or suffix (LICENSE.md, LICENSE-MIT).
         */
        in?: string | [string, ...string[]]
        /**
         * Folders (globs, e.g. `third_party/*`) that must each hold a license file named as `in` says (vendored code), identified the same way. Set, the gate checks these folders instead of the root, and passes when none exists.
         */
        folders?: string | [string, ...string[]]
        /**
         * SPDX identifiers that are acceptable; any other identified license fails.
         *
         * @minItems 1
         */
        allow?: [string, ...string[]]
      }
  /**
   * A short name shown in output, reports and the ledger.
   */
  name?: string
  /**
   * A failing gate with severity `warning` is reported as `warned` and does not fail the phase.
   */
  severity?: 'error' | 'warning'
  /**
   * What to do when the gate fails; shown with the failure.
   */
  hint?: string
  fix?: Fix
  waive?: Waiver
}
/**
 * This interface was referenced by `Plan`'s JSON-Schema
 * via the `definition` "manifestGate".
 */
export interface ManifestGate {
  /**
   * Reads a package manifest (`package.json`, `pyproject.toml`, `Cargo.toml`, `go.mod`, `pom.xml`) and checks fields in it. A `license` key with a string value must be a valid SPDX expression (package.json also takes npm's `UNLICENSED` and `SEE LICENSE IN <file>`).
   */
  manifest: {
    /**
     * The manifest, relative to the repository root.
     */
    file: string
    /**
     * Dotted keys that must be present and not empty (`description`, `engines.node`, `project.requires-python`); a `license` key must be a valid SPDX expression.
     *
     * @minItems 1
     */
    require?: [string, ...string[]]
    /**
     * A changelog that must name the manifest's version in a heading or as `[x.y.z]` (a development version such as `1.2.0.dev0` or `1.2.0-SNAPSHOT` may be named as `1.2.0`; a path or glob; the first match is read; names such as CHANGELOG.md match in any case).
     */
    changelog?: string
    /**
     * A path or glob (`{package-lock.json,yarn.lock}`) that must match a file when the manifest declares dependencies; for package.json, lockfiles of two package managers, or not of the one `packageManager` names, fail.
     */
    lockfile?: string
    /**
     * Pass when the manifest says the package is not published: `"private": true` in package.json, `publish = false` (or no `[package]`: a virtual workspace) in Cargo.toml, a `Private :: Do Not Upload` classifier in pyproject.toml.
     */
    published_only?: boolean
    /**
     * Pass when the manifest does not exist (default: fail).
     */
    missing_ok?: boolean
  }
  /**
   * A short name shown in output, reports and the ledger.
   */
  name?: string
  /**
   * A failing gate with severity `warning` is reported as `warned` and does not fail the phase.
   */
  severity?: 'error' | 'warning'
  /**
   * What to do when the gate fails; shown with the failure.
   */
  hint?: string
  fix?: Fix
  waive?: Waiver
}
/**
 * This interface was referenced by `Plan`'s JSON-Schema
 * via the `definition` "phase".
 */
export interface Phase {
  id: PhaseId
  /**
   * A human name for the phase.
   */
  name?: string
  /**
   * What the phase is for.
   */
  description?: string
  /**
   * A category for finding the phase (`security`, `supply-chain`…); inherited through `extends`.
   */
  category?: string
  /**
   * Tags for finding the phase; a phase that extends another adds its own to the base's.
   */
  tags?: string[]
  /**
   * Phases that must pass before this one.
   */
  needs?: PhaseId[]
  when?: Condition1
  /**
   * Extra files (globs) whose changes make the phase out of date.
   */
  inputs?: string[]
  /**
   * Files (globs) the phase writes: left out of every whole-tree fingerprint, fingerprinted as the phase's own when it passes; a missing or changed output makes the phase out of date. The union with its `run` tasks' outputs.
   */
  outputs?: string[]
  vars?: Vars
  env?: Env
  env_file?: EnvFile
  /**
   * Environment variables that must be set (non-empty) before any task of the phase runs; the phase fails early, naming those missing.
   */
  requires?: string[]
  /**
   * Reuse the tasks and gates of another phase: a phase id or `builtin:NAME`.
   */
  extends?: string
  /**
   * What the phase does, run in order; each task has exactly one kind key (`run`, `template`, `contracts`).
   */
  tasks?: Task[]
  /**
   * What the phase proves, all evaluated after its tasks; each gate has exactly one kind key.
   */
  gates?: Gate[]
}
/**
 * Run a shell command.
 *
 * This interface was referenced by `Plan`'s JSON-Schema
 * via the `definition` "runTask".
 */
export interface RunTask {
  /**
   * A shell command to run from the repository root.
   */
  run: string
  /**
   * Files (globs) the command writes; they count as outputs of its phase.
   */
  outputs?: string[]
  timeout?: Duration
  /**
   * Retry a failing command this many times, with backoff.
   */
  retries?: number
  env?: Env
  /**
   * Working directory, relative to the repository root (must stay inside it).
   */
  cwd?: string
  /**
   * `true` (default) runs through the system shell; a string names the shell; `false` runs the command without a shell.
   */
  shell?: boolean | string
  /**
   * A failure of this task is recorded but does not fail the phase.
   */
  continue_on_error?: boolean
  /**
   * A short name shown in output and in the ledger.
   */
  name?: string
}
/**
 * Render a nunjucks template to a file.
 *
 * This interface was referenced by `Plan`'s JSON-Schema
 * via the `definition` "templateTask".
 */
export interface TemplateTask {
  /**
   * A template under `templates/` in the repository, or `builtin:NAME` from wf's built-in library.
   */
  template: string
  to: OutputPath
  vars?: Vars
  /**
   * `if-unchanged` (default): overwrite only files wf wrote and nobody edited (a hand edit is merged three ways with the new output, see `merge`); `always`; `never`: only create missing files.
   */
  overwrite?: 'if-unchanged' | 'always' | 'never'
  /**
   * When the output changed and the file was also edited by hand, merge both changes three ways (base: what wf rendered last, kept in .wf/base/). `false`: refuse and show the diff instead.
   */
  merge?: boolean
  /**
   * When a merge conflicts: `fail` (default) leaves the file as it is and shows the conflicting hunks; `markers` writes the file with git-style conflict markers. The task fails either way.
   */
  conflicts?: 'fail' | 'markers'
  /**
   * A short name shown in output and in the ledger.
   */
  name?: string
}
/**
 * Generate TypeScript types from JSON-Schema contracts.
 *
 * This interface was referenced by `Plan`'s JSON-Schema
 * via the `definition` "contractsTask".
 */
export interface ContractsTask {
  /**
   * A directory or glob of JSON Schemas (JSON or YAML).
   */
  contracts: string
  out: OutputPath
  /**
   * Also emit standalone validation functions (`isName(x)`).
   */
  validators?: boolean
  /**
   * A short name shown in output and in the ledger.
   */
  name?: string
}
