import type { EntityManager } from '@mikro-orm/postgresql';
import { importRound, type ImportResult } from './round-import.js';

/** Thrown to end the preview's transaction; never leaves this module. */
class PreviewDone extends Error {
  constructor(readonly result: ImportResult) {
    super('preview done');
  }
}

/**
 * What importing the document would load, found by importing it in a transaction that is then
 * rolled back: every check the import makes, the database's constraints included, has run, and
 * nothing stays. (A sequence is not transactional: the numbers the rolled-back audit entries drew
 * are skipped, as after any rolled-back write.)
 */
export async function previewRoundImport(em: EntityManager, document: unknown, actorId: string | null): Promise<ImportResult> {
  const outcome: unknown = await em
    .transactional(async (tx) => {
      throw new PreviewDone(await importRound(tx, document, actorId));
    })
    .catch((err: unknown) => err);
  if (outcome instanceof PreviewDone) return outcome.result;
  throw outcome;
}
