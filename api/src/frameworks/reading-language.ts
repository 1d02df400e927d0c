import type { RequestContext } from '../context.js';
import type { Locale } from '../users/user.entity.js';

/** The language a text is read in: the one asked for, else the viewer's own, else the source. */
export function readingLanguage(ctx: RequestContext, requested: Locale | null | undefined, source: Locale): Locale {
  return requested ?? ctx.viewer?.user.language ?? source;
}
