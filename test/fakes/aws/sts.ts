import { AwsFakeError, xml, type FakeRequest, type Route } from './server.js';

/** STS query protocol: AssumeRole mints session keys that carry the target account, so the fake can tell them apart. */
export function routeSts(request: FakeRequest): Route {
  const action = request.form.get('Action');
  if (action === 'GetCallerIdentity') {
    return {
      action,
      write: false,
      handle: () =>
        `<GetCallerIdentityResponse xmlns="https://sts.amazonaws.com/doc/2011-06-15/"><GetCallerIdentityResult><Arn>arn:aws:iam::${request.account}:user/vigil</Arn><UserId>AIDAFAKE</UserId><Account>${request.account}</Account></GetCallerIdentityResult><ResponseMetadata><RequestId>fake</RequestId></ResponseMetadata></GetCallerIdentityResponse>`,
    };
  }
  if (action !== 'AssumeRole') throw new AwsFakeError('InvalidAction', `fake STS has no ${action}`);
  return {
    action,
    write: false,
    handle: () => {
      const roleArn = request.form.get('RoleArn') ?? '';
      const target = /^arn:aws:iam::(\d{12}):role\/.+$/.exec(roleArn)?.[1];
      if (!target || !request.world.accounts.has(target)) throw new AwsFakeError('AccessDenied', `User is not authorized to perform: sts:AssumeRole on resource: ${roleArn}`, 403);
      const expiration = new Date(Date.now() + 3_600_000).toISOString();
      const session = request.form.get('RoleSessionName') ?? 'vigil';
      return `<AssumeRoleResponse xmlns="https://sts.amazonaws.com/doc/2011-06-15/"><AssumeRoleResult><Credentials><AccessKeyId>ASIAFAKE${target}</AccessKeyId><SecretAccessKey>fake-session-secret</SecretAccessKey><SessionToken>fake-session-token</SessionToken><Expiration>${expiration}</Expiration></Credentials><AssumedRoleUser><Arn>${xml(roleArn.replace(':iam::', ':sts::').replace(':role/', ':assumed-role/'))}/${xml(session)}</Arn><AssumedRoleId>AROAFAKE:${xml(session)}</AssumedRoleId></AssumedRoleUser></AssumeRoleResult><ResponseMetadata><RequestId>fake</RequestId></ResponseMetadata></AssumeRoleResponse>`;
    },
  };
}
