import { describe, expect, it } from 'vitest';
import { CIS_AWS_CONTROLS, cisReferences } from '../../../../checks/cloud/aws/cis-catalog.js';
import { cisSummary, renderCisSummary } from '../../../../checks/cloud/aws/cis-summary.js';
import { CHECKS } from '../../../../checks/registry.js';

describe('CIS AWS catalog and summary', () => {
  it('has the 62 controls of v3.0.0 and the two v4.0.1 additions; every check is in it and every named check exists', () => {
    expect(CIS_AWS_CONTROLS.filter((c) => c.v3)).toHaveLength(62);
    expect(CIS_AWS_CONTROLS.filter((c) => !c.v3).map((c) => c.v4)).toEqual(['2.2.4', '5.1.2']);
    const awsIds = CHECKS.filter((c) => c.area === 'aws').map((c) => c.id).sort();
    expect(CIS_AWS_CONTROLS.flatMap((c) => (c.check ? [c.check] : [])).sort()).toEqual(awsIds);
    // The counts the research note gives per source: Prowler 54 automated in v3.0.0, Steampipe 35; 37 in v4.0.1.
    expect(CIS_AWS_CONTROLS.filter((c) => c.assessment['3.0.0']?.prowler === 'automated')).toHaveLength(54);
    expect(CIS_AWS_CONTROLS.filter((c) => c.assessment['3.0.0']?.steampipe === 'automated')).toHaveLength(35);
    expect(CIS_AWS_CONTROLS.filter((c) => c.assessment['4.0.1'] === 'automated')).toHaveLength(37);
  });

  it('has the 63 controls of v5.0.0: 35 automated per Prowler (the research note), 37 per Steampipe', () => {
    const v5 = CIS_AWS_CONTROLS.filter((c) => c.v5);
    expect(v5).toHaveLength(63);
    expect(new Set(v5.map((c) => c.v5)).size).toBe(63);
    expect(v5.filter((c) => c.assessment['5.0.0']?.prowler === 'automated')).toHaveLength(35);
    expect(v5.filter((c) => c.assessment['5.0.0']?.steampipe === 'automated')).toHaveLength(37);
    // The sources part on four controls; the rest agree.
    const disputed = v5.filter((c) => c.assessment['5.0.0']!.prowler !== c.assessment['5.0.0']!.steampipe).map((c) => `${c.v5}:${c.assessment['5.0.0']!.prowler}`);
    expect(disputed).toEqual(['3.1:manual', '3.4:manual', '4.1:manual', '5.1.2:automated']);
    // Nothing in v5.0.0 is new against v4.0.1; only v4.0.1 1.3 (security questions) was dropped.
    expect(v5.every((c) => c.v4)).toBe(true);
    expect(CIS_AWS_CONTROLS.filter((c) => c.v4 && !c.v5).map((c) => c.v4)).toEqual(['1.3']);
    // Section 1 shifts by one from v4 1.4 on, matched by meaning: root access keys, and the renamed access analyzer.
    const byV5 = (id: string) => CIS_AWS_CONTROLS.find((c) => c.v5 === id)!;
    expect([byV5('1.3').check, byV5('1.19').check, byV5('1.19').v4]).toEqual(['aws.iam.root-access-keys', 'aws.iam.access-analyzer-all-regions', '1.20']);
    expect(byV5('1.19').titleV5).toContain('External Access Analyzer');
    expect(['2.1.2', '4.1'].map((id) => [byV5(id).level, byV5(id).levelV5])).toEqual([[1, 2], [1, 2]]);
    // A check carries its id in all three versions, so the renumbering is visible in every report.
    expect(cisReferences('aws.iam.root-access-keys').map((r) => `${r.version} ${r.control}`)).toEqual(['3.0.0 1.4', '4.0.1 1.4', '5.0.0 1.3']);
    // CIFS (v4.0.1/v5.0.0 5.1.2) has no v3.0.0 id; its check carries the two ids it has.
    expect(cisReferences('aws.ec2.sg-cifs-ports').map((r) => `${r.version} ${r.control}`)).toEqual(['4.0.1 5.1.2', '5.0.0 5.1.2']);
  });

  it('pass, fail, unknown and manual per control; unknown counts against the score, manual not at all', () => {
    const summary = cisSummary([
      { checkId: 'aws.iam.root-mfa', outcome: 'ok', findings: 0 },
      { checkId: 'aws.iam.root-access-keys', outcome: 'ok', findings: 1 },
      { checkId: 'aws.ec2.ebs-default-encryption', outcome: 'partial', findings: 0 },
      { checkId: 'aws.cloudtrail.multi-region', outcome: 'partial', findings: 2 },
    ]);
    const result = (v3: string) => summary.rows.find((r) => r.v3 === v3)!.result;
    expect([result('1.5'), result('1.4'), result('2.2.1'), result('3.1'), result('1.1'), result('5.5'), result('1.8')]).toEqual(['pass', 'fail', 'unknown', 'fail', 'manual', 'manual', 'not-run']);
    expect(summary.counts).toMatchObject({ pass: 1, fail: 2, unknown: 1, manual: 8 });
    expect(summary.score).toBe(25);
    expect(renderCisSummary(summary)).toContain('2.2.1  5.1.1  5.1.1  unknown');
    expect(renderCisSummary(summary)).toContain('1.4    1.4    1.3    fail');
  });
});
