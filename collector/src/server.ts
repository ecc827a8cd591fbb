import { parseConfig } from './config.ts';
import { createLogger } from './logger.ts';
import { startCollector } from './runtime.ts';
import { resolveSecret } from './secret-key.ts';

/** The collector process: read the environment, listen, shut down gracefully on SIGTERM/SIGINT. */
const parsed = parseConfig(process.env);
if (!parsed.ok) {
  console.error(parsed.message);
  process.exit(1);
}
const secret = resolveSecret(parsed.config);
if (!secret.ok) {
  console.error(`Invalid configuration:\n  ${secret.message}`);
  process.exit(1);
}
const logger = createLogger(parsed.config.LEADBEAM_LOG_LEVEL);
const collector = await startCollector(parsed.config, logger, secret.secret);

for (const signal of ['SIGTERM', 'SIGINT'] as const) {
  process.once(signal, () => {
    logger.log('info', 'shutting down: finishing in-flight requests', { signal });
    const force = setTimeout(() => process.exit(1), 15_000);
    force.unref();
    collector.close().then(
      () => process.exit(0),
      (error: unknown) => {
        logger.log('error', 'shutdown failed', { error: String(error) });
        process.exit(1);
      },
    );
  });
}
