/**
 * Whether a folder holds the four Fashion-MNIST files, by name only (reading and verifying them is
 * dataset.ts's, at Train): what the "Get the data" choice checks before it names a folder in the settings.
 */
import { existingCandidates } from './dataLocation';
import { DATA_FILES, type DataFileSpec } from './dataset';

/** The published names of the files `dir` lacks, in any of their accepted spellings (plain or .gz, dotted or not). */
export async function missingDataFiles(dir: string, specs: readonly DataFileSpec[] = DATA_FILES): Promise<string[]> {
  const found = await Promise.all(specs.map(async (spec) => (await existingCandidates(dir, spec.name)).length > 0));
  return specs.filter((_, i) => !found[i]).map((spec) => spec.name);
}
