import { checkTester } from '../../../../support/check-tester.js';
import check from '../../../../../checks/cloud/aws/storage/no-public-access.js';
import { rdsCases } from './rds-cases.js';

const cases = rdsCases({ publiclyAccessible: true });
checkTester(check, { pass: cases.pass, fail: [...cases.fail], partial: cases.partial ?? [] });
