import { readFileSync } from 'node:fs';
import { Ajv } from 'ajv';
import ajvFormats from 'ajv-formats';
import { describe, expect, it } from 'vitest';
import { buildSarifLog, fileUri, referenceTag, renderSarif, ruleName } from '../../src/output/sarif.js';
import { check, finding } from './build-finding.js';

/**
 * The OASIS SARIF 2.1.0 JSON schema, draft-07 edition (`$id` oasis-tcs/sarif-spec master Schemata/sarif-schema-2.1.0.json).
 * Taken from the npm package @datadog/datadog-ci-plugin-sarif 5.25.0, which bundles it for the same ajv validation.
 */
const schema = JSON.parse(readFileSync(new URL('../fixtures/sarif-schema-2.1.0.json', import.meta.url), 'utf8'));
// strict: false because the schema itself trips ajv's style checks (a `required` beside `anyOf`); formats are still checked.
const ajv = new Ajv({ allErrors: true, strict: false });
// A CommonJS module seen from NodeNext ESM: the plugin is its `default` export.
ajvFormats.default(ajv);
const validateSarif = ajv.compile(schema);

function expectValid(log: unknown): void {
  const valid = validateSarif(log);
  expect(validateSarif.errors ?? [], ajv.errorsText(validateSarif.errors)).toEqual([]);
  expect(valid).toBe(true);
}

const checks = [
  check(),
  check({
    id: 'secrets.history',
    title: 'No live secrets in git history',
    area: 'secrets',
    severity: 'critical',
    description: 'Scans every commit for credentials.',
    remediation: 'Revoke the secret, then rewrite history if it must go.',
    references: [{ framework: 'cwe', control: '798', url: 'https://cwe.mitre.org/data/definitions/798.html' }],
  }),
  check({ id: 'ports.unexpected-open', title: 'Only expected ports are open', area: 'ports', severity: 'medium', references: [] }),
  check({ id: 'dns.dangling-cname', title: 'No dangling CNAMEs', area: 'dns', severity: 'low', references: [] }),
];

const findings = [
  finding({ resourceId: 'aws:111111111111' }),
  finding({ resourceId: 'aws:222222222222', decision: 'accepted', decisionReason: 'legacy site, moving in Q3', decisionUntil: Date.UTC(2026, 0, 1) }),
  finding({
    checkId: 'secrets.history',
    resourceId: 'repo:api',
    key: 'aws-access-key',
    severity: 'critical',
    title: 'AWS access key in git history',
    location: { file: 'deploy/my env/prod.env', line: 3, commit: '3f2c1ab' },
    evidence: { sha256: 'ab'.repeat(32), preview: 'AKIA…XQ2' },
    decision: 'false_positive',
    decisionReason: 'documentation example key',
  }),
  finding({ checkId: 'ports.unexpected-open', resourceId: '10.0.0.5:22', severity: 'medium', decision: 'muted', status: 'unstored' }),
  finding({ checkId: 'secrets.history', resourceId: 'repo:web', severity: 'high', title: 'Token', location: { file: 'README.md' } }),
];

const log = buildSarifLog(findings, checks, { toolVersion: '0.4.0', informationUri: 'https://vigil.example/docs' });
const run = log.runs[0];

