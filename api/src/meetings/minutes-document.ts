import type { Readable } from 'node:stream';
import type { EntityManager } from '@mikro-orm/postgresql';
import { drawable } from '../exports/pdf-fonts.js';
import { pdfmake } from '../exports/pdf.export.js';
import { localize } from '../i18n/localized-text.js';
import { messages } from '../i18n/messages.js';
import { Organization } from '../organizations/organization.entity.js';
import { ActionItem, AgendaItem, Decision, type Meeting } from './meeting.entity.js';
import { attendanceCounts } from './meeting.service.js';

const WORDS = ['minutes', 'approved', 'attendance', 'agenda', 'decisions', 'actionItems', 'due', 'noMinutes', 'page', 'of'] as const;

/** The approved minutes as a PDF, in the meeting's language: attendance counts, each item's minutes, its decisions and action items. */
export async function minutesPdf(em: EntityManager, meeting: Meeting): Promise<Readable> {
  const language = meeting.language;
  const l = messages(language, 'meetings.pdf', WORDS);
  const title = localize(meeting.title, [language], language)?.value ?? '';
  const when = (d: Date) => new Intl.DateTimeFormat(language, { dateStyle: 'long', timeStyle: 'short', timeZone: meeting.timeZone }).format(d);
  const [items, decisions, actions, counts] = await Promise.all([
    em.find(AgendaItem, { meeting }, { orderBy: { position: 'asc' } }),
    em.find(Decision, { meeting }, { orderBy: { recordedAt: 'asc' } }),
    em.find(ActionItem, { meeting }, { orderBy: { dueOn: 'asc' } }),
    attendanceCounts(em, meeting.id),
  ]);
  const organizations = new Map((await em.find(Organization, { id: { $in: actions.map((a) => a.responsibleOrganizationId).filter((id): id is string => !!id) } })).map((o) => [o.id, o.name]));
  const content: unknown[] = [
    { text: `${l.minutes}: ${title}`, style: 'h1' },
    { text: `${when(meeting.startsAt)} (${meeting.timeZone})${meeting.place ? ` · ${meeting.place}` : ''}` },
    { text: `${l.approved} ${when(meeting.minutesApprovedAt!)}`, style: 'muted' },
    { text: `${l.attendance} (${counts.total})`, style: 'h2' },
    { ul: counts.byOrganization.map((c) => `${c.label}: ${c.count}`) },
    { text: counts.byCountry.map((c) => `${c.label} ${c.count}`).join(' · '), style: 'muted' },
    { text: l.agenda, style: 'h2' },
  ];
  for (const item of items) {
    content.push({ text: `${item.position}. ${localize(item.title, [language], language)?.value ?? ''}`, style: 'h3' });
    content.push(item.minutes ? { text: item.minutes } : { text: l.noMinutes, style: 'muted' });
    const own = decisions.filter((d) => d.agendaItemId === item.id);
    if (own.length) content.push({ text: l.decisions, style: 'label' }, { ul: own.map((d) => d.text) });
    const todo = actions.filter((a) => a.agendaItemId === item.id);
    if (todo.length) {
      content.push({ text: l.actionItems, style: 'label' }, { ul: todo.map((a) => `${a.description} — ${a.responsiblePerson}${a.responsibleOrganizationId ? ` (${organizations.get(a.responsibleOrganizationId)})` : ''}, ${l.due} ${a.dueOn}`) });
    }
  }
  const document = {
    info: { title: `${l.minutes}: ${title}`, creator: 'Consulta' },
    pageSize: 'A4',
    pageMargins: [48, 56, 48, 56],
    defaultStyle: { font: 'Roboto', fontSize: 10, lineHeight: 1.2 },
    styles: {
      h1: { fontSize: 16, bold: true, margin: [0, 0, 0, 8] },
      h2: { fontSize: 12.5, bold: true, margin: [0, 12, 0, 5] },
      h3: { fontSize: 11, bold: true, margin: [0, 8, 0, 3] },
      label: { bold: true, color: '#444444', margin: [0, 4, 0, 2] },
      muted: { color: '#555555', italics: true },
    },
    footer: (currentPage: number, pageCount: number) => drawable({ text: `${l.page} ${currentPage} ${l.of} ${pageCount}`, alignment: 'center', fontSize: 8, margin: [0, 20, 0, 0] }),
    content: drawable(content),
  };
  const stream = await pdfmake().createPdf(document).getStream();
  stream.end();
  return stream;
}
