import { FIXES } from './fixes.js'
import type { Preset } from './preset.js'

// Where GitHub and GitLab look for the README shown on the project page; names match in any case.
const README_ANYWHERE = '{,.github/,docs/}README{,.md,.markdown,.rst,.txt,.adoc}'
// What is read for sections: the root README (docs/README.md is often an index of the docs folder).
const README = 'README{,.md,.markdown,.rst,.txt,.adoc}'

/**
 * A heading (Markdown `#`, AsciiDoc `=`, HTML `<h2>`, or a setext/reStructuredText title over a
 * `===`/`---` underline) that holds one of the words. RE2 syntax; read with flags `mi`.
 */
const heading = (words: string) =>
  String.raw`^(?:(?:#{1,6}|={1,6})[ \t]+[^\n]*?\b(?:${words})\b[^\n]*|<h[1-6][^>\n]*>[^\n]*?\b(?:${words})\b[^\n]*|[^\n]*?\b(?:${words})\b[^\n]*\n[=\-~^"'*+#]{3,}[ \t]*)$`

const INSTALL_WORDS = String.raw`install(?:ation|ing)?|getting[ \t]+started|quick[ \t-]?start|set[ \t-]?up|setup|download(?:s|ing)?|build(?:ing)?|requirements|prerequisites`
const USAGE_WORDS = String.raw`usage|use|using|how[ \t]+to|examples?|getting[ \t]+started|quick[ \t-]?start|tutorials?|documentation|docs|guide|api|cli|commands?|configuration`

/** Documentation: a README that tells a newcomer what the project is and how to start, and Markdown whose links lead somewhere. */
export const DOCS_PRESETS: Record<string, Preset> = {
  docs: {
    name: 'README essentials',
    category: 'docs',
    tags: ['readme', 'docs', 'repolinter', 'onboarding'],
    description:
      'The README is the first thing a user or a security reviewer reads. wf wants one (README, README.md, .rst, .txt or .adoc, at the root, in .github/ or docs/, any case) and reads the root one for a sentence of prose saying what the project is, a heading about installing or getting started (install, installation, getting started, quick start, setup, download, build, requirements, prerequisites), a heading about using it (usage, use, how to, example(s), tutorial, documentation, docs, guide, API, CLI, command(s), configuration), and a mention of the license. Headings are Markdown `#`, setext or reStructuredText underlines, AsciiDoc `=` or HTML `<h1>`–`<h6>`, matched case-insensitively. Repolinter only checks that a README exists and says "license"; it has no section checks.',
    gates: [
      {
        name: 'readme present',
        'files-exist': [README_ANYWHERE],
        fix: FIXES.readme,
        hint: 'add README.md saying what the project is, how to install it and how to use it',
      },
      {
        name: 'readme describes the project',
        'file-contains': { in: README, regex: String.raw`^[A-Za-z*_][^\n]{30,}`, flags: 'm', missing_ok: true },
        fix: FIXES.readme,
        hint: 'add a sentence of plain prose near the top saying what the project does and for whom',
      },
      {
        name: 'readme says how to install',
        'file-contains': { in: README, regex: heading(INSTALL_WORDS), flags: 'mi', missing_ok: true },
        fix: FIXES.readme,
        hint: 'add a section such as `## Install` or `## Getting started` with the command that installs or builds the project',
      },
      {
        name: 'readme shows how to use it',
        'file-contains': { in: README, regex: heading(USAGE_WORDS), flags: 'mi', missing_ok: true },
        fix: FIXES.readme,
        hint: 'add a section such as `## Usage` or `## Examples` showing the first thing a user runs or writes',
      },
      {
        name: 'readme mentions the license',
        'file-contains': { in: README, regex: String.raw`\blicen[cs]e`, flags: 'i', missing_ok: true },
        fix: FIXES.readme,
        hint: 'add a `## License` section naming the license (e.g. "MIT, see LICENSE")',
      },
    ],
  },
  'markdown-links': {
    name: 'Markdown links resolve',
    category: 'docs',
    tags: ['docs', 'markdown', 'links', 'repolinter'],
    description:
      "A link to a moved or deleted file, or to a heading that was renamed, is how documentation rots unnoticed. Every relative link and image in the repository's Markdown (git-ignored files left out) must point at a file or folder inside the repository, and a `#fragment` at a heading of the target Markdown file (GitHub's anchor rules). Repolinter's `file-no-broken-links` also fetches web links; wf stays offline and leaves web links alone, so the check is fast and never flaky.",
    gates: [
      {
        name: 'relative links resolve',
        'markdown-links': true,
        fix: FIXES.brokenLinks,
        hint: 'fix the path (it is relative to the Markdown file; `/` starts at the repository root) or the heading, or remove the link',
      },
    ],
  },
}
