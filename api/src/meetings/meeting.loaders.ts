import DataLoader from 'dataloader';
import type { EntityManager } from '@mikro-orm/postgresql';
import { groupedBy } from '../certification/certification.loaders.js';
import { entityById } from '../db/entity-loader.js';
import { AgendaFile } from './agenda-file.entity.js';
import { ActionItem, AgendaItem, Decision } from './meeting.entity.js';

/** A meeting's rows of `entity`, per meeting in key order: one `IN (…)` query per batch. */
function ofMeeting<T extends { meeting: { id: string } }>(entity: new (...args: never[]) => T, orderBy: object) {
  return (em: EntityManager) =>
    new DataLoader<string, T[]>(async (ids) => {
      const rows = await em.find(entity, { meeting: { $in: [...ids] } } as never, { orderBy: orderBy as never });
      const byMeeting = new Map<string, T[]>(ids.map((id) => [id, []]));
      for (const row of rows) byMeeting.get(row.meeting.id)?.push(row);
      return ids.map((id) => byMeeting.get(id)!);
    });
}

export const agendaOfMeeting = ofMeeting(AgendaItem, { position: 'asc' });
export const decisionsOfMeeting = ofMeeting(Decision, { recordedAt: 'asc' });
export const actionItemsOfMeeting = ofMeeting(ActionItem, { dueOn: 'asc', createdAt: 'asc' });
export const agendaItemById = entityById(AgendaItem);
export const filesOfAgendaItem = groupedBy(AgendaFile, 'agendaItem', { uploadedAt: 'asc', id: 'asc' });
