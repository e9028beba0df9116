import { defineS3DataEventsCheck } from './s3-data-events.js';

export default defineS3DataEventsCheck('read');
