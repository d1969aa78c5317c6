import { fileURLToPath } from 'node:url';
import react from '@vitejs/plugin-react';
import { defineConfig } from 'vite';

const webDir = fileURLToPath(new URL('.', import.meta.url));

/** Matches a package directory under node_modules, whatever the path separator. */
function pkg(pattern: string): RegExp {
  return new RegExp(`[\\\\/]node_modules[\\\\/](${pattern})[\\\\/]`);
}

const ANTD = pkg('antd|@ant-design|@rc-component|@emotion|dayjs|stylis');

export default defineConfig({
  root: webDir,
  plugins: [react()],
  build: {
    outDir: fileURLToPath(new URL('../dist/web', import.meta.url)),
    emptyOutDir: true,
    rolldownOptions: {
      output: {
        // Vendors change less often than the app: separate chunks keep them cached across releases.
        codeSplitting: {
          groups: [
            {
              name: 'react',
              test: pkg('react|react-dom|scheduler|react-router|cookie|set-cookie-parser'),
              priority: 3,
            },
            { name: 'icons', test: pkg('@ant-design[\\\\/]icons|@ant-design[\\\\/]icons-svg'), priority: 2 },
            // What the shell (layout, providers) needs from antd loads up front…
            { name: 'antd', test: ANTD, priority: 1, tags: ['$initial'] },
            // …the rest splits by the lazily loaded pages that use it (date pickers only with the form).
            { name: 'antd-pages', test: ANTD, entriesAware: true, entriesAwareMergeThreshold: 30_000 },
          ],
        },
      },
    },
  },
  server: {
    proxy: { '/api': 'http://localhost:3000' },
  },
});
