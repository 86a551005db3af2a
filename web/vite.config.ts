import { defineConfig } from 'vite';

// The SPA is served by `nccs serve --web web/dist`. During development,
// `npm run dev` proxies the API to a running server (NCCS_API, default
// http://127.0.0.1:8080).
declare const process: { env: Record<string, string | undefined> };
const api = process.env.NCCS_API || 'http://127.0.0.1:8080';

export default defineConfig({
  esbuild: { jsx: 'automatic', jsxImportSource: 'preact' },
  build: {
    target: 'es2020',
    outDir: 'dist',
    assetsDir: 'assets',
    modulePreload: { polyfill: false },
    cssCodeSplit: true,
    sourcemap: false,
    reportCompressedSize: false,
  },
  server: {
    host: '127.0.0.1',
    proxy: { '/api': api, '/healthz': api },
  },
  preview: { host: '127.0.0.1', proxy: { '/api': api, '/healthz': api } },
});
