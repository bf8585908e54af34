#!/usr/bin/env node
// Thin shim: everything testable lives in run(); this only binds the process.
import { run } from './run.ts';

process.exitCode = await run(process.argv.slice(2), {
  stdout: process.stdout,
  stderr: process.stderr,
  env: process.env,
  cwd: process.cwd(),
});
