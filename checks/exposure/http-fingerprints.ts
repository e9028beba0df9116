import type { Severity } from '../../src/check-api/types.js';

/**
 * Admin panels, debug endpoints and files that should never face a network, recognised by path plus title, body or
 * header markers (nuclei's "AND of matchers" shape: a bare 200 proves nothing, since many servers answer 200 to any
 * path). Paths are fetched once per HTTP endpoint by collect/http.ts; matching is pure, in http-exposed-paths.ts.
 */
export interface HttpFingerprint {
  readonly id: string;
  readonly name: string;
  readonly kind: 'admin-panel' | 'debug-endpoint' | 'sensitive-file';
  readonly path: string;
  readonly severity: Severity;
  /** Every marker given must match. */
  readonly status?: readonly number[];
  readonly title?: RegExp;
  readonly body?: RegExp;
  readonly header?: readonly [name: string, value: RegExp];
}

export const HTTP_FINGERPRINTS = [
  { id: 'docker-api', name: 'Docker Engine API', kind: 'debug-endpoint', path: '/version', severity: 'critical', status: [200], body: /"ApiVersion"\s*:\s*"[\d.]+"[\s\S]*"Os"\s*:/ },
  { id: 'werkzeug-console', name: 'Werkzeug interactive debugger console', kind: 'debug-endpoint', path: '/console', severity: 'critical', status: [200], body: /Werkzeug[\s\S]{0,200}Debugger|__debugger__/ },
  { id: 'git-head', name: 'Git metadata (.git/HEAD)', kind: 'sensitive-file', path: '/.git/HEAD', severity: 'high', status: [200], body: /^ref: refs\/heads\/\S+\s*$/ },
  { id: 'dotenv', name: 'Environment file (.env)', kind: 'sensitive-file', path: '/.env', severity: 'high', status: [200], body: /^(?![\s\S]*<html)\s*(#[^\n]*\n\s*)*[A-Z][A-Z0-9_]*=/ },
  { id: 'spring-actuator-env', name: 'Spring Boot actuator /env', kind: 'debug-endpoint', path: '/actuator/env', severity: 'high', status: [200], body: /"propertySources"\s*:/ },
  { id: 'go-pprof', name: 'Go pprof profiles', kind: 'debug-endpoint', path: '/debug/pprof/', severity: 'high', status: [200], body: /Types of profiles available/ },
  { id: 'django-debug', name: 'Django DEBUG = True error pages', kind: 'debug-endpoint', path: '/vigil-audit-404-probe', severity: 'high', status: [404], body: /You(?:&#x27;|&#39;|')re seeing this error because you have <code>DEBUG = True<\/code>/ },
  { id: 'phpinfo', name: 'phpinfo() page', kind: 'debug-endpoint', path: '/phpinfo.php', severity: 'medium', status: [200], body: /<title>PHP \d[^<]*phpinfo\(\)\s*<\/title>|<title>phpinfo\(\)<\/title>/ },
  { id: 'apache-server-status', name: 'Apache mod_status', kind: 'debug-endpoint', path: '/server-status', severity: 'medium', status: [200], body: /Apache Server Status for/ },
  { id: 'jenkins', name: 'Jenkins', kind: 'admin-panel', path: '/', severity: 'medium', header: ['x-jenkins', /^\d/] },
  { id: 'phpmyadmin', name: 'phpMyAdmin', kind: 'admin-panel', path: '/phpmyadmin/', severity: 'medium', status: [200], title: /phpMyAdmin/ },
  { id: 'tomcat-manager', name: 'Tomcat Manager', kind: 'admin-panel', path: '/manager/html', severity: 'medium', status: [401, 403], header: ['www-authenticate', /Tomcat Manager Application/] },
  { id: 'grafana', name: 'Grafana', kind: 'admin-panel', path: '/login', severity: 'low', status: [200], title: /Grafana/ },
  { id: 'prometheus-metrics', name: 'Prometheus metrics', kind: 'debug-endpoint', path: '/metrics', severity: 'low', status: [200], body: /^# (HELP|TYPE) \w+/m },
] as const satisfies readonly HttpFingerprint[];

/** Every path the HTTP probe fetches, root first. */
export const FINGERPRINT_PATHS: readonly string[] = ['/', ...new Set(HTTP_FINGERPRINTS.map((f) => f.path).filter((path) => path !== '/'))];
