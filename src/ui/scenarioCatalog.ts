/**
 * The scenarios the app offers: every examples/*.json, bundled at build time (the app works offline), plus the
 * playground (nothing scripted). A scenario is named in the URL by its path, e.g. `examples/leader-crash.json`.
 */
import type { ScenarioJson } from '../store/index.ts';

export interface CatalogEntry {
  /** What the URL says: `examples/NAME.json` or `playground`. */
  readonly path: string;
  readonly name: string;
  readonly description: string;
  readonly json: ScenarioJson;
}

export type ScenarioCatalog = readonly CatalogEntry[];

/** The default: five nodes and an hour of virtual time, nothing scripted. */
export const PLAYGROUND: CatalogEntry = {
  path: 'playground',
  name: 'Playground',
  description: 'Five nodes and nothing scripted: crash, cut and propose as you like.',
  json: { name: 'playground', description: 'Five nodes and nothing scripted.', nodes: 5, seed: 1, until: 3_600_000 },
};

export function loadCatalog(): ScenarioCatalog {
  const files = import.meta.glob<ScenarioJson>('../../examples/*.json', { eager: true, import: 'default' });
  const examples = Object.entries(files)
    .map(([file, json]) => {
      const path = file.replace(/^.*\/examples\//, 'examples/');
      return { path, name: String(json.name ?? path), description: String(json.description ?? ''), json };
    })
    .sort((a, b) => a.path.localeCompare(b.path));
  return [PLAYGROUND, ...examples];
}
