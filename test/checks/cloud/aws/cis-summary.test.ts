import { describe, expect, it } from 'vitest';
import { CIS_AWS_CONTROLS } from '../../../../checks/cloud/aws/cis-catalog.js';
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

  it('pass, fail, unknown and manual per control; unknown counts against the score, manual not at all', () => {
    const summary = cisSummary([
      { checkId: 'aws.iam.root-mfa', outcome: 'ok', findings: 0 },
      { checkId: 'aws.iam.root-access-keys', outcome: 'ok', findings: 1 },
      { checkId: 'aws.ec2.ebs-default-encryption', outcome: 'partial', findings: 0 },
      { checkId: 'aws.cloudtrail.multi-region', outcome: 'partial', findings: 2 },
    ]);
    const result = (v3: string) => summary.rows.find((r) => r.v3 === v3)!.result;
    expect([result('1.5'), result('1.4'), result('2.2.1'), result('3.1'), result('1.1'), result('5.5'), result('1.8')]).toEqual(['pass', 'fail', 'unknown', 'fail', 'manual', 'manual', 'not-run']);
    expect(summary.counts).toMatchObject({ pass: 1, fail: 2, unknown: 1, manual: 9 });
    expect(summary.score).toBe(25);
    expect(renderCisSummary(summary)).toContain('2.2.1  5.1.1  unknown');
  });
});
