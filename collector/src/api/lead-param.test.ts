import { describe, expect, it } from 'vitest';
import { LEAD_HINT, leadParam } from './lead-param.ts';

const parse = (lead: string) => leadParam.safeParse({ lead });

describe('the {lead} of a path', () => {
  it('is an id, lower-cased as ids are stored', () => {
    const id = '5f0c3a2e-8d1b-4c7a-9e2f-1a2b3c4d5e6f';
    expect(parse(id).data).toEqual({ lead: id });
    expect(parse(id.toUpperCase()).data).toEqual({ lead: id });
  });

  it('or an email, normalized as emails are stored', () => {
    expect(parse(' Jane@Acme.TEST ').data).toEqual({ lead: 'jane@acme.test' });
  });

  it.each([
    ['a name', 'chain-5'],
    ['a uuid with a NUL', '5f0c3a2e-8d1b-4c7a-9e2f-1a2b3c4d5e6f\u0000'],
    ['an email with a NUL', 'jane\u0000@acme.test'],
    ['an email without a dotted domain', 'jane@localhost'],
    ['a SQL fragment', "x' or '1'='1"],
    ['too long an email', `${'j'.repeat(320)}@acme.test`],
  ])('is refused when it is %s, without being echoed', (_, lead) => {
    const result = parse(lead);
    expect(result.success).toBe(false);
    expect(result.error?.issues).toEqual([expect.objectContaining({ path: ['lead'], message: LEAD_HINT })]);
  });
});
