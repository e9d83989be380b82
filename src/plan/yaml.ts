import { lazyModule } from '../lib/memo.js'

type YamlModule = typeof import('yaml')

const yaml = lazyModule<YamlModule>(() => import('yaml'))

/** Thrown when positions are needed before the `yaml` module was loaded; readPlan loads it and tries again. */
export class YamlNotLoaded extends Error {
  constructor() {
    super('the yaml module is needed for source positions but is not loaded (await loadYaml() first)')
  }
}

/** Loads the positioned YAML parser; valid plans are read without it, so it is only loaded when positions are needed. */
export async function loadYaml(): Promise<YamlModule> {
  return yaml.load()
}

/** The loaded `yaml` module, for synchronous code that runs after loadYaml(). */
export function yamlSync(): YamlModule {
  const loaded = yaml.get()
  if (!loaded) throw new YamlNotLoaded()
  return loaded
}
