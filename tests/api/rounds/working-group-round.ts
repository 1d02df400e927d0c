import { Framework } from '../../../api/src/frameworks/framework.entity.js';
import { Organization } from '../../../api/src/organizations/organization.entity.js';
import { demo, type TestApi } from '../../support/api.js';

/** The working group's member networks, whose members (demo.member, member2, member3) are its audience. */
export const WORKING_GROUP_NETWORKS = ['REDCAMIF', 'RFR', 'COPEME'];

export interface WorkingGroupRound {
  roundId: string;
  /** A pinned indicator and its version. */
  indicatorId: string;
  versionId: string;
  /** A top-level comment by REDCAMIF's member. */
  commentId: string;
}

const made = new WeakMap<TestApi, Promise<WorkingGroupRound>>();

/**
 * An open round on the demo's SPWG framework for the working group only (its three networks, by
 * organization), holding one comment by REDCAMIF's member; made once per test API. The demo's
 * stakeholders (an MFI in Peru, a rating agency) are outside it.
 */
export function workingGroupRound(api: TestApi): Promise<WorkingGroupRound> {
  let round = made.get(api);
  if (!round) {
    round = make(api);
    made.set(api, round);
  }
  return round;
}

async function make(api: TestApi): Promise<WorkingGroupRound> {
  const em = api.db.orm.em.fork();
  const networks = await em.find(Organization, { acronym: { $in: WORKING_GROUP_NETWORKS } });
  const framework = await em.findOneOrFail(Framework, { slug: 'spwg-lac-certification' });
  const facilitator = await api.as(demo.facilitator);
  const { createRound } = await facilitator.data(
    `mutation($input: CreateRoundInput!) { createRound(input: $input) { id indicators { indicator { id } indicatorVersion { id } } } }`,
    {
      input: {
        frameworkId: framework.id,
        title: { es: 'Ronda del grupo de trabajo', en: 'Working-group round' },
        opensAt: new Date(Date.now() - 3600_000).toISOString(),
        closesAt: new Date(Date.now() + 30 * 86_400_000).toISOString(),
        audience: { all: false, organizationIds: networks.map((n) => n.id), countries: [] },
      },
    },
  );
  const [pinned] = createRound.indicators;
  const member = await api.as(demo.member);
  const { addComment } = await member.data(`mutation($input: AddCommentInput!) { addComment(input: $input) { id } }`, {
    input: { roundId: createRound.id, targetKind: 'INDICATOR_VERSION', targetId: pinned.indicatorVersion.id, type: 'TECHNICAL', body: 'Solo para el grupo de trabajo: falta la fuente del dato.' },
  });
  return { roundId: createRound.id, indicatorId: pinned.indicator.id, versionId: pinned.indicatorVersion.id, commentId: addComment.id };
}
