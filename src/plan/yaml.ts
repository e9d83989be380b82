type YamlModule = typeof import('yaml')

let loaded: YamlModule | undefined

/** Thrown when positions are needed before the `yaml` module was loaded; readPlan loads it and tries again. */
export class YamlNotLoaded extends Error {
  constructor() {
    super('the yaml module is needed for source positions but is not loaded (await loadYaml() first)')
  }
}

/** Loads the positioned YAML parser; valid plans are read without it, so it is only loaded when positions are needed. */
export async function loadYaml(): Promise<YamlModule> {
  loaded ??= await import('yaml')
  return loaded
}

/** The loaded `yaml` module, for synchronous code that runs after loadYaml(). */
export function yamlSync(): YamlModule {
  if (!loaded) throw new YamlNotLoaded()
  return loaded
}
