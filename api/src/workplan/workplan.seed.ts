import type { EntityManager } from '@mikro-orm/postgresql';
import { Viewer } from '../auth/viewer.js';
import { Ballot } from '../ballots/ballot.entity.js';
import type { LocalizedText } from '../i18n/localized-text.js';
import { ActionItem, Meeting, type MeetingKind } from '../meetings/meeting.entity.js';
import { ConsultationRound } from '../rounds/round.entity.js';
import { readSeed, type SeedStep } from '../seed/seed.service.js';
import { ActivityLinkKind, type ActivityStatus } from './workplan.entity.js';
import { addActivity, addObjective, createPlan, linkActivity } from './workplan.service.js';

/** What an activity of the seed links to, named as the demo knows it. */
type SeedLink = { round: string } | { ballot: 'open' | 'closed' } | { meeting: MeetingKind } | { actionItem: string };

interface SeedPlan {
  year: number;
  enteredBy: string;
  title: LocalizedText;
  objectives: Array<{
    title: LocalizedText;
    activities: Array<{ title: LocalizedText; partners: string[]; person: string | null; startsOn: string; endsOn: string; status: ActivityStatus; progress: number; links: SeedLink[] }>;
  }>;
}

/** The id and kind of what a seed link names: a framework's latest round, the open or closed ballot, the meeting of a kind, an action item by its words. */
async function target(em: EntityManager, link: SeedLink): Promise<{ kind: ActivityLinkKind; id: string | undefined }> {
  if ('round' in link) return { kind: ActivityLinkKind.ROUND, id: (await em.findOne(ConsultationRound, { framework: { slug: link.round }, draft: false }, { orderBy: { opensAt: 'desc' } }))?.id };
  if ('ballot' in link) {
    const where = link.ballot === 'closed' ? { closedAt: { $ne: null } } : { closedAt: null, frozenAt: { $ne: null } };
    return { kind: ActivityLinkKind.BALLOT, id: (await em.findOne(Ballot, where, { orderBy: { createdAt: 'asc' } }))?.id };
  }
  if ('meeting' in link) return { kind: ActivityLinkKind.MEETING, id: (await em.findOne(Meeting, { kind: link.meeting }))?.id };
  return { kind: ActivityLinkKind.ACTION_ITEM, id: (await em.findOne(ActionItem, { description: link.actionItem }))?.id };
}

/**
 * The working group's 2012 work plan (`seeds/demo/workplan.json`, after the reference page the
 * project started from), entered through the services the plan's pages use by the demo
 * facilitator, its activities linked to the demo's rounds, ballots, meetings and an action item:
 * so it comes after the meetings.
 */
export const workPlanStep: SeedStep = async (em, state) => {
  const seed = readSeed<SeedPlan>('workplan.json');
  const facilitator = new Viewer(state.users.get(seed.enteredBy) ?? fail(`unknown user ${seed.enteredBy}`), 'seed');
  const plan = await createPlan(em, facilitator, { year: seed.year, title: seed.title });
  let activities = 0;
  let links = 0;
  for (const o of seed.objectives) {
    const objective = await addObjective(em, facilitator, { planId: plan.id, title: o.title });
    for (const a of o.activities) {
      const partnerIds = a.partners.map((key) => state.organizations.get(key)?.id ?? fail(`unknown organization ${key}`));
      const activity = await addActivity(em, facilitator, { objectiveId: objective.id, title: a.title, partnerIds, responsiblePerson: a.person, startsOn: a.startsOn, endsOn: a.endsOn, status: a.status, progress: a.progress });
      activities += 1;
      for (const link of a.links) {
        const { kind, id } = await target(em, link);
        await linkActivity(em, facilitator, { activityId: activity.id, kind, targetId: id ?? fail(`nothing for ${JSON.stringify(link)}`) });
        links += 1;
      }
    }
  }
  return { workPlans: 1, workActivities: activities, workActivityLinks: links };
};

function fail(message: string): never {
  throw new Error(`work plan seed: ${message}`);
}
