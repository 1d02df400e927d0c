import { requireViewer } from '$lib/auth.server';
import { meetingNow } from '../../meeting.server';
import type { PageServerLoad } from './$types';

/** The current item and its tally, for a projector: read at a distance, following the meeting live. */
export const load: PageServerLoad = async (event) => {
  requireViewer(event);
  return meetingNow(event);
};
