import { checkTester } from '../../../../support/check-tester.js';
import check from '../../../../../checks/cloud/aws/logging/all-regions.js';
import { A, OPTIONS, allRegionsOf, deniedCase, emptyRegional, regional, regionScopeOf } from '../builders.js';

const recording = (global: boolean) => ({ recorder: { name: 'default', roleARN: 'arn:aws:iam::111111111111:role/config', allSupported: true, includeGlobalResourceTypes: global, resourceTypes: [] }, recording: true, lastStatus: 'SUCCESS', channel: null });
checkTester(check, {
  pass: [
    { name: 'recording everywhere, global resources in one region only', options: OPTIONS, inventory: { config: regional((r) => recording(r === 'us-east-1')) } },
    { name: 'the region with global resources is unread: no account verdict', options: OPTIONS, inventory: { config: regional(() => recording(false), { unread: ['us-east-1'] }) } },
  ],
  fail: [
    {
      name: 'no recorder in eu-west-1, stopped in us-east-1',
      options: OPTIONS,
      inventory: { config: regional((r) => (r === 'eu-west-1' ? { recorder: null, recording: false, lastStatus: null, channel: null } : { ...recording(true), recording: false })) },
      findings: [
        { resourceId: `aws:${A}/eu-west-1/config-recorder`, severity: 'medium', scope: regionScopeOf(A, 'eu-west-1') },
        { resourceId: `aws:${A}/us-east-1/config-recorder`, severity: 'medium' },
        { resourceId: `aws:${A}/all-regions/config-global-resources`, severity: 'medium', scope: allRegionsOf(A) },
      ],
    },
    { name: 'no region records global resources', options: OPTIONS, inventory: { config: regional(() => recording(false)) }, findings: [{ resourceId: `aws:${A}/all-regions/config-global-resources`, severity: 'medium' }] },
  ],
  partial: [deniedCase('Config denied', ['config'], { config: emptyRegional }, regionScopeOf(A, 'eu-west-1'))],
});
