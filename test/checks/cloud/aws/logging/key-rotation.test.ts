import { checkTester } from '../../../../support/check-tester.js';
import check from '../../../../../checks/cloud/aws/logging/key-rotation.js';
import { A, OPTIONS, deniedCase, emptyRegional, regional, regionScopeOf } from '../builders.js';

const key = (id: string, rotationEnabled: boolean | null, manager = 'CUSTOMER') => ({ id, arn: `arn:aws:kms:eu-west-1:${A}:key/${id}`, manager, spec: 'SYMMETRIC_DEFAULT', state: 'Enabled', rotationEnabled });
checkTester(check, {
  pass: [{ name: 'rotation on; AWS-managed keys are not asked', options: OPTIONS, inventory: { kms: regional(() => ({ keys: [key('k1', true), key('aws1', null, 'AWS')], readErrors: [] })) } }],
  fail: [{ name: 'a customer key without rotation', options: OPTIONS, inventory: { kms: regional((r) => ({ keys: r === 'eu-west-1' ? [key('k1', true), key('k2', false)] : [], readErrors: [] })) }, findings: [{ resourceId: key('k2', false).arn, severity: 'medium' }] }],
  partial: [deniedCase('GetKeyRotationStatus denied by a key policy', ['kms'], { kms: emptyRegional }, regionScopeOf(A, 'eu-west-1'))],
});
