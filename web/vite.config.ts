import { sveltekit } from '@sveltejs/kit/vite';
import { defineConfig, type Plugin } from 'vite';

// In development the browser sees one origin too: vite forwards the API's paths, as server.js does in production.
const api = process.env.API_URL ?? 'http://127.0.0.1:4000';

/**
 * Marks the browser's chunks for eager compilation: Chromium then compiles them on a background thread while they
 * download, instead of function by function on the main thread while the page hydrates — the main cost of a phone's
 * first visits. Nearly all of this code runs on load (the runtimes, the page, its components); other browsers ignore
 * the comment.
 */
function compileHints(): Plugin {
  return {
    name: 'consulta:compile-hints',
    apply: 'build',
    // After minification, which would drop the comment.
    generateBundle(_options, bundle) {
      if (this.environment.config.consumer !== 'client') return;
      for (const chunk of Object.values(bundle)) {
        if (chunk.type === 'chunk') chunk.code = `//# allFunctionsCalledOnLoad\n${chunk.code}`;
      }
    },
  };
}

export default defineConfig({
  plugins: [sveltekit(), compileHints()],
  server: {
    proxy: {
      '/graphql': { target: api, ws: true },
      '/exports/': { target: api },
    },
  },
});
