import { checkTester } from '../../../../support/check-tester.js';
import check from '../../../../../checks/cloud/aws/monitoring/cloudtrail-changes-alarm.js';
import { alarmCases } from './alarm-cases.js';

// The chain and its breakages are the same for the whole family; the control's own clauses decide the pattern.
const cases = alarmCases('aws.monitoring.cloudtrail-changes-alarm');
checkTester(check, { pass: cases.pass, fail: [...cases.fail], partial: cases.partial ?? [] });
