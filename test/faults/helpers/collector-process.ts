/** The collector as it is deployed, `collector/src/server.ts` in its own process, for the fault tests. */
import { type ChildProcess, spawn } from 'node:child_process';
import { fileURLToPath } from 'node:url';

const COLLECTOR_DIR = fileURLToPath(new URL('../../../collector/', import.meta.url));

export type CollectorProcess = {
  url: string;
  child: ChildProcess;
  output(): string;
  /** Sends a signal and resolves when the process is gone. */
  kill(signal: NodeJS.Signals): Promise<void>;
};

/** Starts `node --import tsx src/server.ts` with `env` on a kernel-picked port and waits for its "listening" line. */
export async function startCollectorProcess(env: Record<string, string>): Promise<CollectorProcess> {
  const child = spawn(process.execPath, ['--import', 'tsx', 'src/server.ts'], {
    cwd: COLLECTOR_DIR,
    env: {
      PATH: process.env.PATH ?? '',
      PORT: '0',
      HOST: '127.0.0.1',
      LEADBEAM_SECRET: 'faults-secret-faults-secret-faults-secret-01',
      LEADBEAM_LOG_LEVEL: 'info',
      LEADBEAM_RATE_LIMIT_IP: '100000000',
      LEADBEAM_RATE_LIMIT_SITE: '100000000',
      ...env,
    },
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  let output = '';
  const url = await new Promise<string>((resolve, reject) => {
    const timer = setTimeout(() => reject(new Error(`no "collector listening" in 45 s:\n${output}`)), 45_000);
    const keep = (chunk: Buffer) => {
      output = (output + chunk.toString()).slice(-50_000);
      const line = output.split('\n').find((l) => l.includes('"collector listening"'));
      if (line) {
        clearTimeout(timer);
        resolve((JSON.parse(line) as { url: string }).url);
      }
    };
    child.stdout?.on('data', keep);
    child.stderr?.on('data', keep);
    child.once('exit', (code, signal) => {
      clearTimeout(timer);
      reject(new Error(`collector exited (${code ?? signal}) before listening:\n${output}`));
    });
  });
  return {
    url,
    child,
    output: () => output,
    kill: (signal) =>
      new Promise<void>((resolve) => {
        if (child.exitCode !== null || child.signalCode !== null) return resolve();
        child.once('exit', () => resolve());
        child.kill(signal);
      }),
  };
}
