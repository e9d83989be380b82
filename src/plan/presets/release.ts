import { FIXES } from './fixes.js'
import type { Preset } from './preset.js'

const CHANGELOGS = '{CHANGELOG,CHANGES,HISTORY,NEWS,RELEASES}{,.md,.rst,.txt,.adoc}'
const VERSION_HINT =
  "add an entry for the manifest's version to the changelog (`## [1.2.0] - 2026-01-31`), or bump the version to the release the changelog describes"

/** Release readiness: a changelog that keeps up with the version in the package manifest. */
export const RELEASE_PRESETS: Record<string, Preset> = {
  'release-readiness': {
    name: 'Release readiness',
    category: 'release',
    tags: ['changelog', 'version', 'release', 'repolinter'],
    description:
      'Users decide whether to upgrade from the changelog, so a release whose version has no entry ships blind. Repolinter\'s changelog-file-exists only asks for a CHANGELOG* file; wf also accepts CHANGES, HISTORY, NEWS and RELEASES (any case, .md/.rst/.txt/.adoc) and checks that the version in package.json, pyproject.toml, Cargo.toml or pom.xml is named in a heading or as `[x.y.z]`. Manifests that are absent, private (`"private": true`, `publish = false`) or whose version is set at build time (`dynamic = ["version"]`, `${revision}` with no value) are skipped; go.mod carries no version (Go takes it from git tags), and git tags themselves are not checked.',
    gates: [
      {
        name: 'changelog present',
        'files-exist': { paths: [CHANGELOGS], nocase: true },
        fix: FIXES.changelog,
        hint: 'add a CHANGELOG.md with an entry per release, newest first (see keepachangelog.com)',
      },
      {
        name: 'changelog names the package.json version',
        manifest: { file: 'package.json', changelog: CHANGELOGS, published_only: true, missing_ok: true },
        fix: FIXES.changelogVersion,
        hint: VERSION_HINT,
      },
      {
        name: 'changelog names the pyproject.toml version',
        manifest: { file: 'pyproject.toml', changelog: CHANGELOGS, published_only: true, missing_ok: true },
        fix: FIXES.changelogVersion,
        hint: VERSION_HINT,
      },
      {
        name: 'changelog names the Cargo.toml version',
        manifest: { file: 'Cargo.toml', changelog: CHANGELOGS, published_only: true, missing_ok: true },
        fix: FIXES.changelogVersion,
        hint: VERSION_HINT,
      },
      {
        name: 'changelog names the pom.xml version',
        manifest: { file: 'pom.xml', changelog: CHANGELOGS, published_only: true, missing_ok: true },
        fix: FIXES.changelogVersion,
        hint: VERSION_HINT,
      },
    ],
  },
}
