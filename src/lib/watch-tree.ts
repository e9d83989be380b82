import { join, relative, sep } from 'node:path'
import { lazyImport } from './memo.js'

const loadChokidar = lazyImport(() => import('chokidar'))

/** Folders never watched, wherever they are: git's store, wf's own state, installed packages. */
const SKIPPED = new Set(['.git', '.wf', 'node_modules'])

export interface WatchTreeOptions {
  root: string
  /** Quiet time after the last change before the changes are handed over. */
  debounceMs?: number
  /** The repository-relative paths added, changed or removed since the last call, sorted. */
  onChange: (paths: string[]) => void
  onError?: (error: Error) => void
}

export interface TreeWatch {
  /** Settles once the initial scan is done (changes before it are not reported). */
  ready: Promise<void>
  /** How many files are watched. */
  count: () => number
  close: () => Promise<void>
}

/**
 * Watches every file under `root` but those in .git/, .wf/ and node_modules/, and hands over the
 * paths that changed once changes have paused for `debounceMs` (200 ms by default).
 */
export async function watchTree(options: WatchTreeOptions): Promise<TreeWatch> {
  const { watch } = await loadChokidar()
  const { root, debounceMs = 200 } = options
  const watcher = watch(root, {
    ignoreInitial: true,
    ignored: (path) =>
      relative(root, path)
        .split(sep)
        .some((part) => SKIPPED.has(part)),
  })
  const changed = new Set<string>()
  let timer: NodeJS.Timeout | undefined
  const handOver = () => {
    timer = undefined
    const paths = [...changed].sort()
    changed.clear()
    if (paths.length) options.onChange(paths)
  }
  watcher.on('all', (event, path) => {
    if (event === 'addDir' || event === 'unlinkDir') return
    changed.add(relative(root, path).split(sep).join('/'))
    clearTimeout(timer)
    timer = setTimeout(handOver, debounceMs)
  })
  watcher.on('error', (error) => options.onError?.(error as Error))
  const ready = new Promise<void>((resolve) => watcher.once('ready', () => resolve()))
  return {
    ready,
    count: () => {
      const watched = watcher.getWatched()
      let files = 0
      for (const [dir, names] of Object.entries(watched))
        for (const name of names) if (!(join(dir, name) in watched)) files++
      return files
    },
    close: async () => {
      clearTimeout(timer)
      await watcher.close()
    },
  }
}
