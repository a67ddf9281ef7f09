import { defineConfig } from 'vite';

/**
 * Build: static files in dist/ for /play (served by the backend, or any web
 * server with an SPA fallback to index.html). Dev: `yarn start` here proxies
 * the API to the backend on :7007.
 */
export default defineConfig({
  base: '/play/',
  esbuild: { jsx: 'automatic' },
  build: {
    outDir: 'dist',
    emptyOutDir: true,
    target: 'es2020',
    sourcemap: false,
    rollupOptions: {
      // TanStack Query marks its modules "use client" (for React Server
      // Components); meaningless in this client-only bundle.
      onwarn(warning, warn) {
        if (warning.code === 'MODULE_LEVEL_DIRECTIVE') return;
        warn(warning);
      },
    },
  },
  server: {
    port: 3001,
    proxy: { '/api': 'http://localhost:7007' },
  },
});
