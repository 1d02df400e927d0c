/// <reference types="@sveltejs/kit" />
/// <reference no-default-lib="true"/>
/// <reference lib="esnext" />
/// <reference lib="webworker" />
import { build, files, version } from '$service-worker';
import { KEEP_HEADER, NO_PERSON, PERSON_HEADER, SAVED_AT_HEADER } from '$lib/offline/offline-headers';

/**
 * Keeps what a person opened for reading when the link is gone. Assets (hashed, never changing) are
 * kept as they are fetched; pages the server marks (KEEP_HEADER) are fetched from the network first and
 * kept, one cache per session, served with a "saved copy" notice only when the network fails. A
 * response for another session or for nobody (signed out, session lost) drops every person's copies,
 * so a shared phone never shows one person's pages to the next. Nothing grows without bound: each
 * build's assets have their own cache, dropped once no kept page loads them, and a cache of pages
 * keeps the most recent MAX_PAGES, none older than MAX_AGE_DAYS.
 */
const sw = self as unknown as ServiceWorkerGlobalScope;

const ASSETS_PREFIX = 'assets-';
const ASSETS = ASSETS_PREFIX + version;
/** The one asset cache of the builds before each had its own. */
const FORMER_ASSETS = 'assets';
const PUBLIC = 'pages-public';
const PERSON_PREFIX = 'pages-person-';
const META = 'meta';
const CURRENT = '/__offline/person';
const ASSET_PATHS = new Set([...build, ...files]);
/** Where every build's hashed scripts and styles are. */
const IMMUTABLE = `${new URL(sw.registration.scope).pathname}_app/immutable/`;
/** On a kept page: the build whose scripts and styles it loads. */
const BUILD_HEADER = 'x-consulta-build';
/** Pages (and their data) kept per cache, and for how long: enough for a round read over weeks, not a phone's whole storage. */
const MAX_PAGES = 100;
const MAX_AGE_DAYS = 30;

sw.addEventListener('install', () => void sw.skipWaiting());
sw.addEventListener('activate', (event) => event.waitUntil(Promise.all([sw.clients.claim(), pruneAssets()])));

const isPageCache = (name: string) => name === PUBLIC || name.startsWith(PERSON_PREFIX);

/** Earlier builds' asset caches go, except a build a kept page still loads its scripts and styles from. */
async function pruneAssets() {
  const names = await caches.keys();
  const loaded = new Set([version]);
  for (const name of names.filter(isPageCache)) {
    const cache = await caches.open(name);
    for (const request of await cache.keys()) {
      const build = (await cache.match(request))?.headers.get(BUILD_HEADER);
      if (build) loaded.add(build);
    }
  }
  const gone = (name: string) => name === FORMER_ASSETS || (name.startsWith(ASSETS_PREFIX) && !loaded.has(name.slice(ASSETS_PREFIX.length)));
  await Promise.all(names.filter(gone).map((name) => caches.delete(name)));
}

/** A cache's entries come back oldest kept first (a put replaces an entry at the end): the surplus and the stale go from the front. */
async function bound(cache: Cache) {
  const requests = await cache.keys();
  const oldest = Date.now() - MAX_AGE_DAYS * 86_400_000;
  let drop = Math.max(0, requests.length - MAX_PAGES);
  while (drop < requests.length && Date.parse((await cache.match(requests[drop]))?.headers.get(SAVED_AT_HEADER) ?? '') < oldest) drop++;
  await Promise.all(requests.slice(0, drop).map((request) => cache.delete(request)));
}

/** Each page hands over the assets it loaded; they are copied from the browser's HTTP cache, not downloaded again. */
sw.addEventListener('message', (event) => {
  const data = event.data as { type?: string; urls?: string[] } | null;
  if (data?.type === 'keep-assets' && Array.isArray(data.urls)) {
    const own = data.urls.filter((u) => ASSET_PATHS.has(new URL(u, sw.location.origin).pathname));
    event.waitUntil(caches.open(ASSETS).then((cache) => Promise.all(own.map((u) => cache.match(u).then((hit) => hit ?? cache.add(u).catch(() => undefined))))));
  }
});

sw.addEventListener('fetch', (event) => {
  const request = event.request;
  if (request.method !== 'GET') return;
  const url = new URL(request.url);
  if (url.origin !== sw.location.origin) return;
  // With a link, assets load as they always do (the browser's HTTP cache keeps them: they never change);
  // without one, from the copies kept here.
  if (ASSET_PATHS.has(url.pathname) || url.pathname.startsWith(IMMUTABLE)) {
    if (!sw.navigator.onLine) event.respondWith(keptAsset(request));
  } else if (request.mode === 'navigate' || url.pathname.endsWith('/__data.json')) event.respondWith(networkFirst(request, url, event));
});

/** This build's assets, or an earlier build's that a page kept under it loads. */
async function keptAsset(request: Request): Promise<Response> {
  return (await caches.match(request)) ?? fetch(request);
}

/** The pathname only: the same page whatever its query (SvelteKit's invalidation marks, a highlighted comment). */
const keyOf = (url: URL) => new URL(url.pathname, url.origin).href;

