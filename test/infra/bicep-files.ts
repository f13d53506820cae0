import { readdirSync } from 'node:fs';
import { join } from 'node:path';
import { parseBicep, type BicepFile } from '../../infra/bicep-tree.js';

export const INFRA_DIR = join(import.meta.dirname, '../../infra');

/** Every Bicep file under infra/: azure.bicep first, then the modules. */
export function bicepPaths(): string[] {
  return [join(INFRA_DIR, 'azure.bicep'), ...readdirSync(join(INFRA_DIR, 'modules')).filter((f) => f.endsWith('.bicep')).map((f) => join(INFRA_DIR, 'modules', f))];
}

let parsed: Promise<BicepFile[]> | undefined;
/** All of infra/'s Bicep, parsed once per test file. */
export function allBicep(): Promise<BicepFile[]> {
  parsed ??= Promise.all(bicepPaths().map((p) => parseBicep(p)));
  return parsed;
}
