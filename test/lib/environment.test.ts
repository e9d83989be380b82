import { describe, expect, it } from 'vitest'
import { redact, resolveEnv } from '../../src/lib/environment.js'

describe('environment', () => {
  it('layers plan env over the process env and collects secret values', () => {
    const env = resolveEnv(
      { PATH: '/bin', GITHUB_TOKEN: 'ghp_from_process', SHORT_TOKEN: 'abc', FROM_ME: 'source-value' },
      {
        PLAIN: 'x',
        DEPLOY_KEY: { value: 'k3y-value', secret: true },
        COPY: { from: 'FROM_ME', secret: true },
        DB_PASSWORD: 'hunter22',
        MISSING: { from: 'NOPE' },
      },
    )
    expect(env.vars).toMatchObject({
      PATH: '/bin',
      PLAIN: 'x',
      DEPLOY_KEY: 'k3y-value',
      COPY: 'source-value',
      DB_PASSWORD: 'hunter22',
    })
    expect(env.vars).not.toHaveProperty('MISSING')
    expect(env.secrets.sort()).toEqual(['ghp_from_process', 'hunter22', 'k3y-value', 'source-value'])
    expect(redact('token ghp_from_process and k3y-value; PLAIN x', env.secrets)).toBe('token *** and ***; PLAIN x')
  })
})
