import { sveltekit } from '@sveltejs/kit/vite';
import { defineConfig } from 'vite';

// In development the browser sees one origin too: vite forwards the API's paths, as server.js does in production.
const api = process.env.API_URL ?? 'http://127.0.0.1:4000';

export default defineConfig({
  plugins: [sveltekit()],
  server: {
    proxy: {
      '/graphql': { target: api, ws: true },
      '/exports/': { target: api },
    },
  },
});
