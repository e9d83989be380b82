import { describe, expect, it } from 'vitest'
import { testdir } from '../helpers.js'
import { type GateResult, runGates } from '../gates/run-gates.js'

const DIGEST = `sha256:${'0123456789abcdef'.repeat(4)}`
const PLAN = 'version: 1\nphases:\n  - id: p\n    extends: builtin:containers\n'

/** `wf run` of the containers preset on a repository of these files: the phase's status and its gates by name. */
async function runContainers(files: Record<string, string>) {
  const { json, gates } = await runGates(testdir({ 'phases/wf.yaml': PLAN, ...files }))
  return {
    phase: json.phases[0] as unknown as { status: string },
    gate: Object.fromEntries(gates.map((g) => [g.name, g])) as Record<string, GateResult>,
  }
}

const HEALTHY = {
  '.dockerignore': '.git\n.env*\nnode_modules\n',
  Dockerfile: [
    '# syntax=docker/dockerfile:1',
    `ARG NODE_IMAGE=node:20.15-bookworm-slim@${DIGEST}`,
    'FROM ${NODE_IMAGE} AS build',
    'WORKDIR /app',
    'COPY package.json package-lock.json ./',
    'RUN npm ci && \\',
    '    curl -fsSLo /tmp/tool.tgz https://example.com/tool.tgz && \\',
    '    echo "abc  /tmp/tool.tgz" | sha256sum -c',
    `FROM gcr.io/distroless/nodejs20-debian12:nonroot@${DIGEST}`,
    'COPY --from=build /app /app',
    'USER nonroot',
    '',
  ].join('\n'),
  'tools/ci.Dockerfile': `FROM alpine:3.20@${DIGEST} AS unused\nFROM scratch\nCOPY x /x\nUSER 10001\n`,
}

describe('preset containers', () => {
  it('passes a repository with pinned multi-stage Dockerfiles, a non-root user and a .dockerignore', async () => {
    const { phase, gate } = await runContainers(HEALTHY)
    expect(Object.values(gate).map((g) => [g.name, g.status])).toEqual([
      ['base images pinned by digest', 'passed'],
      ['no downloaded scripts run', 'passed'],
      ['no latest tag', 'passed'],
      ['runs as a non-root user', 'passed'],
      ['build context filtered by .dockerignore', 'passed'],
    ])
    expect(phase.status).toBe('passed')
  })

  it('is skipped in a repository without a Dockerfile', async () => {
    const { phase, gate } = await runContainers({ 'README.md': '# A library\n' })
    expect(phase.status).toBe('skipped')
    expect(gate).toEqual({})
  })

  it('fails `FROM node:20` without a digest, at its line', async () => {
    const { gate } = await runContainers({
      ...HEALTHY,
      Dockerfile: 'FROM node:20\nUSER node\n',
    })
    expect(gate['base images pinned by digest']).toMatchObject({
      status: 'failed',
      locations: [
        {
          file: 'Dockerfile',
          line: 1,
          col: 1,
          message: 'base image `node:20` is not pinned by a digest: `FROM node:20`',
        },
      ],
    })
    expect(gate['no latest tag']!.status).toBe('passed')
  })

  it('fails `curl … | bash` in a RUN, at the line of the download', async () => {
    const { gate } = await runContainers({
      ...HEALTHY,
      Dockerfile: `FROM debian:12@${DIGEST}\nRUN apt-get update \\\n && curl -fsSL https://get.example.com | bash\nUSER 1000\n`,
    })
    expect(gate['no downloaded scripts run']).toMatchObject({
      status: 'failed',
      locations: [
        {
          file: 'Dockerfile',
          line: 3,
          col: 2,
          message: 'a script downloaded by curl is piped into bash: `&& curl -fsSL https://get.example.com | bash`',
        },
      ],
    })
  })

  it('fails a `latest` or missing tag', async () => {
    const { gate } = await runContainers({ ...HEALTHY, 'tools/ci.Dockerfile': 'FROM alpine:latest\nUSER 1\n' })
    expect(gate['no latest tag']).toMatchObject({
      status: 'failed',
      locations: [
        {
          file: 'tools/ci.Dockerfile',
          line: 1,
          col: 1,
          message: 'base image `alpine:latest` uses the `latest` tag: `FROM alpine:latest`',
        },
      ],
    })
  })

  it('warns when the final stage runs as root', async () => {
    const { phase, gate } = await runContainers({
      ...HEALTHY,
      'tools/ci.Dockerfile': `FROM alpine:3.20@${DIGEST}\nUSER app\nFROM alpine:3.20@${DIGEST}\nUSER root\n`,
    })
    expect(gate['runs as a non-root user']).toMatchObject({
      status: 'warned',
      locations: [
        { file: 'tools/ci.Dockerfile', line: 4, col: 1, message: 'the final stage runs as root: `USER root`' },
      ],
    })
    expect(phase.status).toBe('passed')
  })

  it('warns when no .dockerignore filters the build context', async () => {
    const { '.dockerignore': _, ...files } = HEALTHY
    const { gate } = await runContainers(files)
    expect(gate['build context filtered by .dockerignore']).toMatchObject({ status: 'warned' })
    expect(gate['build context filtered by .dockerignore']!.message).toContain('.dockerignore')
  })

  it('counts a root-level `<name>.Dockerfile.dockerignore` as the filter', async () => {
    const { '.dockerignore': _, ...files } = HEALTHY
    const { gate } = await runContainers({ ...files, 'app.Dockerfile.dockerignore': '.git\n' })
    expect(gate['build context filtered by .dockerignore']).toMatchObject({ status: 'passed' })
  })
})
