import { defineCredentialReportCheck } from './credential-report-controls.js';

// CIS control metadata and logic live in the credential-report table; this file names the check.
export default defineCredentialReportCheck('aws.iam.root-usage');
