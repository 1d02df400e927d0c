import type { EntityManager } from '@mikro-orm/postgresql';
import type { Viewer } from '../auth/viewer.js';
import type ExcelJS from 'exceljs';
import { localize } from '../i18n/localized-text.js';
import { message, messages } from '../i18n/messages.js';
import { Locale } from '../users/user.entity.js';
import { ActivityStatus, type WorkPlan } from './workplan.entity.js';
import { activitiesOfObjective, linksOfActivity, objectivesOfPlan, partnersOfActivity, targetOfLink, type PlanLoader } from './workplan.loaders.js';
import { labelFor } from './workplan.read.js';
import { isOverdue } from './workplan.service.js';

const COLUMNS = ['code', 'objective', 'activity', 'partners', 'person', 'startsOn', 'endsOn', 'status', 'progress', 'overdue', 'links'] as const;
const WIDTHS: Record<(typeof COLUMNS)[number], number> = { code: 8, objective: 36, activity: 48, partners: 28, person: 24, startsOn: 12, endsOn: 12, status: 14, progress: 10, overdue: 10, links: 60 };

/**
 * The plan as a workbook in `language`: one row per activity under its objective, dates as real
 * dates, progress as a percentage, overdue by the clock at the time of the download, and what each
 * activity links to (label and address, as `viewer` may read it). Read through the loaders the GraphQL fields use.
 */
export async function workPlanWorkbook(em: EntityManager, viewer: Viewer, plan: WorkPlan, language: Locale, publicUrl: string): Promise<ExcelJS.Workbook> {
  const { default: excel } = await import('exceljs');
  const heading = messages(language, 'workplan.column', COLUMNS);
  const status = messages(language, 'workplan.status', Object.values(ActivityStatus));
  const yes = message(language, 'workplan.overdue');
  const reading = [language];
  const read = <K, V>(factory: PlanLoader<K, V>) => (keys: readonly K[]) => {
    const loader = factory(em);
    return Promise.all(keys.map((k) => loader.load(k)));
  };

  const workbook = new excel.Workbook();
  workbook.creator = 'Consulta';
  const sheet = workbook.addWorksheet(String(plan.year), { views: [{ state: 'frozen', ySplit: 2 }] });
  sheet.columns = COLUMNS.map((key) => ({ key, width: WIDTHS[key] }));
  sheet.addRow([localize(plan.title, reading, Locale.ES)?.value ?? String(plan.year)]).font = { bold: true, size: 14 };
  const header = sheet.addRow(COLUMNS.map((c) => heading[c]));
  header.font = { bold: true };
  sheet.autoFilter = { from: { row: 2, column: 1 }, to: { row: 2, column: COLUMNS.length } };

  const [objectives] = await read(objectivesOfPlan)([plan.id]);
  const activities = await read(activitiesOfObjective)(objectives.map((o) => o.id));
  const all = activities.flat();
  const [partners, links] = await Promise.all([read(partnersOfActivity)(all.map((a) => a.id)), read(linksOfActivity)(all.map((a) => a.id))]);
  const targets = await read(targetOfLink)(links.flat());
  const labels = await Promise.all(targets.map((t) => (t ? labelFor(t, viewer, reading) : '')));
  const targetOf = new Map(links.flat().map((l, i) => [l.id, targets[i] && { path: targets[i].path, label: labels[i] }]));
  const now = new Date();
  let index = 0;
  objectives.forEach((objective, o) => {
    for (const activity of activities[o]) {
      const i = index++;
      const row = sheet.addRow({
        code: `${objective.position}.${activity.position}`,
        objective: localize(objective.title, reading, Locale.ES)?.value ?? '',
        activity: localize(activity.title, reading, Locale.ES)?.value ?? '',
        partners: partners[i].map((p) => p.acronym ?? p.name).join(', '),
        person: activity.responsiblePerson ?? '',
        startsOn: new Date(`${activity.startsOn}T00:00:00Z`),
        endsOn: new Date(`${activity.endsOn}T00:00:00Z`),
        status: status[activity.status],
        progress: activity.progress / 100,
        overdue: isOverdue(activity, now) ? yes : '',
        links: links[i].map((l) => {
          const target = targetOf.get(l.id);
          return target ? `${target.label} <${publicUrl}${target.path}>` : '';
        }).filter(Boolean).join('\n'),
      });
      row.getCell('startsOn').numFmt = 'yyyy-mm-dd';
      row.getCell('endsOn').numFmt = 'yyyy-mm-dd';
      row.getCell('progress').numFmt = '0%';
      row.alignment = { wrapText: true, vertical: 'top' };
    }
  });
  return workbook;
}
