import 'reflect-metadata';
import { ConfigError } from '../src/config/app-config';
import { DataDirLockedError } from '../src/database/embedded-postgres';
import { DEMO_DEFAULTS, runDemo } from './demo/demo.runner';

export { runDemo } from './demo/demo.runner';
export type { DemoOptions, DemoResult } from './demo/demo.runner';

const USAGE = `usage: npm run demo [-- --serve] [--clicks N] [--seed N]
  --serve     keep the tracker running after the report, until Ctrl-C
  --clicks N  how many clicks to send (default ${DEMO_DEFAULTS.clicks})
  --seed N    another seed gives other (equally repeatable) traffic (default ${DEMO_DEFAULTS.seed})
Environment: DATABASE_URL (a PostgreSQL server), else DATA_DIR (kept; default: a fresh temporary
folder), ADMIN_API_KEY (default: generated), BASE_URL, LOG_LEVEL (default: warn).
`;

class UsageError extends Error {}

function parseArgs(argv: string[]): { serve: boolean; clicks: number; seed: number } {
  const args = { serve: false, clicks: DEMO_DEFAULTS.clicks, seed: DEMO_DEFAULTS.seed };
  for (let i = 0; i < argv.length; i++) {
    const a = argv[i];
    if (a === '--serve') args.serve = true;
    else if (a === '--clicks' || a === '--seed') {
      const v = argv[++i];
      if (!v || !/^\d{1,9}$/.test(v)) throw new UsageError(`${a} needs a whole number`);
      if (a === '--clicks') args.clicks = Math.max(1, Math.min(Number(v), 100_000));
      else args.seed = Number(v);
    } else if (a === '--help' || a === '-h') {
      process.stdout.write(USAGE);
      process.exit(0);
    } else throw new UsageError(`unknown argument '${a}'`);
  }
  return args;
}

async function main(): Promise<void> {
  const args = parseArgs(process.argv.slice(2));
  const result = await runDemo({ keepServer: args.serve, clicks: args.clicks, seed: args.seed });
  if (result.problems.length) process.exitCode = 1;
  // The listening server keeps the process alive; Ctrl-C runs the app's shutdown hooks.
  if (args.serve) process.stdout.write(`The tracker keeps running at ${result.baseUrl}; Ctrl-C stops it.\n`);
}

if (require.main === module) {
  main().catch((e: unknown) => {
    if (e instanceof UsageError) process.stderr.write(`demo: ${e.message}\n${USAGE}`);
    else if (e instanceof ConfigError || e instanceof DataDirLockedError) process.stderr.write(`demo: ${e.message}\n`);
    else process.stderr.write(`\ndemo failed: ${e instanceof Error ? (e.stack ?? e.message) : String(e)}\n`);
    process.exit(1);
  });
}
