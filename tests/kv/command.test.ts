import { describe, expect, it } from 'vitest';
import { decodeCommand, encodeCommand, KvStateMachine, proposedLeaseRequest, type Command } from '../../src/kv/index.ts';

describe('commands as entry data', () => {
  const commands: Command[] = [
    { clientId: 'c1', requestId: 1, request: { do: 'put', key: 'a', value: '1', lease: '1f', prevKv: true } },
    { clientId: 'c1', requestId: 2, request: { do: 'get', key: 'a', rangeEnd: '\0', revision: 3, limit: 2, countOnly: false } },
    { clientId: 'c1', requestId: 3, request: { do: 'delete', key: 'a', prefix: true, prevKv: true } },
    {
      clientId: 'c2', requestId: 1, request: {
        do: 'txn',
        compare: [{ key: 'a', target: 'value', op: '=', value: 'x' }, { key: 'a', target: 'lease', op: '!=', value: '0' }],
        success: [{ put: { key: 'a', value: 'y' } }, { get: { key: 'a' } }],
        failure: [{ delete: { key: 'a' } }],
      },
    },
    { clientId: '', requestId: 0, request: { do: 'grant', id: '694d77aa9e38260f', ttlMs: 5000 } },
    { clientId: '', requestId: 0, request: { do: 'revoke', id: '694d77aa9e38260f' } },
    { clientId: '', requestId: 0, request: { do: 'compact', revision: 5 } },
  ];

  it('round-trips every kind of command', () => {
    for (const command of commands) {
      const decoded = decodeCommand(encodeCommand(command));
      expect(decoded.ok && JSON.parse(JSON.stringify(decoded.result))).toEqual(command);
    }
  });

  const bad: [unknown, string][] = [
    [{ clientId: 1, requestId: 1, request: { do: 'put', key: 'a', value: '1' } }, 'clientId must be a string'],
    [{ clientId: 'c', requestId: -1, request: { do: 'put', key: 'a', value: '1' } }, 'requestId must be an integer >= 0'],
    [{ clientId: 'c', requestId: 1, request: { do: 'put', key: '', value: '1' } }, 'request.key must not be empty'],
    [{ clientId: 'c', requestId: 1, request: { do: 'put', key: 'a', value: 1 } }, 'request.value must be a string'],
    [{ clientId: 'c', requestId: 1, request: { do: 'put', key: 'a', value: '1', lease: 'L1' } }, 'request.lease must be a lease id'],
    [{ clientId: 'c', requestId: 1, request: { do: 'put', key: 'a', value: '1', lease: '01' } }, 'request.lease must be a lease id'],
    [{ clientId: 'c', requestId: 1, request: { do: 'get', key: '' } }, 'request.key must not be empty without prefix or rangeEnd'],
    [{ clientId: 'c', requestId: 1, request: { do: 'grant', id: '0', ttlMs: 5 } }, 'request.id must not be "0"'],
    [{ clientId: 'c', requestId: 1, request: { do: 'grant', id: '5', ttlMs: 0 } }, 'request.ttlMs must be an integer >= 1'],
    [{ clientId: 'c', requestId: 1, request: { do: 'compact', revision: 0 } }, 'request.revision must be an integer >= 1'],
    [{ clientId: 'c', requestId: 1, request: { do: 'watch' } }, 'request.do must be one of'],
    [{ clientId: 'c', requestId: 1, request: { do: 'txn', compare: [{ key: 'a', target: 'size', op: '=', value: 1 }] } }, 'request.compare[0].target must be one of'],
    [{ clientId: 'c', requestId: 1, request: { do: 'txn', compare: [{ key: 'a', target: 'version', op: '=', value: '1' }] } }, 'request.compare[0].value must be an integer'],
    [{ clientId: 'c', requestId: 1, request: { do: 'txn', success: [{ put: { key: 'a', value: '1' }, get: { key: 'a' } }] } }, 'request.success[0] must have exactly one of put, get, delete'],
    [{ clientId: 'c', requestId: 1, request: { do: 'txn', failure: [{ delete: { key: 'a', prevKv: 'yes' } }] } }, 'request.failure[0].delete.prevKv must be a boolean'],
  ];
  for (const [command, message] of bad) {
    it(`rejects a command whose ${message.split(' ')[0]} is wrong, naming the field`, () => {
      const decoded = decodeCommand(JSON.stringify(command));
      expect(decoded.ok).toBe(false);
      expect(!decoded.ok && decoded.error).toContain(`invalid command: ${message}`);
    });
  }

  it('applies empty entries and entries that are not commands as no-ops, the same on every replica', () => {
    const sm = new KvStateMachine();
    const before = sm.digest();
    expect(sm.applyEntryData(null, { index: 1, nowMs: 0 }).outcome).toEqual({ ok: true, result: { header: { revision: 1 } } });
    expect(sm.applyEntryData('set x=1', { index: 2, nowMs: 0 }).outcome).toEqual({ ok: false, error: 'invalid command: entry data is not JSON' });
    expect(sm.digest()).toBe(before);
    expect(sm.appliedIndex).toBe(2);
  });

  it('refuses to apply an entry twice or out of order', () => {
    const sm = new KvStateMachine();
    sm.applyEntryData(null, { index: 3, nowMs: 0 });
    expect(() => sm.applyEntryData(null, { index: 3, nowMs: 0 })).toThrow(/in log order/);
  });

  it('carries a lease command\'s proposer and name after the request\'s fields, as the log always has', () => {
    const grant = proposedLeaseRequest({ do: 'grant', id: '1f', ttlMs: 5000 }, 2, 'session');
    const revoke = proposedLeaseRequest({ do: 'revoke', id: '1f' }, 3);
    expect(encodeCommand({ clientId: 'c', requestId: 1, request: grant }))
      .toBe('{"clientId":"c","requestId":1,"request":{"do":"grant","id":"1f","ttlMs":5000,"by":2,"name":"session"}}');
    expect(encodeCommand({ clientId: '', requestId: 0, request: revoke }))
      .toBe('{"clientId":"","requestId":0,"request":{"do":"revoke","id":"1f","by":3}}');
  });

  it('decodes a lease command\'s proposer and name with the command, and rejects malformed ones', () => {
    const decoded = decodeCommand('{"clientId":"c","requestId":1,"request":{"do":"grant","id":"1f","ttlMs":5000,"by":2,"name":"session"}}');
    expect(decoded.ok && decoded.result.request).toEqual({ do: 'grant', id: '1f', ttlMs: 5000, by: 2, name: 'session' });
    const unnamed = decodeCommand('{"clientId":"","requestId":0,"request":{"do":"revoke","id":"1f"}}');
    expect(unnamed.ok && Object.keys(unnamed.result.request)).toEqual(['do', 'id']);
    const badBy = decodeCommand('{"clientId":"","requestId":0,"request":{"do":"revoke","id":"1f","by":"n1"}}');
    expect(!badBy.ok && badBy.error).toContain('invalid command: request.by must be an integer >= 1');
    const badName = decodeCommand('{"clientId":"c","requestId":1,"request":{"do":"grant","id":"1f","ttlMs":5,"name":7}}');
    expect(!badName.ok && badName.error).toContain('invalid command: request.name must be a string');
  });
});
