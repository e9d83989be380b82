import { readdirSync, readFileSync } from 'node:fs'
import { join, relative } from 'node:path'
import ts from 'typescript'

/** The longest a function may be, in lines from its first to its last. */
export const MAX_FUNCTION_LINES = 80
/** The longest a command file may be: a command parses, calls one use case and renders. */
export const MAX_COMMAND_LINES = 50

/** Every `.ts` file under `dir` except generated ones, as paths relative to `dir`. */
export function sourceFiles(dir: string): string[] {
  const files: string[] = []
  const walk = (folder: string) => {
    for (const entry of readdirSync(folder, { withFileTypes: true })) {
      const path = join(folder, entry.name)
      if (entry.isDirectory()) walk(path)
      else if (entry.name.endsWith('.ts') && !entry.name.includes('.generated.')) files.push(relative(dir, path))
    }
  }
  walk(dir)
  return files.sort()
}

/** A readable name for a function node: its own name, or the name it is assigned to. */
function functionName(node: ts.SignatureDeclaration, source: ts.SourceFile): string {
  if (node.name) return node.name.getText(source)
  const parent = node.parent
  if (ts.isVariableDeclaration(parent) || ts.isPropertyAssignment(parent) || ts.isPropertyDeclaration(parent))
    return parent.name.getText(source)
  for (let outer = parent; outer; outer = outer.parent)
    if (ts.isFunctionLike(outer) && outer.name) return `(a function in ${outer.name.getText(source)})`
  return '(anonymous)'
}

/** Functions of `text` longer than `max` lines, as `file:line name (N lines)`. */
export function longFunctions(file: string, text: string, max = MAX_FUNCTION_LINES): string[] {
  const source = ts.createSourceFile(file, text, ts.ScriptTarget.Latest, true, ts.ScriptKind.TS)
  const found: string[] = []
  const visit = (node: ts.Node) => {
    if (
      ts.isFunctionDeclaration(node) ||
      ts.isFunctionExpression(node) ||
      ts.isArrowFunction(node) ||
      ts.isMethodDeclaration(node) ||
      ts.isConstructorDeclaration(node) ||
      ts.isGetAccessorDeclaration(node) ||
      ts.isSetAccessorDeclaration(node)
    ) {
      if (node.body) {
        const first = source.getLineAndCharacterOfPosition(node.getStart(source)).line
        const last = source.getLineAndCharacterOfPosition(node.getEnd()).line
        const lines = last - first + 1
        if (lines > max) found.push(`${file}:${first + 1} ${functionName(node, source)} (${lines} lines)`)
      }
    }
    ts.forEachChild(node, visit)
  }
  visit(source)
  return found
}

/** The number of lines of `text` (a final newline does not start another). */
export function lineCount(text: string): number {
  return text.replace(/\n$/, '').split('\n').length
}

/** Every function over the limit in `dir`, and every command file over its limit. */
export function sizeViolations(dir: string): string[] {
  const problems: string[] = []
  for (const file of sourceFiles(dir)) {
    const text = readFileSync(join(dir, file), 'utf8')
    problems.push(...longFunctions(file, text))
    const lines = lineCount(text)
    // commands/index.ts is the registry of every command, not a command: it grows with each one.
    if (file.startsWith('commands/') && file !== 'commands/index.ts' && lines > MAX_COMMAND_LINES)
      problems.push(`${file} (${lines} lines, a command file may have ${MAX_COMMAND_LINES})`)
  }
  return problems
}
