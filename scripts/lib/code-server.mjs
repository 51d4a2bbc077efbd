// Starting code-server (a real VS Code 1.139.1 in the browser) for `npm start`, the extension-host
// launcher and the Playwright harness. One place for the recipe in /work/shared/docs/e2e.md:
// fresh user-data/extensions folders, quiet offline settings, --config always passed, /healthz polling.
import { spawn, spawnSync } from 'node:child_process';
import { createWriteStream, mkdirSync, rmSync, writeFileSync, existsSync } from 'node:fs';
import net from 'node:net';
import path from 'node:path';
import { fileURLToPath } from 'node:url';

export const ROOT = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..', '..');
export const VSIX = path.join(ROOT, 'dist', 'azure-local-gpu-partitions.vsix');

/** Settings that keep an offline workbench quiet (e2e.md "Starting it"). */
export const QUIET_SETTINGS = {
  'workbench.startupEditor': 'none',
  'workbench.secondarySideBar.defaultVisibility': 'hidden',
  'chat.disableAIFeatures': true,
  'telemetry.telemetryLevel': 'off',
  'update.mode': 'none',
  'extensions.autoCheckUpdates': false,
  'extensions.autoUpdate': false,
  'extensions.ignoreRecommendations': true,
  'security.workspace.trust.enabled': false,
  'workbench.enableExperiments': false,
  'workbench.tips.enabled': false,
  // Run folders live inside this repo's .cache: without this, the git extension asks to open the parent repo.
  'git.openRepositoryInParentFolders': 'never',
};

/** The demo connection (names.md "Connection settings"). */
export const DEMO_CLUSTERS = [{ name: 'demo', kind: 'sim', scenario: 'demo' }];

export function demoSettings(extra = {}) {
  return { ...QUIET_SETTINGS, 'gpuPartitions.clusters': DEMO_CLUSTERS, ...extra };
}

/** A TCP port nobody listens on right now (for parallel-safe test servers). */
export function freePort() {
  return new Promise((resolve, reject) => {
    const s = net.createServer();
    s.unref();
    s.on('error', reject);
    s.listen(0, '127.0.0.1', () => {
      const { port } = s.address();
      s.close(() => resolve(port));
    });
  });
}

/**
 * Creates a fresh run folder: <runDir>/{ud/User/settings.json, exts, workspace, config.yaml}.
 * Everything previously in runDir is removed (a run never inherits state).
 */
export function prepareRunDir(runDir, { settings = demoSettings(), fresh = true } = {}) {
  if (fresh) rmSync(runDir, { recursive: true, force: true });
  const dirs = {
    runDir,
    userDataDir: path.join(runDir, 'ud'),
    extensionsDir: path.join(runDir, 'exts'),
    workspace: path.join(runDir, 'workspace'),
    config: path.join(runDir, 'config.yaml'),
    log: path.join(runDir, 'server.log'),
  };
  mkdirSync(path.join(dirs.userDataDir, 'User'), { recursive: true });
  mkdirSync(dirs.extensionsDir, { recursive: true });
  mkdirSync(dirs.workspace, { recursive: true });
  writeFileSync(path.join(dirs.userDataDir, 'User', 'settings.json'), JSON.stringify(settings, null, 2) + '\n');
  // Without --config code-server writes ~/.config/code-server/config.yaml with a password on every call.
  writeFileSync(dirs.config, 'bind-addr: 127.0.0.1:8080\nauth: none\ncert: false\n');
  if (!existsSync(path.join(dirs.workspace, 'README.md'))) {
    writeFileSync(
      path.join(dirs.workspace, 'README.md'),
      '# GPU Partitions demo workspace\n\nOpen the GPU Partitions view in the activity bar: the `demo` connection shows the simulated cluster azl-demo.\n',
    );
  }
  return dirs;
}

function serverEnv(vs, extraEnv = {}) {
  return {
    ...process.env,
    PATH: `${path.dirname(vs.node)}${path.delimiter}${process.env.PATH}`,
    TMPDIR: vs.tmpDir,
    ...extraEnv,
  };
}

