// Memoizing constructors: the only way src/ keeps a value across calls outside a Workspace.
/** A loader that imports a module on its first call and hands every later call the same module. */
export function lazyImport<T>(load: () => Promise<T>): () => Promise<T> {
  let loaded: Promise<T> | undefined
  return () => {
    loaded ??= load().catch((error) => {
      loaded = undefined
      throw error
    })
    return loaded
  }
}

/** A value computed on the first call and handed to every later call. */
export function once<T>(compute: () => T): () => T {
  let done = false
  let value: T
  return () => {
    if (!done) {
      value = compute()
      done = true
    }
    return value
  }
}

/** A function of an object, computed once per object (and dropped with it). */
export function memoizeByObject<K extends object, T>(compute: (key: K) => T): (key: K) => T {
  const values = new WeakMap<K, T>()
  return (key) => {
    if (!values.has(key)) values.set(key, compute(key))
    return values.get(key) as T
  }
}

/** A module loaded on demand, also readable synchronously once loaded (`get` returns undefined before). */
export function lazyModule<T>(load: () => Promise<T>): { load: () => Promise<T>; get: () => T | undefined } {
  let module: T | undefined
  const loadOnce = lazyImport(async () => {
    module = await load()
    return module
  })
  return { load: loadOnce, get: () => module }
}
