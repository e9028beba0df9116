import { defineRdsInstanceCheck } from './rds-instance-controls.js';

// Metadata and logic live in the RDS instance table; this file names the check.
export default defineRdsInstanceCheck('aws.rds.auto-minor-version-upgrade');
