/// <reference types="vitest/config" />
import react from '@vitejs/plugin-react';
import { defineConfig } from 'vite';

// The tracker serves dist/index.html at `/` and dist/assets/* at `/assets/` with a year-long cache:
// every asset name carries a content hash. No inline script (the CSP forbids it), so the module
// preload polyfill stays off.
export default defineConfig({
  plugins: [react()],
  base: '/',
  build: { outDir: 'dist', emptyOutDir: true, assetsDir: 'assets', modulePreload: { polyfill: false }, sourcemap: false, chunkSizeWarningLimit: 800 },
  server: { proxy: { '/api': 'http://localhost:3000', '/c': 'http://localhost:3000' } },
  test: { environment: 'jsdom', globals: true, testTimeout: 60_000, setupFiles: ['./src/test-setup.ts'], include: ['src/**/*.test.{ts,tsx}'] },
});