async function currentPerson(): Promise<string | null> {
  const hit = await (await caches.open(META)).match(CURRENT);
  return hit ? hit.text() : null;
}

/** Follows whose session the server says this is; on any change, the previous person's copies go. */
async function follow(person: string): Promise<string | null> {
  const current = await currentPerson();
  if (person === current || (person === NO_PERSON && current === null)) return current;
  const names = await caches.keys();
  await Promise.all(names.filter((n) => n.startsWith(PERSON_PREFIX) && n !== PERSON_PREFIX + person).map((n) => caches.delete(n)));
  const meta = await caches.open(META);
  if (person === NO_PERSON) {
    await meta.delete(CURRENT);
    return null;
  }
  await meta.put(CURRENT, new Response(person));
  return person;
}

const DATA_SUFFIX = '/__data.json';

async function networkFirst(request: Request, url: URL, event: FetchEvent): Promise<Response> {
  let response: Response;
  try {
    response = await fetch(request);
  } catch (err) {
    const saved = await savedCopy(url);
    if (!saved) throw err;
    return request.mode === 'navigate' ? withNotice(saved) : saved;
  }
  // The page goes to the reader at once; keeping a copy happens beside it.
  event.waitUntil(keepCopy(request, url, response.clone()));
  return response;
}

async function keepCopy(request: Request, url: URL, response: Response) {
  const personHeader = response.headers.get(PERSON_HEADER);
  const person = personHeader ? await follow(personHeader) : await currentPerson();
  const keep = response.headers.get(KEEP_HEADER);
  if (keep && response.ok && response.type === 'basic') {
    // A public page read by a signed-in person carries their name in its header: it is kept as theirs.
    const cacheName = person ? PERSON_PREFIX + person : keep === 'public' ? PUBLIC : null;
    if (cacheName) {
      const cache = await caches.open(cacheName);
      await cache.put(keyOf(url), await stamped(response));
      await bound(cache);
      // Opened by a link, the page came as data only: a reload without a link needs its HTML too.
      // With Save-Data, only the first time.
      if (url.pathname.endsWith(DATA_SUFFIX)) {
        const page = new URL(url.pathname.slice(0, -DATA_SUFFIX.length) || '/', url.origin);
        const saving = request.headers.get('save-data') === 'on';
        if (!saving || !(await cache.match(keyOf(page)))) await keepPage(page, cache);
      }
    }
  }
}

async function keepPage(page: URL, cache: Cache) {
  const response = await fetch(page, { credentials: 'same-origin' }).catch(() => null);
  if (response?.ok && response.headers.get(KEEP_HEADER)) await cache.put(keyOf(page), await stamped(response));
}

/** The copy to keep, with when it was fetched. */
async function stamped(response: Response): Promise<Response> {
  const headers = new Headers(response.headers);
  headers.set(SAVED_AT_HEADER, new Date().toISOString());
  headers.set(BUILD_HEADER, version);
  return new Response(await response.blob(), { status: response.status, headers });
}

async function savedCopy(url: URL): Promise<Response | undefined> {
  const person = await currentPerson();
  const own = person ? await (await caches.open(PERSON_PREFIX + person)).match(keyOf(url)) : undefined;
  return own ?? (await (await caches.open(PUBLIC)).match(keyOf(url)));
}

const NOTICE_STYLE = 'display:block;background:#fff4d6;color:#352a00;border-bottom:2px solid #b8860b;padding:0.6rem 1rem;font-weight:600';

const escapeHtml = (s: string) => s.replace(/[&<>"]/g, (c) => ({ '&': '&amp;', '<': '&lt;', '>': '&gt;', '"': '&quot;' })[c]!);

/**
 * The saved page with its notice first in the body, outside the part the scripts take over. The words
 * come from the page itself (its `offline-saved-copy` meta, in the reader's language), the time in the
 * device's zone.
 */
async function withNotice(saved: Response): Promise<Response> {
  const html = await saved.text();
  const savedAt = new Date(saved.headers.get(SAVED_AT_HEADER) ?? Date.now());
  const lang = /<html lang="([^"]+)"/.exec(html)?.[1] ?? 'es';
  const words = /<meta name="offline-saved-copy" content="([^"]*)"/.exec(html)?.[1] ?? 'Saved copy, as of %TIME%';
  const label = /<meta name="offline-saved-copy-label" content="([^"]*)"/.exec(html)?.[1] ?? 'Saved copy';
  const time = new Intl.DateTimeFormat(lang, { dateStyle: 'medium', timeStyle: 'short' }).format(savedAt);
  const stamp = `<time datetime="${savedAt.toISOString()}">${escapeHtml(time)}</time>`;
  const notice =
    `<aside aria-label="${label}" data-saved-copy="${savedAt.toISOString()}" style="${NOTICE_STYLE}">` +
    `<p role="status" style="margin:0 auto;max-width:72rem">${words.replace('%TIME%', stamp)}</p></aside>`;
  const headers = new Headers(saved.headers);
  headers.delete('content-length');
  return new Response(html.replace(/<body([^>]*)>/, `<body$1>${notice}`), { status: 200, headers });
}
