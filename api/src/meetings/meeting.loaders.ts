import { entityById, groupedBy } from '../db/entity-loader.js';
import { AgendaFile } from './agenda-file.entity.js';
import { ActionItem, AgendaItem, Decision } from './meeting.entity.js';

export const agendaOfMeeting = groupedBy(AgendaItem, 'meeting', { position: 'asc' });
export const decisionsOfMeeting = groupedBy(Decision, 'meeting', { recordedAt: 'asc' });
export const actionItemsOfMeeting = groupedBy(ActionItem, 'meeting', { dueOn: 'asc', createdAt: 'asc' });
export const agendaItemById = entityById(AgendaItem);
export const filesOfAgendaItem = groupedBy(AgendaFile, 'agendaItem', { uploadedAt: 'asc', id: 'asc' });
