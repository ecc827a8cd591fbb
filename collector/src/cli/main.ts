import { runCli, UsageError } from './run-cli.ts';

try {
  await runCli(process.argv.slice(2), { out: (line) => console.log(line), env: process.env });
} catch (error) {
  if (error instanceof UsageError) {
    console.error(`leadbeam: ${error.message}`);
    process.exit(2);
  }
  console.error(`leadbeam: ${error instanceof Error ? error.message : String(error)}`);
  process.exit(1);
}
