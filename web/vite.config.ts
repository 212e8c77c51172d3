import { defineConfig } from 'vite';
import { ROUTES } from './src/routes.js';

// The JSX of Preact through Vite's own transform (no Babel preset); routes.json tells the server the app's pages.
export default defineConfig({
  root: import.meta.dirname,
  base: '/',
  oxc: { jsx: { runtime: 'automatic', importSource: 'preact' } },
  build: {
    outDir: 'dist',
    emptyOutDir: true,
    target: 'es2022',
    sourcemap: true,
    reportCompressedSize: false,
  },
  // `npx vite web`: the app with hot reload, the API from a running server.
  server: {
    proxy: {
      '^/(events|bookings|venues|me|auth|performers|productions|pay|webhooks|health|ready|metrics|openapi\\.json|docs)(/|$|\\?)': {
        target: process.env.MARQUEE_API ?? 'http://127.0.0.1:3000',
        changeOrigin: false,
      },
    },
  },
  plugins: [
    {
      name: 'marquee-routes',
      generateBundle() {
        this.emitFile({ type: 'asset', fileName: 'routes.json', source: `${JSON.stringify(Object.values(ROUTES))}\n` });
      },
    },
  ],
});
