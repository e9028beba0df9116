import type { AnyCheck } from '../../src/check-api/types.js';
import admissionMechanism from './admission-mechanism.js';
import anonymousBindings from './anonymous-bindings.js';
import clusterAdminBindings from './cluster-admin-bindings.js';
import { componentFlagChecks } from './component-flags.js';
import defaultNamespaceObjects from './default-namespace-objects.js';
import defaultServiceAccount from './default-service-account.js';
import { filePermissionChecks } from './file-permissions.js';
import networkPolicy from './network-policy.js';
import { podSecurityChecks } from './pod-security.js';
import psaEnforceLabel from './psa-enforce-label.js';
import { rbacPermissionChecks } from './rbac-permissions.js';
import tokenAutomount from './token-automount.js';

/** Every k8s.* check (single-file checks and the rows of the four control tables), sorted by id for the registry. */
export const K8S_CHECKS: readonly AnyCheck[] = (
  [
    admissionMechanism,
    anonymousBindings,
    clusterAdminBindings,
    defaultNamespaceObjects,
    defaultServiceAccount,
    networkPolicy,
    psaEnforceLabel,
    tokenAutomount,
    ...componentFlagChecks,
    ...filePermissionChecks,
    ...podSecurityChecks,
    ...rbacPermissionChecks,
  ] as unknown as AnyCheck[]
).sort((a, b) => (a.id < b.id ? -1 : a.id > b.id ? 1 : 0));
