/**
 * What a model folder holds and what lies beside it while it is being written. One place for the names, so
 * the save, the checks that protect the user's files and the clean-up after an interrupted save agree.
 */
import { basename, dirname, join } from 'node:path';

export const MODEL_FILE = 'model.json';
export const WEIGHTS_FILE = 'weights.bin';
/** The run record: what the tool wrote this model from (parameters, accuracy, data). */
export const RECORD_FILE = 'run.json';
/** Written into every folder the tool saves, imports or exports: proof that the folder is the tool's own. */
export const OWNER_FILE = 'saved-by.json';
export const OWNER_TAG = 'fashion-mnist-trainer';

/** Files a model folder written by this tool may hold; any other entry is someone else's. */
export function isModelFolderEntry(name: string): boolean {
  return name === MODEL_FILE || name === RECORD_FILE || name === OWNER_FILE || /^[^/\\]+\.bin$/.test(name);
}

/** The siblings a save of `target` creates next to it (all hidden, all named after the target). */
export const siblings = {
  /** The new folder being filled: `.NAME.tmp-<tag>`. */
  temp: (target: string, tag: string) => join(dirname(target), `.${basename(target)}.tmp-${tag}`),
  /** The previous folder, moved aside for the moment of the swap: `.NAME.old-<tag>`. */
  backup: (target: string, tag: string) => join(dirname(target), `.${basename(target)}.old-${tag}`),
  /** Held for the whole save; names the save's tag, so a crash can be undone exactly: `.NAME.lock`. */
  lock: (target: string) => join(dirname(target), `.${basename(target)}.lock`),
  /** A lock taken over from a save that died, kept until its leftovers are dealt with. */
  staleLock: (target: string, tag: string) => join(dirname(target), `.${basename(target)}.lock-stale-${tag}`),
  /** A probe of whether the folder can be written. */
  probe: (target: string, tag: string) => join(dirname(target), `.${basename(target)}.probe-${tag}`),
};

/** Which sibling of `target` an entry of its parent folder is, and the save tag in its name. */
export function siblingKind(target: string, entry: string): { kind: 'temp' | 'backup' | 'staleLock' | 'probe'; tag: string } | undefined {
  const prefix = `.${basename(target)}.`;
  if (!entry.startsWith(prefix)) return undefined;
  const match = /^(tmp|old|lock-stale|probe)-(.+)$/.exec(entry.slice(prefix.length));
  if (match === null) return undefined;
  const kinds = { tmp: 'temp', old: 'backup', 'lock-stale': 'staleLock', probe: 'probe' } as const;
  return { kind: kinds[match[1] as keyof typeof kinds], tag: match[2] };
}
