import { describe, expect, it } from 'vitest'
import { runCli } from '../cli-in-process.js'
import { testdir } from '../helpers.js'
import { planWith, runGates } from './run-gates.js'

const DIGEST = `sha256:${'a'.repeat(64)}`
const ALL_RULES = '      - dockerfile: [pinned-base, remote-scripts, latest-tag, root-user]\n'

async function dockerfileGate(files: Record<string, string>, gate = ALL_RULES) {
  const cwd = testdir({ 'phases/p.yaml': planWith(gate), ...files })
  return (await runGates(cwd)).gates[0]!
}

describe('dockerfile gate', () => {
  it('passes a multi-stage Dockerfile pinned by digest that builds FROM its own stage, from scratch, as a user', async () => {
    const gate = await dockerfileGate({
      Dockerfile: [
        '# syntax=docker/dockerfile:1',
        `ARG NODE=node:20@${DIGEST}`,
        `FROM --platform=$BUILDPLATFORM \${NODE} AS build`,
        'RUN npm ci && \\',
        '    curl -fsSL https://example.com/data.tgz -o data.tgz',
        'FROM build AS test',
        'USER node',
        'FROM scratch AS empty',
        'FROM test',
        '',
      ].join('\n'),
    })
    expect(gate).toMatchObject({
      status: 'passed',
      message: 'Dockerfile: pinned-base, remote-scripts, latest-tag, root-user hold',
    })
  })

  it('finds `FROM node:20` without a digest and a base image without a tag, quoting the instruction', async () => {
    const gate = await dockerfileGate(
      { 'app/Dockerfile': 'FROM node:20 AS build\n\n  from ubuntu\nUSER app\n' },
      '      - dockerfile: [pinned-base, latest-tag]\n',
    )
    expect(gate.status).toBe('failed')
    expect(gate.locations).toEqual([
      {
        file: 'app/Dockerfile',
        line: 1,
        col: 1,
        message: 'base image `node:20` is not pinned by a digest: `FROM node:20 AS build`',
      },
      {
        file: 'app/Dockerfile',
        line: 3,
        col: 3,
        message: 'base image `ubuntu` is not pinned by a digest: `from ubuntu`',
      },
      {
        file: 'app/Dockerfile',
        line: 3,
        col: 3,
        message: 'base image `ubuntu` has no tag, which means `latest`: `from ubuntu`',
      },
    ])
    expect(gate.message).toBe('3 findings in app/Dockerfile: app/Dockerfile:1, app/Dockerfile:3, app/Dockerfile:3')
  })

  it('resolves a base image from ARG defaults, and says when a build argument has none', async () => {
    const gate = await dockerfileGate(
      {
        Dockerfile: `ARG VERSION=3.12\nARG BASE\nFROM python:\${VERSION}-slim\nFROM $BASE\nFROM alpine:\${TAG:-latest}\nFROM \${REGISTRY}/node:20@${DIGEST}\n`,
      },
      '      - dockerfile: [pinned-base, latest-tag]\n',
    )
    expect(gate.locations!.map((l) => [l.line, l.message])).toEqual([
      [
        3,
        'base image `python:3.12-slim` (from `python:${VERSION}-slim`) is not pinned by a digest: `FROM python:${VERSION}-slim`',
      ],
      [
        4,
        'base image `$BASE` depends on build argument BASE, which has no default: wf cannot tell whether it is pinned: `FROM $BASE`',
      ],
      [
        5,
        'base image `alpine:latest` (from `alpine:${TAG:-latest}`) is not pinned by a digest: `FROM alpine:${TAG:-latest}`',
      ],
      [
        5,
        'base image `alpine:latest` (from `alpine:${TAG:-latest}`) uses the `latest` tag: `FROM alpine:${TAG:-latest}`',
      ],
    ])
  })

  it('finds `curl … | bash` across continuations and && chains, `wget -qO- … | sh`, $(curl), heredocs, and a downloaded script run later', async () => {
    const gate = await dockerfileGate(
      {
        Dockerfile: [
          `FROM debian@${DIGEST}`,
          'RUN apt-get update && apt-get install -y curl \\',
          '    # a comment inside the continuation',
          '    && curl -fsSL https://deb.example.com/setup \\',
          '       | sudo -E bash - \\',
          '    && rm -rf /var/lib/apt/lists/*',
          'RUN --mount=type=cache,target=/root wget -qO- https://get.example.com | sh',
          'RUN sh -c "$(curl -fsSL https://example.com/install.sh)"',
          'RUN <<EOF',
          'set -e',
          'curl -sSL https://example.com/x | python3 -',
          'EOF',
          'RUN curl -fsSLo /tmp/i.sh https://example.com/i.sh',
          'RUN chmod +x /tmp/i.sh && /tmp/i.sh',
          'RUN curl -fsSLO https://example.com/app.tgz | tar xz',
          'RUN ["/bin/sh", "-c", "curl -fsSL https://example.com/a | sh"]',
          'RUN bash -c "wget -qO- https://example.com/b | sh"',
          'RUN curl -s https://example.com/v.json | python3 -m json.tool && curl https://example.com/c | perl -ne print',
          'RUN curl -fsSL https://sh.example.com | sh -s -- -y',
          '',
        ].join('\n'),
      },
      '      - dockerfile: [remote-scripts]\n',
    )
    expect(gate.locations!.map((l) => [l.line, l.col, l.message])).toEqual([
      [4, 5, 'a script downloaded by curl is piped into bash: `&& curl -fsSL https://deb.example.com/setup \\`'],
      [
        7,
        1,
        'a script downloaded by wget is piped into sh: `RUN --mount=type=cache,target=/root wget -qO- https://get.example.com | sh`',
      ],
      [8, 1, 'sh runs a script downloaded by curl: `RUN sh -c "$(curl -fsSL https://example.com/install.sh)"`'],
      [11, 1, 'a script downloaded by curl is piped into python3: `curl -sSL https://example.com/x | python3 -`'],
      [14, 1, '/tmp/i.sh is run after being downloaded: `RUN chmod +x /tmp/i.sh && /tmp/i.sh`'],
      [
        16,
        1,
        'a script downloaded by curl is piped into sh: `RUN ["/bin/sh", "-c", "curl -fsSL https://example.com/a | sh"]`',
      ],
      [17, 1, 'a script downloaded by wget is piped into sh: `RUN bash -c "wget -qO- https://example.com/b | sh"`'],
      [19, 1, 'a script downloaded by curl is piped into sh: `RUN curl -fsSL https://sh.example.com | sh -s -- -y`'],
    ])
  })

  it('remote-scripts: a downloaded script checked by its checksum or signature, or a commented-out pipe, is not flagged; a quoted # is no comment', async () => {
    const gate = await dockerfileGate(
      {
        Dockerfile: [
          `FROM debian@${DIGEST}`,
          'RUN curl -fsSLo /tmp/i.sh https://example.com/i.sh \\',
          '    && echo "0123abcd  /tmp/i.sh" | sha256sum -c - \\',
          '    && sh /tmp/i.sh',
          'RUN curl -fsSLO https://example.com/t.sh && curl -fsSLO https://example.com/t.sh.asc',
          'RUN gpg --verify t.sh.asc && bash t.sh',
          'RUN <<EOF',
          '# curl -fsSL https://example.com/old | sh',
          'curl -fsSLo /tmp/u.sh https://example.com/u.sh',
          'sh /tmp/u.sh',
          'EOF',
          'RUN echo "step \\"1\\" # is no comment" && curl -fsSL https://example.com/q | sh',
          '',
        ].join('\n'),
      },
      '      - dockerfile: [remote-scripts]\n',
    )
    expect(gate.locations!.map((l) => [l.line, l.message])).toEqual([
      [10, 'sh runs /tmp/u.sh, downloaded by an earlier command: `sh /tmp/u.sh`'],
      [
        12,
        'a script downloaded by curl is piped into sh: `RUN echo "step \\"1\\" # is no comment" && curl -fsSL https://example.com/q | sh`',
      ],
    ])
  })

  it('root-user: the final stage must set a USER other than root (inherited from the stage it builds on)', async () => {
    const gate = await dockerfileGate(
      {
        'a/Dockerfile': `FROM alpine:3.20@${DIGEST}\nRUN adduser -D app\n`,
        'b/Containerfile': `FROM alpine:3.20@${DIGEST} AS base\nUSER app\nFROM base\n`,
        'c/app.Dockerfile': `FROM alpine:3.20@${DIGEST}\nUSER app\nUSER 0:0\n`,
        'c/app.Dockerfile.dockerignore': 'node_modules\n',
      },
      '      - dockerfile: { rules: [root-user], exclude: "b/**" }\n',
    )
    expect(gate.locations).toEqual([
      {
        file: 'a/Dockerfile',
        line: 1,
        col: 1,
        message: `the final stage sets no \`USER\`, so the container runs as root unless its base image sets a user: \`FROM alpine:3.20@${DIGEST}\``,
      },
      { file: 'c/app.Dockerfile', line: 3, col: 1, message: 'the final stage runs as root: `USER 0:0`' },
    ])
  })

  it('honours the escape directive and passes when there is no Dockerfile', async () => {
    const gate = await dockerfileGate(
      {
        'win/Dockerfile': `# escape=\`\nFROM mcr.microsoft.com/windows:ltsc2022@${DIGEST}\nRUN curl.exe -o a.zip https://x \`\n  | sh\n`,
      },
      '      - dockerfile: true\n',
    )
    expect(gate.locations!.map((l) => [l.line, l.message?.split(':')[0]])).toEqual([
      [3, 'a script downloaded by curl.exe is piped into sh'],
    ])
    expect(await dockerfileGate({ 'README.md': '# x\n' }, '      - dockerfile: true\n')).toMatchObject({
      status: 'passed',
      message: 'no Dockerfile found',
    })
  })

  it('leaves out source and documents named after Dockerfiles (dockerfile.ts, Dockerfile.md), not Dockerfile variants', async () => {
    const fromNode = 'export const text = `\nFROM node:20\n`\n'
    const gate = await dockerfileGate(
      {
        'src/dockerfile.ts': fromNode,
        'test/dockerfile.test.js': fromNode,
        'docs/Dockerfile.md': '# Dockerfile\n\nFROM node:20\n',
        'Dockerfile.dev': 'FROM node:20\n',
        'web/app.dockerfile': 'FROM node:20\n',
      },
      '      - dockerfile: [pinned-base]\n',
    )
    expect(gate.locations!.map((l) => l.file)).toEqual(['Dockerfile.dev', 'web/app.dockerfile'])
  })
})

describe('dockerfile gate on named files (pre-commit)', () => {
  it('judges only the Dockerfiles named, and passes when none is', async () => {
    const cwd = testdir({
      'phases/p.yaml': planWith('      - dockerfile: true\n'),
      'a/Dockerfile': 'FROM node:20\n',
      'b/Dockerfile': 'FROM python:3.12\n',
      'README.md': '# x\n',
    })
    const check = async (...files: string[]) =>
      JSON.parse((await runCli(['check', '--json', ...files], { cwd })).stdout).phases[0].gates[0]
    expect((await check('b/Dockerfile')).locations.map((l: { file: string }) => l.file)).toEqual(['b/Dockerfile'])
    expect(await check('README.md')).toMatchObject({ status: 'passed', message: 'no staged Dockerfile' })
  })
})
