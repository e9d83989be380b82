import { createRequire } from 'node:module'

const load = createRequire(import.meta.url)

/**
 * node:child_process, loaded on first use rather than at startup: it is one of the costliest Node
 * modules to load, and commands that start no process (`wf status`) need none of it.
 */
export function childProcess(): typeof import('node:child_process') {
  return load('node:child_process') as typeof import('node:child_process')
}
