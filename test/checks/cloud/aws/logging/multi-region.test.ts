import { checkTester } from '../../../../support/check-tester.js';
import check from '../../../../../checks/cloud/aws/logging/multi-region.js';
import { A, OPTIONS, allRegionsOf, cloudTrailInventory, deniedCase, emptyRegional, regionScopeOf } from '../builders.js';

const rid = `aws:${A}/all-regions/cloudtrail`;
checkTester(check, {
  pass: [
    { name: 'a logging multi-region trail with all management events', options: OPTIONS, inventory: { cloudtrail: cloudTrailInventory() } },
    {
      name: 'advanced selectors for management events count',
      options: OPTIONS,
      inventory: { cloudtrail: cloudTrailInventory({ eventSelectors: null, advancedEventSelectors: [{ Name: 'mgmt', FieldSelectors: [{ Field: 'eventCategory', Equals: ['Management'] }] }] }) },
    },
    // The trail's home region could not be read: no verdict (the run is partial, so the control is unknown, not a fail).
    { name: 'home region unread: unknown rather than fail', options: OPTIONS, inventory: { cloudtrail: cloudTrailInventory({}, { unread: ['us-east-1'] }) } },
  ],
  fail: [
    { name: 'the trail stopped logging', options: OPTIONS, inventory: { cloudtrail: cloudTrailInventory({ logging: false }) }, findings: [{ resourceId: rid, severity: 'critical', scope: allRegionsOf(A) }] },
    { name: 'single-region trail', options: OPTIONS, inventory: { cloudtrail: cloudTrailInventory({ isMultiRegionTrail: false }) }, findings: [{ resourceId: rid, severity: 'critical' }] },
    { name: 'write-only management events', options: OPTIONS, inventory: { cloudtrail: cloudTrailInventory({ eventSelectors: [{ readWriteType: 'WriteOnly', includeManagementEvents: true, excludeManagementEventSources: [] }] }) }, findings: [{ resourceId: rid, severity: 'critical' }] },
  ],
  partial: [deniedCase('DescribeTrails denied in us-east-1', ['cloudtrail'], { cloudtrail: emptyRegional }, regionScopeOf(A, 'us-east-1'))],
});
