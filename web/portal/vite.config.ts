// Vite config for the resident portal's progressive-enhancement scripts: each one file, no
// framework, no hash in its name (the server sends it at /portal/<name>.js), in dist/portal.
// Every portal page works without them; their size counts against the portal's 60 KB budget.
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { defineConfig } from 'vite';

const dir = path.dirname(fileURLToPath(import.meta.url));

export default defineConfig({
  build: {
    outDir: path.resolve(dir, '../../dist/portal'),
    emptyOutDir: true,
    target: 'es2019',
    lib: { entry: path.resolve(dir, 'place.ts'), formats: ['iife'], name: 'civitasPlace', fileName: () => 'place.js', cssFileName: 'place' },
  },
});
