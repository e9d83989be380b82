import { FIXES } from './fixes.js'
import type { Preset } from './preset.js'

// The dockerfile gate's own default: Dockerfiles and Containerfiles anywhere in the tree.
const DOCKERFILES = '**/{Dockerfile,Containerfile,*.Dockerfile,*.dockerfile,Dockerfile.*}'

/** Containers: Dockerfiles that build the same image tomorrow and do not run what they download. */
export const CONTAINERS_PRESETS: Record<string, Preset> = {
  containers: {
    name: 'Container images',
    category: 'containers',
    tags: ['docker', 'dockerfile', 'supply-chain', 'scorecard', 'pinning'],
    description:
      'A base image named by tag can change under the same name, and a script piped from curl into sh runs whatever the server sends that day: both make an image that cannot be reproduced or audited. Runs where a Dockerfile or Containerfile exists. Follows OpenSSF Scorecard\'s Pinned-Dependencies for containers (`FROM` pinned by `@sha256:` digest; `scratch` and earlier build stages need none; downloaded scripts run in `RUN`), with these differences: wf reads `Dockerfile`, `Containerfile`, `*.Dockerfile` and `Dockerfile.*` (Scorecard any name containing "dockerfile"); it resolves a base image named by a build argument from the `ARG` default and reports one without a default as unpinnable; it does not judge `pip`/`npm`/`go install` pinning inside `RUN`. It adds what Scorecard does not check: no `latest` or missing tag, a non-root final `USER` and a `.dockerignore` (the last two as warnings).',
    when: { file: DOCKERFILES },
    gates: [
      {
        name: 'base images pinned by digest',
        dockerfile: ['pinned-base'],
        fix: FIXES.dockerDigests,
        hint: 'pin each base image by digest and keep the tag for readers: `FROM node:20@sha256:<digest>` (`docker buildx imagetools inspect node:20` prints it; Dependabot and Renovate keep digests current); give a build argument used in `FROM` a pinned default',
      },
      {
        name: 'no downloaded scripts run',
        dockerfile: ['remote-scripts'],
        fix: FIXES.remoteScripts,
        hint: 'download to a file, check its checksum (`echo "<sha256>  install.sh" | sha256sum -c`) and then run it, or install from a package manager with pinned versions',
      },
      {
        name: 'no latest tag',
        dockerfile: ['latest-tag'],
        fix: FIXES.baseImageTag,
        hint: 'name an explicit version tag (`FROM python:3.12-slim`), not `latest` or no tag at all',
      },
      {
        name: 'runs as a non-root user',
        dockerfile: ['root-user'],
        severity: 'warning',
        fix: FIXES.rootUser,
        hint: 'create a user and end the final stage with `USER app` (or a numeric id such as `USER 10001`); images built on a base that sets its own user (distroless `:nonroot`) can say so with `USER nonroot`',
      },
      {
        name: 'build context filtered by .dockerignore',
        'files-exist': ['**/{.dockerignore,*.dockerignore}'],
        severity: 'warning',
        fix: FIXES.dockerignore,
        hint: 'add a .dockerignore at the root of the build context (or `<name>.Dockerfile.dockerignore` beside a Dockerfile) (at least `.git`, `.env*`, `node_modules` and build output) so credentials and local files stay out of image layers',
      },
    ],
  },
}
