import { checkTester } from '../../../../support/check-tester.js';
import check from '../../../../../checks/cloud/aws/storage/auto-minor-version-upgrade.js';
import { rdsCases } from './rds-cases.js';

const cases = rdsCases({ autoMinorVersionUpgrade: false });
checkTester(check, { pass: cases.pass, fail: [...cases.fail], partial: cases.partial ?? [] });
