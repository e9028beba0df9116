import type { FindingInput } from '../../../../src/check-api/types.js';
import { awsFinding } from '../aws-check.js';
import type { AccountRead, GlobalInventory } from '../collect/inventory.js';
import type { IamAccountState } from '../collect/iam.js';

/**
 * The two password-policy controls (1.8 length, 1.9 reuse) share this: no policy at all (NoSuchEntity) fails both,
 * with the same wording; each control passes its own test of the set policy.
 */
export function passwordPolicyFindings(
  iam: GlobalInventory<IamAccountState>,
  what: string,
  failing: (policy: NonNullable<IamAccountState['passwordPolicy']>) => { actual: number | null; required: number } | null,
): FindingInput[] {
  return iam.accounts.flatMap((a: AccountRead<IamAccountState>) => {
    const policy = a.data.passwordPolicy;
    const failure = policy ? failing(policy) : null;
    if (policy && !failure) return [];
    return [
      awsFinding({
        account: a.account,
        scope: a.scope,
        resourceId: `arn:aws:iam::${a.account}:account-password-policy`,
        title: policy ? `Password policy of ${a.account}: ${what} is ${failure!.actual ?? 'unset'}, needs ${failure!.required}` : `${a.account} has no IAM password policy`,
        severity: 'medium',
        evidence: { policySet: policy !== null, actual: failure?.actual ?? null, required: failure?.required ?? null },
      }),
    ];
  });
}