describe('SARIF output', () => {
  it('is valid against the SARIF 2.1.0 schema', () => {
    expectValid(JSON.parse(renderSarif(findings, checks, { toolVersion: '0.4.0', informationUri: 'https://vigil.example/docs' })));
  });

  it('is valid with no findings, no informationUri and a non-semver version', () => {
    const empty = buildSarifLog([], checks, { toolVersion: 'dev-3f2c1ab' });
    expectValid(JSON.parse(JSON.stringify(empty)));
    expect(empty.runs[0].results).toEqual([]);
    expect(empty.runs[0].tool.driver.rules).toEqual([]);
    expect(empty.runs[0].tool.driver).not.toHaveProperty('semanticVersion');
  });

  it('the validator really rejects a broken log', () => {
    const broken = JSON.parse(JSON.stringify(log));
    broken.runs[0].results[0].level = 'fatal';
    delete broken.runs[0].results[1].message;
    expect(validateSarif(broken)).toBe(false);
  });

  it('names the schema, version and driver', () => {
    expect(log.$schema).toBe('https://json.schemastore.org/sarif-2.1.0.json');
    expect(log.version).toBe('2.1.0');
    expect(log.runs).toHaveLength(1);
    expect(run.tool.driver).toMatchObject({ name: 'Vigil', version: '0.4.0', semanticVersion: '0.4.0', informationUri: 'https://vigil.example/docs' });
  });

  it('has one rule per check that has findings, none for checks without, sorted by id', () => {
    expect(run.tool.driver.rules.map((rule) => rule.id)).toEqual(['aws.s3.account-public-access-block', 'ports.unexpected-open', 'secrets.history']);
  });

  it('points every result at its own rule by id and index', () => {
    expect(run.results).toHaveLength(findings.length);
    for (const result of run.results) expect(run.tool.driver.rules[result.ruleIndex]!.id).toBe(result.ruleId);
  });

  it('describes a rule from the check metadata, with GitHub security-severity and reference tags', () => {
    const rule = run.tool.driver.rules.find((candidate) => candidate.id === 'secrets.history')!;
    expect(rule).toEqual({
      id: 'secrets.history',
      name: 'SecretsHistory',
      shortDescription: { text: 'No live secrets in git history' },
      fullDescription: { text: 'Scans every commit for credentials.' },
      help: { text: 'Revoke the secret, then rewrite history if it must go.' },
      helpUri: 'https://cwe.mitre.org/data/definitions/798.html',
      defaultConfiguration: { level: 'error' },
      properties: { 'security-severity': '9.5', tags: ['security', 'secrets', 'CWE:798'] },
    });
    const s3 = run.tool.driver.rules.find((candidate) => candidate.id === 'aws.s3.account-public-access-block')!;
    expect(s3.properties).toEqual({ 'security-severity': '8.0', tags: ['security', 'aws', 'CIS-AWS-5.0.0:2.1.4'] });
    const ports = run.tool.driver.rules.find((candidate) => candidate.id === 'ports.unexpected-open')!;
    expect(ports.defaultConfiguration.level).toBe('warning');
    expect(ports.properties['security-severity']).toBe('5.5');
  });

  it('maps severities to levels and security-severity scores', () => {
    const levels = (['critical', 'high', 'medium', 'low', 'info'] as const).map((severity) => {
      const single = buildSarifLog([finding({ severity })], [check({ severity })], { toolVersion: '1.0.0' }).runs[0];
      return [severity, single.results[0]!.level, single.tool.driver.rules[0]!.properties['security-severity']];
    });
    expect(levels).toEqual([
      ['critical', 'error', '9.5'],
      ['high', 'error', '8.0'],
      ['medium', 'warning', '5.5'],
      ['low', 'note', '3.0'],
      ['info', 'note', '0.0'],
    ]);
  });

  it('carries the fingerprint as a partial fingerprint on every result', () => {
    expect(run.results.map((result) => result.partialFingerprints['vigil/v1'])).toEqual(
      expect.arrayContaining(findings.map((view) => view.fingerprint)),
    );
    expect(new Set(run.results.map((result) => result.partialFingerprints['vigil/v1'])).size).toBe(findings.length);
  });

  it('gives a file finding a physical location with an encoded URI and its line', () => {
    const result = run.results.find((candidate) => candidate.partialFingerprints['vigil/v1'] === findings[2]!.fingerprint)!;
    expect(result.locations).toEqual([
      {
        physicalLocation: { artifactLocation: { uri: 'deploy/my%20env/prod.env' }, region: { startLine: 3 } },
        properties: { commit: '3f2c1ab' },
      },
    ]);
    const noLine = run.results.find((candidate) => candidate.partialFingerprints['vigil/v1'] === findings[4]!.fingerprint)!;
    expect(noLine.locations).toEqual([{ physicalLocation: { artifactLocation: { uri: 'README.md' } } }]);
  });

  it('gives any other finding a logical location naming the resource', () => {
    const result = run.results.find((candidate) => candidate.partialFingerprints['vigil/v1'] === findings[3]!.fingerprint)!;
    expect(result.locations).toEqual([{ logicalLocations: [{ fullyQualifiedName: '10.0.0.5:22', kind: 'resource' }] }]);
    expect(result.message.text).toBe('S3 account-level public access block is off (10.0.0.5:22)');
  });

  it('keeps false positives and accepted risks as suppressed results with the reason, and mutes unsuppressed', () => {
    const byFingerprint = new Map(run.results.map((result) => [result.partialFingerprints['vigil/v1'], result]));
    expect(byFingerprint.get(findings[1]!.fingerprint)!.suppressions).toEqual([
      { kind: 'external', status: 'accepted', justification: 'Risk accepted in Vigil until 2026-01-01T00:00:00.000Z: legacy site, moving in Q3' },
    ]);
    expect(byFingerprint.get(findings[2]!.fingerprint)!.suppressions).toEqual([
      { kind: 'external', status: 'accepted', justification: 'Marked false positive in Vigil: documentation example key' },
    ]);
    expect(byFingerprint.get(findings[3]!.fingerprint)).not.toHaveProperty('suppressions');
    expect(byFingerprint.get(findings[0]!.fingerprint)).not.toHaveProperty('suppressions');
  });

  it('records severity, status, decision, scope and evidence in result properties', () => {
    const result = run.results.find((candidate) => candidate.partialFingerprints['vigil/v1'] === findings[2]!.fingerprint)!;
    expect(result.properties).toMatchObject({
      severity: 'critical',
      status: 'open',
      decision: 'false_positive',
      scope: 'aws:123456789012/eu-west-1',
      evidence: { preview: 'AKIA…XQ2', sha256: 'ab'.repeat(32) },
    });
    expect(result.level).toBe('error');
  });

  it('still writes a valid rule for a finding whose check is not registered', () => {
    const orphan = buildSarifLog([finding({ checkId: 'aws.retired-check', severity: 'low' })], checks, { toolVersion: '1.0.0' });
    expectValid(JSON.parse(JSON.stringify(orphan)));
    expect(orphan.runs[0].tool.driver.rules[0]).toMatchObject({
      id: 'aws.retired-check',
      defaultConfiguration: { level: 'note' },
      properties: { 'security-severity': '3.0' },
    });
  });
});

