import adapter from '@sveltejs/adapter-node';
import { vitePreprocess } from '@sveltejs/vite-plugin-svelte';

/** @type {import('@sveltejs/kit').Config} */
const config = {
  preprocess: vitePreprocess(),
  compilerOptions: { runes: true },
  kit: {
    adapter: adapter({ out: 'build' }),
    // The pages' Content-Security-Policy: scripts only from the portal, inline ones by nonce (SvelteKit's own and
    // app.html's theme script). connect-src is added per response by hooks.server.ts, since the API's WebSocket
    // origins are run-time configuration. No form-action: adding funds redirects a posted form to the provider.
    csp: {
      mode: 'auto',
      directives: {
        'default-src': ['self'],
        'script-src': ['self'],
        // Svelte and xterm set style attributes and insert <style> elements; styles cannot run code.
        'style-src': ['self', 'unsafe-inline'],
        'img-src': ['self', 'data:'],
        'font-src': ['self'],
        'object-src': ['none'],
        'base-uri': ['self'],
        'frame-ancestors': ['none'],
      },
    },
  },
};

export default config;
