import { defineConfig } from 'vite';
import react from '@vitejs/plugin-react';
import { fileURLToPath } from 'node:url';

/**
 * Builds the renderer (the face) into dist/renderer. The window and browser mode enforce a strict
 * CSP (`script-src 'self'`), so the built index.html must carry no inline script: the entry is one
 * external module and the module-preload polyfill (an inline helper in some setups) is off.
 */
export default defineConfig({
  root: fileURLToPath(new URL('./renderer', import.meta.url)),
  base: './',
  plugins: [react()],
  build: {
    outDir: fileURLToPath(new URL('./dist/renderer', import.meta.url)),
    emptyOutDir: true,
    modulePreload: { polyfill: false },
    // No data: URLs for assets: every file is served from 'self'.
    assetsInlineLimit: 0,
    sourcemap: false,
    target: 'es2022',
  },
  server: { host: '127.0.0.1', strictPort: true },
});
