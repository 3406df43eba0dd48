// Vite config for the staff web app. The root is this folder (`web/`); the build lands in
// dist/web, which the server serves with a single-page-app fallback.
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import react from '@vitejs/plugin-react';
import { defineConfig } from 'vite';

const webDir = path.dirname(fileURLToPath(import.meta.url));

export default defineConfig({
  root: webDir,
  plugins: [react()],
  build: {
    outDir: path.resolve(webDir, '../dist/web'),
    emptyOutDir: true,
    sourcemap: true,
    rollupOptions: {
      output: {
        // Libraries change less often than the app: separate files cache better.
        manualChunks(id) {
          if (id.includes('/node_modules/zod/')) return 'zod';
          // The charts' library is loaded only by the insights pages (a dynamic import):
          // left to Rollup, it and its d3 modules form their own file fetched on first use.
          if (/\/node_modules\/(@observablehq\/plot|d3(-[a-z]+)*|interval-tree-1d|isoformat|internmap|delaunator|robust-predicates|binary-search-bounds)\//.test(id)) return undefined;
          if (id.includes('/node_modules/')) return 'vendor';
          return undefined;
        },
      },
      onwarn(warning, warn) {
        // zod ships comments Rollup cannot place; harmless, and not ours to fix.
        if (warning.code === 'INVALID_ANNOTATION' && warning.id?.includes('node_modules')) return;
        warn(warning);
      },
    },
  },
  server: {
    proxy: {
      '/api': { target: process.env.CIVITAS_API_URL ?? 'http://localhost:3000', changeOrigin: false },
    },
  },
});
