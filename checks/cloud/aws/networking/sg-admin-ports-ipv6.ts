import { defineExposedPortCheck } from './exposed-port-controls.js';

// Metadata and logic live in the exposed-port table; this file names the check.
export default defineExposedPortCheck('aws.ec2.sg-admin-ports-ipv6');
