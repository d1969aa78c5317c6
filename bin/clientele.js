#!/usr/bin/env node
import { existsSync } from 'node:fs';

const entry = new URL('../dist/server/cli/entry.js', import.meta.url);
if (!existsSync(entry)) {
  process.stderr.write('Clientele 尚未构建，请先运行 npm install（或 npm run build）\n');
  process.stderr.write('Clientele is not built yet: run npm install (or npm run build) first\n');
  process.exit(1);
}
await import(entry.href);
