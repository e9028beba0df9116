import { checkTester } from '../../../../support/check-tester.js';
import check from '../../../../../checks/cloud/aws/logging/s3-write-data-events.js';
import { A, OPTIONS, allRegionsOf, cloudTrailInventory, deniedCase, emptyRegional, regionScopeOf } from '../builders.js';

const rid = `aws:${A}/all-regions/cloudtrail-s3-write-events`;
const basic = (readWriteType: string, values = ['arn:aws:s3']) => ({ eventSelectors: [{ readWriteType, includeManagementEvents: true, excludeManagementEventSources: [], dataResources: [{ type: 'AWS::S3::Object', values }] }] });
const advanced = (readOnly: string[] | null) => ({
  eventSelectors: null,
  advancedEventSelectors: [{ FieldSelectors: [{ Field: 'eventCategory', Equals: ['Data'] }, { Field: 'resources.type', Equals: ['AWS::S3::Object'] }, ...(readOnly ? [{ Field: 'readOnly', Equals: readOnly }] : [])] }],
});
checkTester(check, {
  pass: [
    { name: 'basic selector, All, every bucket', options: OPTIONS, inventory: { cloudtrail: cloudTrailInventory(basic('All')) } },
    { name: 'basic selector, WriteOnly', options: OPTIONS, inventory: { cloudtrail: cloudTrailInventory(basic('WriteOnly')) } },
    { name: 'advanced selector with readOnly false', options: OPTIONS, inventory: { cloudtrail: cloudTrailInventory(advanced(['false'])) } },
    { name: 'home region unread: unknown', options: OPTIONS, inventory: { cloudtrail: cloudTrailInventory({ eventSelectors: null }, { unread: ['us-east-1'] }) } },
  ],
  fail: [
    { name: 'only ReadOnly events', options: OPTIONS, inventory: { cloudtrail: cloudTrailInventory(basic('ReadOnly')) }, findings: [{ resourceId: rid, severity: 'low', scope: allRegionsOf(A) }] },
    { name: 'one bucket only', options: OPTIONS, inventory: { cloudtrail: cloudTrailInventory(basic('All', ['arn:aws:s3:::one-bucket/'])) }, findings: [{ resourceId: rid, severity: 'low' }] },
    { name: 'no data events at all', options: OPTIONS, inventory: { cloudtrail: cloudTrailInventory({ eventSelectors: [{ readWriteType: 'All', includeManagementEvents: true, excludeManagementEventSources: [] }] }) }, findings: [{ resourceId: rid, severity: 'low' }] },
  ],
  partial: [deniedCase('GetEventSelectors denied', ['cloudtrail'], { cloudtrail: emptyRegional }, regionScopeOf(A, 'us-east-1'))],
});
