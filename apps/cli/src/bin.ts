#!/usr/bin/env node
// Thin shim: everything testable lives in run(); this only binds the process.
import { run } from './run.ts';

// A reader that stops early (`nv … | head`) closes the pipe: that is the reader's choice, not an error to report.
for (const stream of [process.stdout, process.stderr]) {
  stream.on('error', (error: NodeJS.ErrnoException) => {
    if (error.code === 'EPIPE') process.exit(process.exitCode ?? 0);
    throw error;
  });
}

process.exitCode = await run(process.argv.slice(2), {
  stdout: process.stdout,
  stderr: process.stderr,
  env: process.env,
  // The root `pnpm -s nv` launcher (scripts/nv.mjs) has already moved to the user's folder.
  cwd: process.cwd(),
});
