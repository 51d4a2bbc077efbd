/**
 * Issue 7: `gpup set-count | assign | unassign` ask on a terminal (the plan, then "[y/N]") and need
 * --yes when stdin is not a TTY (exit 2, telling to pass --yes). Declining changes nothing.
 */
import * as assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { run, type CliIo } from '../../src/cli/commands';
import { confirmationText, type Prompter } from '../../src/cli/confirm';
import { createScenario, saveState, SimBackend, SimWorld } from '../../src/sim';
import { buildCli, expectCode, gpup, tempDir } from './cli-harness';

function io(prompter?: Prompter): CliIo & { out: string; err: string } {
  const o = { out: '', err: '', prompter, stdout: (t: string) => void (o.out += t), stderr: (t: string) => void (o.err += t) };
  return o;
}

/** A terminal that answers `answer` and remembers the questions. */
function terminal(answer: string): Prompter & { questions: string[] } {
  const questions: string[] = [];
  return { questions, ask: async (q) => (questions.push(q), answer) };
}

describe('safety: CLI confirmation', () => {
  let tmp: ReturnType<typeof tempDir>;
  let file: string;
  beforeEach(() => {
    tmp = tempDir();
    file = tmp.file('state.json');
    saveState(file, createScenario('demo'));
  });
  afterEach(() => tmp.dispose());

  it('asks "Turn off and restart these VMs? [y/N]" listing the running VM; "n" changes nothing (exit 1)', async () => {
    const before = readFileSync(file, 'utf8');
    const t = terminal('n');
    const r = io(t);
    const code = await run(['assign', '--sim', file, '--server', 'AZL-N01', '--vm', 'cad-ws-02'], r);
    assert.equal(code, 1, r.err);
    assert.deepEqual(t.questions, ['Turn off and restart these VMs? [y/N] ']);
    assert.match(r.err, /These running VMs will be turned off and on again:\n {2}AZL-N01\/cad-ws-02/);
    assert.match(r.err, /Nothing was changed/);
    assert.equal(readFileSync(file, 'utf8'), before);
  });

  it('"y" runs it (exit 0) and the state changes', async () => {
    const before = readFileSync(file, 'utf8');
    const t = terminal('y');
    const r = io(t);
    assert.equal(await run(['assign', '--sim', file, '--server', 'AZL-N01', '--vm', 'cad-ws-02'], r), 0, r.err);
    assert.equal(t.questions.length, 1);
    assert.notEqual(readFileSync(file, 'utf8'), before);
  });

  it('set-count asks with the GPUs that change; an empty answer is no', async () => {
    const t = terminal('');
    const r = io(t);
    assert.equal(await run(['set-count', '--sim', file, '--server', 'AZL-N02', '--count', '8'], r), 1);
    assert.deepEqual(t.questions, ['Apply these changes? [y/N] ']);
    assert.match(r.err, /These GPUs change to 8 partitions:\n {2}AZL-N02: /);
  });

  it('--yes does not ask; --what-if does not ask', async () => {
    const t = terminal('n');
    assert.equal(await run(['unassign', '--sim', file, '--server', 'AZL-N01', '--vm', 'render-01', '--what-if'], io(t)), 0);
    assert.equal(await run(['unassign', '--sim', file, '--server', 'AZL-N01', '--vm', 'render-01', '--yes'], io(t)), 0);
    assert.deepEqual(t.questions, []);
  });

  it('without a terminal and without --yes: exit 2, says to pass --yes, changes nothing', async () => {
    const before = readFileSync(file, 'utf8');
    for (const argv of [
      ['set-count', '--sim', file, '--server', 'AZL-N01', '--count', '8'],
      ['assign', '--sim', file, '--server', 'AZL-N01', '--vm', 'cad-ws-02'],
      ['unassign', '--sim', file, '--server', 'AZL-N01', '--vm', 'render-01'],
    ]) {
      const r = io();
      assert.equal(await run(argv, r), 2, argv.join(' '));
      assert.match(r.err, /Pass --yes/);
    }
    assert.equal(readFileSync(file, 'utf8'), before);
  });

  it('the built gpup with piped stdin (not a TTY) exits 2 without --yes', async function () {
    this.timeout(60_000);
    await buildCli();
    const before = readFileSync(file, 'utf8');
    const r = expectCode(gpup('assign', '--sim', file, '--server', 'AZL-N01', '--vm', 'cad-ws-02'), 2);
    assert.match(r.stderr, /Pass --yes/);
    assert.equal(readFileSync(file, 'utf8'), before);
    expectCode(gpup('assign', '--sim', file, '--server', 'AZL-N01', '--vm', 'cad-ws-02', '--yes'), 0);
  });

  it('confirmationText lists every item with its steps', async () => {
    const w = new SimWorld(createScenario('demo'));
    const plan = await new SimBackend(w, 'demo').plan({ kind: 'assign', server: 'AZL-N01', vms: ['cad-ws-02', 'archive-01'], forceShutdownOfflineAction: false });
    const text = confirmationText(plan);
    assert.match(text, /AZL-N01\/cad-ws-02: stop-vm, add-adapter, start-vm/);
  });
});