/**
 * Installs a .vsix into dirs.extensionsDir with code-server's CLI (same as `code --install-extension`).
 * GPUP_VSIX overrides the default dist/azure-local-gpu-partitions.vsix.
 */
export function installVsix(vs, dirs, vsix = process.env.GPUP_VSIX || VSIX) {
  if (!existsSync(vsix)) throw new Error(`${vsix} not found: run \`npm run package\` first`);
  const r = spawnSync(
    vs.node,
    [vs.codeServerEntry, '--config', dirs.config, '--user-data-dir', dirs.userDataDir, '--extensions-dir', dirs.extensionsDir, '--install-extension', vsix, '--force'],
    { encoding: 'utf8', env: serverEnv(vs), timeout: 120_000 },
  );
  if (r.status !== 0) {
    throw new Error(`--install-extension failed (${r.status}): ${r.stdout}\n${r.stderr}`);
  }
  return r.stdout.trim();
}

async function waitHealthy(url, proc, timeoutMs) {
  const deadline = Date.now() + timeoutMs;
  while (Date.now() < deadline) {
    if (proc.exitCode !== null) throw new Error(`code-server exited early with code ${proc.exitCode}`);
    try {
      const r = await fetch(new URL('/healthz', url));
      if (r.ok) return;
    } catch {
      // not listening yet
    }
    await new Promise((r) => setTimeout(r, 150));
  }
  throw new Error(`code-server did not answer ${url}healthz within ${timeoutMs} ms`);
}

/**
 * Starts code-server on 127.0.0.1:<port> serving dirs.workspace; resolves when /healthz answers.
 * opts.smokeTestDriver: adds `--vscode-option enable-smoke-test-driver` (needed for the URL payload
 * of extension-host tests; it also suppresses notification toasts, so UI tests leave it off).
 * opts.echo: also copy the server's output to this process's stderr.
 * Returns { url, port, proc, stop() }; stop() sends SIGTERM (the server ends its children) and waits.
 */
export async function startCodeServer(vs, dirs, { port, smokeTestDriver = false, echo = false, extraArgs = [], env = {}, timeoutMs = 60_000, workspaceTrust = false } = {}) {
  port ??= await freePort();
  const args = [
    vs.codeServerEntry,
    '--config', dirs.config,
    '--user-data-dir', dirs.userDataDir,
    '--extensions-dir', dirs.extensionsDir,
    '--bind-addr', `127.0.0.1:${port}`,
    '--auth', 'none',
    '--disable-telemetry',
    '--disable-update-check',
    // opts.workspaceTrust: keep VS Code's workspace trust on (the untrusted-workspace test, issue 7).
    ...(workspaceTrust ? [] : ['--disable-workspace-trust']),
    '--disable-getting-started-override',
    // Without it the extension host lingers for hours after the browser leaves (e2e.md).
    '--reconnection-grace-time', '5',
    ...(smokeTestDriver ? ['--vscode-option', 'enable-smoke-test-driver'] : []),
    ...extraArgs,
    dirs.workspace,
  ];
  const logStream = createWriteStream(dirs.log, { flags: 'a' });
  const proc = spawn(vs.node, args, { env: serverEnv(vs, env), stdio: ['ignore', 'pipe', 'pipe'] });
  for (const s of [proc.stdout, proc.stderr]) {
    s.on('data', (d) => {
      logStream.write(d);
      if (echo) process.stderr.write(d);
    });
  }
  const exited = new Promise((resolve) => proc.once('exit', (code, signal) => resolve(code ?? signal)));
  const url = `http://127.0.0.1:${port}/`;
  const stop = async () => {
    if (proc.exitCode === null && proc.signalCode === null) {
      proc.kill('SIGTERM');
      const t = setTimeout(() => proc.kill('SIGKILL'), 5000);
      await exited;
      clearTimeout(t);
    }
    logStream.end();
  };
  try {
    await waitHealthy(url, proc, timeoutMs);
  } catch (e) {
    await stop();
    throw e;
  }
  return { url, port, proc, stop, exited };
}
