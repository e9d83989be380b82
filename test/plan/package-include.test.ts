import { join } from 'node:path'
import { describe, expect, it } from 'vitest'
import { parsePackageSpec, resolvePackageInclude } from '../../src/plan/package-include.js'
import { testdir } from '../helpers.js'

const pkg = (name: string, version: string, extra: object = {}) => ({
  [`node_modules/${name}/package.json`]: JSON.stringify({ name, version, ...extra }),
})

describe('npm: includes', () => {
  it('takes a package reference apart: scope, range, plan file', () => {
    expect(parsePackageSpec('npm:@acme/wf-policies@^2')).toEqual({ name: '@acme/wf-policies', range: '^2' })
    expect(parsePackageSpec('npm:@acme/wf-policies@>=2.1 <3/phases/security.yaml')).toEqual({
      name: '@acme/wf-policies',
      range: '>=2.1 <3',
      file: 'phases/security.yaml',
    })
    expect(parsePackageSpec('npm:policies@~1.2')).toEqual({ name: 'policies', range: '~1.2' })
    expect(parsePackageSpec('npm:@acme/wf-policies')).toEqual({ name: '@acme/wf-policies' })
    expect(parsePackageSpec('npm:')).toBeUndefined()
  })

  it('finds the nearest node_modules above the plan, reads wf.plan, and stays in the repository', async () => {
    const root = testdir({
      ...pkg('@acme/p', '2.3.0', { wf: { plan: 'plans/main.yaml' } }),
      'node_modules/@acme/p/plans/main.yaml': 'version: 1\n',
      ...pkg('q', '1.0.0'),
      'node_modules/q/wf.yaml': 'version: 1\n',
      'node_modules/q/notes.txt': '',
      'phases/nested/x.yaml': '',
    })
    const from = join(root, 'phases', 'nested')
    expect(await resolvePackageInclude(root, from, 'npm:@acme/p@^2')).toEqual({
      path: join(root, 'node_modules/@acme/p/plans/main.yaml'),
    })
    expect(await resolvePackageInclude(root, from, 'npm:q@1')).toEqual({ path: join(root, 'node_modules/q/wf.yaml') })
    expect(await resolvePackageInclude(root, from, 'npm:q@1/notes.txt')).toMatchObject({
      message: 'node_modules/q/notes.txt is not a YAML plan file',
    })
    expect(await resolvePackageInclude(root, from, 'npm:q@1/../../phases/nested/x.yaml')).toMatchObject({
      message: 'include `npm:q@1/../../phases/nested/x.yaml` leaves the package folder',
    })
    expect(await resolvePackageInclude(root, from, 'npm:q@not a range')).toMatchObject({
      message: 'include `npm:q@not a range`: `not a range` is not a semver range',
    })
    // A package installed above the repository is not the repository's: it is reported as not installed.
    expect(await resolvePackageInclude(join(root, 'phases'), from, 'npm:q@1')).toMatchObject({
      message: 'package q is not installed (included as `npm:q@1`)',
      hint: 'run `npm install -D q@1` in the repository',
    })
  })
})
