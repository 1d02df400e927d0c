import type { Client } from '@urql/core';
import type { I18nData } from '$lib/i18n/i18n.svelte';
import type { Locale } from '$lib/i18n/locales';
import type { Viewer } from '$lib/viewer';

declare global {
  namespace App {
    interface Locals {
      /** The API, as this visitor (their session cookie goes along). */
      api: Client;
      viewer: Viewer | null;
      locale: Locale;
      timeZone: string | undefined;
      /** A picker's search posted without scripts (`$lib/directory.server`), for the page's load: parameter → text. */
      pickerSearch?: Record<string, string>;
    }
    interface PageData {
      viewer: Viewer | null;
      i18n: I18nData;
    }
    interface Error {
      message: string;
    }
  }
}

export {};
