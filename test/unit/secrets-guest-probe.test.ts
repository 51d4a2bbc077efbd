/**
 * The redacting wrapper every extension backend goes through must keep a backend's guest probe
 * (HyperVBackend.nvidiaSmiXml, PowerShell Direct) visible, or the guest check would say a real
 * connection "cannot do that yet"; and what the probe returns or throws is redacted like the rest.
 */
import * as assert from 'node:assert/strict';
import type { Backend } from '../../src/model/backend';
import { isGuestProbe } from '../../src/model/nvidiaSmi';
import { redactingBackend, SecretRedactor } from '../../src/connections/secretRedactor';
import { createScenario, SimBackend, SimWorld } from '../../src/sim';

const PLANTED = 'Pl@nted-Guest-Secret-42';

function simBackend(): Backend {
  return new SimBackend(new SimWorld(createScenario('demo')), 'demo');
}

describe('secrets: the redacting backend keeps the guest probe', () => {
  it('a plain backend stays without a probe', () => {
    assert.equal(isGuestProbe(redactingBackend(simBackend(), new SecretRedactor())), false);
  });

  it('a probing backend keeps nvidiaSmiXml, with answers and errors redacted', async () => {
    const redactor = new SecretRedactor();
    redactor.add(PLANTED);
    const calls: string[] = [];
    const probing = Object.assign(simBackend(), {
      nvidiaSmiXml: async (server: string, vm: string) => {
        calls.push(`${server}/${vm}`);
        if (vm === 'bad') throw new Error(`PowerShell Direct refused for user with password ${PLANTED}`);
        return `<nvidia_smi_log><note>${PLANTED}</note></nvidia_smi_log>`;
      },
    });
    const wrapped = redactingBackend(probing, redactor);
    assert.ok(isGuestProbe(wrapped));
    const xml = await wrapped.nvidiaSmiXml('AZL-N01', 'cad-ws-01');
    assert.ok(!xml.includes(PLANTED) && xml.includes('<nvidia_smi_log>'));
    await assert.rejects(wrapped.nvidiaSmiXml('AZL-N01', 'bad'), (e: Error) => !e.message.includes(PLANTED) && /refused/.test(e.message));
    assert.deepEqual(calls, ['AZL-N01/cad-ws-01', 'AZL-N01/bad']);
  });
});
