import { describe, expect, it } from 'vitest';
import { decideIdentity } from './decide-identity.ts';

describe('decideIdentity', () => {
  it('lets an anonymous lead take an email nobody has', () => {
    expect(decideIdentity({ id: 'a', email: null }, null, 'jane@acme.test')).toEqual({ kind: 'claim' });
  });

  it('merges an anonymous lead into the lead that already has the email', () => {
    expect(decideIdentity({ id: 'a', email: null }, { id: 'b' }, 'jane@acme.test')).toEqual({
      kind: 'merge',
      into: 'b',
    });
  });

  it('treats a replayed identify as nothing new', () => {
    expect(decideIdentity({ id: 'b', email: 'jane@acme.test' }, { id: 'b' }, 'jane@acme.test')).toEqual({
      kind: 'same',
    });
  });

  it('never merges two identified leads: the device switches to the other email', () => {
    expect(decideIdentity({ id: 'b', email: 'jane@acme.test' }, { id: 'c' }, 'joe@acme.test')).toEqual({
      kind: 'switch',
      to: 'c',
    });
  });

  it('switches a shared computer to a new lead when the other email is new', () => {
    expect(decideIdentity({ id: 'b', email: 'jane@acme.test' }, null, 'joe@acme.test')).toEqual({
      kind: 'switch-new',
    });
  });
});
