/**
 * Hands the service worker the assets this page has loaded, so it can run its scripts again without a
 * link. The worker copies them from the browser's HTTP cache: no second download.
 */
export async function keepLoadedAssets() {
  if (!('serviceWorker' in navigator)) return;
  const registration = await navigator.serviceWorker.ready;
  const urls = performance.getEntriesByType('resource').map((e) => e.name);
  registration.active?.postMessage({ type: 'keep-assets', urls });
}
