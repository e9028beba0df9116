import check from '../../../checks/exposure/http-exposed-paths.js';
import type { AnyCheck } from '../../../src/check-api/types.js';
import { checkTester } from '../../support/check-tester.js';
import { httpEndpoint, response } from './http-inventory.js';
import { inventory, partialCollected, target } from './inventory-builder.js';

const spa = '<html><head><title>App</title></head><body>app</body></html>';

checkTester(check as unknown as AnyCheck, {
  pass: [
    {
      name: 'a single-page app answering 200 to every path matches nothing',
      options: target,
      inventory: inventory(
        httpEndpoint(80, response(200, {}, spa, '/', 'App'), 'http', ['/.env', '/.git/HEAD', '/actuator/env', '/metrics', '/version', '/phpmyadmin/'].map((path) => response(200, {}, spa, path, 'App'))),
      ),
    },
  ],
  fail: [
    {
      name: 'git metadata, dotenv, docker API, Jenkins and a Tomcat manager login',
      options: target,
      inventory: inventory(
        httpEndpoint(8080, response(200, { 'x-jenkins': '2.440.1' }, spa), 'http', [
          response(200, {}, 'ref: refs/heads/main\n', '/.git/HEAD'),
          response(200, {}, '# app settings\nDB_HOST=db\n', '/.env'),
          response(200, {}, '{"Version":"24.0.7","ApiVersion":"1.43","Os":"linux"}', '/version'),
          response(401, { 'www-authenticate': 'Basic realm="Tomcat Manager Application"' }, '', '/manager/html'),
        ]),
      ),
      findings: [
        { resourceId: '10.0.0.5:8080', key: 'git-head', severity: 'high' },
        { resourceId: '10.0.0.5:8080', key: 'dotenv', severity: 'high' },
        { resourceId: '10.0.0.5:8080', key: 'docker-api', severity: 'critical', title: 'Docker Engine API exposed at http://10.0.0.5:8080/version' },
        { resourceId: '10.0.0.5:8080', key: 'jenkins', severity: 'medium' },
        { resourceId: '10.0.0.5:8080', key: 'tomcat-manager', severity: 'medium' },
      ],
    },
  ],
  partial: [{ name: 'extra paths timed out', options: target, collected: partialCollected('no answer for /.env within 2000 ms'), failedScopes: ['host:10.0.0.6'] }],
});
