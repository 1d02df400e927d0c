/**
 * The countries offered at sign-up, the region's first: ISO 3166-1 alpha-2 codes, named in the page's
 * language by the browser's and the server's own Intl data.
 */
export const SIGN_UP_COUNTRIES = [
  'AR', 'BO', 'BR', 'CL', 'CO', 'CR', 'DO', 'EC', 'GT', 'HN', 'HT', 'MX', 'NI', 'PA', 'PE', 'PY', 'SV', 'UY', 'VE',
  'BE', 'CA', 'CH', 'DE', 'ES', 'FR', 'GB', 'IT', 'LU', 'NL', 'PT', 'US',
] as const;

export function countryName(code: string, locale: string): string {
  try {
    return new Intl.DisplayNames([locale], { type: 'region' }).of(code) ?? code;
  } catch {
    return code;
  }
}
