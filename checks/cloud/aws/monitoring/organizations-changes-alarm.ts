import { defineMetricAlarmCheck } from './metric-alarm-controls.js';

// The pattern, title and severity live in the metric-filter table; this file names the check.
export default defineMetricAlarmCheck('aws.monitoring.organizations-changes-alarm');
