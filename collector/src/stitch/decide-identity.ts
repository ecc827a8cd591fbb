/**
 * What an `identify(email)` from a device does, as DESIGN.md's stitching rules say. Pure: the
 * write path looks the leads up, asks this, and applies the answer.
 *
 * - `same`: the device's lead already has this email (a replayed identify): keep, refresh traits.
 * - `claim`: anonymous lead, nobody has the email: the lead takes it.
 * - `merge`: anonymous lead, another lead has the email: fold the anonymous lead into it.
 * - `switch`: the lead is identified with another email (shared computer): never merge two
 *   identified leads; the device moves to the email's lead from now on.
 * - `switch-new`: as `switch`, but nobody has the email yet: the device moves to a new lead.
 */
export type IdentityDecision =
  | { kind: 'same' }
  | { kind: 'claim' }
  | { kind: 'merge'; into: string }
  | { kind: 'switch'; to: string }
  | { kind: 'switch-new' };

export function decideIdentity(
  deviceLead: { id: string; email: string | null },
  emailOwner: { id: string } | null,
  email: string,
): IdentityDecision {
  if (deviceLead.email === email) return { kind: 'same' };
  if (deviceLead.email === null) {
    return emailOwner && emailOwner.id !== deviceLead.id
      ? { kind: 'merge', into: emailOwner.id }
      : { kind: 'claim' };
  }
  return emailOwner ? { kind: 'switch', to: emailOwner.id } : { kind: 'switch-new' };
}
