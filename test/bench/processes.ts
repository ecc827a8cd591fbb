/** Child processes of the bench: the collector, the bare HTTP ceiling, the load generator. */
import { type ChildProcess, spawn } from 'node:child_process';
import { readFileSync } from 'node:fs';
import { createServer } from 'node:net';
import { fileURLToPath } from 'node:url';

export const REPO_ROOT = fileURLToPath(new URL('../../', import.meta.url));
const BENCH_DIR = fileURLToPath(new URL('./', import.meta.url));

/** A free TCP port on the loopback interface, picked by the kernel and released for the child. */
export function freePort(): Promise<number> {
  return new Promise((resolve, reject) => {
    const server = createServer();
    server.once('error', reject);
    server.listen(0, '127.0.0.1', () => {
      const address = server.address();
      const port = typeof address === 'object' && address ? address.port : 0;
      server.close(() => resolve(port));
    });
  });
}

/** Runs a TypeScript file of the bench in a fresh node process (tsx loader) and parses its last stdout line. */
export function runScript<T>(file: string, input: unknown): Promise<T> {
  return new Promise((resolve, reject) => {
    const child = spawn(process.execPath, ['--import', 'tsx', `${BENCH_DIR}${file}`, JSON.stringify(input)], {
      cwd: BENCH_DIR,
      stdio: ['ignore', 'pipe', 'pipe'],
    });
    let out = '';
    let err = '';
    child.stdout.on('data', (chunk: Buffer) => {
      out += chunk.toString();
    });
    child.stderr.on('data', (chunk: Buffer) => {
      err += chunk.toString();
    });
    child.on('error', reject);
    child.on('close', (code) => {
      const last = out.trim().split('\n').pop() ?? '';
      if (code !== 0 || !last) reject(new Error(`${file} exited ${code}: ${err.slice(-2000)}`));
      else resolve(JSON.parse(last) as T);
    });
  });
}

export type ServerProcess = {
  url: string;
  pid: number;
  /** Peak and current resident memory of the process, from /proc (MiB). */
  memory(): { peakMiB: number; rssMiB: number } | null;
  stop(): Promise<void>;
};

async function waitForHttp(url: string, child: ChildProcess, output: () => string): Promise<void> {
  const until = Date.now() + 60_000;
  while (Date.now() < until) {
    if (child.exitCode !== null) throw new Error(`server exited ${child.exitCode}: ${output().slice(-2000)}`);
    try {
      const response = await fetch(url);
      if (response.status < 500) return;
    } catch {}
    await new Promise((resolve) => setTimeout(resolve, 100));
  }
  throw new Error(`server at ${url} did not answer in 60 s: ${output().slice(-2000)}`);
}

function readMemory(pid: number) {
  try {
    const status = readFileSync(`/proc/${pid}/status`, 'utf8');
    const kib = (name: string) => Number(new RegExp(`${name}:\\s+(\\d+)`).exec(status)?.[1] ?? Number.NaN);
    return { peakMiB: kib('VmHWM') / 1024, rssMiB: kib('VmRSS') / 1024 };
  } catch {
    return null;
  }
}

/** Starts `node --import tsx <entry>` (cwd `cwd`) with `env`, and waits until `healthPath` answers. */
export async function startServer(options: {
  entry: string;
  cwd: string;
  env: Record<string, string>;
  port: number;
  healthPath: string;
}): Promise<ServerProcess> {
  // LEADBEAM_BENCH_NODE_ARGS: extra node flags for the servers, e.g. `--cpu-prof --cpu-prof-dir=/tmp/prof`.
  const extra = (process.env.LEADBEAM_BENCH_NODE_ARGS ?? '').split(' ').filter(Boolean);
  // The database is the bench's choice alone: a DATABASE_URL of the caller's environment (CI sets
  // one) must not turn a PGlite bench's collector into a PostgreSQL one.
  const { DATABASE_URL: _callersDatabase, ...inherited } = process.env;
  const child = spawn(process.execPath, [...extra, '--import', 'tsx', options.entry], {
    cwd: options.cwd,
    env: { ...inherited, ...options.env, PORT: String(options.port), HOST: '127.0.0.1' },
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  let output = '';
  const keep = (chunk: Buffer) => {
    output = (output + chunk.toString()).slice(-20_000);
  };
  child.stdout?.on('data', keep);
  child.stderr?.on('data', keep);
  const url = `http://127.0.0.1:${options.port}`;
  await waitForHttp(`${url}${options.healthPath}`, child, () => output);
  const pid = child.pid ?? 0;
  return {
    url,
    pid,
    memory: () => readMemory(pid),
    stop: () =>
      new Promise<void>((resolve) => {
        if (child.exitCode !== null) return resolve();
        const force = setTimeout(() => child.kill('SIGKILL'), 20_000);
        child.once('exit', () => {
          clearTimeout(force);
          resolve();
        });
        child.kill('SIGTERM');
      }),
  };
}

/**
 * The collector as it is deployed: `collector/src/server.ts` in its own process. Set
 * LEADBEAM_BENCH_COLLECTOR to another checkout's `collector` folder to measure that one instead
 * (before/after comparisons of the write path).
 */
export async function startCollectorProcess(env: Record<string, string>): Promise<ServerProcess> {
  return startServer({
    entry: 'src/server.ts',
    cwd: process.env.LEADBEAM_BENCH_COLLECTOR ?? `${REPO_ROOT}collector`,
    env: {
      LEADBEAM_SECRET: 'bench-secret-bench-secret-bench-secret-0001',
      LEADBEAM_LOG_LEVEL: 'warn',
      LEADBEAM_RATE_LIMIT_IP: '100000000',
      LEADBEAM_RATE_LIMIT_SITE: '100000000',
      ...env,
    },
    port: await freePort(),
    healthPath: '/healthz',
  });
}
