import type { AnyCheck } from '../../src/check-api/types.js';
import * as admissionMechanism from './admission-mechanism.js';
import * as anonymousBindings from './anonymous-bindings.js';
import * as clusterAdminBindings from './cluster-admin-bindings.js';
import { assessComponentFlag, COMPONENT_FLAG_CONTROLS, componentFlagChecks } from './component-flags.js';
import type { ControlAssessment } from './control-result.js';
import * as defaultNamespaceObjects from './default-namespace-objects.js';
import * as defaultServiceAccount from './default-service-account.js';
import { assessFilePermission, FILE_PERMISSION_CONTROLS, filePermissionChecks } from './file-permissions.js';
import type { ClusterInventory, NodeInventory } from './model.js';
import * as networkPolicy from './network-policy.js';
import type { K8sOptions } from './options.js';
import { assessPodSecurity, POD_SECURITY_CONTROLS, podSecurityChecks } from './pod-security.js';
import * as psaEnforceLabel from './psa-enforce-label.js';
import { assessRbacPermission, RBAC_PERMISSION_CONTROLS, rbacPermissionChecks } from './rbac-permissions.js';
import * as tokenAutomount from './token-automount.js';

/** Everything a control needs: the cluster objects and, for sections 1–4, one node's files. */
export interface K8sCollection {
  readonly cluster: ClusterInventory;
  readonly node: NodeInventory | undefined;
}

/** A check with the verdict behind its findings, so `audit k8s-score` can show passes and not-applicable reasons too. */
export interface K8sControl {
  readonly check: AnyCheck;
  readonly assess: (data: K8sCollection, options: K8sOptions) => ControlAssessment;
}

const single = (module: { default: unknown; assess: (data: K8sCollection, options: K8sOptions) => ControlAssessment }): K8sControl => ({ check: module.default as AnyCheck, assess: module.assess });
const table = <Row>(rows: readonly Row[], checks: readonly unknown[], assess: (row: Row, data: K8sCollection, options: K8sOptions) => ControlAssessment): K8sControl[] =>
  rows.map((row, index) => ({ check: checks[index] as AnyCheck, assess: (data, options) => assess(row, data, options) }));

/** Every k8s.* control (single-file checks and the rows of the four control tables), sorted by id. */
export const K8S_CONTROLS: readonly K8sControl[] = [
  ...[admissionMechanism, anonymousBindings, clusterAdminBindings, defaultNamespaceObjects, defaultServiceAccount, networkPolicy, psaEnforceLabel, tokenAutomount].map(single),
  ...table(COMPONENT_FLAG_CONTROLS, componentFlagChecks, assessComponentFlag),
  ...table(FILE_PERMISSION_CONTROLS, filePermissionChecks, assessFilePermission),
  ...table(POD_SECURITY_CONTROLS, podSecurityChecks, assessPodSecurity),
  ...table(RBAC_PERMISSION_CONTROLS, rbacPermissionChecks, assessRbacPermission),
].sort((a, b) => (a.check.id < b.check.id ? -1 : a.check.id > b.check.id ? 1 : 0));

/** The checks alone, for the registry. */
export const K8S_CHECKS: readonly AnyCheck[] = K8S_CONTROLS.map((control) => control.check);
