import { checkTester } from '../../../../support/check-tester.js';
import check from '../../../../../checks/cloud/aws/storage/storage-encrypted.js';
import { rdsCases } from './rds-cases.js';

const cases = rdsCases({ storageEncrypted: false });
checkTester(check, { pass: cases.pass, fail: [...cases.fail], partial: cases.partial ?? [] });
