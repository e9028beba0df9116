import { defineRule } from './rule.js';

/**
 * US Social Security Numbers, only next to a label that says so (nine digits alone are everywhere), with the SSA's
 * validity rules: area not 000, 666 or 9xx; group not 00; serial not 0000; and not the numbers published in ads.
 */
const INVALID = new Set(['078-05-1120', '219-09-9999', '123-45-6789']);

export const usSocialSecurityNumber = defineRule({
  id: 'us-ssn',
  provider: 'pii',
  title: 'US Social Security Number',
  severity: 'high',
  keywords: ['ssn', 'social security', 'social_security', 'socialsecurity'],
  pattern: /(?:ssn|social[ _-]?security(?:[ _-]?(?:number|no))?)[A-Za-z_]*["'\]]?\s*(?:[:=#]|is|=>)?\s*["']?(\d{3}-\d{2}-\d{4}|\d{9})(?!\d)/gi,
  validate: (raw) => {
    const digits = raw.replace(/-/g, '');
    const area = digits.slice(0, 3);
    if (area === '000' || area === '666' || area.startsWith('9')) return false;
    if (digits.slice(3, 5) === '00' || digits.slice(5) === '0000') return false;
    return !INVALID.has(`${digits.slice(0, 3)}-${digits.slice(3, 5)}-${digits.slice(5)}`);
  },
  samples: {
    match: () => [`employee.ssn = "${'412' + '-' + '73' + '-' + '5081'}"`, `Social Security Number: ${'5' + '21' + '46' + '8032'}`],
    noMatch: ['ssn: 000-12-3456', 'ssn = 666-12-3456', 'ssn: 912-34-5678', 'SSN: 123-45-6789', 'ssn: 412-00-5081'],
  },
});

export const ssnRules = [usSocialSecurityNumber];