describe('SARIF helpers', () => {
  it('turns check ids into readable rule names', () => {
    expect(ruleName('aws.cloudtrail.multi-region')).toBe('AwsCloudtrailMultiRegion');
  });

  it('formats references as tags', () => {
    expect(referenceTag({ framework: 'cis-aws', version: '5.0.0', control: '2.1.4' })).toBe('CIS-AWS-5.0.0:2.1.4');
    expect(referenceTag({ framework: 'aws-fsbp', control: 'GuardDuty.1' })).toBe('AWS-FSBP:GuardDuty.1');
  });

  it('makes file paths into URI references that cannot read as a scheme, query or fragment', () => {
    expect(fileUri('src\\app #1?.ts')).toBe('src/app%20%231%3F.ts');
    expect(fileUri('c:temp/x.ts')).toBe('c%3Atemp/x.ts');
    expect(fileUri('/abs/path.ts')).toBe('/abs/path.ts');
  });
});

describe('SARIF baselineState', () => {
  it('maps the lifecycle so a resolved finding reads as absent, not as an open result', () => {
    const statuses = ['new', 'open', 'reopened', 'resolved', 'unstored'] as const;
    const results = buildSarifLog(
      statuses.map((status, i) => finding({ status, fingerprint: `fp-${i}`, resourceId: `r-${i}` })),
      [check()],
      { toolVersion: '1.0.0' },
    ).runs[0]!.results;
    const byResource = Object.fromEntries(results.map((r) => [r.properties.resourceId as string, r.baselineState ?? null]));
    expect(byResource).toEqual({ 'r-0': 'new', 'r-1': 'unchanged', 'r-2': 'updated', 'r-3': 'absent', 'r-4': null });
  });
});
