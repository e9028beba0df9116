import { defineAdminPortCheck } from './admin-port-controls.js';

// Metadata and logic live in the admin-port table; this file names the check.
export default defineAdminPortCheck('aws.ec2.nacl-admin-ports');
